"""Generate the student notebooks and the self-check data from the solutions.

    python -m helpers.instructor.build            # regenerate notebooks/ (and check data if a solution changed)
    python -m helpers.instructor.build --execute [NB.ipynb ...]  # also re-execute solutions in place (all, or those named)
    python -m helpers.instructor.build --check    # exit 1 naming every stale file; changes nothing

The solutions themselves first get their nbgrader cell metadata and hidden-test
blocks (:mod:`helpers.instructor.nbgrader`), written in place when missing or stale.
In a student notebook each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block
becomes ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` at the block's
indentation, every ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` block is
removed, and outputs and execution counts are cleared; everything else (cell ids,
metadata, text) stays exactly as written. The self-check data is what the
solution's own code returns on the public check inputs.
"""
from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from ... import cli, exercises, questions, serialize
from ...checks import CHECKDATA_DIR, checkdata_path
from ..hidden import HIDDEN_ENV
from ..layout import ROOT, CourseError, solutions_in
from . import explanations
from .edited import refuse_edited
from .mistakes import record_mistakes
from .nbgrader_cells import NbgraderError, cell_source, nbgrader_notebook, strip_hidden_tests
from .stubs import BuildError, _dumps, strip_solutions, student_notebook  # noqa: F401  (part of this module's API)

__all__ = ["build", "main", "strip_solutions", "student_notebook", "BuildError", "ROOT", "solutions_in"]


def _serialized_digest(obj) -> bytes:
    """SHA-256 of ``obj`` as :func:`helpers.serialize.dumps` writes it, member by member (zip dates left out)."""
    h = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(serialize.dumps(obj))) as z:
        for name in sorted(z.namelist()):
            h.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return h.digest()


def solution_hash(solution: dict, key: str) -> str:
    """Fingerprint of what the self-check data depends on: the solution's code and the recorded inputs.

    The inputs count as the bytes the cases serialize to (not the source of the functions that draw
    them), so an edit anywhere they come from (a case helper, a library, the seed) is seen; ``call``,
    which turns a case into a call of the target, counts by its source. Hidden-test blocks are left
    out: they never change what the exercises return.
    """
    h = hashlib.sha256()
    for cell in solution["cells"]:
        if cell["cell_type"] == "code":
            h.update(strip_hidden_tests(cell_source(cell)).encode() + b"\0")
    h.update(repr(questions.for_notebook(key)).encode() + explanations.fingerprint(key))
    for ex in exercises.for_notebook(key):
        h.update(repr((ex.id, ex.target)).encode())
        h.update(_serialized_digest(ex.make_cases(exercises.PUBLIC_SEED)))
        try:
            h.update(inspect.getsource(ex.call).encode())
        except (OSError, TypeError):
            h.update(ex.call.__qualname__.encode())
    return h.hexdigest()


def _kernel_env(checkdata_dir: Path, spec_file: str | None) -> dict:
    # hidden tests stay silent in the build, whatever the instructor's shell has set
    env = {k: v for k, v in os.environ.items() if k not in (HIDDEN_ENV, "NBGRADER_EXECUTION")}
    env["COURSE_CHECKDATA"] = str(Path(checkdata_dir).resolve())
    if spec_file:
        env["COURSE_EXTRA_SPECS"] = str(Path(spec_file).resolve())
    return env


def _run_solution(path: Path, checkdata_dir: Path, spec_file: str | None, harvest: dict | None = None,
                  first_build: bool = False):
    """Execute a solution notebook in its own folder (as nbval does); it must run cleanly."""
    from ...execute import run_notebook
    from ...nbio import nbformat

    nb = nbformat.read(path, as_version=4)
    report, executed = run_notebook(nb, path.parent, cell_timeout=600, harvest=harvest,
                                    env=_kernel_env(checkdata_dir, spec_file))
    # before any check data exists, the solution's own check cells cannot run yet
    errors = [e for e in report.errors if not (first_build and e[1] == "CheckDataMissing")]
    if errors or report.timeouts or report.died or report.stderr:
        raise BuildError(f"{path}: the solution must run cleanly, but: errors {errors}, timeouts in cells "
                         f"{report.timeouts}, kernel died in {report.died}, stderr from cells {report.stderr}")
    return report, executed


