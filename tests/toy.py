"""Building the toy course (tests/fixtures) into a temporary folder, shared by the tool tests."""
import shutil
from pathlib import Path

from helpers.instructor.authoring.build import build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPECS = str(FIXTURES / "toy_specs.py")


def make_toy_course(root: Path, extra: tuple = ()) -> dict:
    """Build notebook 90 (and the ``extra`` fixture notebooks, e.g. ``"91_tiny.ipynb"``) into ``root``."""
    paths = {"solutions": root / "solutions", "notebooks": root / "notebooks", "checkdata": root / "checkdata"}
    paths["solutions"].mkdir(parents=True)
    shutil.copy(FIXTURES / "solutions" / "90_toy.ipynb", paths["solutions"])
    for name in extra:
        shutil.copy(FIXTURES / "extra" / name, paths["solutions"])
    stale = build(paths["solutions"], paths["notebooks"], paths["checkdata"], execute=True, spec_file=SPECS,
                  log=lambda *a: None)
    assert stale == []
    return paths


def variant(solution_text: str, *replacements, extra_cells=(), drop_cell=None) -> str:
    """A copy of a notebook with text ``(old, new)`` replaced in every cell and ``(position, source)`` cells added."""
    import nbformat

    nb = nbformat.reads(solution_text, as_version=4)
    for cell in nb.cells:
        for old, new in replacements:
            cell.source = cell.source.replace(old.rstrip("\n"), new.rstrip("\n"))
    if drop_cell:
        nb.cells = [c for c in nb.cells if drop_cell not in c.source]
    for position, source in extra_cells:
        nb.cells.insert(position, nbformat.v4.new_code_cell(source))
    return nbformat.writes(nb)


SOLUTION_COUNT = "    return int(np.sum(x > threshold))\n"


def small_batch(course: dict, root: Path) -> dict:
    """Four toy submissions under ``root/subs`` (right, blank, one wrong exercise, an extra cell)."""
    sol = (course["solutions"] / "90_toy.ipynb").read_text()
    blank = (course["notebooks"] / "90_toy.ipynb").read_text()
    subs = root / "subs"
    for name, text in {"ann": sol, "ben": blank, "cai": variant(sol, (SOLUTION_COUNT, "    return -1\n")),
                       "dee": variant(sol, extra_cells=[(2, "note = 1")])}.items():
        (subs / name).mkdir(parents=True)
        (subs / name / "90_toy.ipynb").write_text(text)
    return {"root": root, "subs": subs, "course": course}
