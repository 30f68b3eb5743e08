"""Save and load nested values (arrays, numbers, strings, lists, tuples, dicts) without pickle.

Values cross from a student's kernel into the grader's process through these files,
and the students' self-checks read their expected values with them, so this module
lives in ``helpers`` (what notebooks import) rather than in ``helpers.instructor``.
Loading never executes code and never trusts the file: the structure is JSON, the
arrays are ``.npy`` members of a zip read by hand, and every size (the file, each
member's declared and actual size, each array's header, dtype and shape) is checked
against a fixed budget *before* anything is allocated or decompressed.
"""
from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import zipfile
from typing import Any

import numpy as np
from numpy.lib import format as npformat

MAX_BYTES = 64 * 2**20        # a results file, and everything decompressed from it
MAX_MEMBERS = 10_000          # arrays in one file
MAX_DEPTH = 40                # nesting of lists/dicts
# What decoding may build, whatever the bytes: the structure's text (every number written in it becomes a Python
# object) and the values made from it. The course's own recorded data use under 12,000 characters and 1,000 values;
# the limits leave a margin of 250 times and keep a hostile file to tens of MiB instead of hundreds.
MAX_STRUCTURE_CHARS = 3_000_000
MAX_VALUES = 500_000
_STRUCT = "__structure__"
_MEMBER = re.compile(r"(a\d{1,5}|__structure__)\.npy")
_KINDS = "biufcU"             # bool, ints, floats, complex, unicode: never objects, bytes-void or records
_NONFINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


class Unsupported:
    """Stands for a value that cannot be serialized (e.g. a function); only its type name is kept."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __eq__(self, other):
        return isinstance(other, Unsupported) and other.type_name == self.type_name

    def __repr__(self):
        return f"<{self.type_name} object>"


class RaisedError:
    """An exception raised on the other side, reduced to its type name and message."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message

    def __repr__(self):
        return f"{self.name}({self.message!r})"