def solution_results(path: Path, key: str, seed: int, checkdata_dir: Path, spec_file: str | None = None,
                     first_build: bool = False) -> dict:
    """Execute a solution notebook and return what its exercises give on the inputs drawn from ``seed``.

    ``{exercise id: [{"out": value}, ...]}``, and ``{question id: [{"out": answer}]}`` for each
    concept question; raises :class:`BuildError` unless every case runs cleanly and every question
    is answered.
    """
    specs = exercises.for_notebook(key)
    with tempfile.TemporaryDirectory(prefix="course-build-") as tmp:
        inputs, out = Path(tmp) / "inputs.npz", Path(tmp) / "results.npz"
        serialize.save(inputs, {ex.id: ex.make_cases(seed) for ex in specs})
        report, _ = _run_solution(path, checkdata_dir, spec_file, first_build=first_build,
                                  harvest={"notebook": key, "inputs": str(inputs), "out": str(out),
                                           "spec_file": str(Path(spec_file).resolve()) if spec_file else None})
        if not report.harvested:
            raise BuildError(f"{path}: collecting exercise results failed: {report.harvest_error}")
        results = serialize.load(out)
    for ex in specs:
        r = results.get(ex.id, {})
        if "missing" in r:
            raise BuildError(f"{path}: exercise {ex.id}: {r['missing']}")
        bad = [c["out"] if isinstance(c["out"], serialize.RaisedError) else c["mutated"] or c["warnings"]
               for c in r["cases"] if isinstance(c["out"], serialize.RaisedError) or c["mutated"] or c["warnings"]]
        if bad:
            raise BuildError(f"{path}: exercise {ex.id} fails on its own check inputs: {bad[0]}")
    answers = {}
    for q in questions.for_notebook(key):
        got = results.get(q.id, {})
        problem = got.get("missing") or questions.answer_problem(q, got.get("answer"))
        if problem:
            raise BuildError(f"{path}: question {q.id}: the solution's answer is not usable: {problem}")
        given = got["answer"]
        answers[q.id] = [{"out": given}]
    return {**{ex.id: [{"out": c["out"]} for c in results[ex.id]["cases"]] for ex in specs}, **answers}


def sealed_questions(key: str, results: dict, path: Path) -> dict:
    """The public self-check data of the concept questions: digests and sealed explanations, no answer."""
    texts, sealed = explanations.explanations(key), {}
    for q in questions.for_notebook(key):
        if q.id not in texts:
            raise BuildError(f"{path}: question {q.id} has no explanations in "
                             f"{explanations.FOLDER / f'nb{key}.toml'} (one per choice, or 'right' for a number)")
        missing = [c for c in q.choices if c not in texts[q.id]]
        if missing:
            raise BuildError(f"{path}: question {q.id}: no explanation for choice(s) {', '.join(missing)}")
        try:
            sealed[q.id] = questions.sealed_entry(q, results[q.id][0]["out"], texts[q.id])
        except ValueError as err:
            raise BuildError(f"{path}: {err}") from err
    unknown = sorted(set(texts) - {q.id for q in questions.for_notebook(key)})
    if unknown:
        raise BuildError(f"{path}: explanations for unknown question(s) {', '.join(unknown)}")
    return sealed


def record_checkdata(path: Path, key: str, checkdata_dir: Path, spec_file: str | None = None) -> None:
    """Execute a solution notebook, run its exercises on the public inputs, save what they return."""
    raw = json.loads(path.read_text())
    results = solution_results(path, key, exercises.PUBLIC_SEED, checkdata_dir, spec_file, first_build=True)
    sealed = sealed_questions(key, results, path)
    checkdata_dir.mkdir(parents=True, exist_ok=True)
    serialize.save(checkdata_path(key, checkdata_dir), {
        "hash": solution_hash(raw, key), "seed": exercises.PUBLIC_SEED,
        "results": {k: v for k, v in results.items() if k not in sealed},  # never an answer in plain
        "questions": questions.pack(sealed), "mistakes": record_mistakes(key)})


def execute_in_place(path: Path, checkdata_dir: Path, spec_file: str | None = None) -> None:
    """Re-execute a solution notebook and store its fresh outputs in the file."""
    raw = json.loads(path.read_text())
    _, executed = _run_solution(path, checkdata_dir, spec_file)
    for cell, done in zip(raw["cells"], executed.cells):
        if cell["cell_type"] == "code":
            cell["outputs"] = json.loads(json.dumps(done.get("outputs", [])))
            cell["execution_count"] = done.get("execution_count")
    path.write_text(_dumps(raw))


