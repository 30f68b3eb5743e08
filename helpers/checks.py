"""Self-checks: one line after each exercise tells the learner whether the code is right, and why not.

>>> from helpers.checks import check
>>> check("04.1-sigmoid", sigmoid)          # doctest: +SKIP
04.1-sigmoid ✔ all 5 checks passed

The expected values were recorded by running the solution notebooks on the same
public inputs (``python -m helpers.instructor.build``); no answer code lives in helpers/.
The comparison and diagnosis here are also what the grader uses.
"""
from __future__ import annotations

import copy
import inspect
import io
import os
import re
import signal
import types
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import exercises, serialize
from .constraints import violations
from .compare import Problem, compare, describe, describe_masked  # noqa: F401  (part of this module's API)
from .serialize import RaisedError, Unsupported
from .snapshot import plain
from .verdict import show

INPUT_WIDTH = 160  # characters of one input's description in a verdict (a nested input is cut, not dumped)
CHECKDATA_DIR = Path(__file__).resolve().parent / "checkdata"
# seconds one case may take before it counts as an endless loop ($COURSE_CASE_TIME_LIMIT overrides)
CASE_TIME_LIMIT = float(os.environ.get("COURSE_CASE_TIME_LIMIT", 10.0))


# ---------------------------------------------------------------- running a case
class CaseTimeout(BaseException):
    """A case ran past its time limit (a BaseException, so a learner's ``except Exception`` cannot swallow it)."""


@contextmanager
def _time_limit(seconds: float):
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _raise(signum, frame):
        raise CaseTimeout(f"did not finish within {seconds:g} s (an endless loop?)")

    try:
        old = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not in the main thread: run without a limit
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class _Printed(io.TextIOBase):
    """Stands in for stdout/stderr while the learner's code runs: keeps the start, counts the rest."""

    def __init__(self, keep: int = 600):
        self.text, self.total, self.keep = "", 0, keep

    def writable(self) -> bool:
        return True

    def write(self, s) -> int:
        s = str(s)
        self.total += len(s)
        if len(self.text) < self.keep:
            self.text += s[:self.keep - len(self.text)]
        return len(s)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return False


def run_case(ex: exercises.Exercise, target: Any, args: tuple, time_limit: float | None = None) -> dict:
    """Call ``target`` on one case and record what happened; never raises, whatever the code does.

    Returns ``{"out": value or RaisedError, "mutated": [positions of arguments
    changed in place], "warnings": ["Category: message", ...]}``, plus ``"printed"``
    (the start of what the code printed) when it printed something. The value is a
    copy reduced to plain data (:func:`helpers.snapshot.plain`): what cannot be
    checked (a generator, an object, an array too large) becomes an ``Unsupported``
    that says what it was, so it is never blamed as an exception.
    """
    args = copy.deepcopy(tuple(args))
    before = copy.deepcopy(args)
    printed = _Printed()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with redirect_stdout(printed), redirect_stderr(printed), _time_limit(time_limit or CASE_TIME_LIMIT):
                result = plain(ex.call(target, *args))
        except BaseException as e:  # the learner's code may raise anything, even SystemExit
            result = RaisedError(type(e).__name__, _message(e))
    try:
        mutated = [] if ex.mutation_ok else [i for i, (a, b) in enumerate(zip(before, args)) if not _same(a, b)]
    except BaseException:  # an argument the code replaced with something strange
        mutated = list(range(len(args)))
    record = {"out": result, "mutated": mutated,
              "warnings": sorted({_warning(w) for w in caught[:1000]})}
    if printed.total:
        record["printed"] = printed.text + (f" ... ({printed.total} characters in all)"
                                            if printed.total > len(printed.text) else "")
    return record


def _message(e: BaseException) -> str:
    try:
        return str(e)[:300]
    except BaseException:
        return "(its message could not be shown)"


def _warning(w: warnings.WarningMessage) -> str:
    try:
        return f"{w.category.__name__}: {str(w.message)[:200]}"
    except BaseException:
        return "Warning: (its message could not be shown)"


#: After these, the remaining cases are not run: they would only repeat the message (or the wait).
STOP_EARLY = ("NotImplementedError", "CaseTimeout", "KeyboardInterrupt")


def judge(ex: exercises.Exercise, expected: Any, case: dict, args: tuple = (),
          labels: list[str] | None = None) -> Problem | None:
    """Verdict on one case (a :func:`run_case` record): comparison, in-place mutation, warnings.

    ``labels`` names the arguments (see :func:`arg_labels`). Never raises: a malformed
    record is a failed case.
    """
    if not isinstance(case, dict):
        case = {"out": case}
    result, mutated = case.get("out"), case.get("mutated") or []
    problem = compare(expected, result, ex.rtol, ex.atol, check_dtype=ex.check_dtype)
    if problem is not None and ex.item_names:
        problem.cause = name_items(problem.cause, ex.item_names)
    if problem is not None and ex.diagnose is not None and not isinstance(result, (RaisedError, Unsupported)):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                typical = ex.diagnose(expected, result, tuple(args))
        except Exception:  # a diagnosis must never break a check
            typical = None
        if isinstance(typical, str) and typical:
            problem.cause = f"{typical} ({problem.cause})"
    warned = case.get("warnings") or []
    if problem is None and ex.no_warnings and warned:
        problem = Problem(f"right values, but it warned: {warned[0]} — use a numerically stable "
                          f"formula", "no warnings", "; ".join(map(str, warned[:3])))
    if problem is None and mutated:
        names = labels or arg_labels(ex, None, len(args))
        which = ", ".join(str(names[i]) for i in mutated if isinstance(i, int) and 0 <= i < len(names))
        problem = Problem(f"changed its input in place ({which or 'an argument'}); work on a copy or build "
                          f"a new array", "inputs left unchanged", "inputs modified")
    return problem


