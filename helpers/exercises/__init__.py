"""The course's exercises: what each one is called, how it is exercised and how its result is compared.

Each notebook ``NN`` has a module ``helpers/exercises/nbNN.py`` defining
``EXERCISES``, a list of :class:`Exercise`. A spec holds only *inputs* and *how to
call* the learner's code; the expected outputs are produced by running the
solution notebooks (``python -m helpers.instructor.build``), never written here.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..constraints import Forbid

#: Seed of the public inputs used by students' self-checks (the grader draws its own).
PUBLIC_SEED = 20261121
_ID = re.compile(r"^(\d\d)\.(\d+)-[a-z0-9-]+$")


def raised_name(fn: Callable[[], Any], family: type[BaseException] | None = None) -> str:
    """Name of the exception ``fn()`` raises, or ``"no error"``: lets a check ask for a ValueError.

    With ``family`` (the exception the statement asks for), any subclass of it counts as it:
    a student's ``class HeaderError(ValueError)`` is a ValueError.

    Examples
    --------
    >>> class HeaderError(ValueError): pass
    >>> def bad(): raise HeaderError("wrong magic number")
    >>> raised_name(bad), raised_name(bad, family=ValueError), raised_name(lambda: 1)
    ('HeaderError', 'ValueError', 'no error')
    >>> import struct
    >>> raised_name(lambda: struct.unpack(">i", b"ab"), family=ValueError)
    'struct.error: unpack requires a buffer of 4 bytes'
    >>> raised_name(lambda: [][1], family=ValueError)
    'IndexError: list index out of range'

    """
    try:
        fn()
    except Exception as e:  # the learner's code may raise anything
        if family is not None and isinstance(e, family):
            return family.__name__
        if family is None:
            return type(e).__name__
        # not what the statement asks for: say what it was, as the verdict of a whole call does
        kind = type(e).__qualname__ if type(e).__module__ == "builtins" else f"{type(e).__module__}.{type(e).__qualname__}"
        message = " ".join(str(e).split())[:200]
        return f"{kind}: {message}" if message else kind
    return "no error"


def call_function(fn: Callable, *args: Any) -> Any:
    """The default way to exercise a target: call it with the case's arguments."""
    return fn(*args)


@dataclass(frozen=True)
class Exercise:
    """One exercise.

    Parameters
    ----------
    id : str
        Stable id ``"NN.k-name"``: notebook, number within it, short name.
    target : str
        Name of the function or class the learner defines in the notebook.
    cases : callable
        ``cases(rng) -> list of tuples``: the arguments of each check case.
    call : callable
        ``call(target, *args) -> result``; default calls ``target(*args)``.
    hints : tuple of str
        Help in tiers, all conceptual (the idea, the shape reasoning, the section to
        re-read) and never the answer's code: tier 1 is shown with a failure, further
        tiers only when asked for (``check(id, f, hints=2)`` or ``hint(id, 2)``). The
        last tier may point to a worked example in the notebook.
    rtol, atol : float
        Tolerances for comparing floating results.
    points : float
        Default weight when grading.
    mutation_ok : bool
        Allow the target to change its arguments in place.
    no_warnings : bool
        Fail a case whose call emits a warning (e.g. overflow in ``np.exp``).
    diagnose : callable, optional
        ``diagnose(expected, got, args) -> str or None``: names a mistake typical of this
        exercise (e.g. "regularised the bias") when a case fails. ``got`` is plain data
        (see :mod:`helpers.snapshot`); the cause it returns is shown to the learner, so it
        must be conceptual and never quote the answer's code.
    check_dtype : bool
        Require the exact dtype of the solution's arrays and numbers (set it where the
        statement fixes a dtype: "expected dtype int64, got float64"). By default an
        integer or bool result equal in value to a float one passes, and vice versa.
    methods : tuple of str, optional
        For a class exercise, the methods the learner writes in it (``("fit", "predict")``):
        a cell that needs the exercise (:func:`helpers.prereq.needs`) counts it unsolved
        while one of them is still a stub. By default any stub in the class counts.
    arg_names : tuple of str, optional
        How the learner knows each argument of a case (e.g. the method's parameter
        names when ``call`` builds an object first), used in "input `X`: ..." lines and
        "changed its input `X` in place". By default a function's own parameter names.
    forbid : helpers.constraints.Forbid, optional
        What the learner's code must not use for this exercise (e.g. a library solver where the
        exercise teaches elimination), checked by reading the code — the function and the
        notebook functions it calls — in the self-check and in the grader. The statement states it.
    item_names : tuple of str, optional
        The statement's words for the items of a returned tuple (``("slope", "intercept")``):
        a verdict says "intercept: expected 1, got 4", not "item 1: ...". For a nested result,
        one tuple per level; a level ``("layer {}",)`` names every position, counted from 1
        (``(("layer {}",), ("dW", "db"))`` says "layer 2 db: ...").

    Notes
    -----
    Exceptions. When the solution raises on a case, the learner's code passes that case
    only by raising an exception of the same class name. Where a statement says "raise
    ValueError" and a subclass (a learner's ``class HeaderError(ValueError)``) must count,
    let ``call`` catch it: return ``raised_name(lambda: fn(bad), family=ValueError)``,
    which turns any member of the family into the string ``"ValueError"`` to compare.
    """

    id: str
    target: str
    cases: Callable[[np.random.Generator], list]
    call: Callable[..., Any] = call_function
    hints: tuple[str, ...] = ()
    rtol: float = 1e-6
    atol: float = 1e-8
    points: float = 1.0
    mutation_ok: bool = False
    no_warnings: bool = False
    diagnose: Callable[..., str | None] | None = None
    check_dtype: bool = False
    arg_names: tuple[str, ...] = ()
    item_names: tuple[str, ...] = ()
    forbid: Forbid | None = None
    methods: tuple[str, ...] = ()
    tags: dict = field(default_factory=dict)

    def __post_init__(self):
        if not _ID.match(self.id):
            raise ValueError(f"exercise id {self.id!r} must look like '04.2-sigmoid'")
        if isinstance(self.hints, str):
            raise TypeError(f"{self.id}: hints must be a tuple of strings (one per tier), not one string")
        for name in ("arg_names", "item_names", "methods"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{self.id}: {name} must be a tuple of strings, not one string")

    @property
    def number(self) -> str:
        """The exercise's number as the notebook titles it, e.g. ``"04.3"``."""
        return self.id.split("-", 1)[0]

    @property
    def notebook(self) -> str:
        return self.id[:2]

    def make_cases(self, seed: int) -> list[tuple]:
        return [tuple(c) for c in self.cases(np.random.default_rng(seed))]


_extra: dict[str, list[Exercise]] = {}
_spec_modules: list = []


def spec_modules() -> list:
    """The spec files loaded so far (``load_spec_file``, ``$COURSE_EXTRA_SPECS``), oldest first."""
    _load_env_specs()
    return list(_spec_modules)


def load_spec_file(path: str | os.PathLike) -> list[Exercise]:
    """Register the ``EXERCISES`` of a Python file (for notebooks outside the course, and for tests)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"_course_specs_{path.stem}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise FileNotFoundError(f"{path}: no such spec file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exercises = list(module.EXERCISES)
    _spec_modules.append(module)  # its concept questions, if any, are read from it (helpers.questions)
    for ex in exercises:
        _extra.setdefault(ex.notebook, [])
        _extra[ex.notebook] = [e for e in _extra[ex.notebook] if e.id != ex.id] + [ex]
    return exercises


def _load_env_specs() -> None:
    for path in filter(None, os.environ.get("COURSE_EXTRA_SPECS", "").split(os.pathsep)):
        if path not in _loaded_env:
            _loaded_env.add(path)
            load_spec_file(path)


_loaded_env: set[str] = set()


def for_notebook(key: str) -> list[Exercise]:
    """All exercises of notebook ``key`` (``"01"`` ... ``"05"``), in order.

    Spec files named in the environment variable ``COURSE_EXTRA_SPECS`` (separated
    by ``os.pathsep``) are loaded first: that is how notebooks outside the course
    get self-checks.
    """
    _load_env_specs()
    if key in _extra:
        return list(_extra[key])
    try:
        module = importlib.import_module(f"{__name__}.nb{key}")
    except ModuleNotFoundError:
        return []
    return list(module.EXERCISES)


def get(exercise_id: str) -> Exercise:
    """Look an exercise up by id; the error lists the valid ids of that notebook."""
    m = _ID.match(str(exercise_id))
    return lookup(for_notebook(m.group(1)) if m else [], exercise_id, "exercise")


def lookup(known: list, wanted: str, what: str):
    """The item of ``known`` whose id is ``wanted``; the KeyError lists the notebook's ids of that kind."""
    for item in known:
        if item.id == wanted:
            return item
    raise KeyError(f"no {what} {wanted!r}; this notebook's {what}s are: "
                   f"{', '.join(i.id for i in known) or '(none)'}")
