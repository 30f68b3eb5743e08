"""requirements.lock pins what the solutions were executed with: it must agree with both requirement files and be used."""
import re
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

REFRESH = "run `make lock` to refresh requirements.lock"


def parse_lock(text: str) -> dict[str, Version]:
    """``name==version`` lines (comments and blank lines allowed) as canonical name -> version."""
    pins: dict[str, Version] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise ValueError(f"requirements.lock line {number} pins no exact version: {raw!r}; {REFRESH}")
        name = canonicalize_name(req.name)
        if name in pins:
            raise ValueError(f"requirements.lock pins {req.name} twice (line {number}); {REFRESH}")
        pins[name] = Version(specs[0].version)
    return pins


def parse_requirements(text: str) -> list[Requirement]:
    """The requirements of a requirements file (comments stripped; markers false on this Python skipped)."""
    reqs = [Requirement(line) for raw in text.splitlines() if (line := raw.split("#", 1)[0].strip())]
    return [req for req in reqs if req.marker is None or req.marker.evaluate()]


def disagreements(requirements_text: str, lock_text: str) -> list[str]:
    """One sentence per requirement that the lock does not satisfy, naming the package."""
    pins = parse_lock(lock_text)
    problems = []
    for req in parse_requirements(requirements_text):
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None:
            problems.append(f"{req.name} is required ({req}) but requirements.lock does not pin it")
        elif not req.specifier.contains(pinned, prereleases=True):
            problems.append(f"{req.name}: requirements.lock pins {pinned}, outside the requirement {req}")
    return problems


@pytest.mark.parametrize("requirements", ["requirements.txt", "requirements-instructor.txt", "requirements-test.txt",
                                          "requirements-nbgrader.txt"])
def test_the_lock_satisfies_every_requirement(requirements):
    problems = disagreements((ROOT / requirements).read_text(), (ROOT / "requirements.lock").read_text())
    assert not problems, f"{requirements}: " + "; ".join(problems) + f"; {REFRESH}"


@pytest.mark.parametrize("requirements, lock, named", [
    ("numpy>=2.4\nseaborn>=0.13\n", "numpy==2.4.6\n", "seaborn"),          # a requirement left out of the lock
    ("numpy>=2.4  # arrays\n", "# header\nnumpy==2.3.1\n", "numpy"),       # a pin outside the specifier
    ("Jinja2>=3\n", "jinja2==2.11\n", "Jinja2"),                           # names compare normalised
])
def test_a_disagreement_names_the_package(requirements, lock, named):
    problems = disagreements(requirements, lock)
    assert len(problems) == 1 and problems[0].startswith(named)


def test_normalised_names_and_markers_agree():
    assert disagreements("jinja2>=3\ntomli>=2; python_version < '3.0'\n", "Jinja2==3.1.6\n") == []
    with pytest.raises(ValueError, match="pins no exact version"):
        parse_lock("numpy>=2\n")


def test_make_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    install = [line for line in makefile.splitlines() if "pip install" in line and "-r requirements" in line]
    assert {"requirements.txt", "requirements-instructor.txt", "requirements-test.txt"} <= {
        word for line in install for word in line.split()}
    assert all("-c requirements.lock" in line for line in install), install
    for target in ("STAMP", "INSTRUCTOR_STAMP", "TEST_STAMP"):
        stamp = re.search(rf"^\$\({target}\):(.*)$", makefile, re.M)
        assert stamp and "requirements.lock" in stamp.group(1), f"a changed lock must make $({target}) reinstall"


def test_the_environment_is_the_locked_one():
    """The versions installed here are the pinned ones, so nbval compares against outputs made with them."""
    stale = []
    for name, pinned in parse_lock((ROOT / "requirements.lock").read_text()).items():
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            continue  # pinned for another Python only
        if installed != pinned:
            stale.append(f"{name} {installed} is installed but requirements.lock pins {pinned}")
    assert not stale, "; ".join(stale) + "; run `make setup` (or pip install -r requirements.txt -c requirements.lock)"
