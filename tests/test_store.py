"""Nothing finished is lost: a batch interrupted at any point (the grader itself killed) runs only what is missing.

Toy course (tests/fixtures), sandboxed, one submission at a time; every run of a notebook is counted
by wrapping LocalBackend.run, which only a real execution reaches.
"""
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from helpers.instructor.grading import grade as grading
from helpers.instructor.grading.backend import LocalBackend
from toy import SPECS, small_batch, variant


@pytest.fixture(scope="module")
def batch(toy_course, tmp_path_factory):
    return small_batch(toy_course, tmp_path_factory.mktemp("store"))


def _grade(batch, out, *extra, count=None):
    args = [str(batch["subs"]), "--solutions", str(batch["course"]["solutions"]), "--specs", SPECS,
            "--out", str(out), "--jobs", "1", *extra]
    real = LocalBackend.run
    calls = []

    def counted(self, job):
        calls.append(job.label.split("/")[0])
        return real(self, job)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(batch["course"]["checkdata"]))
        mp.setattr(LocalBackend, "run", counted)
        assert grading.main(args) == 0
    return sorted(calls)


def test_a_rerun_reuses_every_finished_run_and_writes_the_same_grades(batch):
    out = batch["root"] / "again"
    assert _grade(batch, out) == ["ann", "ben", "cai", "dee"]
    first = (out / "grades.csv").read_bytes()
    assert _grade(batch, out) == []  # the seed came from batch.json, every run from results/
    assert (out / "grades.csv").read_bytes() == first
    assert _grade(batch, out, "--fresh") == ["ann", "ben", "cai", "dee"]
    assert _grade(batch, out) == []  # a --fresh run keeps its runs too: an interrupted one can be resumed


def test_a_changed_submission_runs_again_alone(batch, tmp_path):
    out = tmp_path / "out"
    subs = tmp_path / "subs"
    shutil.copytree(batch["subs"], subs)
    batch = dict(batch, subs=subs)
    _grade(batch, out, "--seed", "11")
    nb = subs / "cai" / "90_toy.ipynb"
    nb.write_text(variant((batch["subs"] / "ann" / "90_toy.ipynb").read_text(), extra_cells=[(2, "fixed = True")]))
    assert _grade(batch, out) == ["cai"]
    assert "cai,1,1,1" in (out / "grades.csv").read_text()


def test_the_grader_killed_half_way_loses_nothing(batch):
    """SIGKILL after the first record; the re-run executes only the others and matches an uninterrupted run."""
    whole = batch["root"] / "whole"
    _grade(batch, whole, "--seed", "5")
    out = batch["root"] / "killed"
    env = dict(os.environ, COURSE_CHECKDATA=str(batch["course"]["checkdata"]))
    proc = subprocess.Popen([sys.executable, "-m", "helpers.instructor.grade", str(batch["subs"]), "--solutions",
                             str(batch["course"]["solutions"]), "--specs", SPECS, "--out", str(out), "--jobs", "1",
                             "--seed", "5"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "results").glob("*.npz"))) < 1 and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list((out / "results").glob("*.npz")))
    assert 1 <= done < 4 and not (out / "grades.csv").exists(), "killed after the first record, before the end"
    rerun = _grade(batch, out)
    assert len(rerun) == 4 - done, rerun  # only the missing ones ran
    assert (out / "grades.csv").read_bytes() == (whole / "grades.csv").read_bytes()
