"""Shared fixtures. Notebooks under tests/fixtures are test inputs, not course notebooks: nbval skips them."""
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # every plot test runs headless

ROOT = Path(__file__).resolve().parent.parent
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def mnist_folder() -> Path:
    from helpers.fetch import fetch_mnist

    return fetch_mnist(progress=False)  # verified; no network work when the files are present


@pytest.fixture(scope="session")
def toy_course(tmp_path_factory):
    """The toy notebook 90 built like the course: executed solution, student notebook, check data."""
    from toy import make_toy_course

    return make_toy_course(tmp_path_factory.mktemp("toy"))


# The files that take longest, in the order they start when `make test` spreads the suite over the cores
# (pytest -n auto --dist loadfile --no-loadscope-reorder hands out whole files in collection order): a long
# file handed out last would run alone at the end while the other cores sit idle. Order inside a file is kept.
LONGEST_FIRST = ("tests/test_class.py", "tests/test_nbval_foreign.py", "tests/test_course.py", "tests/test_grade.py",
                 "tests/test_hostile.py", "tests/test_dask.py", "tests/test_store.py", "tests/test_site.py",
                 "tests/test_check_robustness.py", "tests/test_nbgrader.py", "tests/test_browser.py",
                 "solutions/04_neural_network.ipynb", "solutions/05_nn_lab.ipynb", "tests/test_handout.py",
                 "tests/test_student_notebooks.py", "tests/test_build.py")


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # a stable sort
