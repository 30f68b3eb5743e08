"""Grade submitted notebooks against the solutions — one command for a whole class.

    python -m helpers.instructor.grade submissions/ --jobs 2 --out grading-output/

SUBMISSIONS may be notebook files, a folder of notebooks, or a folder of student
folders (see helpers/instructor/grading/discover.py for how names map to students and
assignments). Each submission runs in its own kernel inside a bubblewrap sandbox
(helpers/instructor/grading/sandbox.py) with time, memory, process and file-size limits.
Every exercise is called there on inputs drawn for this run (seed printed); the
values come back as data and are compared, in this process, with what the solution
notebook returns on the same inputs, computed outside any student's sandbox.
Grading is per assignment: every notebook graded in the batch counts for every
student, and one a student did not hand in scores 0.
Writes ``grades.csv`` (one row per student), ``feedback/<name>-<hash>.md``, ``report.html`` (the class
at a glance) and ``similarity.html`` (leads to similar submissions; --no-similarity skips it), and keeps
every finished run in ``results/`` (the seed in ``batch.json``): run the same command again
after an interruption and only what is missing runs; the grades come out the same.
With --dask the same sandboxed runs happen on Dask workers (local:2 = two worker processes
here; tls://HOST:PORT = a cluster, see INSTRUCTORS.md); the grades are the same as the local pool's.
A run whose worker is lost is tried once more elsewhere; one that loses two workers scores 0 and
says so (and runs again on the next re-run).
"""
from __future__ import annotations

import argparse
import json
import re
import secrets
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ... import cli, exercises, questions
from ...checks import CHECKDATA_DIR
from ..export import class_view, feedback_html, report
from ..export.safe import terminal_text
from ..layout import ROOT, solutions_in
from . import cgroup, classroll, regrade, runner, written
from .rows import student_rows
from .progress import Progress
from .discover import Submission, UsageError, discover, similar_names
from . import dask_backend
from .backend import Backend, Job, LocalBackend
from .sandbox import Limits, SandboxError, find_bwrap
from .score import Outcome, cell_labels, score
from .store import Store, batch_seed, code_fingerprint, record_key, stored_seed

__all__ = ["grade", "main", "UsageError"]


def _reference(key: str, path: Path, inputs: dict, settings: runner.Settings) -> dict:
    """The solution's results on the hidden inputs (trusted: run without a sandbox, never sent into one)."""
    try:
        rep, results = runner.run(path, key, inputs, settings, trusted=True)
    except runner.SubmissionError as e:
        raise UsageError(f"solution {path}: {e}") from e
    errors = [e for e in rep.get("errors", []) if e[1] != "CheckDataMissing"]
    timeouts, died = rep.get("timeouts", []), rep.get("died", [])
    if isinstance(results, str) or errors or timeouts or died:
        why = [results] if isinstance(results, str) else []
        why += [f"cell(s) {timeouts} passed the per-cell time limit of {settings.cell_timeout} s "
                "(raise it with --cell-timeout)"] if timeouts else []
        why += [f"the kernel died in cell(s) {died}"] if died else []
        why += [f"errors: {errors}"] if errors else []
        raise UsageError(f"solution {path} did not run cleanly: {'; '.join(why)}")
    return results


def _run_or_reuse(sub: Submission, data: bytes, number: int, inputs: dict, settings: runner.Settings,
                  backend: Backend, store: Store | None, keyed: dict) -> tuple[dict, object]:
    """The run of ``data`` (the submission's bytes): its record from the store when there is one, else a run
    on the backend, then kept."""
    job = Job(data, sub.key, inputs[sub.key], settings, number, label=f"{sub.path.parent.name}/{sub.path.name}")
    if store is None:
        return runner.interpret(backend.submit(job).result())
    key = record_key(data, keyed["solutions"][sub.key], keyed["seed"], keyed["settings"], keyed["code"])
    found = None if id(sub) in keyed.get("only", ()) else store.get(key)
    if found is not None:
        keyed["reused"].append(sub.path.name)
        return found
    rep, results = runner.interpret(backend.submit(job).result())
    if not rep.get("stopped"):  # a run the backend lost (its workers killed) is tried again next time
        store.put(key, rep, results)
    return rep, results


