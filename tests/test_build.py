"""Student notebooks are generated from the solutions: stubs, cleared outputs, nothing else changed."""
import json
import shutil

import pytest

from helpers import serialize
from helpers.instructor.build import BuildError, build, main, strip_solutions, student_notebook
from toy import SPECS


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


def test_check_data_holds_values_not_code(toy_course):
    data = serialize.load(toy_course["checkdata"] / "90.npz")
    assert set(data["results"]) == {"90.1-normalize-rows", "90.2-count-above", "90.3-scaler"}
    first = data["results"]["90.1-normalize-rows"][0]["out"]
    assert first.shape == (3, 4) and abs(first.sum(axis=1) - 1).max() < 1e-12


def test_broken_solution_is_refused(tmp_path):
    from toy import FIXTURES

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
