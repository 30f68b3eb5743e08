"""What honest work looks like, and the bound on what the grader touches before it knows a submission is honest.

Everything here runs in the grader's own process (no sandbox, no memory limit), so it must be cheap and
bounded whatever the bytes. The limits are set from the course's own notebooks with a wide margin:

==========================  ======================  ===========================
what                        the course (largest)    limit
==========================  ======================  ===========================
notebook file               1.2 MB (solution 01)    32 MiB
``[`` and ``{`` in it       823 (solution 04)       50,000
cells                       73 (notebook 04)        2,000
==========================  ======================  ===========================

A notebook over a limit is not run: its student's status says which limit and why (clear the
outputs and hand it in again). Counting brackets over the raw bytes bounds what parsing the JSON can
build (each list or dict needs one) before anything parses it.

Examples
--------
>>> notebook_problem(b'{"cells": []}') is None
True
>>> print(notebook_problem(b"[" * 60_000))
the notebook holds 60000 lists or objects (the course's notebooks hold under 1,000; the limit is 50000): not run
"""
from __future__ import annotations

import numpy as np

MAX_NOTEBOOK_BYTES = 32 * 2**20
MAX_CONTAINERS = 50_000
MAX_CELLS = 2_000
# an array a student returns may be this many times larger (in elements, or broadcast against the expected one)
# than the expected value before it is judged "far too large" without being compared element by element
MAX_GROWTH = 16
MIN_ELEMENTS = 100_000


def notebook_problem(data: bytes) -> str | None:
    """Why ``data`` (a notebook's bytes) is beyond honest work, or None."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        return (f"the notebook is {len(data) / 2**20:.1f} MiB (the course's notebooks are under 2 MiB; the limit is "
                f"{MAX_NOTEBOOK_BYTES // 2**20} MiB): not run; clear its outputs and hand it in again")
    containers = data.count(b"[") + data.count(b"{")
    if containers > MAX_CONTAINERS:
        return (f"the notebook holds {containers} lists or objects (the course's notebooks hold under 1,000; the "
                f"limit is {MAX_CONTAINERS}): not run")
    cells = data.count(b'"cell_type"')
    if cells > MAX_CELLS:
        return f"the notebook has {cells} cells (the limit is {MAX_CELLS}): not run"
    return None


def _arrays(value, depth: int = 0):
    """The arrays inside a value (lists, tuples, dicts of them), in order."""
    if isinstance(value, np.ndarray):
        yield value
    elif depth < 8 and isinstance(value, (list, tuple)):
        for v in value[:1000]:
            yield from _arrays(v, depth + 1)
    elif depth < 8 and isinstance(value, dict):
        for v in list(value.values())[:1000]:
            yield from _arrays(v, depth + 1)


def oversized(got, expected) -> str | None:
    """Why ``got`` is too large to be compared with ``expected`` at all, or None.

    Comparing and diagnosing may subtract, divide or broadcast the two: an array of the student's
    choosing, or a shape that broadcasts against the expected one (``(n, 1)`` against ``(1, n)``), must
    not make the grader allocate far more than the expected value itself.

    >>> oversized(np.zeros((5000, 1)), np.zeros((1, 5000)))
    'an array of shape (5000, 1) where shape (1, 5000) is expected (not compared further)'
    >>> oversized(np.zeros(3), np.zeros(3)) is None
    True
    """
    exp_arrays = list(_arrays(expected))
    budget = MAX_GROWTH * max(sum(a.size for a in exp_arrays), 1) + MIN_ELEMENTS
    got_arrays = list(_arrays(got))
    for i, g in enumerate(got_arrays):
        e = exp_arrays[i] if i < len(exp_arrays) else None
        size = g.size
        if e is not None and g.shape != e.shape:
            try:
                size = max(size, int(np.prod(np.broadcast_shapes(g.shape, e.shape), dtype=object)))
            except ValueError:
                pass
        if size > budget:
            if e is not None and g.shape != e.shape:
                return f"an array of shape {g.shape} where shape {e.shape} is expected (not compared further)"
            return f"an array of shape {g.shape}, far larger than the expected value (not compared further)"
    return None
