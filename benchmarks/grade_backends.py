"""Wall time of one grading batch through the local pool and through ``--dask local:2``, and the store's resume cost.

A measurement, not a test: run it on a quiet machine.

    .venv/bin/python benchmarks/grade_backends.py [--copies 6] [--workers 2]

The batch is ``--copies`` copies of the solution of notebook 03 (each with its own metadata, so the
results store does not see one notebook handed in several times), graded with the same seed:
1. the local pool, ``--jobs W``; 2. ``--dask local:W``; 3. the first command again, every run kept in
OUT/results (the resume cost: the solution's run, staging the sandbox, scoring). It prints the wall
times, the ratio Dask / pool, and the seconds one notebook costs one worker (pool minus resume, times
the workers, over the copies), from which it estimates
a class of 200 students x 5 notebooks on 1, 4 and 16 workers if every notebook cost what 03 does.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.instructor.grading import grade  # noqa: E402


def _batch(folder: Path, copies: int) -> Path:
    solution = json.loads((ROOT / "solutions" / "03_linear_regression.ipynb").read_text())
    subs = folder / "subs"
    for n in range(copies):
        solution["metadata"]["benchmark_copy"] = n
        (subs / f"student{n:02d}").mkdir(parents=True)
        (subs / f"student{n:02d}" / "03_linear_regression.ipynb").write_text(json.dumps(solution))
    return subs


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    if grade.main(argv) != 0:
        raise SystemExit(f"grading failed: {argv}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subs = _batch(Path(tmp), args.copies)
        common = [str(subs), "--seed", "1", "--fresh"]
        pool = _timed(common + ["--out", f"{tmp}/pool", "--jobs", str(args.workers)])
        dask = _timed(common + ["--out", f"{tmp}/dask", "--dask", f"local:{args.workers}"])
        resume = _timed([str(subs), "--out", f"{tmp}/pool", "--jobs", str(args.workers)])
        same = Path(f"{tmp}/pool/grades.csv").read_bytes() == Path(f"{tmp}/dask/grades.csv").read_bytes()
    per_notebook = max(pool - resume, 0.0) * args.workers / args.copies  # the fixed cost (solution, staging) apart
    print(f"{args.copies} copies of notebook 03, {args.workers} at a time")
    print(f"local pool   {pool:7.1f} s")
    print(f"dask local   {dask:7.1f} s   ratio dask / pool = {dask / pool:.2f} (grades identical: {same})")
    print(f"resume (all stored) {resume:5.1f} s   (the fixed cost: the solution's run, the sandbox's staging)")
    print(f"one notebook-03 run costs one worker about {per_notebook:.1f} s")
    for workers in (1, 4, 16):
        hours = 200 * 5 * per_notebook / workers / 3600
        print(f"200 students x 5 notebooks at that cost on {workers:2d} worker(s): {hours:5.1f} h")


if __name__ == "__main__":
    main()
