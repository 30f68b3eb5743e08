"""The Examples sections of the helpers' docstrings are run, so they cannot go stale.

The modules are found, not listed: every module under helpers/ whose source holds a ``>>>``
example is run, so a new module's examples are never left out.
"""
import doctest
import importlib

import pytest

from conftest import ROOT


def _modules_with_examples() -> list[str]:
    found = []
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


MODULES = _modules_with_examples()


def test_discovery_finds_the_modules_with_examples():
    assert {"helpers.prereq", "helpers.fetch", "helpers.instructor.authoring.stubs"} <= set(MODULES)
    assert all(not m.endswith("__init__") for m in MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
