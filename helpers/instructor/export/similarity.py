"""Similar submissions, exercise by exercise, with copydetect: leads for a person to check, never verdicts.

copydetect (winnowing over normalised tokens: every name becomes ``V``, ``F`` or ``O``, every
string ``S``, comments and spaces go) fingerprints each exercise's code; the hand-out's stub and
the course's solution are its boilerplate, so code the course wrote never counts, and a student
who handed in the solution shares nothing with another who did (a submission equal to the
solution is a question of its own). Renamed variables leave the tokens unchanged; reordered
statements keep every k-gram inside each statement.

A pair's score is the share of each side's answered exercise code (an exercise still holding
the stub is not counted; code equal to the solution counts in the length but never in common)
that copydetect finds in the other's, the smaller of the two: ``min(overlap_a / length_a,
overlap_b / length_b)`` summed over the notebook's exercises. One shared short answer (a common
mistake) in a notebook of answers moves it little; a whole notebook in common moves it near 1.

``THRESHOLD`` was measured on the generated class of ``tests/classroom.py`` (30 students of
notebook 03, built with seeds 0 to 3): the two planted copies (names renamed, statements
reordered) score 0.82 to 0.85; the most similar pair of independent students at most 0.58
(honest pairs; pairs with partly wrong answers at most 0.24), although those honest students draw
each answer from only two or three alternatives, so real independent work lies further apart;
in a generated class of 200 the copies scored 0.82 and the closest of 2,016 honest pairs 0.64.
0.70 lies between the two.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np

from .exercise_code import course_code, exercise_sources
from .safe import csv_cell

THRESHOLD = 0.70
WHY = ("in four generated classes of 30 the planted copies (renamed, reordered) scored 0.82 to 0.85 and the "
       "most similar independent pair at most 0.58 (INSTRUCTORS.md, 'Similar submissions')")
K = 25  # copydetect's default noise threshold: k-grams of 25 normalised characters
CSV_COLUMNS = ["assignment", "student_a", "student_b", "score", "exercise", "exercise_score"]
MAX_CODE = 20_000  # characters of one exercise compared: ten times a long honest answer, bounds a hostile one


@dataclass
class Pair:
    """Two students of one assignment, their score and per exercise (score, code a, code b)."""

    key: str
    a: str
    b: str
    score: float
    exercises: dict = field(default_factory=dict)


@dataclass
class Assignment:
    """One notebook's comparison: the students in order and the symmetric score matrix."""

    key: str
    students: list
    matrix: np.ndarray
    pairs: list


def _fingerprint(code: str, boilerplate):
    from copydetect import CodeFingerprint
    return CodeFingerprint("exercise.py", K, 1, boilerplate, fp=io.StringIO(code))


def _boilerplate(texts: list[str]) -> np.ndarray:
    hashes = [h for text in texts for h in _fingerprint(text, None).hashes]
    return np.unique(np.array(hashes, dtype=np.int64))


def compare(key: str, codes: dict[str, dict[str, str]], given: dict[str, list[str]]) -> Assignment:
    """Compare every pair of students of one assignment.

    Parameters
    ----------
    key : str
        The notebook number, for the report.
    codes : dict
        ``{student: {exercise id: code}}``; an exercise a student has no cell for counts as empty.
    given : dict
        ``{exercise id: (stub, solution)}``: the code the course wrote, copydetect's boilerplate. An
        exercise whose code normalises to the stub's is unanswered and left out of the lengths.

    Returns
    -------
    Assignment
        The matrix of pair scores and the pairs, most similar first.
    """
    from copydetect import compare_files
    students = sorted(codes)
    plates = {ex: _boilerplate(list(texts)) for ex, texts in given.items()}
    stubs = {ex: _fingerprint(texts[0], None).filtered_code for ex, texts in given.items()}
    prints = {s: {ex: _fingerprint(codes[s].get(ex, "")[:MAX_CODE], plates[ex]) for ex in given} for s in students}
    matrix = np.zeros((len(students), len(students)))
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(students), 2):
        shared_a = shared_b = length_a = length_b = 0.0
        per = {}
        for ex in given:
            fa, fb = prints[a][ex], prints[b][ex]
            length_a += len(fa.filtered_code) if fa.filtered_code != stubs[ex] else 0
            length_b += len(fb.filtered_code) if fb.filtered_code != stubs[ex] else 0
            overlap, (sim_a, sim_b), _ = compare_files(fa, fb)
            if overlap:
                shared_a, shared_b = shared_a + sim_a * fa.token_coverage, shared_b + sim_b * fb.token_coverage
                per[ex] = (round(float(min(sim_a, sim_b)), 3), codes[a].get(ex, ""), codes[b].get(ex, ""))
        score = min(shared_a / length_a if length_a else 0.0, shared_b / length_b if length_b else 0.0)
        matrix[i, j] = matrix[j, i] = score
        pairs.append(Pair(key, a, b, round(float(score), 3), per))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return Assignment(key, students, matrix, pairs)


def from_submissions(subs: list, keys: list[str], solutions: dict[str, Path], names: dict[str, str]) -> list[Assignment]:
    """One :class:`Assignment` per graded notebook, from the grader's submissions.

    ``names`` maps the grader's student name to the one the outputs use (the roster id). Each
    notebook is read as the grader reads it (:func:`..grading.runner.read_notebook`: no link followed,
    size bounded); one that cannot be read is left out of the comparison.
    """
    from ..grading.runner import SubmissionError, read_notebook
    out = []
    for key in keys:
        stubs, solved = course_code(solutions[key])
        codes = {}
        for s in subs:
            if s.skip is not None or s.key != key:
                continue
            try:
                notebook = json.loads(read_notebook(Path(s.path)).decode("utf-8", errors="surrogateescape"))
                codes[names.get(s.student, s.student)] = exercise_sources(notebook, stubs)
            except (SubmissionError, OSError, ValueError, AttributeError, TypeError, RecursionError):
                continue
        given = {ex: (stubs[ex], solved[ex]) for ex in stubs}
        out.append(compare(key, codes, given))
    return out


def flagged(assignments: list[Assignment], threshold: float = THRESHOLD) -> list[Pair]:
    """The pairs at or above ``threshold``, most similar first."""
    return sorted((p for a in assignments for p in a.pairs if p.score >= threshold), key=lambda p: -p.score)


def similarity_csv(assignments: list[Assignment], threshold: float = THRESHOLD) -> str:
    """One row per flagged pair and exercise they share (``CSV_COLUMNS``); students through :func:`.safe.csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in flagged(assignments, threshold):
        for ex, (score, _, _) in sorted(p.exercises.items()) or [("", ("", "", ""))]:
            writer.writerow([p.key, csv_cell(p.a), csv_cell(p.b), f"{p.score:.3f}", ex,
                             f"{score:.3f}" if score != "" else ""])
    return buffer.getvalue()