def name_items(cause: str, names: tuple) -> str:
    """A comparison's cause with the returned tuple's items called by the statement's words.

    ``names`` names a flat tuple's items, or, as a tuple of levels, a nested result's: a level
    with one ``{}`` pattern names every position (counted from 1), otherwise one name per position.

    >>> name_items("item 1: expected 1, got 4", ("slope", "intercept"))
    'intercept: expected 1, got 4'
    >>> name_items("items 0 and 1 are swapped: return them in the order the statement gives", ("slope", "intercept"))
    'slope and intercept are swapped: return them in the order the statement gives'
    >>> name_items("item 2, item 0: 16 of 16 values differ", (("layer {}",), ("dW", "db")))
    'layer 3 dW: 16 of 16 values differ'
    """
    levels = names if names and isinstance(names[0], tuple) else (names,)

    def name(i: str, level: int = 0) -> str:
        pick = levels[level] if level < len(levels) else ()
        if len(pick) == 1 and "{}" in pick[0]:
            return pick[0].format(int(i) + 1)
        return pick[int(i)] if int(i) < len(pick) else f"item {i}"

    path = re.match(r"^item \d+(?:, item \d+)*(?=[:,] )", cause)
    if path:
        indices = re.findall(r"\d+", path.group(0))
        return " ".join(name(i, k) for k, i in enumerate(indices)) + cause[path.end():]
    return re.sub(r"^items (\d+) and (\d+) are", lambda m: f"{name(m.group(1))} and {name(m.group(2))} are", cause)


def arg_labels(ex: exercises.Exercise, target: Any, n: int) -> list[str]:
    """How to name a case's arguments: the exercise's ``arg_names``, else the function's parameter names."""
    names = list(ex.arg_names or ())
    direct = ex.call is exercises.call_function or getattr(ex.call, "passes_arguments", False)
    if not names and direct and callable(target) and not isinstance(target, type):
        try:
            params = list(inspect.signature(target).parameters.values())
            if len(params) >= n and all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params[:n]):
                names = [p.name for p in params[:n]]
        except (TypeError, ValueError):
            pass
    if len(names) < n:
        return [f"argument {i + 1}" for i in range(n)]
    return [f"`{name}`" for name in names[:n]]


# ---------------------------------------------------------------- expected values
class CheckDataMissing(FileNotFoundError):
    """No expected values recorded yet for a notebook's self-checks."""


def checkdata_path(notebook: str, folder: Path | None = None) -> Path:
    """Where the expected values of ``notebook`` live (``$COURSE_CHECKDATA`` overrides the folder)."""
    folder = folder or Path(os.environ.get("COURSE_CHECKDATA", CHECKDATA_DIR))
    return Path(folder) / f"{notebook}.npz"


_loaded: dict = {}


def load_expected(notebook: str, folder: Path | None = None) -> dict:
    """The recorded solution values of ``notebook`` (read once per version of the file; do not modify them)."""
    path = checkdata_path(notebook, folder)
    if not path.is_file():
        raise CheckDataMissing(f"no self-check data for notebook {notebook} ({path}); an instructor must run "
                               f"`python -m helpers.instructor.build` to record it")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = serialize.load(path)
    return _loaded[key]


# ---------------------------------------------------------------- the learner's one line
def _hint_lines(ex: exercises.Exercise, level: int) -> list[str]:
    """The first ``level`` hint tiers, and how to ask for the next one."""
    shown = ex.hints[:max(level, 0)]
    lines = [f"  hint {i}: {text}" if len(ex.hints) > 1 else f"  hint: {text}" for i, text in enumerate(shown, 1)]
    if len(shown) < len(ex.hints):
        lines.append(f"  more help: check({ex.id!r}, ..., hints={len(shown) + 1})")
    return lines


def _not_implemented(ex: exercises.Exercise) -> str:
    return (f"{ex.id} ✘ not implemented yet — write your code in the cell of Exercise {ex.number}, "
            f"in place of `raise NotImplementedError()`")


