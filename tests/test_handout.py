"""The student hand-out: built twice identically, works unpacked on its own, gives no answer away.

The set-up tested is the student README's (`make setup` then `make data`, i.e. `make`
without starting JupyterLab), made fast and offline in two ways that leave the commands
themselves untouched: the bundle's `.venv` is created beforehand (without its own pip) with a
`.pth` file that makes the course's installed packages importable, so pip is already the newest,
`pip install -r requirements.txt -e .` finds every requirement satisfied and only builds and
installs the bundle's helpers (the package index is used only for the build's setuptools), and
MNIST is copied from the course's verified copy, so `python -m helpers.fetch` takes its
"files present" path and checks every MD5. The course's own editable install is not active in
the bundle's venv (its `.pth` hook is not processed there); a test checks that `helpers` is
imported from the bundle.
"""
from __future__ import annotations

import contextlib
import doctest
import io
import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises
from helpers.instructor.authoring import handout, handout_checks, handout_leaks, leaks
from helpers.instructor.authoring.build import solutions_in

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK, EXERCISE = "03_linear_regression.ipynb", "03.1-fit-line"
FORBIDDEN = ("solutions/", "tests/", "benchmarks/", "helpers/instructor/", "INSTRUCTORS.md", "__pycache__",
             ".pyc", ".ipynb_checkpoints", "grading-output/", ".venv/")


def _tree(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode & 0o777, int(p.stat().st_mtime))
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """Built twice into two temporary folders; the zip of the first is unpacked into a third."""
    outs = [tmp_path_factory.mktemp(f"build{k}") for k in (1, 2)]
    for out in outs:
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            status = handout.main(["--out", str(out / "handout"), "--zip", str(out / "course-handout.zip")])
        if status != 0:
            pytest.fail(f"the hand-out build refused:\n{errors.getvalue()}", pytrace=False)
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(outs[0] / "course-handout.zip") as z:
        z.extractall(unpacked)
    return {"outs": outs, "root": unpacked / "course-handout"}


