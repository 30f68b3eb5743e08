"""Scoring: a submission's harvested results against the solution's, in the grader's own process.

Every comparison is guarded: whatever a submission returned, a failure to judge one
exercise makes that exercise score 0 with the reason in the feedback, never a crash.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ... import serialize
from ...cells import cell_label
from ...checks import Problem, judge
from ...constraints import violations_in_source
from ...questions import answer_problem, is_right
from .bounds import oversized

FEEDBACK_LIMIT = 3  # failing cases described per exercise
RIGHT = "right"  # a concept question's feedback when answered right
EXPECTED_WHILE_GRADING = {"CheckDataMissing"}  # self-check cells have no check data inside the sandbox


@dataclass
class Outcome:
    scores: dict = field(default_factory=dict)      # exercise id -> points earned
    notes: dict = field(default_factory=dict)       # exercise id -> lines of feedback
    status: list = field(default_factory=list)      # problems with the run as a whole
    written: dict = field(default_factory=dict)     # written-answer id -> the student's text (None: no cell)
    seconds: float = 0.0
    run: dict = field(default_factory=dict)         # cells that timed out, died or raised: {"timeouts": [i], ...}


def mistake_kind(cause: str) -> str:
    """What a diagnosis says, without its numbers: failures of one kind are told (and counted) once.

    >>> mistake_kind("expected 2.5, got 3.75")
    'expected #, got #'
    >>> mistake_kind("raised ZeroDivisionError: division by zero")
    'raised ZeroDivisionError'
    """
    return re.sub(r"[\d.]+", "#", cause.split(":")[0])


def checks_passed(notes: list[str]) -> tuple[int, int] | None:
    """(passed, total) from an exercise's feedback notes, or None when it was not evaluated."""
    m = re.fullmatch(r"(\d+) of (\d+) hidden checks passed", notes[0]) if notes else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def run_status(report: dict, results, labels: dict | None = None) -> list[str]:
    """The problems with a run as a whole, one line each.

    ``labels`` names cells (``{index: 'cell 8 ("def fit_line(x, y):")'}``, :func:`cell_labels`);
    without it a cell is named by its 1-based position alone.
    """
    def named(indices) -> str:
        return ", ".join((labels or {}).get(i) or f"cell {i + 1}" for i in indices[:8])

    status = []
    errors = [e for e in report.get("errors", []) if e[1] not in EXPECTED_WHILE_GRADING]
    if errors and errors[0][1] == "InvalidNotebook":
        return [f"invalid notebook: {errors[0][2]}"]
    died = [i for i in report.get("died", []) if isinstance(i, int) and i >= 0]  # below 0: in our own setup or
    if died:                                                                    # harvest, which the results say
        status.append(f"kernel died in {named(died)} (sys.exit/os._exit, a crash or a limit); re-ran without it")
    if report.get("timeouts"):
        status.append(f"interrupted at the per-cell time limit: {named(report['timeouts'])}")
    if errors:
        cells = "; ".join(f"{named([i])}: {name}" for i, name, _ in errors[:8])
        status.append(f"cells raised errors: {cells}")
    if report.get("output_dropped"):
        status.append("output flood: outputs beyond the limit were dropped")
    if report.get("stderr"):
        status.append(f"wrote to stderr (warnings?): {named(report['stderr'])}")
    if isinstance(results, str):
        status.append(results)
    return status


def cell_labels(data: bytes) -> dict[int, str]:
    """``{index: label}`` of a notebook's cells as the learner finds them (:func:`helpers.cells.cell_label`)."""
    try:
        cells = json.loads(data).get("cells", [])
    except (ValueError, AttributeError, RecursionError, UnicodeDecodeError):
        return {}
    return {i: cell_label(i, c.get("source", "") if isinstance(c.get("source", ""), (str, list)) else "")
            for i, c in enumerate(cells if isinstance(cells, list) else []) if isinstance(c, dict)}


def _judge_case(ex, ref, case, args) -> Problem | None:
    try:
        if not isinstance(case, dict) or "out" not in case:
            case = {"out": case}
        too_big = oversized(case["out"], ref["out"])
        if too_big:  # bounded before any comparison or diagnosis can broadcast it
            return Problem(too_big, "", "")
        return judge(ex, ref["out"], case, args)
    except Exception as e:  # the comparison itself failed on this value: no credit, say so
        return Problem(f"could not be compared with the expected value ({type(e).__name__})", "", "")


