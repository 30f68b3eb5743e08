"""A real nbgrader round trip: generate_assignment, autograde, generate_feedback, with nbgrader's defaults.

The toy notebook 90 is autograded for three students (solved, blank, a classic off-by-one); the
course's notebook 03 goes through generate_assignment beside it, to show that nbgrader accepts the
metadata the build writes into the real notebooks and releases exactly our student version.
"""
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nbgrader_env
from conftest import ROOT
from helpers import exercises, questions
from helpers.instructor import hidden
from helpers.instructor.authoring import nbgrader, nbgrader_cells
from helpers.instructor.authoring.build import _dumps, student_notebook
from toy import SPECS

ASSIGNMENT, TOY = "ps1", "90_toy"
HIDDEN_SEED = 2024  # its hidden inputs give the off-by-one a pass on one case of three (asserted below)
RIGHT = "return int(np.sum(x > threshold))"
OFF_BY_ONE = "return int(np.sum(x >= threshold))"
SCORES = """
import json, sys
from nbgrader.api import Gradebook
with Gradebook("sqlite:///gradebook.db") as gb:
    print(json.dumps({s: {g.name: g.score for g in gb.find_submission_notebook(sys.argv[1], sys.argv[2], s).grades}
                      for s in sys.argv[3:]}))
"""


def sources(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"]]


def submission(release: dict, source: dict, replace: tuple[str, str] | None = None) -> str:
    """The released notebook with every solution cell answered as in ``source`` (optionally edited)."""
    nb = json.loads(json.dumps(release))
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in source["cells"]}
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            text = "".join(answers[cell["metadata"]["nbgrader"]["grade_id"]])
            cell["source"] = text.replace(*replace) if replace else text
    return json.dumps(nb)


@pytest.fixture(scope="module")
def course(toy_course, tmp_path_factory):
    bin_dir = nbgrader_env.ensure()
    root = tmp_path_factory.mktemp("nbgrader")
    home = root / "course"
    assert nbgrader.main([str(home), "--assignment", ASSIGNMENT, "--seed", str(HIDDEN_SEED), "--solutions",
                          str(toy_course["solutions"]), "--checkdata", str(toy_course["checkdata"]), "--specs", SPECS]) == 0
    # the real notebook 03, given its metadata here so the test does not depend on a rebuilt checkout
    real = json.loads((ROOT / "solutions" / "03_linear_regression.ipynb").read_text())
    real = nbgrader_cells.nbgrader_notebook(real, questions.graded_items("03"), "03_linear_regression.ipynb")
    (home / "source" / ASSIGNMENT / "03_linear_regression.ipynb").write_text(_dumps(real))
    # the kernel nbgrader starts is the course's own Python
    kernel = root / "jupyter" / "kernels" / "python3"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f",
                                                             "{connection_file}"], "display_name": "course",
                                                    "language": "python"}))
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", COURSE_EXTRA_SPECS=SPECS,
               JUPYTER_PATH=f"{root / 'jupyter'}{os.pathsep}{Path(sys.prefix) / 'share' / 'jupyter'}",
               COURSE_CHECKDATA=str(toy_course["checkdata"]), JUPYTER_CONFIG_DIR=str(root / "config"),
               JUPYTER_DATA_DIR=str(root / "data"), JUPYTER_RUNTIME_DIR=str(root / "runtime"))

    def run(*args):
        done = subprocess.run([str(bin_dir / "nbgrader"), *args], cwd=home, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-3000:]}"
        return done

    run("generate_assignment", ASSIGNMENT)
    release = json.loads((home / "release" / ASSIGNMENT / f"{TOY}.ipynb").read_text())
    source = json.loads((home / "source" / ASSIGNMENT / f"{TOY}.ipynb").read_text())
    for student, replace in [("solved", None), ("blank", "blank"), ("off-by-one", (RIGHT, OFF_BY_ONE))]:
        folder = home / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        text = json.dumps(release) if replace == "blank" else submission(release, source, replace)
        (folder / f"{TOY}.ipynb").write_text(text)
    autograde = run("autograde", ASSIGNMENT)
    run("generate_feedback", ASSIGNMENT)
    scores = subprocess.run([str(bin_dir / "python"), "-c", SCORES, TOY, ASSIGNMENT, "solved", "blank", "off-by-one"],
                            cwd=home, env=env, capture_output=True, text=True, check=True)
    return {"home": home, "scores": json.loads(scores.stdout), "real": real, "autograde_log": autograde.stderr,
            "source": source}


def test_solved_submission_gets_full_points(course):
    assert course["scores"]["solved"] == {"90_1-normalize-rows-tests": 1.0, "90_2-count-above-tests": 1.0,
                                          "90_3-scaler-tests": 1.0}


def test_blank_submission_gets_zero(course):
    assert set(course["scores"]["blank"].values()) == {0.0}