def build(solutions: Path, notebooks: Path, checkdata: Path, *, check: bool = False, execute: bool | list = False,
          spec_file: str | None = None, log=print, force: bool = False) -> list[str]:
    """Build (or with ``check=True`` only verify) everything; returns the list of stale things.

    ``execute`` re-executes every solution in place when True, or only those whose file names are listed.
    A notebooks/ file that was edited (:func:`.edited.edited_by_hand`) is never overwritten: :class:`BuildError`
    names each one, unless ``force``, which first copies each to ``notebooks/.backup/``.
    """
    if spec_file:
        exercises.load_spec_file(spec_file)
    stale = []
    pairs = solutions_in(solutions)
    if not pairs:
        raise BuildError(f"no solution notebooks named like 01_topic.ipynb in {solutions}")
    if not check:
        refuse_edited([Path(notebooks) / p.name for _, p in pairs], force, log)
    for key, path in pairs:
        text = path.read_text()
        specs = exercises.for_notebook(key)
        try:
            raw = nbgrader_notebook(json.loads(text), questions.graded_items(key), path.name)
        except NbgraderError as e:
            raise BuildError(str(e)) from e
        if _dumps(raw) != text:
            if check:
                stale.append(f"{path} (its nbgrader metadata or hidden-test blocks are out of date; "
                             f"run `python -m helpers.instructor.build`)")
            else:
                path.write_text(_dumps(raw))
                log(f"wrote nbgrader metadata into {path}")
        cd = checkdata_path(key, checkdata)
        fresh = False
        specs = specs + questions.for_notebook(key)
        if specs:
            try:
                fresh = serialize.load(cd).get("hash") == solution_hash(raw, key)
            except (ValueError, OSError):
                fresh = False
        if check:
            if specs and not fresh:
                stale.append(f"{cd} (self-check data does not match {path.name}; run `python -m helpers.instructor.build`)")
        else:
            if specs and not fresh:
                log(f"recording self-check data from {path} ...")
                record_checkdata(path, key, checkdata, spec_file)
            if execute is True or (execute and path.name in execute):
                log(f"executing {path} in place ...")
                execute_in_place(path, checkdata, spec_file)
                raw = json.loads(path.read_text())
        text = student_notebook(raw, path.name)
        target = Path(notebooks) / path.name
        if not target.is_file() or target.read_text() != text:
            if check:
                stale.append(f"{target} (differs from what {path} generates; run `python -m helpers.instructor.build`)")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
                log(f"wrote {target}")
    names = {p.name for _, p in pairs}
    for extra in sorted(Path(notebooks).glob("*.ipynb")):
        if extra.name not in names:
            stale.append(f"{extra} (no solution {extra.name} in {solutions})")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m helpers.instructor.build", __doc__,
                                problems="--check found stale files (each named, with the command that fixes it)")
    parser.add_argument("--check", action="store_true", help="verify only; exit 1 naming stale files")
    parser.add_argument("--execute", nargs="*", metavar="NOTEBOOK",
                        help="re-execute solutions in place (refresh outputs): all, or the named ones")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                        help="folder of the solution notebooks (default: solutions/)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="folder of the generated student notebooks (default: notebooks/)")
    parser.add_argument("--checkdata", type=Path, default=CHECKDATA_DIR,
                        help="folder of the self-check data (default: helpers/checkdata/)")
    parser.add_argument("--specs", default=None, help="extra exercise spec file (notebooks outside the course)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite edited notebooks/ files too, after copying each to notebooks/.backup/")
    args = parser.parse_args(argv)
    try:
        execute = True if args.execute == [] else [Path(n).name for n in args.execute or []]
        unknown = [n for n in execute or [] if not (args.solutions / n).is_file()] if execute is not True else []
        if unknown:
            raise BuildError(f"no such solution notebook(s) in {args.solutions}: {', '.join(unknown)}")
        stale = build(args.solutions, args.notebooks, args.checkdata, check=args.check, execute=execute,
                      spec_file=args.specs, force=args.force)
    except (CourseError, NbgraderError) as e:  # EditedNotebooks among them: refused
        print(f"error: {e}", file=sys.stderr)
        return cli.USAGE
    if stale:
        print("Stale:\n" + "\n".join(f"  {s}" for s in stale), file=sys.stderr)
        return cli.PROBLEMS
    if args.check:
        print("notebooks/, the nbgrader metadata of solutions/ and the self-check data are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