def test_building_twice_gives_identical_folders_and_zips(bundle):
    first, second = (out / "course-handout.zip" for out in bundle["outs"])
    assert first.read_bytes() == second.read_bytes()
    trees = [_tree(out / "handout") for out in bundle["outs"]]
    assert trees[0] == trees[1]
    assert {mode for _, mode, _ in trees[0].values()} == {0o644}
    assert {mtime for _, _, mtime in trees[0].values()} == {_build_date()}  # the build's date, not 1980
    with zipfile.ZipFile(first) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in z.infolist()} == {time.gmtime(_build_date() // 2 * 2)[:6]}
        assert {n.removeprefix("course-handout/"): z.read(n) for n in names} == \
            {rel: data for rel, (data, _, _) in trees[0].items()}


def _build_date() -> int:
    """SOURCE_DATE_EPOCH if set, else the course's last commit date: what the hand-out stamps on every file."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    stamp = int(subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True,
                               text=True, check=True).stdout)
    assert stamp > 1_600_000_000
    return stamp


def test_the_bundle_holds_what_students_need_and_nothing_else(bundle):
    files = set(_tree(bundle["root"]))
    notebooks = {f"notebooks/{p.name}" for _, p in solutions_in(ROOT / "solutions")}
    assert notebooks and notebooks <= files
    assert {f"helpers/checkdata/{key}.npz" for key, _ in solutions_in(ROOT / "solutions")} <= files
    assert {"README.md", "Makefile", "pyproject.toml", "requirements.txt", "data/README.md", "helpers/checks.py",
            "helpers/fetch.py", "data/data_1d.csv", "data/data_2d.csv", "lab-settings/overrides.json"} <= files
    assert ("requirements.lock" in files) == (ROOT / "requirements.lock").is_file()
    assert not [f for f in files if any(bad in f for bad in FORBIDDEN)]
    assert not [f for f in files if f.startswith("data/mnist/") and f != "data/mnist/.gitkeep"]
    assert "instructor" not in (bundle["root"] / "pyproject.toml").read_text()
    assert not [name for name in ("Makefile", "README.md") if "@PYTHON_MIN@" in (bundle["root"] / name).read_text()]


def test_no_file_holds_solution_code_or_outputs(bundle):
    """The test's own walk over the unpacked files, with the token rule of :mod:`helpers.instructor.authoring.leaks`."""
    index, public = handout_leaks.solution_material(ROOT / "solutions")
    assert index, "no solution blocks found: the scan would prove nothing"
    generic, found = handout_leaks.public_ngrams([handout_leaks.GENERIC_CODE.read_text()]), []
    for path in sorted(bundle["root"].rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(bundle["root"]).as_posix()
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells), rel
            texts = ["".join(c["source"]) for c in cells]
        elif path.suffix == ".npz":
            texts = [text for _, text in handout_leaks._texts(rel, path.read_bytes())]
        else:
            texts = [path.read_text(encoding="utf-8")]
        for text in texts:
            assert "### BEGIN SOLUTION" not in text, rel
            found += [f"{rel}: {hit}" for hit in handout_leaks.scan_text(
                text, index, public, code_public=generic if path.suffix == ".py" else frozenset())]
    assert not found, "solution code in the hand-out:\n" + "\n".join(found)


def test_the_leak_scan_reads_inside_strings_and_excuses_only_what_is_public():
    index = {g: {"nb block 1"} for g in handout_leaks.ngrams(leaks.code_tokens("return np.linalg.solve(X.T @ X, X.T @ y)"))}
    hint = 'HINT = f"use np.linalg.solve(X.T @ X, X.T @ y)."\n'
    assert handout_leaks.scan_text(hint, index) == [
        "nb block 1: np . linalg . solve ( X . T @ X , X . T @ y ) (inside a string)"]
    same = handout_leaks.public_ngrams(["np.linalg.solve(X.T @ X, X.T @ y)"])
    assert handout_leaks.scan_text(hint, index, code_public=same)  # generic helper code never excuses a string
    assert not handout_leaks.scan_text("z = np.linalg.solve(X.T @ X, X.T @ y)", index, code_public=same)
    assert not handout_leaks.scan_text(hint, index, public=same)  # what the notebooks show anyway
    data = io.BytesIO()
    np.savez(data, message=np.array(["try np.linalg.solve(X.T @ X, X.T @ y)"]))
    assert [where for where, _ in handout_leaks._texts("helpers/checkdata/99.npz", data.getvalue())] == [
        "helpers/checkdata/99.npz:message.npy"]
    assert doctest.testmod(handout_leaks).failed == 0


def test_the_builder_refuses_a_notebook_with_answers_or_outputs():
    solution = (ROOT / "solutions" / NOTEBOOK).read_bytes()
    problems = handout_checks.check_notebooks({f"notebooks/{NOTEBOOK}": solution})
    assert any("solution or hidden-test block" in p for p in problems) and any("outputs" in p for p in problems)
    assert all(p.startswith(f"notebooks/{NOTEBOOK} cell ") for p in problems)


def test_the_builder_refuses_a_helper_that_needs_the_instructor_tools():
    bundle = {"helpers/__init__.py": b"", "helpers/checks.py": b"from .instructor.grade import main\nimport numpy\n"}
    problems = handout_checks.check_imports(bundle, "numpy>=2\n")
    assert problems == ["helpers/checks.py line 1: imports helpers.instructor.grade, which is instructor-only and not "
                        "in the hand-out; students' code must not depend on it"]
    assert handout_checks.check_imports({"notebooks/01_x.ipynb": json.dumps(
        {"cells": [{"cell_type": "code", "source": "import scipy"}]}).encode()}, "numpy\n") == [
        "notebooks/01_x.ipynb cell 0 line 1: imports scipy, which is neither in the standard library nor in "
        "requirements.txt; add it there"]


def _env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "JUPYTER", "JPY_", "PYTHON", "VIRTUAL_ENV", "PIP_", "COURSE_"))}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", MPLBACKEND="agg", HOME=str(root), PATH=os.path.dirname(sys.executable) + os.pathsep + env["PATH"])
    return env