def _float(x: float) -> Any:
    return x if math.isfinite(x) else {"float": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _array(arr: np.ndarray, arrays: dict, scalar: bool) -> Any:
    if arr.dtype.kind not in _KINDS or arr.dtype.fields is not None or arr.dtype.subdtype is not None:
        return {"unsupported": f"ndarray of dtype {arr.dtype}"}
    if arr.nbytes > MAX_BYTES:  # e.g. a zero-stride broadcast view that looks small in memory
        return {"unsupported": f"array of shape {arr.shape} ({arr.nbytes} bytes, more than {MAX_BYTES})"}
    key = f"a{len(arrays)}"
    arrays[key] = arr
    return {"array": key, "scalar": scalar}


def _encode(obj: Any, arrays: dict, depth: int = 0) -> Any:
    """One value as JSON-able structure; never raises (whatever cannot be stored becomes Unsupported)."""
    try:
        if depth > MAX_DEPTH:
            return {"unsupported": "value nested too deeply"}
        if len(arrays) >= MAX_MEMBERS:
            return {"unsupported": "too many arrays"}
        if obj is None or type(obj) in (bool, str):
            return obj
        if isinstance(obj, np.generic):  # before float: np.float64 is a float subclass
            return _array(np.asarray(obj), arrays, True)
        if isinstance(obj, bool):
            return bool(obj)
        if isinstance(obj, int):
            return {"int": str(int(obj))}
        if isinstance(obj, float):
            return _float(float(obj))
        if isinstance(obj, str):
            return str.__str__(obj)
        if isinstance(obj, bytes):
            return {"bytes": _array(np.frombuffer(bytes(obj), dtype=np.uint8), arrays, False)["array"]}
        if isinstance(obj, np.ma.MaskedArray):
            return {"masked": _encode(np.asarray(obj.data), arrays, depth + 1),
                    "mask": _encode(np.ma.getmaskarray(obj), arrays, depth + 1)}
        if isinstance(obj, np.ndarray):
            return _array(obj, arrays, False)
        if isinstance(obj, (list, tuple)):
            return {"list" if isinstance(obj, list) else "tuple": [_encode(v, arrays, depth + 1) for v in obj]}
        if isinstance(obj, dict):
            if not all(type(k) is str for k in obj):
                return {"unsupported": "dict with non-string keys"}
            return {"dict": {k: _encode(v, arrays, depth + 1) for k, v in obj.items()}}
        if isinstance(obj, BaseException):
            return {"error": type(obj).__name__, "message": str(obj)[:500]}
        if isinstance(obj, RaisedError):
            return {"error": str(obj.name), "message": str(obj.message)[:500]}
        if isinstance(obj, Unsupported):
            return {"unsupported": str(obj.type_name)}
        return {"unsupported": type(obj).__name__}
    except Exception as e:  # a hostile __str__, __len__, __array__ ...: the value is just not storable
        return {"unsupported": f"{type(obj).__name__} that could not be stored ({type(e).__name__})"}


def _decode(node: Any, arrays: dict, depth: int = 0, made: list | None = None) -> Any:
    if depth > MAX_DEPTH + 2:
        raise ValueError("structure nested too deeply")
    made = [0] if made is None else made
    made[0] += 1
    if made[0] > MAX_VALUES:
        raise ValueError(f"the results hold more than {MAX_VALUES} values")
    if node is None or isinstance(node, (bool, str)):
        return node
    if isinstance(node, (int, float)):
        return float(node)
    if not isinstance(node, dict) or len(node) == 0:
        raise ValueError(f"malformed value {node!r:.80}")
    if "int" in node:
        return int(_str(node["int"]))
    if "float" in node:
        if node["float"] not in _NONFINITE:
            raise ValueError(f"malformed float {node['float']!r:.40}")
        return _NONFINITE[node["float"]]
    if "array" in node:
        arr = arrays[_str(node["array"])]
        return arr[()] if node.get("scalar") is True and arr.ndim == 0 else arr
    if "bytes" in node:
        arr = arrays[_str(node["bytes"])]
        if arr.dtype != np.uint8 or arr.ndim != 1:
            raise ValueError("malformed bytes")
        return arr.tobytes()
    if "masked" in node:
        data = _decode(node["masked"], arrays, depth + 1, made)
        mask = _decode(node.get("mask"), arrays, depth + 1, made)
        if not (isinstance(data, np.ndarray) and isinstance(mask, np.ndarray) and data.shape == mask.shape):
            raise ValueError("malformed masked array")
        return np.ma.masked_array(data, mask=mask.astype(bool))
    if "list" in node:
        return [_decode(v, arrays, depth + 1, made) for v in _list(node["list"])]
    if "tuple" in node:
        return tuple(_decode(v, arrays, depth + 1, made) for v in _list(node["tuple"]))
    if "dict" in node:
        if not isinstance(node["dict"], dict):
            raise ValueError("malformed dict")
        return {str(k): _decode(v, arrays, depth + 1, made) for k, v in node["dict"].items()}
    if "error" in node:
        return RaisedError(_str(node["error"])[:200], _str(node.get("message", ""))[:500])
    if "unsupported" in node:
        return Unsupported(_str(node["unsupported"])[:200])
    raise ValueError(f"malformed value {node!r:.80}")


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise ValueError(f"expected a string, got {type(x).__name__}")
    return x


def _list(x: Any) -> list:
    if not isinstance(x, list):
        raise ValueError(f"expected a list, got {type(x).__name__}")
    return x


def dumps(obj: Any) -> bytes:
    """``obj`` as the bytes of an ``.npz`` file (see :func:`loads`)."""
    arrays: dict = {}
    structure = json.dumps(_encode(obj, arrays), allow_nan=False)
    buffer = io.BytesIO()
    np.savez(buffer, **{_STRUCT: np.array(structure)}, **arrays)
    return buffer.getvalue()


def save(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` to ``path`` (an ``.npz`` file), atomically."""
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as f:
        f.write(dumps(obj))
    os.replace(tmp, path)


def _read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> np.ndarray:
    with z.open(info) as f:
        version = npformat.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = npformat.read_array_header_1_0(f, max_header_size=10_000)
        elif version == (2, 0):
            shape, fortran, dtype = npformat.read_array_header_2_0(f, max_header_size=10_000)
        else:
            raise ValueError(f"unsupported .npy version {version}")
        if dtype.hasobject or dtype.kind not in _KINDS or dtype.fields is not None or dtype.subdtype is not None:
            raise ValueError(f"{info.filename}: dtype {dtype} is not allowed")
        if len(shape) > 32 or not all(isinstance(n, int) and n >= 0 for n in shape):
            raise ValueError(f"{info.filename}: bad shape {shape!r:.80}")
        nbytes = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
        if info.filename == _STRUCT + ".npy" and (dtype.kind != "U" or nbytes > 4 * MAX_STRUCTURE_CHARS):
            raise ValueError(f"the structure of the results declares {nbytes} bytes, more than the limit of "
                             f"{MAX_STRUCTURE_CHARS} characters")
        if nbytes > budget:
            raise ValueError(f"{info.filename}: declares {nbytes} bytes, over the limit of {MAX_BYTES}")
        data = bytearray(nbytes)
        view, got = memoryview(data), 0
        while got < nbytes:  # decompress no more than the header announced
            n = f.readinto(view[got:])
            if not n:
                raise ValueError(f"{info.filename}: truncated data")
            got += n
    arr = np.frombuffer(data, dtype=dtype)
    return arr.reshape(shape[::-1]).T if fortran else arr.reshape(shape)


def loads(blob: bytes) -> Any:
    """Read what :func:`dumps` wrote. Never unpickles; raises ``ValueError`` on anything malformed or too big."""
    if len(blob) > MAX_BYTES:
        raise ValueError(f"results of {len(blob)} bytes, more than the limit of {MAX_BYTES}")
    try:
        z = zipfile.ZipFile(io.BytesIO(blob))
        infos = z.infolist()
        if not 0 < len(infos) <= MAX_MEMBERS + 1:
            raise ValueError(f"{len(infos)} members")
        declared = 0
        for info in infos:
            if not _MEMBER.fullmatch(info.filename) or info.compress_type not in (zipfile.ZIP_STORED,
                                                                                   zipfile.ZIP_DEFLATED):
                raise ValueError(f"unexpected member {info.filename!r:.60}")
            declared += info.file_size
        if declared > MAX_BYTES:
            raise ValueError(f"members declare {declared} bytes, more than the limit of {MAX_BYTES}")
        arrays, budget = {}, MAX_BYTES
        for info in infos:
            name = info.filename[:-4]
            if name in arrays:
                raise ValueError(f"duplicate member {name}")
            arrays[name] = _read_member(z, info, budget)
            budget -= arrays[name].nbytes
        structure = arrays.pop(_STRUCT, None)
        if structure is None or structure.dtype.kind != "U" or structure.ndim != 0:
            raise ValueError(f"no {_STRUCT} entry")
        return _decode(json.loads(str(structure)), arrays)
    except ValueError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, TypeError, IndexError,
            RecursionError, NotImplementedError, OverflowError, SyntaxError, RuntimeError) as e:
        raise ValueError(f"malformed results ({type(e).__name__}: {str(e)[:200]})") from e


def read_capped(path: str | os.PathLike, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, refusing symlinks, devices, FIFOs and anything over ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ValueError(f"{os.fspath(path)}: cannot open ({e.strerror or e})") from e
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{os.fspath(path)}: not a regular file")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{os.fspath(path)}: more than {limit} bytes")
    return data


def load(path: str | os.PathLike) -> Any:
    """Read what :func:`save` wrote (see :func:`loads`); raises ``ValueError`` on a malformed file."""
    return loads(read_capped(path))
