"""Describing a value in one short line for a verdict: type, shape, dtype and a few values.

Never fails and never copies much, whatever the value (see :mod:`helpers.snapshot` for how a
learner's return value is reduced to plain data first).

>>> describe(np.arange(10) / 4)
'shape (10,) float64 [0, 0.25, 0.5, 0.75, 1, 1.25, ...]'
>>> describe((1, [2.0, 3.0]))
'tuple of 2: (1, list of 2: (2, 3))'
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .serialize import RaisedError, Unsupported

#: Arrays larger than this are never copied or compared element by element (a zero-stride view can
#: claim terabytes); run_case reduces them to an Unsupported value first.
MAX_ARRAY_BYTES = 64 * 2 ** 20


def describe(value: Any, n: int = 6) -> str:
    """A short description: type, shape, dtype and a few values; never fails, never copies much."""
    try:
        return _describe(value, n)
    except Exception:  # a description must never break a verdict
        return f"a {type(value).__name__}"


def _number(x: Any) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.4g}"
    if isinstance(x, (complex, np.complexfloating)):
        return f"{complex(x):.4g}"
    return repr(x)[:20]


def _head(value: np.ndarray, n: int) -> str:
    items = ", ".join(_number(x) for x in value.flat[:n].tolist())
    return f"[{items}{', ...' if value.size > n else ''}]"


def _describe(value: Any, n: int) -> str:
    if isinstance(value, RaisedError):
        return f"raised {value.name}: {value.message}"
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, np.ma.MaskedArray) and value.ndim > 0:
        return describe_masked(value, n)
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.nbytes > MAX_ARRAY_BYTES:
            return f"shape {value.shape} {value.dtype} (too large to show)"
        return f"shape {value.shape} {value.dtype} {_head(value, n)}"
    if isinstance(value, np.ndarray):  # 0-d
        return _describe(value[()], n)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        text = str(int(value)) if abs(int(value)) < 10 ** 30 else f"{float(value):.6g}"
        return f"{text} ({value.dtype})" if isinstance(value, np.integer) and value.dtype != np.int64 else text
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, (complex, np.complexfloating)):
        return f"{complex(value):.6g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_describe(v, 3)}" for k, v in list(value.items())[:8]) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_describe(v, 3) for v in value[:4])
        return f"{type(value).__name__} of {len(value)}: ({inner}{', ...' if len(value) > 4 else ''})"
    if isinstance(value, str):
        return repr(value[:80]) + ("..." if len(value) > 80 else "")
    return f"a {type(value).__name__}"


def describe_masked(value: np.ma.MaskedArray, n: int = 6) -> str:
    if value.nbytes > MAX_ARRAY_BYTES:
        return f"masked array shape {value.shape} {value.dtype} (too large to show)"
    flat = value.flat[:n] if value.ndim else value.reshape(1)
    with np.printoptions(precision=4, suppress=True):
        head = str(np.ma.asarray(flat))
    masked = int(np.ma.getmaskarray(value).sum())
    return (f"masked array shape {value.shape} {value.dtype}, {masked} masked: "
            f"{head[:-1]}{' ...]' if value.size > n else ']'}")


def _kind(value: Any) -> str:
    """What a value is, in a few words, for "expected X, got Y" messages."""
    if value is None:
        return "None"
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, np.ma.MaskedArray):
        return "a masked array"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" if value.ndim else "a number"
    if isinstance(value, (bool, np.bool_)):
        return "a bool"
    if isinstance(value, (int, float, complex, np.number)):
        return "a number"
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"
