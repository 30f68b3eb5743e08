"""Every plausible answer in tests/variants gets the right verdict, in the self-check and in the grader.

- a correct variant: ``check()`` prints ✔, and every hidden case the grader would draw passes;
- a wrong variant: ``check()`` prints ✘, and at least one hidden case fails;
- a strange return value (None, a generator, a zero-stride view, an object whose ``==`` lies, ...):
  a ✘ verdict, never a traceback, in both.
"""
from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import linecache
import re
import types

import numpy as np
import pytest

from conftest import ROOT
from helpers import exercises, serialize
from helpers.checks import check, judge, run_case
from helpers.instructor.authoring.build import solutions_in
from helpers.instructor.grading.score import broken_rules
from helpers.instructor.authoring.leaks import code_tokens, leaks, solution_blocks

HIDDEN_SEED = 777  # any seed other than the public one: what a grading run would draw
NOTEBOOKS = dict(solutions_in(ROOT / "solutions"))


def _variant_modules() -> dict[str, dict]:
    found = {}
    for key in sorted(NOTEBOOKS):
        try:
            found[key] = importlib.import_module(f"variants.nb{key}").VARIANTS
        except ModuleNotFoundError:
            found[key] = {}
    return found


VARIANTS = _variant_modules()


def _code_cells(key: str) -> list[str]:
    cells = json.loads(NOTEBOOKS[key].read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _defines(source: str) -> bool:
    """Cells that define what the exercises need: imports, functions, classes, and every exercise cell
    (an exercise cell may also set a constant its function uses)."""
    return source.lstrip().startswith(("import", "from", "def ", "class ")) or "### BEGIN SOLUTION" in source


@pytest.fixture(scope="session")
def solution_namespaces() -> dict:
    """The definitions of each solution notebook, loaded once (their demo output is swallowed)."""
    cache: dict = {}

    def get(key: str) -> types.SimpleNamespace:
        if key not in cache:
            scope: dict = {"__name__": f"solution_{key}"}
            with contextlib.redirect_stdout(io.StringIO()):
                for source in filter(_defines, _code_cells(key)):
                    exec(compile(source, f"{NOTEBOOKS[key].name}[definitions]", "exec"), scope)
            cache[key] = types.SimpleNamespace(**{k: v for k, v in scope.items() if not k.startswith("__")})
        return cache[key]

    return get


def _define(source: str, namespace: types.SimpleNamespace, target: str):
    scope = dict(vars(namespace))
    scope.setdefault("np", np)
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    defined |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name)}
    assert target in defined, f"a variant must define `{target}` (else the solution's own is tested):\n{source}"
    filename = f"<variant of {target} {abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # as IPython does for a cell
    exec(compile(tree, filename, "exec"), scope)
    return scope[target]


def _definitions(source: str, name: str) -> dict[str, list[str]]:
    """The tokens of ``name``'s definition in ``source``, without docstrings: for a function ``{name:
    tokens}``, for a class one entry per method (and ``""`` for the rest of its body)."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            parts = node.body if isinstance(node, ast.ClassDef) else [node]
            found = {}
            for part in parts:
                if isinstance(part, ast.FunctionDef):
                    body = part.body[1:] if ast.get_docstring(part) is not None and len(part.body) > 1 else part.body
                    found[part.name] = code_tokens(ast.unparse(body))
                elif not (isinstance(part, ast.Expr) and isinstance(part.value, ast.Constant)):
                    found[""] = found.get("", []) + code_tokens(ast.unparse(part))
    return found


def _verdict(ex, target) -> str:
    """What check() prints, at every hint level; asserts it never shows solution code."""
    printed = []
    for level in range(len(ex.hints) + 1):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            check(ex.id, target, hints=level)  # must never raise, whatever the target does
        printed.append(out.getvalue())
    blocks = solution_blocks(json.loads(NOTEBOOKS[ex.notebook].read_text()))
    found = leaks("\n".join(printed), blocks)
    assert not found, f"check({ex.id!r}) printed solution code: {found}\n{printed[-1]}"
    return printed[1] if len(printed) > 1 else printed[0]


def _hidden_problems(ex, target, reference, tmp_path, source: str = "") -> list:
    """The grader's path: run on hidden inputs, serialise, read back, judge against the solution; and the
    exercise's stated rule read from the code (the variant's cell after the solution notebook's cells)."""
    cells = _code_cells(ex.notebook) + [source] if source else None
    problems = [f"rule: {v}" for v in broken_rules([ex], cells).get(ex.id, [])]
    for i, args in enumerate(ex.make_cases(HIDDEN_SEED)):
        expected = run_case(ex, reference, args)
        got = run_case(ex, target, args)
        path = tmp_path / f"case{i}.npz"
        serialize.save(path, {"expected": expected, "got": got})
        back = serialize.load(path)
        problems.append(judge(ex, back["expected"]["out"], back["got"], args))
    return problems


