"""Building the toy course (tests/fixtures) into a temporary folder, shared by the tool tests."""
import shutil
from pathlib import Path

from helpers.instructor.build import build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPECS = str(FIXTURES / "toy_specs.py")


def make_toy_course(root: Path) -> dict:
    paths = {"solutions": root / "solutions", "notebooks": root / "notebooks", "checkdata": root / "checkdata"}
    paths["solutions"].mkdir(parents=True)
    shutil.copy(FIXTURES / "solutions" / "90_toy.ipynb", paths["solutions"])
    stale = build(paths["solutions"], paths["notebooks"], paths["checkdata"], execute=True, spec_file=SPECS,
                  log=lambda *a: None)
    assert stale == []
    return paths