def _code_cells(data: bytes, specs: list) -> list[str] | None:
    """The notebook's code cells as text, for the exercises that state a rule about their code (else None)."""
    if not any(ex.forbid is not None for ex in specs):
        return None
    try:
        cells = json.loads(data).get("cells", [])
    except (ValueError, AttributeError, RecursionError, UnicodeDecodeError):
        return None
    return [c["source"] if isinstance(c.get("source"), str) else "".join(map(str, c.get("source", [])))
            for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]


def _grade_one(sub: Submission, number: int, inputs: dict, references: dict, points: dict,
               settings: runner.Settings, backend: Backend, store: Store | None = None,
               keyed: dict | None = None) -> Outcome:
    """Run (or reuse the stored run of) and score one notebook; any failure becomes its status, never an exception."""
    start = time.monotonic()
    specs, items = exercises.for_notebook(sub.key), questions.graded_items(sub.key)
    try:
        data = runner.read_notebook(sub.path)  # read once: what ran is what is scored and collected
        rep, results = _run_or_reuse(sub, data, number, inputs, settings, backend, store, keyed or {})
        outcome = score(specs, points, references[sub.key], results, rep, inputs[sub.key], _code_cells(data, specs),
                        questions.for_notebook(sub.key), cell_labels(data))
        outcome.written = written.collect(data, items)
    except runner.SubmissionError as e:
        outcome = Outcome(scores={ex.id: 0.0 for ex in items}, status=[str(e)])
    except Exception as e:  # the grader's own failure on this submission: say so, grade the others
        outcome = Outcome(scores={ex.id: 0.0 for ex in items},
                          status=[f"grading failed ({type(e).__name__}: {str(e)[:200]}); please report it"])
    outcome.status = sub.notes + outcome.status
    outcome.seconds = time.monotonic() - start
    return outcome


