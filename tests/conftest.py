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
