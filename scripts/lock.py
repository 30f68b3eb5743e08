"""Regenerate requirements.lock: the exact versions that a fresh install of the requirement files resolves to.

The first Python given (give the oldest supported one first) resolves freely: a throw-away virtual
environment gets ``pip install -r requirements.txt -r requirements-instructor.txt -r requirements-test.txt
-r requirements-nbgrader.txt`` (the course's, the instructor tools', the test suite's and the nbgrader
route's, resolved together so that one set of pins serves both installs) and is frozen. Every further Python then installs
the requirements *constrained by those pins*, which proves that each pinned version installs there too
(newer Pythons would otherwise pull newer releases, e.g. NumPy releases that dropped the oldest Python),
and adds the packages only it needs (a back-port's absence, say). One line per package, no markers.

Run it through ``make lock``, which then reinstalls .venv/ from the new lock and re-executes the
solutions and self-check data with those versions.

Examples
--------
``python scripts/lock.py /usr/bin/python3.11 /usr/bin/python3.13``
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def canonical(name: str) -> str:
    """A distribution name in the normalised form of PEP 503 (``Jinja2`` -> ``jinja2``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def freeze(python: str, requirements: Sequence[Path], constraints: Path | None = None) -> tuple[str, dict[str, str]]:
    """Install the requirement files (within ``constraints``) into a fresh venv made by ``python``.

    Returns
    -------
    tuple
        The Python version, and the installed pins as name -> version.

    Raises
    ------
    subprocess.CalledProcessError
        when the venv cannot be made or pip cannot install the requirements (pip's output is shown).
    """
    with tempfile.TemporaryDirectory(prefix="lock-venv-") as tmp:
        venv_python = str(Path(tmp) / "bin" / "python")
        subprocess.run([python, "-m", "venv", tmp], check=True)
        subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        limits = ["-c", str(constraints)] if constraints else []
        files = [arg for path in requirements for arg in ("-r", str(path))]
        subprocess.run([venv_python, "-m", "pip", "install", "--quiet", *files, *limits], check=True)
        version = subprocess.run([venv_python, "-c", "import platform; print(platform.python_version())"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        frozen = subprocess.run([venv_python, "-m", "pip", "freeze"], check=True, capture_output=True, text=True).stdout
    pins = {}
    for line in frozen.splitlines():
        match = PIN.match(line.strip())
        if match is None:
            raise ValueError(f"pip freeze printed a line that is not 'name==version': {line!r}")
        pins[match.group(1)] = match.group(2)
    return version, pins


def merge(freezes: dict[str, dict[str, str]]) -> dict[str, str]:
    """One pin per package over all Pythons' freezes.

    Raises
    ------
    SystemExit
        naming every package installed at different versions on different Pythons (which the
        constraints make impossible unless pip ignored them).
    """
    merged: dict[str, tuple[str, str, str]] = {}  # canonical name -> (name, version, python)
    conflicts = []
    for python, pins in freezes.items():
        for name, version in pins.items():
            known = merged.setdefault(canonical(name), (name, version, python))
            if known[1] != version:
                conflicts.append(f"{name}: {known[1]} on Python {known[2]} but {version} on Python {python}")
    for name, _, python in merged.values():
        missing = [other for other, pins in freezes.items() if canonical(name) not in map(canonical, pins)]
        if missing:
            print(f"note: {name} is installed on Python {python} but not on {', '.join(missing)}", file=sys.stderr)
    if conflicts:
        raise SystemExit("pip installed other versions than the pins it was given:\n  " + "\n  ".join(conflicts))
    return {name: version for name, version, _ in sorted(merged.values(), key=lambda t: canonical(t[0]))}


def main(argv: Sequence[str] | None = None) -> int:
    """Freeze the requirement files on each Python given and write the merged lock."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pythons", nargs="+", help="interpreters to resolve on (one per supported Python)")
    parser.add_argument("--requirements", type=Path, action="append",
                        help="a requirement file (repeatable; default: requirements.txt, requirements-instructor.txt, "
                             "requirements-test.txt and requirements-nbgrader.txt)")
    parser.add_argument("--output", type=Path, default=ROOT / "requirements.lock")
    args = parser.parse_args(argv)
    args.requirements = args.requirements or [ROOT / "requirements.txt", ROOT / "requirements-instructor.txt",
                                               ROOT / "requirements-test.txt", ROOT / "requirements-nbgrader.txt"]
    names = " + ".join(path.name for path in args.requirements)
    freezes: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="lock-") as tmp:
        constraints = None
        for python in args.pythons:
            print(f"installing {names} with {python}"
                  + (" within the pins so far" if constraints else "") + " ...", file=sys.stderr, flush=True)
            version, pins = freeze(python, args.requirements, constraints)
            freezes[version] = pins
            constraints = Path(tmp) / "constraints.txt"
            constraints.write_text("".join(f"{n}=={v}\n" for n, v in merge(freezes).items()))
    pins = merge(freezes)
    first, *others = freezes
    header = ("# Exact versions installed by `make` and `make test` (pip install -r FILE -c requirements.lock).\n"
              f"# Generated by `make lock` from {names}:\n"
              f"# resolved on Python {first}, installed within these pins on {', '.join(others) or 'no other Python'}.\n"
              "# Do not edit by hand: change the requirement files and run `make lock`.\n")
    args.output.write_text(header + "".join(f"{name}=={version}\n" for name, version in pins.items()))
    print(f"wrote {len(pins)} pins to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
