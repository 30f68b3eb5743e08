"""Grade submitted notebooks against the solutions — one command for a whole class.

    python -m helpers.instructor.grade submissions/ --jobs 2 --out grading-output/

SUBMISSIONS may be notebook files, a folder of notebooks (one student each, named
by file), or a folder of folders (one student each, named by folder). A notebook is
matched to its solution by the two-digit number its file name starts with or
contains (``04_neural_network.ipynb``, ``alice-04.ipynb``).

Each submission runs in its own fresh kernel in a temporary working directory, with
a per-cell and a total time limit. Every exercise is then called on inputs drawn
for this run (seed printed), in the student's kernel; the values come back as data
and are compared, here, with what the solution notebook returns on the same inputs.
Writes ``grades.csv`` (one row per student) and ``feedback/<student>.md``.
Exit status: 0 when grading ran (whatever the students' notebooks did), 2 on misuse.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import exercises, serialize
from .build import ROOT, solutions_in
from ..checks import judge

FEEDBACK_LIMIT = 3  # failing cases described per exercise


class UsageError(ValueError):
    """Bad arguments or a broken solution: grading cannot start."""


@dataclass
class Submission:
    student: str
    path: Path
    key: str | None = None


@dataclass
class Outcome:
    scores: dict = field(default_factory=dict)      # exercise id -> points earned
    notes: dict = field(default_factory=dict)       # exercise id -> lines of feedback
    status: list = field(default_factory=list)      # problems with the run as a whole
    seconds: float = 0.0


# ---------------------------------------------------------------- finding submissions
def _key_for(path: Path, keys: set[str]) -> str | None:
    for number in re.findall(r"(?<!\d)(\d\d)(?!\d)", path.stem):
        if number in keys:
            return number
    return None


def discover(paths: list[Path], keys: set[str]) -> list[Submission]:
    """Expand the command-line paths into submissions (student, notebook)."""
    subs = []
    for p in paths:
        if p.is_file():
            if p.suffix != ".ipynb":
                raise UsageError(f"{p}: not a notebook (.ipynb)")
            subs.append(Submission(p.stem, p))
        elif p.is_dir():
            notebooks = sorted(p.glob("*.ipynb"))
            folders = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith("."))
            subs += [Submission(nb.stem, nb) for nb in notebooks]
            for d in folders:
                subs += [Submission(d.name, nb) for nb in sorted(d.glob("*.ipynb"))]
        else:
            raise UsageError(f"{p}: no such file or folder")
    if not subs:
        raise UsageError(f"no notebooks found in {', '.join(map(str, paths))}")
    for s in subs:
        s.key = _key_for(s.path, keys)
    return subs


# ---------------------------------------------------------------- running one notebook
def _kernel_env(workdir: Path, threads: int, spec_file: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_", "PYTEST"))}
    if spec_file:
        env["COURSE_EXTRA_SPECS"] = spec_file
    (workdir / "tmp").mkdir(exist_ok=True)
    n = str(threads)
    env.update(HOME=str(workdir), TMPDIR=str(workdir / "tmp"), MPLCONFIGDIR=str(workdir / ".mpl"),
               IPYTHONDIR=str(workdir / ".ipython"), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="agg",
               OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n, MKL_NUM_THREADS=n, PYTHONWARNINGS="default")
    return env


def execute(notebook: Path, key: str, inputs: dict, *, cell_timeout: int, total_timeout: int, guard: bool,
            deny_read: list[str], spec_file: str | None, threads: int) -> tuple[dict, object]:
    """Run one notebook in a worker process; returns (report, results or an error string)."""
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        tmp = Path(tmp)
        workdir, private = tmp / "work", tmp / "private"
        workdir.mkdir()
        private.mkdir()
        nb_copy = private / "submission.ipynb"
        shutil.copyfile(notebook, nb_copy)
        serialize.save(workdir / "inputs.npz", inputs)
        job = {"notebook": str(nb_copy), "workdir": str(workdir), "cell_timeout": cell_timeout,
               "report": str(private / "report.json"),
               "harvest": {"notebook": key, "inputs": str(workdir / "inputs.npz"),
                           "out": str(workdir / "results.npz"), "spec_file": spec_file},
               "guard": {"workdir": str(workdir), "deny_read": deny_read + [str(private)]} if guard else None,
               "env": _kernel_env(workdir, threads, spec_file)}
        (private / "job.json").write_text(json.dumps(job))
        proc = subprocess.Popen([sys.executable, "-m", "helpers.instructor.execute", str(private / "job.json")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=total_timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            return {"total_timeout": True}, f"stopped at the total time limit of {total_timeout} s"
        try:
            report = json.loads((private / "report.json").read_text())
        except (OSError, ValueError):
            return {}, f"the grading worker failed (exit status {proc.returncode})"
        if not report.get("harvested"):
            return report, report.get("harvest_error") or "no results could be collected"
        try:
            return report, serialize.load(workdir / "results.npz")
        except ValueError as e:
            return report, f"results unreadable: {e}"


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill the worker and its kernel (which runs in a session of its own)."""
    import signal

    try:
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    except OSError:
        children = []
    for pid in children:
        try:
            os.killpg(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


# ---------------------------------------------------------------- scoring
def score(specs: list, points: dict, reference: dict, results, report: dict, inputs: dict | None = None) -> Outcome:
    """Compare a submission's results with the solution's on the same inputs; all in this process."""
    out = Outcome()
    if report.get("errors") and report["errors"][0][1] == "InvalidNotebook":
        out.status.append(f"invalid notebook: {report['errors'][0][2]}")
    else:
        if report.get("died"):
            out.status.append(f"kernel died in cell(s) {report['died']} (sys.exit/os._exit or a crash); "
                              f"re-ran without them")
        if report.get("timeouts"):
            out.status.append(f"cell(s) {report['timeouts']} interrupted at the per-cell time limit")
        if report.get("errors"):
            cells = ", ".join(f"{i} ({name})" for i, name, _ in report["errors"][:8])
            out.status.append(f"cells raised errors: {cells}")
        if report.get("output_dropped"):
            out.status.append("output flood: outputs beyond the limit were dropped")
        if report.get("stderr"):
            out.status.append(f"cell(s) {report['stderr'][:8]} wrote to stderr (warnings?)")
    if isinstance(results, str):
        if not out.status or not out.status[0].startswith("invalid"):
            out.status.append(results)
    for ex in specs:
        pts = points.get(ex.id, ex.points)
        ref_cases = reference[ex.id]["cases"]
        got = results.get(ex.id) if isinstance(results, dict) else None
        if not isinstance(got, dict) or "cases" not in got:
            reason = got.get("missing") if isinstance(got, dict) else "not evaluated (see status)"
            out.scores[ex.id], out.notes[ex.id] = 0.0, [str(reason)]
            continue
        problems = []
        for i, ref in enumerate(ref_cases):
            case = got["cases"][i] if i < len(got["cases"]) else {"out": serialize.RaisedError("Missing", "")}
            args = (inputs or {}).get(ex.id, [()] * len(ref_cases))[i]
            p = judge(ex, ref["out"], case if isinstance(case, dict) else {"out": case}, args)
            if p:
                problems.append((i, p))
        passed = len(ref_cases) - len(problems)
        out.scores[ex.id] = round(pts * passed / len(ref_cases), 4)
        notes = [f"{passed} of {len(ref_cases)} hidden checks passed"]
        seen = set()
        for i, p in problems:
            kind = re.sub(r"[\d.]+", "#", p.cause.split(":")[0])  # "transposed", "expected #, got #": once each
            if kind in seen or len(seen) == FEEDBACK_LIMIT:
                continue
            seen.add(kind)
            detail = p.cause.startswith("not implemented") or p.expected in p.cause
            notes.append(f"check {i + 1}: {p.cause}" + ("" if detail else f" — expected {p.expected}; got {p.got}"))
        out.notes[ex.id] = notes
    return out


# ---------------------------------------------------------------- the command
def _write_feedback(path: Path, student: str, rows: list) -> None:
    lines = [f"# Feedback for {student}", ""]
    for sub, specs, points, outcome in rows:
        total = sum(outcome.scores.values())
        possible = sum(points.get(ex.id, ex.points) for ex in specs)
        lines += [f"## {sub.path.name}", "", f"Score: {total:g} / {possible:g}", ""]
        if outcome.status:
            lines += ["Run:"] + [f"- {s}" for s in outcome.status] + [""]
        for ex in specs:
            pts = points.get(ex.id, ex.points)
            mark = "✔" if outcome.scores.get(ex.id) == pts else "✘"
            lines.append(f"- {mark} **{ex.id}** ({outcome.scores.get(ex.id, 0):g}/{pts:g}): "
                         + "; ".join(outcome.notes.get(ex.id, [])))
        lines.append("")
    path.write_text("\n".join(lines))


def grade(paths: list[Path], *, solutions: Path, out: Path, jobs: int = 1, cell_timeout: int = 60,
          total_timeout: int = 600, points: dict | None = None, seed: int | None = None, spec_file: str | None = None,
          sandbox: bool = True, log=print) -> Path:
    """Grade everything; returns the path of the CSV. Raises :class:`UsageError` on misuse."""
    if spec_file:
        spec_file = str(Path(spec_file).resolve())
        exercises.load_spec_file(spec_file)
    points = points or {}
    by_key = dict(solutions_in(solutions))
    if not by_key:
        raise UsageError(f"no solution notebooks (like 04_topic.ipynb) in {solutions}")
    subs = discover(paths, set(by_key))
    seed = secrets.randbelow(2**31) if seed is None else seed
    keys = sorted({s.key for s in subs if s.key})
    log(f"grading {len(subs)} notebook(s) against {solutions} with seed {seed}, {jobs} at a time")
    deny = [str(Path(solutions).resolve()), str(Path(out).resolve())]
    threads = 1 if jobs > 1 else 2
    run = dict(cell_timeout=cell_timeout, total_timeout=total_timeout, deny_read=deny, spec_file=spec_file,
               threads=threads)

    inputs, references = {}, {}
    for key in keys:
        specs = exercises.for_notebook(key)
        inputs[key] = {ex.id: ex.make_cases(seed + int(key) * 1000 + n) for n, ex in enumerate(specs)}

    def reference(key):
        report, results = execute(by_key[key], key, inputs[key], guard=False, **run)
        # a check cell without recorded check data (a notebook outside the course) is not a broken solution
        errors = [e for e in report.get("errors", []) if e[1] != "CheckDataMissing"]
        if isinstance(results, str) or errors:
            raise UsageError(f"solution {by_key[key]} did not run cleanly: {results if isinstance(results, str) else errors}")
        references[key] = results

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(reference, keys))
    log(f"solutions run for notebook(s) {', '.join(keys) or '-'}")

    done, lock = [0], threading.Lock()

    def one(sub: Submission):
        start = time.monotonic()
        if sub.key is None:
            outcome = Outcome(status=[f"cannot tell which notebook {sub.path.name} is: its name must contain "
                                      f"one of {', '.join(sorted(by_key))}"])
            specs = []
        else:
            specs = exercises.for_notebook(sub.key)
            report, results = execute(sub.path, sub.key, inputs[sub.key], guard=sandbox, **run)
            outcome = score(specs, points, references[sub.key], results, report, inputs[sub.key])
        outcome.seconds = time.monotonic() - start
        with lock:
            done[0] += 1
            total = sum(outcome.scores.values())
            possible = sum(points.get(ex.id, ex.points) for ex in specs)
            log(f"[{done[0]}/{len(subs)}] {sub.student} {sub.path.name}: {total:g}/{possible:g} "
                f"({outcome.seconds:.1f} s){' — ' + outcome.status[0] if outcome.status else ''}")
        return sub, specs, outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = list(pool.map(one, subs))

    out.mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(exist_ok=True)
    all_ids = [ex.id for key in keys for ex in exercises.for_notebook(key)]
    students: dict[str, list] = {}
    for sub, specs, outcome in graded:
        students.setdefault(sub.student, []).append((sub, specs, points, outcome))
    csv_path = out / "grades.csv"
    tmp_csv = out / ".grades.csv.tmp"
    with open(tmp_csv, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *all_ids, "total", "possible", "percent", "status"])
        for student, rows in students.items():
            scores = {k: v for _, _, _, o in rows for k, v in o.scores.items()}
            possible = sum(points.get(ex.id, ex.points) for _, specs, _, _ in rows for ex in specs)
            total = sum(scores.values())
            status = "; ".join((f"{sub.path.name}: " if len(rows) > 1 else "") + re.sub(r"\s+", " ", s)[:300]
                               for sub, _, _, o in rows for s in o.status) or "ok"
            writer.writerow([student, *(f"{scores[i]:g}" if i in scores else "" for i in all_ids), f"{total:g}",
                             f"{possible:g}", f"{100 * total / possible:.1f}" if possible else "0.0", status])
            _write_feedback(out / "feedback" / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', student)}.md", student, rows)
    os.replace(tmp_csv, csv_path)
    log(f"wrote {csv_path} and {len(students)} feedback file(s) in {out / 'feedback'}")
    return csv_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.instructor.grade", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("submissions", nargs="+", type=Path, help="notebooks, or folders of them")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions", help="default: solutions/")
    parser.add_argument("--out", type=Path, default=Path("grading-output"), help="default: grading-output/")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per submission in all (default 600)")
    parser.add_argument("--points", type=Path, help='JSON file {"04.1-sigmoid": 2, ...}; default 1 per exercise')
    parser.add_argument("--seed", type=int, help="seed of the hidden inputs (default: a new one each run)")
    parser.add_argument("--specs", help="extra exercise spec file (notebooks outside the course)")
    parser.add_argument("--no-sandbox", action="store_true", help="do not install the in-kernel guard")
    args = parser.parse_args(argv)
    try:
        if args.jobs < 1 or args.cell_timeout < 1 or args.timeout < 1:
            raise UsageError("--jobs, --cell-timeout and --timeout must be positive")
        if args.specs:
            exercises.load_spec_file(args.specs)
        points = None
        if args.points:
            try:
                points = json.loads(args.points.read_text())
            except (OSError, ValueError) as e:
                raise UsageError(f"{args.points}: cannot read points ({e}); expected JSON like "
                                 f'{{"04.1-sigmoid": 2}}') from e
            known = {ex.id for key, _ in solutions_in(args.solutions) for ex in exercises.for_notebook(key)}
            unknown = sorted(set(points) - known)
            if unknown:
                raise UsageError(f"{args.points}: unknown exercise id(s) {unknown}")
        grade(args.submissions, solutions=args.solutions, out=args.out, jobs=args.jobs,
              cell_timeout=args.cell_timeout, total_timeout=args.timeout, points=points, seed=args.seed,
              spec_file=args.specs, sandbox=not args.no_sandbox)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
