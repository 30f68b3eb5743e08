"""Student notebooks are generated from the solutions: stubs, cleared outputs, nothing else changed."""
import json
import re
import shutil

import pytest

from helpers import exercises, serialize
from helpers.instructor.authoring.build import BuildError, build, main, strip_solutions, student_notebook
from helpers.instructor.authoring.nbgrader_cells import nbgrader_notebook, strip_hidden_tests
from toy import FIXTURES, SPECS


def test_stub_at_the_block_indentation_in_functions_methods_and_class_bodies():
    src = ("x = 1\n"
           "### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n"
           "class A:\n"
           "    ### BEGIN SOLUTION\n    k = 3\n    ### END SOLUTION\n"
           "    def f(self):\n"
           "        if True:\n"
           "            ### BEGIN SOLUTION\n            return 1\n            ### END SOLUTION\n"
           "        return 0")
    assert strip_solutions(src) == (
        "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()\n"
        "class A:\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
        "    def f(self):\n        if True:\n            # YOUR CODE HERE\n            raise NotImplementedError()\n"
        "        return 0")


@pytest.mark.parametrize("src, message", [
    ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another solution block"),
])
def test_unbalanced_markers_are_errors(src, message):
    with pytest.raises(BuildError, match=message):
        strip_solutions(src, "nb.ipynb cell 3")


def test_generated_notebook_keeps_everything_but_answers_and_outputs(toy_course):
    solution = json.loads((toy_course["solutions"] / "90_toy.ipynb").read_text())
    student = json.loads((toy_course["notebooks"] / "90_toy.ipynb").read_text())
    assert [c["id"] for c in student["cells"]] == [c["id"] for c in solution["cells"]]
    assert student["metadata"] == solution["metadata"]
    for s, t in zip(solution["cells"], student["cells"]):
        if s["cell_type"] == "markdown":
            assert s == t
        else:
            assert t["outputs"] == [] and t["execution_count"] is None
            assert ("### BEGIN SOLUTION" in "".join(s["source"])) == ("# YOUR CODE HERE" in "".join(t["source"]))
    assert any(c["outputs"] for c in solution["cells"] if c["cell_type"] == "code")  # solutions stay executed
    assert "X.sum(axis=1" not in (toy_course["notebooks"] / "90_toy.ipynb").read_text()


def test_build_twice_gives_identical_bytes_and_check_passes(toy_course):
    path = toy_course["notebooks"] / "90_toy.ipynb"
    first = path.read_bytes()
    assert build(toy_course["solutions"], toy_course["notebooks"], toy_course["checkdata"], spec_file=SPECS) == []
    assert path.read_bytes() == first
    assert build(toy_course["solutions"], toy_course["notebooks"], toy_course["checkdata"], spec_file=SPECS,
                 check=True) == []
    assert student_notebook(json.loads((toy_course["solutions"] / "90_toy.ipynb").read_text())) == first.decode()


