import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plots


@pytest.fixture(autouse=True)
def close_figures():
    plots.set_style()
    yield
    plt.close("all")


def test_plot_digit_accepts_every_layout_and_given_axes():
    fig, ax = plt.subplots()
    for image in (np.zeros(784), np.zeros((784, 1)), np.zeros((28, 28))):
        assert plots.plot_digit(image, 3, ax=ax) is ax
    assert ax.get_title() == "label 3" and ax.get_xticks().size == 0
    with pytest.raises(ValueError, match="784 pixels"):
        plots.plot_digit(np.zeros(10))


def test_plot_digits_highlights_mistakes():
    fig = plots.plot_digits(np.zeros((12, 784)), labels=list(range(12)), predictions=[0] * 12, ncols=5, title="t")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "0" and titles[1] == "true 1 / pred 0" and len(fig.axes) == 15
    assert fig.axes[1].title.get_color() == plots.WRONG_COLOR and fig.axes[0].title.get_color() == plots.RIGHT_COLOR
    with pytest.raises(ValueError, match="got 2 images but 3 labels"):
        plots.plot_digits(np.zeros((2, 784)), labels=[1, 2, 3])


def test_learning_curves_use_course_colours():
    fig, axes = plt.subplots(1, 2)
    out = plots.plot_learning_curves({"train_loss": [2, 1], "test_loss": [2.5, 1.5], "test_acc": [0.5, 0.9]}, axes)
    assert out is fig
    assert [line.get_color() for line in axes[0].lines] == [plots.TRAIN_COLOR, plots.TEST_COLOR]


def test_confusion_matrix_counts():
    ax = plots.plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], n_classes=3)
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1", "0", "0", "0", "1", "1", "0", "0", "1"]


def test_confusion_matrix_colours_the_mistakes_not_the_diagonal():
    """Scaled by the diagonal, every mistake would be as pale as a zero: the colour is the row's share
    of each mistake, and the diagonal is left out of the colour scale."""
    ax = plots.plot_confusion_matrix([0] * 98 + [0, 0, 1, 1], [0] * 98 + [1, 1, 1, 0], n_classes=2)
    shares = ax.images[-1].get_array()
    assert bool(shares.mask[0, 0]) and bool(shares.mask[1, 1])
    assert round(float(shares[0, 1]), 2) == 2.0 and float(shares[1, 0]) == 50.0


def test_weight_images():
    weights = np.random.default_rng(0).standard_normal((5, 784))
    weights[0, 0] = 1000.0  # one extreme weight does not wash out the others
    fig, limit = plots.plot_weight_images(weights, ncols=3)
    assert len(fig.axes) == 7 and not fig.axes[5].axison  # six panels and the colour bar
    assert 2 < limit < 3 and fig.axes[0].images[0].get_cmap().name == "RdBu_r"