@pytest.fixture(scope="module")
def installed(bundle):
    """The README's set-up (`make setup data`) run in the unpacked bundle, fast and offline (see the top)."""
    root = bundle["root"]
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True, timeout=120)
    purelib = subprocess.run([str(root / ".venv/bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "course-packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    for name in sorted(p.name for p in (ROOT / "data" / "mnist").glob("*.gz")):
        shutil.copy(ROOT / "data" / "mnist" / name, root / "data" / "mnist" / name)
    done = subprocess.run(["make", "setup", "data"], cwd=root, env=_env(root), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def test_set_up_installs_the_bundle_and_verifies_mnist(installed):
    where = subprocess.run([str(installed / ".venv/bin/python"), "-c", "import helpers.checks as c; print(c.__file__)"],
                           cwd="/", capture_output=True, text=True, env=_env(installed))
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr
    lab = subprocess.run(["make", "-n", "lab"], cwd=installed, capture_output=True, text=True, env=_env(installed))
    assert "-m jupyterlab" in lab.stdout and "default_url=/lab/tree/notebooks" in lab.stdout
    # the course's JupyterLab settings (no news pop-up) are installed before JupyterLab starts
    assert "cp lab-settings/overrides.json .venv/share/jupyter/lab/settings/" in lab.stdout


def _cell_defining(notebook: dict, name: str) -> str:
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return next(s for s in sources if f"def {name}(" in s or f"class {name}" in s)


def test_set_up_cell_and_self_check_run_in_a_fresh_kernel(installed):
    """Notebook 03's set-up cell, then its first self-check on the stub and on the solution's answer."""
    student = json.loads((installed / "notebooks" / NOTEBOOK).read_text())
    solution = json.loads((ROOT / "solutions" / NOTEBOOK).read_text())
    code = [c for c in student["cells"] if c["cell_type"] == "code"]
    check_cell = next("".join(c["source"]) for c in code if f'check("{EXERCISE}"' in "".join(c["source"]))
    cells = ["".join(code[0]["source"]), _cell_defining(student, "fit_line"), check_cell,
             _cell_defining(solution, "fit_line"), check_cell,
             "import helpers; print(helpers.__file__)"]
    script = textwrap.dedent("""
        import json, sys
        import nbformat
        from nbclient import NotebookClient
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in json.loads(sys.argv[1])])
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
        print(json.dumps(["".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in c.outputs)
                          for c in nb.cells]))
    """)
    done = subprocess.run([str(installed / ".venv/bin/python"), "-c", script, json.dumps(cells)],
                          cwd=installed / "notebooks", env=_env(installed), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = json.loads(done.stdout.splitlines()[-1])
    assert "not implemented yet" in outputs[2] and "✔" not in outputs[2]
    assert f"{EXERCISE} ✔" in outputs[4], outputs[4]
    assert Path(outputs[5].strip()).is_relative_to(installed)


def test_make_selfcheck_runs_the_self_check_and_ends_cleanly(installed):
    assert (installed / "helpers" / "selfcheck.py").is_file(), "the hand-out lacks the self-check"
    # notebook 02 runs quickest; its exercises are stubs in the hand-out, so each must show ✘
    first = exercises.for_notebook("02")[0].id
    done = subprocess.run(["make", "selfcheck", "NB=notebooks/02_masked_arrays.ipynb"], cwd=installed,
                          env=_env(installed), capture_output=True, text=True, timeout=300)
    assert first in done.stdout and "✘" in done.stdout and "✔" not in done.stdout, done.stdout + done.stderr
    # "not finished yet" is a summary line, not a make error that reads as a crash
    assert done.returncode == 0 and "Error" not in done.stderr, done.stdout + done.stderr
    assert "Not finished yet" in done.stdout
    assert "as last saved at" in done.stdout and " 00:00:00 " not in done.stdout
    misuse = subprocess.run(["make", "selfcheck", "NB=notebooks/nothing.ipynb"], cwd=installed,
                            env=_env(installed), capture_output=True, text=True, timeout=300)
    assert misuse.returncode != 0 and "no such file" in misuse.stderr  # misuse still fails


def test_rewriting_a_folder_keeps_its_git_and_refuses_folders_that_are_not_hand_outs(tmp_path):
    files = {"notebooks/01_a.ipynb": b"{}", "helpers/checks.py": b""}
    out = tmp_path / "student"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    handout.write_folder(files, out)
    (out / "notebooks" / "stale.ipynb").write_text("{}")
    handout.write_folder(files, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".git/HEAD", "helpers/checks.py", "notebooks/01_a.ipynb"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.txt").write_text("keep")
    with pytest.raises(handout.HandoutError, match="not empty and not an earlier hand-out"):
        handout.write_folder(files, other)
    assert (other / "mine.txt").read_text() == "keep"
    with pytest.raises(handout.HandoutError, match="the course itself"):
        handout.write_folder(files, ROOT)
