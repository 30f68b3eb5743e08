"""Build the student hand-out: a folder and a zip with what students need and nothing that gives answers away.

    python -m helpers.instructor.handout --out build/handout    # also writes build/course-handout.zip

Contents: the student notebooks (blank exercises, no outputs), ``helpers/`` without
``helpers/instructor/`` (with the self-check data), the small datasets and
``data/README.md``, the requirements (and ``requirements.lock`` when there is one),
a ``pyproject.toml`` for the helpers, and a student ``Makefile`` and ``README.md``
(from ``helpers/instructor/authoring/handout_files/``). Every top-level file comes from
:data:`MANIFEST`; nothing else is picked up.

Before anything is written the bundle is checked (:mod:`.handout_checks`,
:mod:`.handout_leaks`): notebooks blank and up to date with ``solutions/``, self-check
data fresh, every import satisfied inside the bundle, and no run of solution code anywhere. Any problem stops
the build with exit status 1 and names the file (a refused ``--out`` or a course that cannot be built:
exit status 2). The output is deterministic: the
same course gives the same bytes (sorted zip entries, fixed permissions, and one
timestamp for every file: the build's date, ``SOURCE_DATE_EPOCH`` when set, else the date of
the course's last commit, so JupyterLab and the self-check show a real date).
"""
from __future__ import annotations

import calendar
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from ... import cli
from . import handout_checks, handout_leaks
from ..layout import ROOT, solutions_in
from .build import BuildError, build

TEMPLATES = Path(__file__).resolve().parent / "handout_files"
ZIP_NAME = "course-handout.zip"
#: Files copied as they are, at the same path: path -> required (False: included when it exists).
MANIFEST = {
    "requirements.txt": True,
    "requirements.lock": False,
    "data/README.md": True,
    "data/data_1d.csv": True,
    "data/data_2d.csv": True,
    "data/mnist/.gitkeep": True,
    "scripts/make_regression_data.py": True,  # data/README.md says how the regression data were made
    "lab-settings/overrides.json": True,  # JupyterLab settings: no "official Jupyter news?" pop-up
}
TEMPLATE_FILES = {"README.md": "README.md", "Makefile": "Makefile"}  # template -> path in the bundle
HELPERS_EXCLUDED = ("instructor",)  # sub-packages of helpers/ students do not get
STUDENT_CHECK = "helpers/selfcheck.py"  # what `make selfcheck` runs


class HandoutError(ValueError):
    """The hand-out cannot be built as it stands: the message says what to fix."""


def _helpers_files(root: Path) -> list[str]:
    """Every file of ``helpers/`` but the instructor tools, caches and hidden files."""
    files = []
    for path in sorted((root / "helpers").rglob("*")):
        rel = path.relative_to(root / "helpers")
        if (path.is_file() and rel.parts[0] not in HELPERS_EXCLUDED and path.suffix != ".pyc"
                and not any(part == "__pycache__" or part.startswith(".") for part in rel.parts)):
            files.append(f"helpers/{rel.as_posix()}")
    return files


def student_pyproject(text: str) -> str:
    """The course's ``pyproject.toml`` reduced to what installs the helpers (no tests, no instructor tools)."""
    def value(key: str) -> str:  # the first `key = ...` line (tomllib is not there before Python 3.11)
        m = re.search(rf"^{re.escape(key)}\s*=\s*(.+?)\s*$", text, re.MULTILINE)
        if not m:
            raise HandoutError(f"pyproject.toml: no `{key} = ...` line to copy into the hand-out")
        return m.group(1)

    return (f'[build-system]\nrequires = {value("requires")}\nbuild-backend = {value("build-backend")}\n\n'
            f'[project]\nname = {value("name")}\nversion = {value("version")}\n'
            f'description = "Helpers for the course notebooks: data, figures and self-checks."\n'
            f'requires-python = {value("requires-python")}\n\n'
            f'[tool.setuptools.packages.find]\ninclude = ["helpers*"]\n\n'
            f'[tool.setuptools.package-data]\nhelpers = ["checkdata/*"]\n')


def minimum_python(pyproject: str) -> str:
    """The ``X.Y`` of ``requires-python = ">=X.Y"`` in the course's ``pyproject.toml``."""
    m = re.search(r'^requires-python\s*=\s*"\s*>=\s*(\d+\.\d+)', pyproject, re.MULTILINE)
    if not m:
        raise HandoutError('pyproject.toml: needs a line like requires-python = ">=3.11" for the hand-out\'s Makefile')
    return m.group(1)