def _score_exercise(ex, pts: float, ref_cases: list, got, inputs: list) -> tuple[float, list[str]]:
    if not isinstance(got, dict) or not isinstance(got.get("cases"), list):
        reason = got.get("missing") if isinstance(got, dict) and "missing" in got else "not evaluated (see status)"
        return 0.0, [str(reason)[:300]]
    problems = []
    for i, ref in enumerate(ref_cases):
        case = got["cases"][i] if i < len(got["cases"]) else {"out": serialize.RaisedError("Missing", "")}
        args = inputs[i] if i < len(inputs) else ()
        p = _judge_case(ex, ref, case, args)
        if p:
            problems.append((i, p))
    passed = len(ref_cases) - len(problems)
    notes = [f"{passed} of {len(ref_cases)} hidden checks passed"]
    seen = set()
    for i, p in problems:
        kind = mistake_kind(p.cause)  # "transposed", "expected #, got #": once each
        if kind in seen or len(seen) == FEEDBACK_LIMIT:
            continue
        seen.add(kind)
        detail = p.cause.startswith(("not implemented", "could not be compared")) or (p.expected and p.expected in p.cause)
        notes.append(f"check {i + 1}: {p.cause}" + ("" if detail else f" — expected {p.expected}; got {p.got}"))
    return round(pts * passed / len(ref_cases), 4), notes


def broken_rules(specs: list, cells: list[str] | None) -> dict[str, list[str]]:
    """``{exercise id: violations}`` of the exercises' stated rules (:mod:`helpers.constraints`) in the code cells."""
    if not cells:
        return {}
    found = {}
    for ex in specs:
        if ex.forbid is not None:
            broken = violations_in_source(ex.forbid, ex.target, cells)  # thread-safe (constraints._parse)
            if broken:
                found[ex.id] = broken
    return found


def score_question(q, pts: float, reference, got) -> tuple[float, list[str]]:
    """Points and feedback for one concept question (the solution's answer is never shown)."""
    expected = reference.get("answer") if isinstance(reference, dict) else None
    if not isinstance(got, dict) or "answer" not in got:
        reason = got.get("missing") if isinstance(got, dict) and "missing" in got else "not evaluated (see status)"
        return 0.0, [str(reason)[:300]]
    problem = answer_problem(q, got["answer"])
    if problem:
        return 0.0, [problem]
    if is_right(q, got["answer"], expected):
        return float(pts), [RIGHT]
    return 0.0, [f"not the right answer (yours: {str(got['answer'])[:40]}); the question's check in the "
                 f"notebook explains each answer"]


def score(specs: list, points: dict, reference: dict, results, report: dict, inputs: dict | None = None,
          cells: list[str] | None = None, questions: tuple = (), labels: dict | None = None) -> Outcome:
    """Compare a submission's results with the solution's on the same inputs; all in this process.

    ``cells`` (the notebook's code, as text) lets the exercises' stated rules be checked: an
    exercise whose rule the code breaks scores 0, and its feedback says which rule.
    """
    out = Outcome(status=run_status(report, results, labels))
    errors = [e for e in report.get("errors", []) if e[1] not in EXPECTED_WHILE_GRADING]
    out.run = {"timeouts": list(report.get("timeouts", [])), "died": list(report.get("died", [])),
               "errors": [[e[0], str(e[1])[:100]] for e in errors if isinstance(e, (list, tuple)) and len(e) > 1]}
    broken = broken_rules(specs, cells)
    for ex in specs:
        pts = points.get(ex.id, ex.points)
        ref_cases = reference[ex.id]["cases"]
        got = results.get(ex.id) if isinstance(results, dict) else None
        try:
            out.scores[ex.id], out.notes[ex.id] = _score_exercise(
                ex, pts, ref_cases, got, (inputs or {}).get(ex.id, [()] * len(ref_cases)))
        except Exception as e:  # a malformed result the guards above did not foresee
            out.scores[ex.id], out.notes[ex.id] = 0.0, [f"could not be scored ({type(e).__name__})"]
        if ex.id in broken:
            out.scores[ex.id] = 0.0
            out.notes[ex.id] = [f"the exercise's rule is broken: {broken[ex.id][0]}"] + out.notes[ex.id][1:]
    for q in questions:
        try:
            out.scores[q.id], out.notes[q.id] = score_question(q, points.get(q.id, q.points), reference.get(q.id),
                                                               results.get(q.id) if isinstance(results, dict) else None)
        except Exception as e:  # an answer the guards did not foresee: this question scores 0, the others count
            out.scores[q.id], out.notes[q.id] = 0.0, [f"could not be scored ({type(e).__name__})"]
    # the status says how the run went; whether there was work to grade is said apart from it
    blank = [ex.id for ex in specs if _unanswered(results.get(ex.id) if isinstance(results, dict) else None)]
    if specs and len(blank) == len(specs):
        out.status.append("blank: no exercise answered (each still raises NotImplementedError)")
    elif blank:
        out.status.append(f"not answered: {', '.join(blank)}")
    return out


def _unanswered(got) -> bool:
    """Every case of an exercise still raised the stub's NotImplementedError."""
    cases = got.get("cases") if isinstance(got, dict) else None
    return bool(cases) and all(isinstance(c, dict) and isinstance(c.get("out"), serialize.RaisedError)
                               and c["out"].name == "NotImplementedError" for c in cases)
