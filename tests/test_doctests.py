"""The Examples sections of the helpers' docstrings are run, so they cannot go stale."""
import doctest
import importlib

import pytest

MODULES = ["helpers.prereq", "helpers.idx", "helpers.data", "helpers.plots", "helpers.instructor.authoring.build", "helpers.instructor.layout", "helpers.instructor.authoring.site", "helpers.fetch", "helpers.checks",
           "helpers.compare", "helpers.describe", "helpers.snapshot"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
