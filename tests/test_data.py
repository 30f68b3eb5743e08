import numpy as np
import pytest

from helpers.data import load_mnist, load_mnist_nielsen, one_hot
from helpers.idx import write_idx

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_standard_split_shapes_dtypes_and_label_counts(mnist_folder):
    x_train, y_train, x_test, y_test = load_mnist(mnist_folder)
    assert x_train.shape == (60000, 784) and x_train.dtype == np.float32
    assert x_test.shape == (10000, 784) and y_test.shape == (10000,) and y_train.dtype == np.uint8
    assert 0.0 == x_train.min() and x_train.max() == 1.0
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # the well-known first labels


def test_raw_unflattened_one_hot_options(mnist_folder):
    x_train, y_train, x_test, y_test = load_mnist(mnist_folder, scale=False, flatten=False, one_hot_labels=True,
                                                  dtype=np.float64)
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8 and x_train.max() == 255
    assert y_train.shape == (60000, 10) and y_train.dtype == np.float64
    assert y_train.sum(axis=0).tolist() == TRAIN_COUNTS and y_test.sum() == 10000


def test_nielsen_layout(mnist_folder):
    training, validation, test = load_mnist_nielsen(mnist_folder)
    assert (len(training), len(validation), len(test)) == (50000, 10000, 10000)
    x, y = training[0]
    assert x.shape == (784, 1) and y.shape == (10, 1) and x.dtype == np.float32 and int(np.argmax(y)) == 5
    xv, label = validation[0]
    assert xv.shape == (784, 1) and isinstance(label, int)
    assert sum(int(np.argmax(y)) == 1 for _, y in training) + sum(lab == 1 for _, lab in validation) == 6742
    assert sum(lab == 7 for _, lab in test) == 1028


def test_one_hot_rejects_out_of_range():
    assert one_hot(np.array([1, 0]), 2).tolist() == [[0, 1], [1, 0]]
    with pytest.raises(ValueError, match=r"labels must lie in 0..9, found 0..10"):
        one_hot(np.array([0, 10]))


def _write_split(folder, n_images, n_labels, prefix):
    write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", np.zeros((n_images, 28, 28), np.uint8))
    write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", np.zeros(n_labels, np.uint8))


def test_images_and_labels_of_different_counts(tmp_path):
    _write_split(tmp_path, 5, 4, "train")
    _write_split(tmp_path, 2, 2, "t10k")
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.gz holds 5 images but .*holds 4 labels"):
        load_mnist(tmp_path, fetch=False)


def test_labels_out_of_range_and_wrong_image_shape(tmp_path):
    _write_split(tmp_path, 2, 2, "train")
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 27), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match=r"t10k-images.*expected uint8 images of shape \(n, 28, 28\)"):
        load_mnist(tmp_path, fetch=False)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 28), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.array([3, 12], np.uint8))
    with pytest.raises(ValueError, match=r"t10k-labels.*expected uint8 labels 0..9"):
        load_mnist(tmp_path, fetch=False)


def test_regression_data_regenerates_identically(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT
    from helpers.data import data_path

    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_regression_data.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for name in ["data_1d.csv", "data_2d.csv"]:
        assert (tmp_path / name).read_bytes() == data_path(name).read_bytes()
    assert np.loadtxt(data_path("data_1d.csv"), delimiter=",").shape == (100, 2)
    assert np.loadtxt(data_path("data_2d.csv"), delimiter=",").shape == (100, 3)


def test_missing_dataset_says_how_to_restore():
    from helpers.data import data_path, sample_path

    with pytest.raises(FileNotFoundError, match="git checkout -- data/nope.csv"):
        data_path("nope.csv")
    with pytest.raises(FileNotFoundError, match="not in matplotlib's sample data"):
        sample_path("nope.csv")