def test_check_names_a_hand_edited_student_notebook(toy_course, tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(toy_course["notebooks"], notebooks)
    edited = notebooks / "90_toy.ipynb"
    edited.write_text(edited.read_text().replace("Toy notebook", "Toy notebook (edited by hand)"))
    args = ["--check", "--solutions", str(toy_course["solutions"]), "--notebooks", str(notebooks),
            "--checkdata", str(toy_course["checkdata"]), "--specs", SPECS]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert str(edited) in err and "python -m helpers.instructor.build" in err
    edited.unlink()
    assert main(args) == 1 and "90_toy.ipynb" in capsys.readouterr().err  # missing counts as stale too


def test_check_notices_stale_check_data(toy_course, tmp_path, capsys):
    solutions = tmp_path / "solutions"
    shutil.copytree(toy_course["solutions"], solutions)
    nb = solutions / "90_toy.ipynb"
    nb.write_text(nb.read_text().replace("keepdims=True)", "keepdims=True) * 1.0"))
    args = ["--check", "--solutions", str(solutions), "--notebooks", str(toy_course["notebooks"]),
            "--checkdata", str(toy_course["checkdata"]), "--specs", SPECS]
    assert main(args) == 1
    assert "self-check data does not match 90_toy.ipynb" in capsys.readouterr().err


def test_check_notices_a_changed_case_helper(toy_course, tmp_path, capsys):
    """The inputs changed while ``cases`` itself did not: only a fingerprint of the inputs sees it."""
    specs = tmp_path / "toy_specs.py"
    original = (FIXTURES / "toy_specs.py").read_text()
    changed = original.replace("rng.uniform(1, 5, size=shape)", "rng.uniform(1, 6, size=shape)")
    assert changed != original and "def _matrices(rng):\n    return [(_positive(rng, shape)," in changed
    specs.write_text(changed)
    args = ["--check", "--solutions", str(toy_course["solutions"]), "--notebooks", str(toy_course["notebooks"]),
            "--checkdata", str(toy_course["checkdata"]), "--specs", str(specs)]
    try:
        assert main(args) == 1
        assert "self-check data does not match 90_toy.ipynb" in capsys.readouterr().err
    finally:
        exercises.load_spec_file(SPECS)  # the other tests use the fixture's specs


def test_check_data_holds_values_not_code(toy_course):
    data = serialize.load(toy_course["checkdata"] / "90.npz")
    assert set(data["results"]) == {"90.1-normalize-rows", "90.2-count-above", "90.3-scaler"}
    first = data["results"]["90.1-normalize-rows"][0]["out"]
    assert first.shape == (3, 4) and abs(first.sum(axis=1) - 1).max() < 1e-12


def test_broken_solution_is_refused(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    text = (FIXTURES / "solutions" / "90_toy.ipynb").read_text().replace("return int(np.sum(x > threshold))",
                                                                           "return undefined_name")
    (solutions / "90_toy.ipynb").write_text(text)
    with pytest.raises(BuildError, match="90.2-count-above fails on its own check inputs: NameError"):
        build(solutions, tmp_path / "nb", tmp_path / "cd", spec_file=SPECS)
    assert not (tmp_path / "nb").exists()  # nothing half-written


def test_course_notebooks_are_up_to_date():
    from conftest import ROOT

    if not list((ROOT / "solutions").glob("*.ipynb")):
        pytest.skip("no course notebooks yet")
    assert main(["--check"]) == 0


# ---------------------------------------------------------------- nbgrader metadata
def _meta(nb: dict) -> list[dict]:
    return [c["metadata"]["nbgrader"] for c in nb["cells"]]


def test_solutions_carry_nbgrader_metadata_for_every_cell(toy_course):
    nb = json.loads((toy_course["solutions"] / "90_toy.ipynb").read_text())
    by_id = {c["id"]: c for c in nb["cells"]}
    meta = {cid: c["metadata"]["nbgrader"] for cid, c in by_id.items()}
    assert all(m["schema_version"] == 3 and re.fullmatch(r"[A-Za-z0-9_\-]+", m["grade_id"]) for m in meta.values())
    assert len({m["grade_id"] for m in meta.values()}) == len(meta)
    assert meta["toy-cell-03"] == {"grade": False, "grade_id": "90_1-normalize-rows", "locked": False,
                                   "schema_version": 3, "solution": True, "task": False}
    assert meta["toy-cell-04"] == {"grade": True, "grade_id": "90_1-normalize-rows-tests", "locked": True,
                                   "points": 1.0, "schema_version": 3, "solution": False, "task": False}
    assert "".join(by_id["toy-cell-04"]["source"]) == (
        'check("90.1-normalize-rows", normalize_rows)\n### BEGIN HIDDEN TESTS\n'
        'from helpers.instructor.hidden import hidden_score\n'
        'hidden_score({"90.1-normalize-rows": normalize_rows})\n### END HIDDEN TESTS')
    assert meta["toy-cell-09"]["grade_id"] == "90_3-scaler" and meta["toy-cell-09"]["solution"]
    locked = [cid for cid, m in meta.items() if m["locked"] and not m["grade"]]
    assert locked == ["toy-cell-00", "toy-cell-01", "toy-cell-02", "toy-cell-05", "toy-cell-08", "toy-cell-11"]


def test_student_notebook_keeps_the_metadata_but_not_the_hidden_tests(toy_course):
    solution = json.loads((toy_course["solutions"] / "90_toy.ipynb").read_text())
    student = json.loads((toy_course["notebooks"] / "90_toy.ipynb").read_text())
    original = json.loads((FIXTURES / "solutions" / "90_toy.ipynb").read_text())
    assert _meta(student) == _meta(solution)
    assert "HIDDEN TESTS" not in (toy_course["notebooks"] / "90_toy.ipynb").read_text()
    checks = [c for c in student["cells"] if c["metadata"]["nbgrader"]["grade"]]
    assert ["".join(c["source"]) for c in checks] == [
        "".join(c["source"]) for c in original["cells"] if "check(" in "".join(c["source"])]


def test_nbgrader_transformation_is_idempotent(toy_course):
    nb = json.loads((toy_course["solutions"] / "90_toy.ipynb").read_text())
    specs = exercises.for_notebook("90")
    assert nbgrader_notebook(nb, specs) == nb
    assert strip_hidden_tests("a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\n") == "a\n"


@pytest.mark.parametrize("edit", ["points", "hidden", "dropped"])
def test_check_notices_stale_nbgrader_metadata(toy_course, tmp_path, capsys, edit):
    solutions = tmp_path / "solutions"
    shutil.copytree(toy_course["solutions"], solutions)
    path = solutions / "90_toy.ipynb"
    nb = json.loads(path.read_text())
    cell = nb["cells"][4]
    if edit == "points":
        cell["metadata"]["nbgrader"]["points"] = 5.0
    elif edit == "hidden":
        cell["source"] = cell["source"][:1]
    else:
        del cell["metadata"]["nbgrader"]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    args = ["--check", "--solutions", str(solutions), "--notebooks", str(toy_course["notebooks"]),
            "--checkdata", str(toy_course["checkdata"]), "--specs", SPECS]
    assert main(args) == 1
    assert "nbgrader metadata or hidden-test blocks are out of date" in capsys.readouterr().err
    assert main(args[1:]) == 0 and main(args) == 0  # the build repairs it, then all is up to date


@pytest.mark.parametrize("change, message", [
    (lambda cells: [c for c in cells if 'check("90.2' not in "".join(c["source"])], "90.2-count-above have no self-check"),
    (lambda cells: cells + [dict(cells[4], id="again")], "self-checked in more than one cell"),
    (lambda cells: cells[:2] + [dict(cells[2], id="90_1-normalize-rows")] + cells[3:],
     "grade_id '90_1-normalize-rows' is used twice"),
])
def test_inconsistent_exercises_are_refused(tmp_path, change, message):
    nb = json.loads((FIXTURES / "solutions" / "90_toy.ipynb").read_text())
    nb["cells"] = change(nb["cells"])
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "90_toy.ipynb").write_text(json.dumps(nb))
    with pytest.raises(BuildError, match=message):
        build(tmp_path / "s", tmp_path / "nb", tmp_path / "cd", spec_file=SPECS)


def _student_work(path):
    """What a student leaves in a notebook: an answer in the first exercise cell, execution counts, outputs."""
    nb = json.loads(path.read_text())
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution")
                and c["cell_type"] == "code")
    cell["source"] = "".join(cell["source"]).replace("raise NotImplementedError()", "return X / X.sum(axis=1)")
    cell["execution_count"] = 3
    path.write_text(json.dumps(nb))
    return path.read_bytes()


