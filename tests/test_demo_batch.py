"""The demo class of INSTRUCTORS.md is written from the course as it is (scripts/demo_batch.py)."""
import json
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import demo_batch  # noqa: E402


def test_the_demo_class_has_each_planted_mistake(tmp_path):
    files = demo_batch.write(tmp_path / "class")
    assert len(files) == 14 and all(f.is_file() for f in files)
    carol04 = (tmp_path / "class" / "carol" / "04_neural_network.ipynb").read_text()
    assert "sys.exit(0)" in carol04 and "A_prev * (1 - A_prev)" not in carol04
    assert "np.linalg.solve(X.T @ X, X.T @ y)" in (tmp_path / "class" / "carol" / "03_linear_regression.ipynb").read_text()
    erin = json.loads((tmp_path / "class" / "erin" / "03_linear_regression.ipynb").read_text())
    sources = ["".join(c["source"]) for c in erin["cells"]]
    assert any(s.startswith("while True:") for s in sources) and "r2_answer = 0.2" in "".join(sources)
    try:
        json.loads((tmp_path / "class" / "dave" / "01_arrays_and_axes.ipynb").read_text())
        raise AssertionError("dave's notebook should be cut off")
    except ValueError:
        pass