def grade(paths: list[Path], *, solutions: Path, out: Path, jobs: int = 1, cell_timeout: int = 60,
          total_timeout: int = 600, points: dict | None = None, seed: int | None = None, spec_file: str | None = None,
          sandbox: bool = True, limits: Limits | None = None, assignments: list[str] | None = None,
          fresh: bool = False, dask: str | None = None, security: dict | None = None, log=print,
          progress=None, klass: classroll.ClassOptions | None = None, only: list[str] | None = None) -> Path:
    """Grade everything; returns the path of the CSV. Raises :class:`UsageError` on misuse.

    Finished runs are kept in ``out/results`` and reused by the next run of the same batch (same
    seed, which is kept in ``out/batch.json`` unless ``seed`` is given); ``fresh`` ignores both.
    ``dask`` (``local[:N]`` or a scheduler address, with ``security`` for ``tls://``; see
    :mod:`.dask_backend`) runs the submissions on a Dask cluster instead of this machine's threads.
    ``only`` (student names) runs just those students' notebooks again, and takes every other
    submission's run from the store; it refuses (before running anything) when one is not there.
    """
    if spec_file:
        spec_file = str(Path(spec_file).resolve())
        exercises.load_spec_file(spec_file)
    points, limits = points or {}, limits or Limits()
    if klass:
        klass.validate()
    by_key = dict(solutions_in(solutions))
    if not by_key:
        raise UsageError(f"no solution notebooks (like 04_topic.ipynb) in {solutions}")
    bwrap = None
    if dask and not sandbox:
        raise UsageError("--dask runs submissions only in the sandbox: drop --unsafe-no-sandbox")
    if sandbox and not dask:
        try:
            bwrap = find_bwrap()
        except SandboxError as e:
            raise UsageError(str(e)) from e
    skipped: list[str] = []
    subs = discover(paths, set(by_key), {k: p.stem[3:] for k, p in by_key.items()}, skipped)
    if skipped:  # entries no student is told about: said here and kept beside grades.csv
        Path(out).mkdir(parents=True, exist_ok=True)
        report.write_atomic(Path(out) / "skipped.txt", "".join(terminal_text(line) + "\n" for line in skipped))
        for line in skipped:
            log(terminal_text(f"skipped: {line}"))
    keys = sorted(set(assignments) if assignments else {s.key for s in subs if s.key and s.skip is None})
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise UsageError(f"no solution for notebook(s) {', '.join(unknown)} in {solutions}")
    try:  # the instructor's marks are read (and checked) before anything runs
        marks = written.load(out, {w.id: points.get(w.id, w.points) for k in keys
                                   for w in questions.written_for_notebook(k)})
    except written.ReviewError as e:
        raise UsageError(str(e)) from e
    if only and seed is not None and stored_seed(out) not in (None, seed):  # checked before batch.json changes
        raise UsageError(f"--only reuses the batch's finished runs, drawn with its seed {stored_seed(out)} (kept in "
                         f"{Path(out) / 'batch.json'}): drop --seed {seed}")
    seed = batch_seed(out, seed, fresh, lambda: secrets.randbelow(2**31))
    settings = runner.Settings(cell_timeout=cell_timeout, total_timeout=total_timeout, threads=1 if jobs > 1 else 2,
                               limits=limits, spec_file=spec_file,
                               deny_read=[str(Path(p).resolve()) for p in [solutions, out, CHECKDATA_DIR, *paths]])
    inputs = {key: {ex.id: ex.make_cases(seed + int(key) * 1000 + n) for n, ex in enumerate(exercises.for_notebook(key))}
              for key in keys}
    todo = [s for s in subs if s.skip is None and s.key in keys]
    store = Store(out)  # --fresh too keeps its runs (the old ones are deleted below), so it can be resumed
    keyed = {"seed": seed, "reused": [], "code": code_fingerprint(extra=spec_file),
             "solutions": {k: by_key[k].read_bytes() for k in keys},
             "settings": {"cell_timeout": cell_timeout, "total_timeout": total_timeout, "sandbox": sandbox,
                          "memory": limits.memory, "tasks": limits.tasks, "file_size": limits.file_size}}
    if only:
        keyed["only"] = regrade.chosen(only, todo, klass, fresh,
                                       lambda s: store.has(record_key(runner.read_notebook(s.path), keyed["solutions"][s.key],
                                                                      keyed["seed"], keyed["settings"], keyed["code"])))
        log(f"--only: the notebooks of {terminal_text(', '.join(only))} run again; the others' stored runs are reused")
    if fresh and (Path(out) / "results").is_dir():
        shutil.rmtree(Path(out) / "results")  # --fresh: the old records would never match again
    log(f"grading {len(todo)} notebook(s) of {len({s.student for s in subs})} student(s) against {solutions} "
        f"with seed {seed}, " + (f"on the Dask cluster {dask}" if dask else f"{jobs} at a time"))
    backend = (dask_backend.DaskBackend(dask, security or {}, log) if dask
               else LocalBackend(jobs, limits, spec_file, bwrap))
    with backend, ThreadPoolExecutor(max_workers=max(1, jobs, backend.slots)) as pool:
        settings.cgroups = cgroup.available()  # here; a Dask worker finds out for itself
        if sandbox and not dask:
            log(f"sandbox: bubblewrap; memory {limits.memory / 2**30:g} GiB per process"
                + (" and in all (cgroup)" if settings.cgroups else " (no cgroup here: per process only)")
                + f", {limits.tasks} tasks, files up to {limits.file_size // 2**20} MiB")
        elif not sandbox:
            log("WARNING: --unsafe-no-sandbox: submissions run with the instructor's rights (see INSTRUCTORS.md)")
        refs = dict(zip(keys, pool.map(lambda k: _reference(k, by_key[k], inputs[k], settings), keys)))
        log(f"solutions run for notebook(s) {', '.join(keys) or '-'}")
        bar = Progress(len(todo), progress)

        def one(numbered):
            number, sub = numbered
            outcome = _grade_one(sub, number, inputs, refs, points, settings, backend, store, keyed)
            total = sum(outcome.scores.values())
            bar.step(terminal_text(f"{sub.student} {sub.path.name}: {total:g} ({outcome.seconds:.1f} s)"))
            return id(sub), outcome

        graded = dict(pool.map(one, enumerate(todo)))
    if keyed["reused"]:
        log(f"{len(keyed['reused'])} of {len(todo)} notebook(s) were already graded in this batch: their stored "
            f"runs in {Path(out) / 'results'} were reused (--fresh runs everything again)")
    return _write(out, subs, graded, keys, points, log, klass, marks, {k: by_key[k] for k in keys})


