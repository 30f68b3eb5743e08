"""A generated class of submissions for the instructor-loop tests (roster, deadlines, gradebook, similarity).

:func:`build_class` writes, from ``solutions/`` and ``notebooks/`` of one notebook, a folder of
submissions named as a platform's bulk download names them, a ``roster.csv`` and a manifest of
what each student was given (``class.json``), so a test can assert what the grader must find.

Kinds of student (``KINDS``):

- ``right``: the solution's answers;
- ``partial``: some exercises replaced by a wrong answer from ``tests/variants``;
- ``blank``: the student notebook untouched;
- ``honest``: correct answers written differently (the variants' "correct" alternatives);
- ``copy``: two planted copies of one honest student's work, with renamed variables and
  reordered independent statements (the similarity report must rank them as the top pair);
- ``missing``: on the roster, nothing handed in;
- ``unknown``: a submission whose name matches nobody on the roster.

Submissions alternate between plain folder names, Canvas file names
(``lastfirst_[LATE_]userid_submissionid_original.ipynb``) and Moodle folder names
(``Full Name_participantid_assignsubmission_file_/original.ipynb``). Late students get a
modification time after the due date (``DUE``); one of them has an extension.
"""
from __future__ import annotations

import ast
import csv
import importlib
import json
import os
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUE = datetime(2026, 3, 2, 23, 59, tzinfo=timezone.utc)
KINDS = ("right", "partial", "blank", "honest", "copy", "missing", "unknown")


def _cells(path: Path) -> dict:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return nb