@pytest.mark.parametrize("force", [False, True])
def test_build_never_overwrites_an_edited_notebook_without_force(toy_course, tmp_path, capsys, force):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(toy_course["notebooks"], notebooks)
    target = notebooks / "90_toy.ipynb"
    work = _student_work(target)
    args = ["--solutions", str(toy_course["solutions"]), "--notebooks", str(notebooks),
            "--checkdata", str(toy_course["checkdata"]), "--specs", SPECS] + (["--force"] if force else [])
    if not force:
        assert main(args) == 2
        err = capsys.readouterr().err
        assert f"{target}: it has outputs or execution counts (it was run)" in err
        assert "refusing to overwrite" in err and "--force" in err
        assert target.read_bytes() == work  # the student's work is untouched
        return
    assert main(args) == 0
    backups = list((notebooks / ".backup").iterdir())
    assert [b.read_bytes() for b in backups] == [work] and backups[0].name.startswith("90_toy-")
    assert target.read_text() == (toy_course["notebooks"] / "90_toy.ipynb").read_text()  # rebuilt
    assert main(args[:-1]) == 0  # a freshly built notebook is not "edited"


def test_answers_alone_count_as_edits(toy_course, tmp_path):
    from helpers.instructor.authoring.edited import edited_by_hand

    path = tmp_path / "90_toy.ipynb"
    shutil.copy(toy_course["notebooks"] / "90_toy.ipynb", path)
    assert edited_by_hand(path) == ""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"]).replace("raise NotImplementedError()", "return 0")
    path.write_text(json.dumps(nb))
    assert "exercise cell(s) no longer hold the stub" in edited_by_hand(path)