def _format_verdict(ex: exercises.Exercise, cases: list, problems: list, hints: int = 1,
                    labels: list[str] | None = None, printed: str = "") -> str:
    n_ok = sum(p is None for p in problems)
    if n_ok == len(problems):
        return f"{ex.id} ✔ all {len(problems)} checks passed"
    first = next(i for i, p in enumerate(problems) if p is not None)
    p = problems[first]
    if p.cause.startswith("not implemented"):
        return _not_implemented(ex)
    lines = [f"{ex.id} ✘ {n_ok} of {len(problems)} checks passed",
             f"  check {first + 1} failed — {p.cause}"]
    if not labels or len(labels) != len(cases[first]):
        labels = arg_labels(ex, None, len(cases[first]))
    for i, (label, arg) in enumerate(zip(labels, cases[first]), 1):
        shown = describe(arg)
        shown = shown if len(shown) <= INPUT_WIDTH else shown[:INPUT_WIDTH].rstrip(" ,(") + " …"
        lines.append(f"    input {i if label.startswith('argument') else label}:  {shown}")
    lines.append(f"    expected: {p.expected}")
    lines.append(f"    got:      {p.got}")
    kinds = {_kind_of(p.cause)}  # the same mistake on another input is not news: one line per kind
    for q in problems[first + 1:]:
        if q is not None and _kind_of(q.cause) not in kinds and len(kinds) < 3:
            kinds.add(_kind_of(q.cause))
            lines.append(f"  other failures: {q.cause}")
    if printed:
        shown = printed.splitlines()[:5]
        lines += ["  your code printed (first lines):"] + [f"    | {line[:120]}" for line in shown]
    return "\n".join(lines + _hint_lines(ex, hints))


def _kind_of(cause: str) -> str:
    return re.sub(r"\([^)]*\)|[-+]?\d[\d.e+-]*", "#", cause)


def not_a_target(ex: exercises.Exercise, target: Any) -> str | None:
    """Why ``target`` cannot be what the exercise asks for (e.g. its result instead of the function), or None."""
    if callable(target) and not isinstance(target, types.ModuleType):
        return None
    name = type(target).__name__
    article = "an" if name[:1].lower() in "aeiou" or name.startswith("nd") else "a"
    what = "None" if target is None else f"{article} {name}"
    return (f"{ex.id} ✘ expected the {'class' if ex.target[:1].isupper() else 'function'} `{ex.target}` "
            f"itself, got {what} — pass its name without calling it")


def evaluate(ex: exercises.Exercise, target: Any, recorded: list) -> tuple[list, list, list]:
    """Run ``target`` on the public cases of ``ex`` and judge each against the ``recorded`` solution values.

    Returns ``(cases, problems, records)``; never raises whatever ``target`` does.
    """
    cases = ex.make_cases(exercises.PUBLIC_SEED)
    problems: list = []
    records: list = []
    for args, exp in zip(cases, recorded):
        case = run_case(ex, target, args)
        records.append(case)
        problems.append(judge(ex, exp["out"], case, args, arg_labels(ex, target, len(args))))
        if isinstance(case["out"], RaisedError) and case["out"].name in STOP_EARLY:
            problems += [problems[-1]] * (len(cases) - len(problems))
            break
    return cases, problems, records


def recorded_results(ex: exercises.Exercise) -> list:
    """The solution's values on the public cases of ``ex``, as recorded by the build."""
    results = load_expected(ex.notebook).get("results", {}).get(ex.id)
    if results is None:
        raise CheckDataMissing(f"no recorded values for {ex.id}; an instructor must run "
                               f"`python -m helpers.instructor.build`")
    return results


def check(exercise_id: str, target: Any, hints: int = 1) -> None:
    """Check your answer to an exercise and print a short verdict.

    Parameters
    ----------
    exercise_id : str
        The id shown in the exercise's title, e.g. ``"04.1-sigmoid"``.
    target : function or class
        What you wrote for the exercise.
    hints : int, default 1
        How many tiers of hints to show with a failure (0 for none); each tier says
        more, none gives the answer away.
    """
    ex = exercises.get(exercise_id)
    recorded = recorded_results(ex)
    wrong_kind = not_a_target(ex, target)
    if wrong_kind:
        show(wrong_kind)
        return
    broken = violations(ex.forbid, target) if ex.forbid is not None else []
    if broken:
        show(f"{ex.id} ✘ the exercise's rule is broken: " + "\n  ".join(broken[:3]))
        return
    cases, problems, records = evaluate(ex, target, recorded)
    printed = next((r["printed"] for r in records if r.get("printed")), "")
    labels = arg_labels(ex, target, len(cases[0])) if cases else []
    show(_format_verdict(ex, cases, problems, hints, labels, printed))


def hint(exercise_id: str, level: int | None = None) -> None:
    """Print the hints of an exercise, up to tier ``level`` (all tiers by default).

    Parameters
    ----------
    exercise_id : str
        The id shown in the exercise's title, e.g. ``"04.1-sigmoid"``.
    level : int, optional
        The last tier to show; tiers go from the idea to a pointer at a worked example.
    """
    ex = exercises.get(exercise_id)
    if not ex.hints:
        print(f"{ex.id}: no hints for this exercise — re-read its statement and the section before it")
        return
    print("\n".join([f"{ex.id} hints:"] + _hint_lines(ex, len(ex.hints) if level is None else level)))
