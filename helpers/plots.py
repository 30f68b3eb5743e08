"""One plotting style for the whole course, and the figures the notebooks share.

Every function takes an optional ``ax`` (or ``axes``) to draw into and returns
what it drew on, so figures can be composed and tested headless.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

#: Colours used for the training and test sets in every figure of the course.
# seaborn's "colorblind" palette (after Okabe and Ito): every pair stays apart with any colour vision,
# so right and wrong are bluish green and vermillion, never a red/green pair
TRAIN_COLOR = "#0173B2"
TEST_COLOR = "#DE8F05"
WRONG_COLOR = "#D55E00"
RIGHT_COLOR = "#029E73"


def set_style() -> None:
    """Set the course's figure style (seaborn theme, readable sizes, grey digit images)."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    plt.rcParams.update({
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 80,
        "axes.titlesize": "medium",
        "image.cmap": "gray_r",
        "figure.constrained_layout.use": True,  # titles and suptitles never overlap
    })


def _as_image(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.size != 784:
        raise ValueError(f"a digit must have 784 pixels (28 x 28, 784 or (784, 1)), got shape {image.shape}")
    return image.reshape(28, 28)


def _digit_axes(ax: plt.Axes, title: str | None, color: str = "black") -> plt.Axes:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if title is not None:
        ax.set_title(title, color=color, fontsize="small")
    return ax


def plot_digit(image: np.ndarray, label: int | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Show one digit (784 values or 28 x 28) in grey, with its label as the title.

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_digit(np.zeros(784), label=7)
    >>> ax.get_title()
    'label 7'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2, 2.2))
    ax.imshow(_as_image(image), cmap="gray_r", vmin=0, vmax=float(max(1, np.max(image))))
    return _digit_axes(ax, None if label is None else f"label {label}")


def plot_digits(images: np.ndarray, labels: Sequence[int] | None = None, predictions: Sequence[int] | None = None,
                ncols: int = 10, axes: np.ndarray | None = None, title: str | None = None) -> plt.Figure:
    """Show a grid of digits with their true labels and, optionally, predictions.

    A digit whose prediction differs from its label gets a red title
    ``"true 3 / pred 5"``; correct ones a green ``"3"``.

    Parameters
    ----------
    images : array of shape (n, 784) or (n, 28, 28)
    labels, predictions : sequences of n ints, optional
    ncols : int
        Digits per row.
    axes : array of Axes, optional
        At least n axes to draw into; a new figure is made if omitted.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_digits(np.zeros((3, 784)), labels=[1, 2, 3], predictions=[1, 2, 5])
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['1', '2', 'true 3 / pred 5']
    """
    images = np.asarray(images)
    n = len(images)
    if labels is not None and len(labels) != n or predictions is not None and len(predictions) != n:
        raise ValueError(f"got {n} images but {len(labels) if labels is not None else '-'} labels and "
                         f"{len(predictions) if predictions is not None else '-'} predictions; they must match")
    if axes is None:
        nrows = max(1, -(-n // ncols))
        fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.25 * nrows + (0.3 if title else 0)),
                                 squeeze=False)
    axes = np.asarray(axes).ravel()
    if len(axes) < n:
        raise ValueError(f"need {n} axes for {n} images, got {len(axes)}")
    fig = axes[0].figure
    for i, ax in enumerate(axes):
        if i >= n:
            ax.axis("off")
            continue
        ax.imshow(_as_image(images[i]), cmap="gray_r")
        text, color = None, "black"
        if labels is not None:
            text = f"{labels[i]}"
            if predictions is not None:
                wrong = predictions[i] != labels[i]
                text = f"true {labels[i]} / pred {predictions[i]}" if wrong else text
                color = WRONG_COLOR if wrong else RIGHT_COLOR
        _digit_axes(ax, text, color)
    if title:
        fig.suptitle(title)
    return fig