def collect(root: Path = ROOT, log=lambda message: print(message, file=sys.stderr)) -> dict[str, bytes]:
    """The bundle as ``{path: bytes}``, verified; raises :class:`HandoutError` listing every problem."""
    solutions = root / "solutions"
    stale = build(solutions, root / "notebooks", root / "helpers" / "checkdata", check=True)  # names the remedy
    bundle: dict[str, bytes] = {}
    for rel, required in MANIFEST.items():
        if (root / rel).is_file():
            bundle[rel] = (root / rel).read_bytes()
        elif required:
            raise HandoutError(f"{root / rel}: missing, and the hand-out needs it")
    for _, path in solutions_in(solutions):
        if (root / "notebooks" / path.name).is_file():  # a missing one is among the stale
            bundle[f"notebooks/{path.name}"] = (root / "notebooks" / path.name).read_bytes()
    for rel in _helpers_files(root):
        bundle[rel] = (root / rel).read_bytes()
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    for template, rel in TEMPLATE_FILES.items():
        bundle[rel] = (TEMPLATES / template).read_text(encoding="utf-8").replace(
            "@PYTHON_MIN@", minimum_python(pyproject)).encode()
    bundle["pyproject.toml"] = student_pyproject(pyproject).encode()
    if STUDENT_CHECK not in bundle:
        log(f"warning: {STUDENT_CHECK} does not exist yet, so `make selfcheck` in the hand-out cannot work")
    problems = (stale + handout_checks.check_notebooks(bundle)
                + handout_checks.check_imports(bundle, bundle["requirements.txt"].decode())
                + handout_leaks.scan_bundle(bundle, solutions))
    if problems:
        advice = ("\nA run of solution code in a helper's code (not inside a string) that is a generic idiom "
                  f"rather than an answer can be listed in {handout_leaks.GENERIC_CODE}."
                  if any("solution code" in p and not p.endswith("(inside a string))") for p in problems) else "")
        raise HandoutError(f"{len(problems)} problem(s); nothing was written:\n"
                           + "\n".join(f"  {p}" for p in problems) + advice)
    return dict(sorted(bundle.items()))


def _epoch(root: Path = ROOT) -> int:
    """The hand-out's one timestamp: ``SOURCE_DATE_EPOCH``, else the last commit's date, else the newest solution's."""
    floor = calendar.timegm((1980, 1, 1, 0, 0, 0))  # zip cannot go before 1980
    if "SOURCE_DATE_EPOCH" in os.environ:
        try:
            return max(int(os.environ["SOURCE_DATE_EPOCH"]), floor)
        except ValueError:
            raise HandoutError(f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']!r}: "
                               "must be whole seconds since 1970") from None
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                              text=True, timeout=30)
        if done.returncode == 0 and done.stdout.strip().isdigit():
            return max(int(done.stdout.strip()), floor)
    except (OSError, subprocess.TimeoutExpired):
        pass
    newest = [p.stat().st_mtime for _, p in solutions_in(root / "solutions")]  # no git: the sources' own dates
    return max(int(max(newest, default=floor)), floor)


def write_zip(bundle: dict[str, bytes], path: Path, folder: str = "course-handout") -> None:
    """A zip of the bundle under ``folder/``: sorted entries, one fixed timestamp, fixed permissions."""
    stamp = time.gmtime(_epoch())[:6]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as z:
        for rel, data in sorted(bundle.items()):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=stamp)
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3  # 3: unix permissions below
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=9)
    tmp.replace(path)


def _looks_like_handout(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()} - {".git"}
    return not names or ({"notebooks", "helpers"} <= names and "solutions" not in names)


def check_out_folder(out: Path) -> Path:
    """``out`` resolved, if the hand-out may (re)write it: new, empty, or an earlier hand-out."""
    out = out.resolve()
    if out == ROOT or ROOT.is_relative_to(out):
        raise HandoutError(f"{out}: that is (or contains) the course itself; choose another --out")
    if out.exists() and (not out.is_dir() or not _looks_like_handout(out)):
        raise HandoutError(f"{out}: not empty and not an earlier hand-out; choose a new or empty folder")
    return out


def write_folder(bundle: dict[str, bytes], out: Path) -> None:
    """Make ``out`` hold exactly the bundle (a ``.git`` inside is kept, so a student repository can be synced)."""
    out = check_out_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    for child in out.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    epoch = _epoch()
    for rel, data in bundle.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(0o644)
    dirs = sorted({p for rel in bundle for p in (out / rel).parents if p != out and out in p.parents})
    for path in [out / rel for rel in bundle] + dirs[::-1] + [out]:
        if path.is_dir():
            path.chmod(0o755)
        os.utime(path, (epoch, epoch))


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m helpers.instructor.handout", __doc__,
                                problems="the bundle has problems (stale notebooks, answers or outputs, leaks): "
                                         "each named, nothing written")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handout",
                        help="folder to (re)write with the hand-out (default: build/handout)")
    parser.add_argument("--zip", type=Path, default=None,
                        help=f"zip to write (default: {ZIP_NAME} next to --out); '-' for none")
    args = parser.parse_args(argv)
    try:
        check_out_folder(args.out)
    except HandoutError as e:
        print(f"error: {e}", file=sys.stderr)
        return cli.USAGE
    try:
        bundle = collect()
        write_folder(bundle, args.out)
        zip_path = None if str(args.zip) == "-" else (args.zip or args.out.resolve().parent / ZIP_NAME)
        if zip_path:
            zip_path.parent.mkdir(parents=True, exist_ok=True)
            write_zip(bundle, zip_path)
    except BuildError as e:  # the course cannot be built as it is: refused
        print(f"error: {e}", file=sys.stderr)
        return cli.USAGE
    except HandoutError as e:
        print(f"error: {e}", file=sys.stderr)
        return cli.PROBLEMS
    size = sum(map(len, bundle.values()))
    print(f"hand-out: {len(bundle)} files, {size / 1e6:.2f} MB in {args.out}"
          + (f"; zip {zip_path} ({zip_path.stat().st_size / 1e6:.2f} MB)" if zip_path else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