def _solution_sources(key: str) -> dict[str, str]:
    """The solution cells of one notebook: {exercise id: source}."""
    sol = next((ROOT / "solutions").glob(f"{key}_*.ipynb"))
    out = {}
    for cell in _cells(sol)["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            out[meta["grade_id"].replace("_", ".", 1)] = "".join(cell["source"])
    return out


def _with_answers(key: str, answers: dict[str, str]) -> dict:
    """The student notebook of ``key`` with the solution cells named in ``answers`` replaced."""
    path = next((ROOT / "notebooks").glob(f"{key}_*.ipynb"))
    nb = _cells(path)
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        ex = meta.get("grade_id", "").replace("_", ".", 1)
        if meta.get("solution") and cell["cell_type"] == "code" and ex in answers:
            cell["source"] = answers[ex].strip("\n").splitlines(keepends=True)
    return nb


def _variants(key: str) -> dict:
    return importlib.import_module(f"tests.variants.nb{key}").VARIANTS


def _standalone(variant: str, solution_source: str) -> str:
    """A variant as a whole cell: one that subclasses the solution's class (``class C(C)``) keeps the original first."""
    return solution_source + "\n\n" + variant if re.search(r"class (\w+)\(\1\)", variant) else variant


def _honest(key: str, solution: dict, rng: random.Random) -> dict[str, str]:
    """Correct answers written differently: a variant's correct alternative where there is one."""
    variants = _variants(key)
    out = dict(solution)
    for ex in solution:
        correct = variants.get(ex, {}).get("correct", [])
        if correct:
            out[ex] = _standalone(rng.choice(correct), solution[ex])
    return out


def _partial(key: str, solution: dict, rng: random.Random) -> tuple[dict[str, str], list[str]]:
    variants = _variants(key)
    wrongable = [ex for ex in solution if variants.get(ex, {}).get("wrong")]
    chosen = sorted(rng.sample(wrongable, k=max(1, len(wrongable) // 2)))
    out = dict(solution)
    for ex in chosen:
        out[ex] = _standalone(rng.choice(variants[ex]["wrong"])[0], solution[ex])
    return out, chosen


class _Renamer(ast.NodeTransformer):
    """Renames every local name and argument (not attributes, not globals the cell does not bind)."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.names.get(node.arg, node.arg)
        return node


def _independent(a: ast.stmt, b: ast.stmt) -> bool:
    def names(node, ctx):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}
    simple = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
    if not (isinstance(a, simple) and isinstance(b, simple)):
        return False
    wa, wb = names(a, ast.Store), names(b, ast.Store)
    return not (wa & names(b, ast.Load) or wb & names(a, ast.Load) or wa & wb)


def _docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _reorder(body: list) -> None:
    """Swap the first two adjacent independent statements of ``body`` (a docstring stays where it is)."""
    for i in range(len(body) - 1):
        if not _docstring(body[i]) and _independent(body[i], body[i + 1]):
            body[i], body[i + 1] = body[i + 1], body[i]
            return


def disguise(source: str, tag: str) -> str:
    """The same program with its local names renamed and one pair of independent statements swapped."""
    tree = ast.parse(source)
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg) and a.arg != "self"}
    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    tree = _Renamer({n: f"{n}_{tag}" for n in bound - defined}).visit(tree)
    for node in ast.walk(tree):  # each body once (reordering a body twice could swap the pair back)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)):
            _reorder(node.body)
    return ast.unparse(tree) + "\n"


def _plan(n_students: int) -> list[str]:
    fixed = ["right", "blank", "copy", "copy", "missing", "unknown"]
    rest = ["right", "partial", "honest"]
    return fixed + [rest[i % 3] for i in range(n_students - len(fixed))]


def build_class(out: Path, key: str = "03", n_students: int = 32, seed: int = 0) -> dict:
    """Write the class to ``out``; returns the manifest (also written to ``out/class.json``).

    ``out/submissions`` holds the hand-ins, ``out/roster.csv`` the roster, ``out/class.json``
    per student: kind, login, e-mail, platform ids, the file written (or none), whether late,
    the extension given and, for ``partial``, the exercises answered wrongly.
    """
    rng = random.Random(seed)
    subs = out / "submissions"
    subs.mkdir(parents=True, exist_ok=True)
    solution = _solution_sources(key)
    original = next((ROOT / "notebooks").glob(f"{key}_*.ipynb")).name
    copy_source = _honest(key, solution, random.Random(seed + 1))
    students, roster = [], []
    for i, kind in enumerate(_plan(n_students)):
        tag = chr(97 + i // 26) + chr(97 + i % 26)  # letters only: a digit in a name would read as a notebook number
        first, last = f"Stu{tag}", f"Dent{tag[::-1]}"
        login = f"s{1000 + i}"
        rec = {"kind": kind, "name": f"{first} {last}", "login": login, "email": f"{login}@uni.example",
               "canvas_id": str(20000 + i), "moodle_id": str(500 + i), "wrong": [], "late": False,
               "extension_hours": 0, "file": None}
        if kind == "copy":
            answers = {ex: src if ".q" in ex else disguise(src, "c" if not any(s["kind"] == "copy" for s in students)
                                                           else "d")  # a question's answer is a choice, not code
                       for ex, src in copy_source.items()}
        elif kind == "right":
            answers = solution
        elif kind == "honest":
            answers = _honest(key, solution, rng)
        elif kind == "partial":
            answers, rec["wrong"] = _partial(key, solution, rng)
        else:
            answers = {}
        if i in (7, 8, 9):
            rec["late"] = True
        if i == 8:
            rec["extension_hours"] = 72
        style = i % 3
        if kind == "unknown":
            target = subs / f"nobody-we-know_{key}.ipynb"
        elif kind == "missing":
            target = None
        elif style == 0:
            target = subs / login / original
        elif style == 1:
            late = "LATE_" if rec["late"] else ""
            target = subs / f"{(last + first).lower()}_{late}{rec['canvas_id']}_{700000 + i}_{original}"
        else:
            target = subs / f"{first} {last}_{rec['moodle_id']}_assignsubmission_file_" / original
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(_with_answers(key, answers), indent=1), encoding="utf-8")
            when = DUE + (timedelta(hours=30) if rec["late"] else -timedelta(hours=5))
            os.utime(target, (when.timestamp(), when.timestamp()))
            rec["file"] = str(target.relative_to(out))
        students.append(rec)
        if kind != "unknown":
            roster.append(rec)
    with open(out / "roster.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "name", "email", "canvas_id", "moodle_id", "sis_login", "section", "aliases"])
        for r in roster:
            writer.writerow([r["login"], r["name"], r["email"], r["canvas_id"], r["moodle_id"], r["login"],
                             "A" if int(r["login"][1:]) % 2 else "B", ""])
    manifest = {"key": key, "due": DUE.isoformat(), "students": students}
    (out / "class.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest
