"""Strict nbval as on another machine: every solution prints the same under a foreign BLAS and SIMD set-up.

The native pass runs in the suite itself (``make test`` collects ``solutions/``); this test is the
second pass, under ``scripts/foreign_env.py``'s default configuration (another OpenBLAS kernel
family, AVX-512 off, one BLAS thread), run as a separate pytest so that its kernels start with those
variables. It is a test of its own so that ``pytest -n`` runs it beside the rest of the suite.
"""
import os
import re
import subprocess
import sys

from conftest import ROOT

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]


def test_the_makefile_runs_nbval_with_the_same_options():
    flags = re.search(r"^NBVAL\s*:=\s*(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert flags and flags.group(1).split() == NBVAL, "keep NBVAL in the Makefile and in this file alike"


def test_solutions_print_the_same_on_another_machine():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "JPY_"))}
    cmd = [sys.executable, "scripts/foreign_env.py", "--", sys.executable, "-m", "pytest", "-q", *NBVAL, "solutions"]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    report = (run.stderr + run.stdout).strip().splitlines()
    assert run.returncode == 0, "strict nbval under " + report[0] + " failed:\n" + "\n".join(report[-150:])
    assert re.search(r"\d+ passed", report[-1]) and "failed" not in report[-1], report[-1]
