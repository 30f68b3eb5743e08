import gzip

import numpy as np
import pytest

from helpers.idx import IDX_DTYPES, IDXFormatError, idx_bytes, parse_idx, read_idx, write_idx


@pytest.mark.parametrize("dtype", [d.newbyteorder("=") for d in IDX_DTYPES.values()])
@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 3, 4), (1, 2, 1, 3)])
@pytest.mark.parametrize("suffix", [".idx", ".idx.gz"])
def test_round_trip_every_type_and_rank(tmp_path, dtype, shape, suffix):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(shape) * 100).astype(dtype)
    path = tmp_path / f"a{suffix}"
    write_idx(path, a)
    b = read_idx(path)
    assert b.dtype == dtype and b.shape == shape
    np.testing.assert_array_equal(a, b)


def test_header_is_big_endian_and_matches_the_spec():
    data = idx_bytes(np.arange(6, dtype=np.int32).reshape(2, 3))
    assert data[:4] == b"\x00\x00\x0c\x02"
    assert data[4:12] == b"\x00\x00\x00\x02\x00\x00\x00\x03"
    assert data[12:16] == b"\x00\x00\x00\x00" and data[16:20] == b"\x00\x00\x00\x01"


def test_truncated_file_names_file_and_sizes(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-10])
    with pytest.raises(IDXFormatError) as e:
        read_idx(path)
    msg = str(e.value)
    assert str(path) in msg and "(3, 28, 28)" in msg and "truncated" in msg and "python -m helpers.fetch" in msg


def test_trailing_bytes_rejected():
    with pytest.raises(IDXFormatError, match="trailing data"):
        parse_idx(idx_bytes(np.zeros(4, np.uint8)) + b"x", "f")


def test_wrong_magic_number(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(b"\x00\x00\x07\x01" + b"\x00" * 20))
    with pytest.raises(IDXFormatError, match=r"bad magic number 0x00000701.*not an IDX file"):
        read_idx(path)
    with pytest.raises(IDXFormatError, match="bad magic number 0x3c68746d"):
        parse_idx(b"<html></html>", "page")


def test_not_gzip_despite_name(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(b"plain bytes")
    with pytest.raises(IDXFormatError, match=r"x.gz: cannot be read as gzip"):
        read_idx(path)


def test_header_shorter_than_declared_dimensions():
    with pytest.raises(IDXFormatError, match="header says 3 dimensions"):
        parse_idx(b"\x00\x00\x08\x03\x00\x00", "f")


def test_missing_file_says_how_to_fetch(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m helpers.fetch"):
        read_idx(tmp_path / "nope.gz")


def test_unsupported_dtype_for_writing(tmp_path):
    with pytest.raises(TypeError, match="IDX cannot store dtype uint16"):
        write_idx(tmp_path / "a", np.zeros(2, np.uint16))
