"""Cells that build on an exercise: one short line, not a traceback, while the exercise is unsolved.

>>> from helpers.prereq import needs
>>> with needs("04.3"):                     # doctest: +SKIP
...     A1 = dense_forward(X, W1, b1)
finish Exercise 04.3 first — this cell uses dense_forward

A cell wrapped in ``needs(...)`` runs as usual. If it fails while one of the named
exercises is still unsolved (its function or class still raises ``NotImplementedError``,
or is not defined yet), the error is replaced by that one line; any other error is shown
as usual, so a real bug is never hidden. Whether an exercise is solved is decided afresh
each time, from the definitions the notebook holds now: once the student has run a solved
version, every error of a later cell is shown as it is.
"""
from __future__ import annotations

import sys
import types
from contextlib import AbstractContextManager
from typing import Any

from . import exercises

def is_stub(obj: Any, depth: int = 0) -> bool:
    """Whether ``obj`` (function, method, class or code) still contains a ``raise NotImplementedError``.

    Examples
    --------
    >>> def todo(x):
    ...     raise NotImplementedError()
    >>> is_stub(todo), is_stub(len), is_stub(lambda x: x + 1)
    (True, False, False)
    """
    if depth > 3:
        return False
    if isinstance(obj, type):
        return any(is_stub(v, depth + 1) for k, v in vars(obj).items()
                   if not (k.startswith("__") and k.endswith("__")) or k == "__init__")
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        return any(is_stub(f, depth + 1) for f in (obj.fget, obj.fset) if f)
    code = getattr(obj, "__code__", obj)
    if not isinstance(code, types.CodeType):
        return False
    return "NotImplementedError" in code.co_names or any(
        is_stub(c, depth + 1) for c in code.co_consts if isinstance(c, types.CodeType))


def _exercise(number: str) -> exercises.Exercise:
    key = str(number).split("-", 1)[0]
    for ex in exercises.for_notebook(key[:2]):
        if ex.number == key:
            return ex
    raise KeyError(f"no exercise {number!r}; give its number as in its title, e.g. '04.3'")


class needs(AbstractContextManager):
    """Run a cell that uses exercises ``numbers``; if it fails while one is unsolved, say which.

    Parameters
    ----------
    *numbers : str
        Exercise numbers as titled in the notebook, e.g. ``"05.2"``.
    """

    def __init__(self, *numbers: str):
        self.exercises = [_exercise(n) for n in numbers]

    def _unsolved(self, namespace: dict) -> list[exercises.Exercise]:
        def unsolved(ex: exercises.Exercise) -> bool:
            if ex.target not in namespace:
                return True
            target = namespace[ex.target]
            if ex.methods and isinstance(target, type):  # a class shared by several exercises
                return any(is_stub(getattr(target, name, None)) for name in ex.methods)
            return is_stub(target)

        return [ex for ex in self.exercises if unsolved(ex)]

    def __enter__(self) -> "needs":
        self._namespace = sys._getframe(1).f_globals
        return self

    def __exit__(self, kind, error, tb) -> bool:
        if not isinstance(error, Exception):  # nothing went wrong, or Stop was pressed (KeyboardInterrupt)
            return False
        unsolved = self._unsolved(self._namespace)
        if isinstance(error, NotImplementedError) and not unsolved:
            unsolved = self.exercises[:1]
        if not unsolved:
            return False  # a real error: show it
        names = ", ".join(dict.fromkeys(ex.target for ex in unsolved))
        numbers = [ex.number for ex in unsolved]
        if len(numbers) == 1:
            which = f"Exercise {numbers[0]}"
        elif len(numbers) <= 3:
            which = f"Exercises {', '.join(numbers[:-1])} and {numbers[-1]}"
        else:
            which = f"Exercises {numbers[0]} to {numbers[-1]} ({len(numbers)} of them)"
        print(f"finish {which} first — this cell uses {names}")
        return True
