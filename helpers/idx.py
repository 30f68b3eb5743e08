"""Read and write IDX files, the simple binary format MNIST is distributed in.

An IDX file is a 4-byte magic number, one big-endian ``uint32`` per dimension and
then the values, row-major and big-endian. The magic number is two zero bytes, a
type code (see :data:`IDX_DTYPES`) and the number of dimensions.
"""
from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np

#: IDX type code -> big-endian NumPy dtype.
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_REMEDY = "Delete the file and run `python -m helpers.fetch` to fetch a verified copy."


class IDXFormatError(ValueError):
    """Raised when a file is not a valid IDX file."""


def _read_bytes(path: Path) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as e:  # bad gzip stream, truncated gzip, ...
        raise IDXFormatError(
            f"{path}: cannot be read as {'gzip' if opener is gzip.open else 'a raw file'} ({e}). {_REMEDY}"
        ) from e


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse the bytes of an (uncompressed) IDX file into an array.

    Parameters
    ----------
    data : bytes
        The whole file content.
    name : str
        Used in error messages.

    Returns
    -------
    numpy.ndarray
        Native-endian array with the shape given by the header (read-only view
        into ``data`` for one-byte types).
    """
    if len(data) < 4:
        raise IDXFormatError(f"{name}: expected at least a 4-byte IDX header, found {len(data)} bytes. {_REMEDY}")
    zero, code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00" or code not in IDX_DTYPES:
        raise IDXFormatError(
            f"{name}: bad magic number 0x{data[:4].hex()}; expected 0x0000 followed by a type code in "
            f"{{{', '.join(f'0x{c:02X}' for c in IDX_DTYPES)}}} and the number of dimensions. "
            f"This is not an IDX file. {_REMEDY}"
        )
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IDXFormatError(
            f"{name}: header says {ndim} dimensions ({header_len} header bytes) but the file has only "
            f"{len(data)} bytes. {_REMEDY}"
        )
    shape = struct.unpack(">" + "I" * ndim, data[4:header_len])  # big-endian unsigned 32-bit sizes
    dtype = IDX_DTYPES[code]
    expected = header_len + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        problem = "truncated" if expected > len(data) else "trailing data"
        raise IDXFormatError(
            f"{name}: header declares shape {shape} of {dtype.name} ({expected} bytes in all) but the file "
            f"has {len(data)} bytes ({problem}). {_REMEDY}"
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header_len).reshape(shape)
    return arr if dtype.itemsize == 1 else arr.astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file, gzipped (``.gz``) or raw, of any type code and dimension.

    Parameters
    ----------
    path : str or path-like
        File to read; a name ending in ``.gz`` is decompressed.

    Returns
    -------
    numpy.ndarray
        Array with the dtype and shape the header declares.

    Raises
    ------
    FileNotFoundError
        If the file does not exist (the message says how to fetch it).
    IDXFormatError
        If the magic number is wrong or the size does not match the header.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.idx")
    >>> write_idx(path, np.arange(6).astype(np.uint8).reshape(2, 3))
    >>> read_idx(path)
    array([[0, 1, 2],
           [3, 4, 5]], dtype=uint8)
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file. Run `python -m helpers.fetch` to fetch MNIST into data/mnist/.")
    return parse_idx(_read_bytes(path), str(path))


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode ``array`` as the bytes of an IDX file."""
    array = np.asarray(array)
    for code, dtype in IDX_DTYPES.items():
        if dtype.kind == array.dtype.kind and dtype.itemsize == array.dtype.itemsize:
            header = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
            return header + np.ascontiguousarray(array, dtype=dtype).tobytes()
    raise TypeError(f"IDX cannot store dtype {array.dtype}; use one of {[d.name for d in IDX_DTYPES.values()]}.")


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write ``array`` as an IDX file (gzipped, reproducibly, if the name ends in ``.gz``)."""
    path = Path(path)
    data = idx_bytes(array)
    if path.suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as f:
            f.write(data)
    else:
        path.write_bytes(data)