def _write(out: Path, subs: list, graded: dict, keys: list[str], points: dict, log, klass=None,
           marks: dict | None = None, solutions: dict | None = None) -> Path:
    rows = student_rows(subs, graded, keys, points)
    orphans = written.merge(out, rows, marks or {})  # before late penalties and overrides, which apply to them too
    if orphans:
        log(terminal_text(f"{written.NAME}: {len(orphans)} mark(s) match no answer of this batch (a student renamed or "
                          f"gone, a notebook not graded now), kept as 'no longer graded': {'; '.join(orphans[:5])}"
                          + (" ..." if len(orphans) > 5 else "")))
    rows = classroll.apply(rows, subs, keys, points, klass, log)
    similar = similar_names(list(rows))
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    (out / "feedback-zips").mkdir(exist_ok=True)
    table = []
    for student, entries in rows.items():
        scores = {k: v for _, _, _, o in entries for k, v in o.scores.items()}
        status = [(f"{name}: " if len(entries) > 1 else "") + s for name, _, _, o in entries for s in o.status]
        if student in similar:
            status.append(f"name differs only in case or accents from {', '.join(similar[student])} (kept apart)")
        name = report.feedback_name(student)
        markdown, page = report.feedback_text(student, entries), feedback_html.feedback_html(student, entries)
        report.write_atomic(out / "feedback" / name, markdown)
        stem = name[:-3]
        report.write_atomic(out / "feedback" / f"{stem}.html", page)
        report.write_atomic(out / "feedback-zips" / f"{stem}.zip", feedback_html.feedback_zip(stem, markdown, page))
        table.append({"student": student, "scores": scores, "total": sum(scores.values()), "feedback": name,
                      "possible": sum(points.get(ex.id, ex.points) for _, specs, _, _ in entries for ex in specs),
                      "status": status})
    all_ids = [ex.id for key in keys for ex in questions.graded_items(key)]
    csv_path = out / "grades.csv"
    report.write_atomic(csv_path, report.grades_csv(all_ids, table))
    classroll.write_exports(out, rows, keys, points, klass, log)
    class_view.write(out, rows, subs, keys, solutions or {}, klass, log=log)
    log(f"wrote {csv_path}, {len(rows)} feedback page(s) (.md, .html) in {out / 'feedback'}"
        f" and one zip of both per student in {out / 'feedback-zips'}")
    return csv_path