def _cases(kind: str) -> list:
    return list(_each_case(kind))


def _each_case(kind: str):
    for key, variants in VARIANTS.items():
        for ex_id, entry in variants.items():
            for i, item in enumerate(entry.get(kind, [])):
                source, why = (item, "") if kind == "correct" else item
                yield pytest.param(key, ex_id, source, why, id=f"{ex_id}-{kind}{i + 1}")


def test_every_exercise_has_variants():
    """At least 3 plausible wrong answers and 1 correct alternative for every exercise of the course."""
    thin = []
    for key in NOTEBOOKS:
        for ex in exercises.for_notebook(key):
            entry = VARIANTS[key].get(ex.id, {})
            if len(entry.get("wrong", [])) < 3 or len(entry.get("correct", [])) < 1:
                thin.append(f"{ex.id}: {len(entry.get('wrong', []))} wrong, {len(entry.get('correct', []))} correct")
        unknown = set(VARIANTS[key]) - {ex.id for ex in exercises.for_notebook(key)}
        thin += [f"{u}: no such exercise" for u in sorted(unknown)]
    assert not thin, "exercises without enough variants:\n" + "\n".join(thin)


@pytest.mark.parametrize("key, ex_id, source, why", _cases("correct"))
def test_correct_variant_differs_from_the_solution(key, ex_id, source, why):
    """A "correct alternative" that is the solution again (up to layout, comments, docstrings) proves nothing."""
    ex = exercises.get(ex_id)
    solution: dict = {}
    for cell in filter(_defines, _code_cells(key)):
        solution.update(_definitions(cell, ex.target))
    assert solution, f"the solution notebook {key} defines no `{ex.target}`"
    variant = _definitions(source, ex.target)
    if not variant:  # defined by an assignment, e.g. a lambda: different from a def by construction
        assert re.search(rf"^{re.escape(ex.target)}\s*=", source, re.M), \
            f"a correct variant of {ex_id} defines no `{ex.target}`:\n{source}"
        assert all(tokens for tokens in solution.values()), f"the solution's `{ex.target}` is not a def"
        return
    same = [name or "class body" for name, tokens in variant.items() if solution.get(name) == tokens]
    assert len(same) < len(variant), f"a correct variant of {ex_id} repeats the solution ({', '.join(same)}):\n{source}"


@pytest.mark.parametrize("key, ex_id, source, why", _cases("correct"))
def test_correct_variant_passes(key, ex_id, source, why, solution_namespaces, tmp_path):
    ex, ns = exercises.get(ex_id), solution_namespaces(key)
    target = _define(source, ns, ex.target)
    out = _verdict(ex, target)
    assert "✔" in out and "✘" not in out, f"a correct answer was rejected:\n{source}\n{out}"
    problems = _hidden_problems(ex, target, getattr(ns, ex.target), tmp_path, source)
    assert all(p is None for p in problems), f"the grader rejected a correct answer:\n{source}\n{problems}"


@pytest.mark.parametrize("key, ex_id, source, why", _cases("wrong"))
def test_wrong_variant_fails(key, ex_id, source, why, solution_namespaces, tmp_path):
    ex, ns = exercises.get(ex_id), solution_namespaces(key)
    target = _define(source, ns, ex.target)
    out = _verdict(ex, target)
    assert "✘" in out and "✔" not in out, f"a wrong answer ({why}) passed the self-check:\n{source}\n{out}"
    problems = _hidden_problems(ex, target, getattr(ns, ex.target), tmp_path, source)
    assert any(p is not None for p in problems), f"a wrong answer ({why}) got full marks from the grader"
