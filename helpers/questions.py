"""Concept questions checked at once, and written answers collected for the instructor.

A **concept question** is asked in a notebook's Markdown (a multiple choice, or a number to
give to a stated precision). The learner assigns the answer to a variable, and the cell after
it calls :func:`ask`, which says at once whether it is right and then explains it. An
explanation is shown *after* an answer, never before: each is stored sealed under the answer
it explains (a key only that answer gives), so the self-check data says nothing about which
answer is right until it is given. The grader compares the same answer, in its own process,
with what the solution notebook gives.

A **written answer** is a Markdown cell (cell metadata ``{"course": {"written": id}}``) that the
grader collects, per question, into one review file for the instructor to mark by hand.

Examples
--------
>>> q = Question("03.q1-residuals", "residuals_answer", choices=("a", "b", "c"))
>>> answer_forms(q, " B "), answer_forms(q, "d"), answer_forms(q, None)
(['b'], [], [])
>>> n = Question("03.q2-slope", "slope_answer", decimals=1)
>>> answer_forms(n, 2.04)
['2.0', '2.1', '1.9']
>>> is_right(n, 2.1, 2.0), is_right(n, 2.2, 2.0), is_right(q, "b", "b")
(True, False, True)
>>> unseal(q.id, "b", seal(q.id, "b", "Right: the residuals show a pattern."))
'Right: the residuals show a pattern.'
"""
from __future__ import annotations

import fractions
import hashlib
import importlib
import json
import math
import numbers
import re
from dataclasses import dataclass

import numpy as np

from . import exercises

_QUESTION_ID = re.compile(r"^(\d\d)\.q(\d+)-[a-z0-9-]+$")
_WRITTEN_ID = re.compile(r"^(\d\d)\.w(\d+)-[a-z0-9-]+$")
MAX_ANSWER = 200  # characters of an answer the grader keeps (a choice or a number is a few)


class _Numbered:
    """Where an item with an id ``"NN.xK-name"`` sits."""

    id: str

    @property
    def notebook(self) -> str:
        return self.id[:2]

    @property
    def number(self) -> str:
        return self.id.split("-", 1)[0]


@dataclass(frozen=True)
class Question(_Numbered):
    """A concept question checked at once.

    Parameters
    ----------
    id : str
        ``"NN.qK-name"``: notebook, number within it, short name.
    variable : str
        The name the learner assigns the answer to (the stub leaves it ``...``).
    choices : tuple of str
        The letters of a multiple choice; empty for a number.
    decimals : int
        For a number: the precision the statement asks for. An answer counts when, rounded to
        this many decimals, it is within one unit in the last place of the solution's.
    exact : bool
        For a number that is a count (or anything exact): no neighbour counts, only the value itself.
    points : float
        Weight when grading (docs/points.md: 1 per concept question).
    hint : str
        Shown with a wrong answer that has no explanation of its own: where to look, never the answer.
    """

    id: str
    variable: str
    choices: tuple[str, ...] = ()
    decimals: int = 2
    exact: bool = False
    points: float = 1.0
    hint: str = ""

    def __post_init__(self):
        if not _QUESTION_ID.match(self.id):
            raise ValueError(f"question id {self.id!r} must look like '03.q1-residuals'")
        if isinstance(self.choices, str):
            raise TypeError(f"{self.id}: choices must be a tuple of strings, not one string")

    @property
    def target(self) -> str:
        """The name the grader reads from the learner's namespace (as an exercise's target)."""
        return self.variable

    def expects(self) -> str:
        """What an answer looks like, for messages."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.exact:
            return "a whole number" if self.decimals == 0 else f"a number with at most {self.decimals} decimals"
        return f"a number (rounded to {self.decimals} decimal{'s' if self.decimals != 1 else ''})"


@dataclass(frozen=True)
class Written(_Numbered):
    """A short written answer, marked by the instructor (points entered in the grader's review file)."""

    id: str
    points: float = 1.0

    def __post_init__(self):
        if not _WRITTEN_ID.match(self.id):
            raise ValueError(f"written-answer id {self.id!r} must look like '03.w1-residual-pattern'")


# ---------------------------------------------------------------- the registry
def _module(key: str):
    try:
        return importlib.import_module(f"helpers.exercises.nb{key}")
    except ModuleNotFoundError:
        return None


def _from_spec_files() -> dict[str, dict]:
    """``{notebook: {"QUESTIONS": [...], "WRITTEN": [...], "EXPLANATIONS": {...}}}`` of the loaded spec files."""
    _extra: dict[str, dict] = {}
    for module in exercises.spec_modules():
        _register(module, _extra)
    return _extra


def _register(module, _extra: dict) -> None:
    for name in ("QUESTIONS", "WRITTEN"):
        for item in getattr(module, name, []):
            kept = _extra.setdefault(item.notebook, {}).setdefault(name, [])
            kept[:] = [x for x in kept if x.id != item.id] + [item]
    for qid, texts in getattr(module, "EXPLANATIONS", {}).items():
        _extra.setdefault(qid[:2], {}).setdefault("EXPLANATIONS", {})[qid] = dict(texts)


def _items(key: str, name: str) -> list:
    _extra = _from_spec_files()
    if key in _extra and name in _extra[key]:
        return list(_extra[key][name])
    return list(getattr(_module(key), name, []))


def for_notebook(key: str) -> list[Question]:
    """The concept questions of notebook ``key``, in order (``QUESTIONS`` in ``helpers/exercises/nbNN.py``)."""
    return _items(key, "QUESTIONS")


def written_for_notebook(key: str) -> list[Written]:
    """The written answers of notebook ``key`` (``WRITTEN`` in ``helpers/exercises/nbNN.py``)."""
    return _items(key, "WRITTEN")


def spec_file_explanations(key: str) -> dict:
    """Explanations a spec file brought for notebook ``key`` (the course's own live with the instructor tools)."""
    return dict(_from_spec_files().get(key, {}).get("EXPLANATIONS", {}))


def graded_items(key: str) -> list:
    """Everything of notebook ``key`` that earns points: exercises, concept questions, written answers.

    Each item has an ``id`` and ``points``; the grader's tables and exports list them in this order.
    """
    return [*exercises.for_notebook(key), *for_notebook(key), *written_for_notebook(key)]


def get(question_id: str) -> Question:
    """Look a question up by id; the error lists the notebook's questions."""
    m = _QUESTION_ID.match(str(question_id))
    return exercises.lookup(for_notebook(m.group(1)) if m else [], question_id, "question")


# ---------------------------------------------------------------- answers
def unanswered(value) -> bool:
    """The stub's ``...`` (or ``None``): nothing answered yet."""
    return value is None or value is Ellipsis


def answer_problem(q: Question, value) -> str | None:
    """Why ``value`` is not an answer to ``q`` at all (wrong type, not a choice), or None."""
    if unanswered(value):
        return f"not answered yet — set `{q.variable}` to {q.expects()}"
    if q.choices:
        if not isinstance(value, str):
            return f"`{q.variable}` must be a string, {q.expects()} (got {_kind(value)})"
        if value.strip().lower() not in q.choices:
            shown = value.strip()[:20]
            return f"{shown!r} is not one of the choices: give {q.expects()}"
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"`{q.variable}` must be a number (got {_kind(value)}): give {q.expects()}"
    try:
        finite = math.isfinite(float(value))
    except (OverflowError, ValueError, TypeError):  # an int beyond any float (10**400), a number type's own error
        finite = False
    if not finite:
        return f"`{q.variable}` must be a finite number: give {q.expects()}"
    if q.exact and abs(float(value) - round(float(value), q.decimals)) > 1e-9 * max(1.0, abs(float(value))):
        return f"{float(value)!r} is not exact: give {q.expects()}"  # 19.4 is no count, not even rounded to 19
    return None


def _kind(value) -> str:
    """What ``value`` is, for a message: a kept :class:`~helpers.serialize.Unsupported` says what it stood for."""
    from .serialize import Unsupported

    return value.type_name if isinstance(value, Unsupported) else f"a {type(value).__name__}"


def answer_value(value):
    """A learner's answer reduced to plain data the grader can keep: ``None``, a short string, a number.

    Only the exact built-in (or NumPy scalar) types count, so no method the value defines runs.

    >>> answer_value(" b "), answer_value(...), answer_value(2), answer_value([1]).type_name
    (' b ', None, 2, 'a list')
    """
    from .serialize import Unsupported

    kind = type(value)
    if value is None or value is Ellipsis:
        return None
    if kind is np.str_:  # NumPy's own string (an element of an array of letters): its text, as the self-check reads it
        value, kind = str(value), str
    if kind is str:
        return value if len(value) <= MAX_ANSWER else Unsupported(f"a string of {len(value)} characters")
    if kind is fractions.Fraction:  # exactly the standard library's (a subclass could run code)
        return float(value)
    if kind in (int, float) or (kind.__module__ == "numpy" and isinstance(value, numbers.Real)
                                and not isinstance(value, numbers.Integral)):
        return float(value) if kind is not int else value
    if kind.__module__ == "numpy" and isinstance(value, numbers.Integral):
        return int(value)
    return Unsupported(f"a {kind.__name__}")


def answer_forms(q: Question, value) -> list[str]:
    """The answer as it is compared: ``[]`` when it is none; for a number, itself then its neighbours."""
    if answer_problem(q, value):
        return []
    if q.choices:
        return [value.strip().lower()]
    step = 10.0 ** -q.decimals
    x = round(float(value), q.decimals) + 0.0  # + 0.0: -0.0 becomes 0.0
    return [f"{v:.{q.decimals}f}" for v in ((x,) if q.exact else (x, x + step, x - step))]


def is_right(q: Question, given, expected) -> bool:
    """Whether ``given`` answers ``q`` as the solution's ``expected`` does (the grader's comparison)."""
    key = answer_forms(q, expected)
    return bool(key) and key[0] in answer_forms(q, given)


# ---------------------------------------------------------------- sealed explanations
def digest(question_id: str, form: str) -> str:
    """What the self-check data keeps of an answer: a one-way digest, never the answer."""
    return hashlib.sha256(f"answer\0{question_id}\0{form}".encode()).hexdigest()


def _stream(question_id: str, form: str, n: int) -> bytes:
    key = hashlib.sha256(f"explain\0{question_id}\0{form}".encode()).digest()
    blocks = (hashlib.sha256(key + i.to_bytes(4, "big")).digest() for i in range(n // 32 + 1))
    return b"".join(blocks)[:n]


def seal(question_id: str, form: str, text: str) -> bytes:
    """``text`` readable only with the answer ``form``."""
    data = text.encode("utf-8")
    return bytes(a ^ b for a, b in zip(data, _stream(question_id, form, len(data))))


def unseal(question_id: str, form: str, blob) -> str:
    """The text :func:`seal` sealed under ``form`` (``blob``: bytes, or their hex as the check data keeps them)."""
    data = bytes.fromhex(blob) if isinstance(blob, str) else bytes(blob)
    return bytes(a ^ b for a, b in zip(data, _stream(question_id, form, len(data)))).decode("utf-8", "replace")


def pack(entries: dict) -> np.ndarray:
    """The questions' self-check data as one byte array (one member of the check data, not many small ones)."""
    return np.frombuffer(json.dumps(entries, sort_keys=True).encode("ascii"), dtype=np.uint8).copy()


def unpack(packed) -> dict:
    """What :func:`pack` packed (``{}`` for nothing)."""
    return json.loads(bytes(packed.tobytes()).decode("ascii")) if packed is not None and len(packed) else {}


def sealed_entry(q: Question, answer, explanations: dict[str, str]) -> dict:
    """The self-check data of ``q``: the digest of the solution's ``answer`` and each explanation sealed.

    ``explanations`` maps an answer (a choice, a number as text, or ``"right"`` for the
    solution's number) to what the learner reads after giving it.
    """
    right = answer_forms(q, answer)
    if not right:
        raise ValueError(f"{q.id}: the solution's answer {answer!r} is not {q.expects()}")
    sealed = {}
    for given, text in explanations.items():
        form = right[0] if given == "right" else (answer_forms(q, given if q.choices else float(given)) or [None])[0]
        if form is None:
            raise ValueError(f"{q.id}: the explanation for {given!r} is for no possible answer ({q.expects()})")
        sealed[digest(q.id, form)] = seal(q.id, form, text).hex()
    if digest(q.id, right[0]) not in sealed:
        raise ValueError(f"{q.id}: no explanation for the right answer (key {'right' if not q.choices else right[0]!r})")
    return {"right": digest(q.id, right[0]), "sealed": sealed}