def _size(text: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)i?B?", text.strip(), re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a size like 4G or 512M")
    return int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m helpers.instructor.grade", __doc__,
                                problems="(not used: grading ran is 0, whatever the students' notebooks did)")
    parser.add_argument("submissions", nargs="+", type=Path, help="notebooks, or folders of them")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions", help="default: solutions/")
    parser.add_argument("--out", type=Path, default=Path("grading-output"), help="default: grading-output/")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    parser.add_argument("--submission-timeout", type=int, default=600,
                        help="seconds per submission in all (default 600)")
    cli.add_renamed(parser, "--timeout", "--submission-timeout", type=int)
    parser.add_argument("--memory", type=_size, default=Limits.memory, help="memory per submission (default 4G)")
    parser.add_argument("--max-tasks", type=int, default=Limits.tasks, help="processes+threads (default 256)")
    parser.add_argument("--max-file-size", type=_size, default=Limits.file_size, help="default 256M")
    parser.add_argument("--assignments", nargs="+", metavar="NN",
                        help="notebook numbers graded (default: every number found in the submissions)")
    parser.add_argument("--points", type=Path, help='JSON file {"04.1-sigmoid": 2, ...}; default 1 per exercise')
    parser.add_argument("--seed", type=int, help="seed of the hidden inputs (default: the one this output folder's "
                                                  "batch used, kept in OUT/batch.json; a new one for a new folder)")
    parser.add_argument("--fresh", action="store_true",
                        help="run every submission again: ignore the finished runs kept in OUT/results and the "
                             "batch's stored seed (by default a re-run after an interruption runs only what is "
                             "missing and writes the same grades.csv)")
    parser.add_argument("--only", nargs="+", metavar="STUDENT",
                        help="run only these students' notebooks again (a resubmission, a regrade request); every "
                             "other submission's finished run in OUT/results is reused, and all outputs are rewritten")
    parser.add_argument("--specs", help="extra exercise spec file (notebooks outside the course)")
    dask_backend.add_options(parser)
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="UNSAFE: run submissions without bubblewrap, with your rights (trusted notebooks only)")
    group = parser.add_argument_group("class", "roster, deadlines and overrides (see INSTRUCTORS.md)")
    group.add_argument("--roster", type=Path, help="roster.csv: match submissions to students, list who handed in nothing")
    group.add_argument("--deadlines", type=Path, help="deadlines.toml: due dates, grace, late policy, extensions")
    group.add_argument("--collect-manifest", type=Path, help='JSON {"student_id": {"03": "ISO time"}}: submission times')
    group.add_argument("--overrides", type=Path, help="overrides.csv: student,item,points,delta,reason; applied on every run")
    group.add_argument("--no-similarity", action="store_true", help="skip similarity.html (the copy leads)")
    args = parser.parse_args(argv)
    try:
        if args.jobs < 1 or args.cell_timeout < 1 or args.submission_timeout < 1 or args.max_tasks < 16:
            raise UsageError("--jobs, --cell-timeout and --submission-timeout must be positive, "
                             "--max-tasks at least 16")
        if args.specs:
            exercises.load_spec_file(args.specs)
        points = None
        if args.points:
            try:
                points = json.loads(args.points.read_text())
            except (OSError, ValueError) as e:
                raise UsageError(f"{args.points}: cannot read points ({e}); expected JSON like "
                                 f'{{"04.1-sigmoid": 2}}') from e
            known = {ex.id for key, _ in solutions_in(args.solutions) for ex in questions.graded_items(key)}
            unknown = sorted(set(points) - known)
            if unknown:
                raise UsageError(f"{args.points}: unknown exercise id(s) {unknown}")
        limits = Limits(memory=args.memory, tasks=args.max_tasks, file_size=args.max_file_size,
                        disk=max(Limits.disk, args.max_file_size))
        security = dask_backend.options_security(args)
        grade(args.submissions, solutions=args.solutions, out=args.out, jobs=args.jobs,
              cell_timeout=args.cell_timeout, total_timeout=args.submission_timeout, points=points, seed=args.seed,
              spec_file=args.specs, sandbox=not args.unsafe_no_sandbox, limits=limits, assignments=args.assignments,
              fresh=args.fresh, dask=args.dask, security=security, only=args.only,
              klass=classroll.ClassOptions(args.roster, args.deadlines, args.collect_manifest, args.overrides,
                                           similarity=not args.no_similarity))
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return cli.USAGE
    return cli.OK


if __name__ == "__main__":
    sys.exit(main())
