"""Load the course datasets: MNIST (standard and Nielsen layouts) and the small CSV datasets."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .fetch import MNIST_FILES, fetch_mnist, mnist_dir
from .idx import read_idx

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _load_split(folder: Path, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    img_path = folder / f"{prefix}-images-idx3-ubyte.gz"
    lab_path = folder / f"{prefix}-labels-idx1-ubyte.gz"
    images, labels = read_idx(img_path), read_idx(lab_path)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{img_path}: expected uint8 images of shape (n, 28, 28), found {images.dtype} "
                         f"{images.shape}. Delete it and run `python -m helpers.fetch`.")
    if labels.ndim != 1 or labels.dtype != np.uint8 or labels.size and labels.max() > 9:
        raise ValueError(f"{lab_path}: expected uint8 labels 0..9 of shape (n,), found {labels.dtype} "
                         f"{labels.shape}. Delete it and run `python -m helpers.fetch`.")
    if len(images) != len(labels):
        raise ValueError(f"{img_path} holds {len(images)} images but {lab_path} holds {len(labels)} labels; "
                         f"they must match. Delete both and run `python -m helpers.fetch`.")
    return images, labels


def one_hot(labels: np.ndarray, n_classes: int = 10, dtype=np.float32) -> np.ndarray:
    """Return the (n, n_classes) one-hot encoding of integer ``labels``.

    Examples
    --------
    >>> one_hot(np.array([2, 0]), 3)
    array([[0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, found {labels.min()}..{labels.max()}")
    return np.eye(n_classes, dtype=dtype)[labels]


def load_mnist(folder: str | os.PathLike | None = None, *, scale: bool = True, flatten: bool = True,
               one_hot_labels: bool = False, dtype=np.float32, fetch: bool = True):
    """Load MNIST as ``(x_train, y_train, x_test, y_test)``: the standard 60,000 / 10,000 split.

    Parameters
    ----------
    folder : path-like, optional
        Where the four ``.gz`` files are (default ``data/mnist/``).
    scale : bool, default True
        Pixels as ``dtype`` in [0, 1]; if False, the raw ``uint8`` values 0..255.
    flatten : bool, default True
        Images as rows of 784 values; if False, as 28 x 28 arrays.
    one_hot_labels : bool, default False
        Labels as (n, 10) one-hot rows of ``dtype``; if False, ``uint8`` digits.
    dtype : numpy dtype, default float32
        Floating type for scaled pixels and one-hot labels.
    fetch : bool, default True
        Fetch the files first if they are missing (see :mod:`helpers.fetch`).

    Returns
    -------
    x_train : ndarray, shape (60000, 784) or (60000, 28, 28)
    y_train : ndarray, shape (60000,) uint8 or (60000, 10)
    x_test : ndarray, shape (10000, 784) or (10000, 28, 28)
    y_test : ndarray, shape (10000,) uint8 or (10000, 10)

    Examples
    --------
    >>> x_train, y_train, x_test, y_test = load_mnist()  # doctest: +SKIP
    >>> x_train.shape, x_train.dtype, y_train[:5]  # doctest: +SKIP
    ((60000, 784), dtype('float32'), array([5, 0, 4, 1, 9], dtype=uint8))
    """
    folder = Path(folder) if folder is not None else mnist_dir()
    if fetch and not all((folder / f.name).is_file() for f in MNIST_FILES):
        fetch_mnist(folder)
    out = []
    for prefix in ("train", "t10k"):
        images, labels = _load_split(folder, prefix)
        if flatten:
            images = images.reshape(len(images), -1)
        if scale:
            images = images.astype(dtype) / dtype(255)
        out += [images, one_hot(labels, 10, dtype) if one_hot_labels else labels]
    return tuple(out)


def load_mnist_nielsen(folder: str | os.PathLike | None = None, *, fetch: bool = True):
    """Load MNIST in the layout of Nielsen's ``mnist_loader.load_data_wrapper``.

    Returns
    -------
    training_data : list of 50,000 ``(x, y)``
        ``x`` a (784, 1) float32 column in [0, 1], ``y`` a (10, 1) one-hot column.
    validation_data : list of 10,000 ``(x, label)``
        The last 10,000 training images, ``label`` an ``int``.
    test_data : list of 10,000 ``(x, label)``

    Examples
    --------
    >>> training_data, validation_data, test_data = load_mnist_nielsen()  # doctest: +SKIP
    >>> x, y = training_data[0]; x.shape, y.shape  # doctest: +SKIP
    ((784, 1), (10, 1))
    """
    x_train, y_train, x_test, y_test = load_mnist(folder, fetch=fetch)
    cols = lambda x: list(x.reshape(len(x), 784, 1))  # noqa: E731
    eye = np.eye(10, dtype=np.float32)[:, :, None]
    training = [(x, eye[y]) for x, y in zip(cols(x_train[:50_000]), y_train[:50_000])]
    validation = list(zip(cols(x_train[50_000:]), (int(y) for y in y_train[50_000:])))
    test = list(zip(cols(x_test), (int(y) for y in y_test)))
    return training, validation, test


def data_path(name: str) -> Path:
    """Path of a dataset committed under ``data/`` (e.g. ``"data_1d.csv"``), checked to exist.

    Examples
    --------
    >>> data_path("data_1d.csv").name
    'data_1d.csv'
    """
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file. It ships with the repository; restore it with "
                                f"`git checkout -- data/{name}` or regenerate it (see data/README.md).")
    return path


def sample_path(name: str) -> Path:
    """Path of a file in matplotlib's bundled sample data (e.g. ``"grace_hopper.jpg"``, ``"Stocks.csv"``).

    These files are installed with matplotlib, so they work offline.

    Examples
    --------
    >>> sample_path("Stocks.csv").name
    'Stocks.csv'
    """
    import matplotlib.cbook

    path = Path(matplotlib.cbook.get_sample_data(name, asfileobj=False))
    if not path.is_file():
        raise FileNotFoundError(f"{name}: not in matplotlib's sample data ({path.parent}); check the name, or "
                                f"reinstall matplotlib (`pip install --force-reinstall matplotlib`)")
    return path
