"""What a learner's code returned, reduced to plain data that can be checked, saved and compared.

A learner's function can return anything: a generator, an object whose ``==`` lies or whose
``__repr__`` raises, a zero-stride view claiming terabytes, a subclass of ``float``. The
self-check and the grader only ever compare the copy :func:`plain` makes, built from the
value's type (never from methods the value itself defines): numbers, strings, bytes,
``None``, arrays and masked arrays (copied), lists, tuples and dicts of those. Anything else
becomes an :class:`~helpers.serialize.Unsupported` that says what it was, e.g. ``"a generator"``
or ``"an array too large to check (shape (1000000, 1000000) float64, 7.3 TiB)"``.

>>> plain((np.float32(1.5), [1, 2]))
(np.float32(1.5), [1, 2])
>>> plain(x for x in range(3)).type_name
'a generator'
>>> plain(np.broadcast_to(1.0, (10 ** 6, 10 ** 6))).type_name
'an array too large to check (shape (1000000, 1000000) float64, 7.3 TiB)'

"""
from __future__ import annotations

import types
from typing import Any

import numpy as np

from .compare import MAX_ARRAY_BYTES
from .serialize import Unsupported

MAX_ITEMS = 10 ** 6  # list/tuple/dict items in all
MAX_DEPTH = 32
MAX_INT_BITS = 4096
_UNITS = ((2 ** 40, "TiB"), (2 ** 30, "GiB"), (2 ** 20, "MiB"))


class _Budget:
    def __init__(self):
        self.bytes, self.items = MAX_ARRAY_BYTES, MAX_ITEMS


def plain(value: Any) -> Any:
    """A checkable copy of ``value`` (see the module docstring); never raises, never copies much."""
    try:
        return _plain(value, _Budget(), 0)
    except RecursionError:
        return Unsupported("a structure nested too deeply to check")
    except Exception as e:  # whatever a strange value does, it is reported, not raised
        return Unsupported(f"a {_type_name(value)} that could not be read ({type(e).__name__})")


def _type_name(value: Any) -> str:
    try:
        return type(value).__name__
    except Exception:
        return "value"


def _size(nbytes: int) -> str:
    for unit, name in _UNITS:
        if nbytes >= unit:
            return f"{nbytes / unit:.2g} {name}"
    return f"{nbytes} bytes"


def _plain(value: Any, budget: _Budget, depth: int) -> Any:
    kind = type(value)
    if value is None or kind in (bool, str, bytes, float):
        return value
    if kind is int:
        return value if value.bit_length() <= MAX_INT_BITS else Unsupported(
            f"an integer too large to check ({value.bit_length()} bits)")
    if kind is complex:
        return np.complex128(value)
    if issubclass(kind, np.ndarray):
        return _array(value, budget)
    if issubclass(kind, np.generic):
        return _scalar(value)
    if issubclass(kind, (bool, int, float, complex, str, bytes)):  # a subclass: its base value
        base = next(b for b in (bool, int, float, complex, str, bytes) if issubclass(kind, b))
        return _plain(base(value) if base in (complex, bytes) else getattr(base, f"__{base.__name__}__")(value),
                      budget, depth)
    if depth >= MAX_DEPTH and issubclass(kind, (list, tuple, dict)):
        return Unsupported(f"a {kind.__name__} nested too deeply to check")
    if issubclass(kind, (list, tuple)):
        n = list.__len__(value) if issubclass(kind, list) else tuple.__len__(value)
        budget.items -= n
        if budget.items < 0:
            return Unsupported(f"a {kind.__name__} too long to check ({n} items)")
        out = [_plain(v, budget, depth + 1)
               for v in (list.__iter__(value) if issubclass(kind, list) else tuple.__iter__(value))]
        return out if issubclass(kind, list) else tuple(out)
    if issubclass(kind, dict):
        budget.items -= dict.__len__(value)
        if budget.items < 0:
            return Unsupported(f"a dict too large to check ({dict.__len__(value)} entries)")
        items = list(dict.items(value))
        if not all(type(k) is str for k, _ in items):
            return Unsupported("a dict whose keys are not all strings")
        return {k: _plain(v, budget, depth + 1) for k, v in items}
    if issubclass(kind, (types.GeneratorType, types.AsyncGeneratorType)):
        return Unsupported("a generator")
    if issubclass(kind, BaseException):
        return Unsupported(f"a {kind.__name__} object (returned, not raised)")
    if issubclass(kind, (set, frozenset)):
        return Unsupported(f"a {kind.__name__}")
    if issubclass(kind, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return Unsupported("a function (call it and return its result?)")
    if issubclass(kind, types.ModuleType):
        return Unsupported("a module")
    if issubclass(kind, type):
        return Unsupported(f"the class {value.__name__!s:.40} itself")
    return Unsupported(f"a {kind.__name__} object")


def _array(value: np.ndarray, budget: _Budget) -> Any:
    size = np.ndarray.size.__get__(value)
    dtype = np.ndarray.dtype.__get__(value)
    shape = np.ndarray.shape.__get__(value)
    masked = isinstance(value, np.ma.MaskedArray)
    nbytes = size * (dtype.itemsize + masked)
    if nbytes > budget.bytes:
        return Unsupported(f"an array too large to check (shape {shape} {dtype}, {_size(nbytes)})")
    budget.bytes -= nbytes
    if dtype.kind not in "biufcU":
        return Unsupported(f"an array of dtype {dtype} (mixed types, or None inside?)"
                           if dtype.kind == "O" else f"an array of dtype {dtype}")
    if masked:
        data = np.array(np.ma.getdata(value), copy=True, subok=False)
        mask = np.array(np.ma.getmaskarray(value), copy=True, subok=False)
        return np.ma.MaskedArray(data, mask=mask)
    return np.array(value, copy=True, subok=False)


def _scalar(value: np.generic) -> Any:
    dtype = value.dtype
    if dtype.kind not in "biufcU":
        return Unsupported(f"a numpy {type(value).__name__} value")
    return np.array(value, subok=False)[()]
