"""One plotting style for the whole course, and the figures the notebooks share.

Every function takes an optional ``ax`` (or ``axes``) to draw into and returns
what it drew on, so figures can be composed and tested headless.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

#: Colours used for the training and test sets in every figure of the course.
TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#ff7f0e"
WRONG_COLOR = "#d62728"
RIGHT_COLOR = "#2ca02c"


def set_style() -> None:
    """Set the course's figure style (seaborn theme, readable sizes, grey digit images)."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=[TRAIN_COLOR, TEST_COLOR, RIGHT_COLOR,
                                                                   WRONG_COLOR, "#9467bd", "#8c564b"])
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
    """Heatmap of counts: row = true class, column = predicted class (off-diagonal = mistakes).

    Examples
    --------
    >>> ax = plot_confusion_matrix([0, 1, 1], [0, 1, 0], n_classes=2)
    >>> ax.get_xlabel()
    'predicted digit'
    """
    import seaborn as sns

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    sns.heatmap(counts, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax, annot_kws={"fontsize": 8})
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    return ax


def plot_weight_images(weights: np.ndarray, ncols: int = 8, axes: np.ndarray | None = None,
                       title: str | None = None) -> plt.Figure:
    """Show each row of ``weights`` (n, 784) as a 28 x 28 image, blue negative / red positive.

    Examples
    --------
    >>> fig = plot_weight_images(np.ones((4, 784)), ncols=2)
    >>> len(fig.axes)
    4
    """
    weights = np.asarray(weights)
    n = len(weights)
    if axes is None:
        nrows = max(1, -(-n // ncols))
        _, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.1 * nrows + (0.3 if title else 0)),
                               squeeze=False)
    axes = np.asarray(axes).ravel()
    for i, ax in enumerate(axes):
        if i < n:
            lim = float(np.abs(weights[i]).max()) or 1.0
            ax.imshow(_as_image(weights[i]), cmap="coolwarm", vmin=-lim, vmax=lim)
            _digit_axes(ax, None)
        else:
            ax.axis("off")
    fig = axes[0].figure
    if title:
        fig.suptitle(title)
    return fig