def test_classic_mistake_gets_the_fraction_of_hidden_cases_it_passes(course):
    ex = exercises.get("90.2-count-above")
    cases = ex.make_cases(HIDDEN_SEED)
    passed = sum(int(np.sum(x >= t)) == int(np.sum(x > t)) for x, t in cases)
    assert 0 < passed < len(cases), "the hidden seed must give the off-by-one a partial score"
    scores = course["scores"]["off-by-one"]
    assert scores["90_2-count-above-tests"] == pytest.approx(round(ex.points * passed / len(cases), 4))
    assert scores["90_1-normalize-rows-tests"] == scores["90_3-scaler-tests"] == 1.0


def test_feedback_html_shows_each_student_the_hidden_verdict_but_no_hidden_values(course):
    hidden = (course["home"] / "hidden_checkdata" / "90.npz").read_bytes()
    for student, line in [("solved", "3 of 3 hidden checks passed"), ("blank", "0 of 3 hidden checks passed"),
                          ("off-by-one", "90.2-count-above: 1 of 3 hidden checks passed")]:
        page = (course["home"] / "feedback" / student / ASSIGNMENT / f"{TOY}.html").read_text()
        assert line in page
        assert "hidden_checkdata" not in page and str(HIDDEN_SEED) not in page
    assert not (course["home"] / "release" / ASSIGNMENT / "hidden_checkdata").exists() and hidden


def test_the_only_autograde_warnings_are_nbgrader_restoring_hidden_tests(course):
    """nbgrader records a test cell's checksum before it removes the hidden block, so on autograde the released
    cell differs from the recorded one: one "Attribute 'checksum' ... has changed!" per hidden-test cell and
    submission, after which nbgrader puts the hidden block back (nbgrader's own behaviour, INSTRUCTORS.md). Any
    other warning (a locked cell edited, points changed, a missing cell) would be ours to explain."""
    hidden_cells = {c["metadata"]["nbgrader"]["grade_id"] for c in course["source"]["cells"]
                    if "### BEGIN HIDDEN TESTS" in "".join(c["source"])}
    warnings = [line for line in course["autograde_log"].splitlines() if "has changed!" in line]
    changed = [line.split("for cell ")[1].split(" ")[0] for line in warnings if "Attribute 'checksum'" in line]
    assert hidden_cells and sorted(changed) == sorted(list(hidden_cells) * 3), course["autograde_log"][-3000:]
    assert len(warnings) == len(changed), "\n".join(w for w in warnings if "Attribute 'checksum'" not in w)


def test_nbgrader_releases_exactly_our_student_notebooks(course):
    for name, solution in [(f"{TOY}.ipynb", course["home"] / "source" / ASSIGNMENT / f"{TOY}.ipynb"),
                           ("03_linear_regression.ipynb", None)]:
        nb = course["real"] if solution is None else json.loads(solution.read_text())
        released = json.loads((course["home"] / "release" / ASSIGNMENT / name).read_text())
        # a concept question's answer: our build leaves `name = ...` so "Run all" goes on; nbgrader writes its
        # own stub there, as in every solution cell (INSTRUCTORS.md, "With nbgrader", says so)
        ours = [re.sub(r"^\w+ = \.\.\.  # YOUR ANSWER HERE$", "# YOUR CODE HERE\nraise NotImplementedError()", s)
                for s in sources(json.loads(student_notebook(nb, name)))]
        assert sources(released) == ours
        assert "BEGIN HIDDEN TESTS" not in json.dumps(released)


# ---------------------------------------------------------------- the hidden tests outside nbgrader
def test_hidden_tests_are_silent_where_no_hidden_data_is_configured(monkeypatch, capsys):
    monkeypatch.delenv(hidden.HIDDEN_ENV, raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert hidden.hidden_score({"03.1-fit-line": None}) is None
    assert capsys.readouterr().out == ""


def test_hidden_data_is_found_beside_source_when_nbgrader_autogrades(tmp_path):
    work = tmp_path / "course" / "autograded" / "alice" / "ps1"
    assert hidden.hidden_folder({"NBGRADER_EXECUTION": "autograde"}, work) == tmp_path / "course" / "hidden_checkdata"
    assert hidden.hidden_folder({hidden.HIDDEN_ENV: "/x", "NBGRADER_EXECUTION": "autograde"}, work) == Path("/x")
    assert hidden.hidden_folder({}, work) is None


def test_autograding_without_hidden_data_fails_loudly(tmp_path, monkeypatch):
    monkeypatch.setenv(hidden.HIDDEN_ENV, str(tmp_path))
    with pytest.raises(hidden.HiddenDataMissing, match="python -m helpers.instructor.nbgrader COURSE_DIR"):
        hidden.hidden_score({"03.1-fit-line": None})


def test_export_refuses_a_solution_without_current_metadata(toy_course, tmp_path, capsys):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    shutil.copy(nbgrader_env.ROOT / "tests" / "fixtures" / "solutions" / f"{TOY}.ipynb", solutions)
    assert nbgrader.main([str(tmp_path / "course"), "--solutions", str(solutions), "--specs", SPECS, "--seed", "1"]) == 2
    assert "no up-to-date nbgrader metadata; run `python -m helpers.instructor.build`" in capsys.readouterr().err
    assert not (tmp_path / "course").exists()


def test_docstring_examples_of_the_nbgrader_module():
    import doctest

    assert doctest.testmod(nbgrader).failed == 0
