"""Save and load nested values (arrays, numbers, strings, lists, tuples, dicts) without pickle.

Values cross from a student's kernel into the grader's process through these
files, so loading must never execute code: the structure is JSON and the arrays
are stored in an ``.npz`` read with ``allow_pickle=False``.
"""
from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

_STRUCT = "__structure__"


class Unsupported:
    """Stands for a value that cannot be serialized (e.g. a function); only its type name is kept."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __eq__(self, other):
        return isinstance(other, Unsupported) and other.type_name == self.type_name

    def __repr__(self):
        return f"<{self.type_name} object>"


def _encode(obj: Any, arrays: dict) -> Any:
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int) and not isinstance(obj, bool):
        return {"int": str(obj)}
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"float": repr(float(obj))}  # np.float64(nan) -> "nan"
    if isinstance(obj, bytes):
        key = f"a{len(arrays)}"
        arrays[key] = np.frombuffer(obj, dtype=np.uint8)
        return {"bytes": key}
    if isinstance(obj, np.ma.MaskedArray):
        return {"masked": _encode(np.asarray(obj.data), arrays), "mask": _encode(np.ma.getmaskarray(obj), arrays)}
    if isinstance(obj, (np.ndarray, np.generic)):
        arr = np.asarray(obj)
        if arr.dtype.kind not in "biufcU":
            return {"unsupported": f"ndarray of dtype {arr.dtype}"}
        key = f"a{len(arrays)}"
        arrays[key] = arr
        return {"array": key, "scalar": isinstance(obj, np.generic)}
    if isinstance(obj, (list, tuple)):
        return {"list" if isinstance(obj, list) else "tuple": [_encode(v, arrays) for v in obj]}
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            return {"unsupported": "dict with non-string keys"}
        return {"dict": {k: _encode(v, arrays) for k, v in obj.items()}}
    if isinstance(obj, BaseException):
        return {"error": type(obj).__name__, "message": str(obj)[:500]}
    if isinstance(obj, RaisedError):
        return {"error": obj.name, "message": obj.message[:500]}
    if isinstance(obj, Unsupported):
        return {"unsupported": obj.type_name}
    return {"unsupported": type(obj).__name__}


def _decode(node: Any, arrays) -> Any:
    if node is None or isinstance(node, (bool, str, float)):
        return node
    if not isinstance(node, dict) or len(node) == 0:
        raise ValueError(f"malformed value {node!r:.80}")
    if "int" in node:
        return int(node["int"])
    if "float" in node:
        return float(node["float"])
    if "array" in node:
        arr = arrays[node["array"]]
        return arr[()] if node.get("scalar") else arr
    if "bytes" in node:
        return arrays[node["bytes"]].tobytes()
    if "masked" in node:
        return np.ma.masked_array(_decode(node["masked"], arrays), mask=_decode(node["mask"], arrays))
    if "list" in node:
        return [_decode(v, arrays) for v in node["list"]]
    if "tuple" in node:
        return tuple(_decode(v, arrays) for v in node["tuple"])
    if "dict" in node:
        return {str(k): _decode(v, arrays) for k, v in node["dict"].items()}
    if "error" in node:
        return RaisedError(str(node["error"]), str(node.get("message", "")))
    if "unsupported" in node:
        return Unsupported(str(node["unsupported"]))
    raise ValueError(f"malformed value {node!r:.80}")


class RaisedError:
    """An exception raised on the other side, reduced to its type name and message."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message

    def __repr__(self):
        return f"{self.name}({self.message!r})"


def save(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` to ``path`` (an ``.npz`` file), atomically."""
    arrays: dict = {}
    structure = json.dumps(_encode(obj, arrays))
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as f:
        np.savez(f, **{_STRUCT: np.array(structure)}, **arrays)
    os.replace(tmp, path)


def load(path: str | os.PathLike) -> Any:
    """Read what :func:`save` wrote. Never unpickles; raises ``ValueError`` on a malformed file."""
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError) as e:
        raise ValueError(f"{path}: not a readable results file ({e})") from e
    if _STRUCT not in arrays:
        raise ValueError(f"{path}: no {_STRUCT} entry")
    try:
        return _decode(json.loads(str(arrays.pop(_STRUCT))), arrays)
    except (KeyError, TypeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"{path}: malformed results ({e})") from e