def plot_learning_curves(history: dict, axes: Sequence[plt.Axes] | None = None,
                         title: str | None = None) -> plt.Figure:
    """Plot loss and accuracy per epoch for training and test data side by side.

    ``history`` maps any of ``train_loss``, ``test_loss``, ``train_acc``,
    ``test_acc`` to a list with one value per epoch.

    Examples
    --------
    >>> fig = plot_learning_curves({"train_loss": [1.0, 0.5], "test_acc": [0.8, 0.9]})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss', 'accuracy']
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, kind, label in zip(axes, ("loss", "acc"), ("loss", "accuracy")):
        for split, color in (("train", TRAIN_COLOR), ("test", TEST_COLOR)):
            values = history.get(f"{split}_{kind}")
            if values is not None and len(values):
                ax.plot(np.arange(1, len(values) + 1), values, "o-", color=color, label=split, markersize=3)
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.legend()
    fig = axes[0].figure
    if title:
        fig.suptitle(title)
    return fig


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int = 10,
                          ax: plt.Axes | None = None) -> plt.Axes:
    """Counts of (true, predicted) pairs, coloured so that the mistakes stand out.

    Every cell shows its count. The colour of an off-diagonal cell is the share of the true
    class's images that went to that wrong class (per cent of the row), so that errors are
    visible next to the far larger diagonal; the diagonal (correct answers) is plain grey.

    Examples
    --------
    >>> ax = plot_confusion_matrix([0, 1, 1], [0, 1, 0], n_classes=2)
    >>> ax.get_xlabel(), [t.get_text() for t in ax.texts]
    ('predicted digit', ['1', '0', '1', '1'])
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    per_row = 100 * counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    off_diagonal = np.ma.masked_array(per_row, mask=np.eye(n_classes, dtype=bool))
    ax.imshow(np.eye(n_classes), cmap="Greys", vmin=0, vmax=4)  # light grey diagonal underneath
    image = ax.imshow(off_diagonal, cmap="Reds", vmin=0, vmax=max(float(off_diagonal.max() or 0), 1e-9))
    ax.figure.colorbar(image, ax=ax, label="mistakes: % of the true digit's images", shrink=0.8)
    strong = 0.6 * float(off_diagonal.max() or 0)
    for (i, j), count in np.ndenumerate(counts):
        dark = i != j and per_row[i, j] > strong > 0
        ax.text(j, i, str(count), ha="center", va="center", fontsize=8, color="white" if dark else "black")
    ax.set_xticks(range(n_classes))
    ax.set_yticks(range(n_classes))
    ax.grid(False)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    return ax


def plot_weight_images(weights: np.ndarray, ncols: int = 8, title: str | None = None,
                       clip_percentile: float = 99.0) -> tuple[plt.Figure, float]:
    """Show each row of ``weights`` (n, 784) as a 28 x 28 image on one shared, diverging colour scale.

    Blue is negative, red positive and white 0. The scale runs from -limit to +limit, the limit
    being the ``clip_percentile`` percentile of all absolute weights: a few extreme weights would
    otherwise stretch the scale and wash every image out. Returns the figure and the limit.

    Examples
    --------
    >>> fig, limit = plot_weight_images(np.linspace(-1, 1, 4 * 784).reshape(4, 784), ncols=2)
    >>> len(fig.axes), round(limit, 2)
    (5, 0.99)
    """
    weights = np.asarray(weights)
    n = len(weights)
    nrows = max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.2 * ncols + 1, 1.2 * nrows + (0.3 if title else 0)),
                             squeeze=False)
    limit = float(np.percentile(np.abs(weights), clip_percentile)) or 1.0
    image = None
    for i, ax in enumerate(axes.ravel()):
        if i < n:
            image = ax.imshow(_as_image(weights[i]), cmap="RdBu_r", vmin=-limit, vmax=limit)
            _digit_axes(ax, None)
        else:
            ax.axis("off")
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.9, extend="both", label="weight")
    if title:
        fig.suptitle(title)
    return fig, limit
