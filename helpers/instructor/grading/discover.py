"""Find the submissions: which student handed in which notebook, and what cannot be graded.

Layouts: notebook files, a folder of notebooks, or a folder of student folders. A
notebook's assignment is the one two-digit number in its name that is a solution's
number (``04_neural_network.ipynb``, ``alice-04.ipynb``); two such numbers make the
name ambiguous and the file is reported, not guessed. In a folder of notebooks the
student is the file name without that number and without the solution's topic
(``alice-04.ipynb`` and ``alice_03_linear_regression.ipynb`` are both alice's).

Inside the submissions nothing is followed: symbolic links, FIFOs, devices and other
non-regular files are reported in the student's status and skipped. When one student
hands in two notebooks for the same assignment, the one with the most code cells run
is graded (then the most recently modified, then the first by name); the other is
named in the status.
"""
from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ... import serialize
from ..layout import CourseError


UsageError = CourseError  # bad arguments or a broken solution, grading cannot start: the one misuse error class


@dataclass
class Submission:
    """One notebook of one student, or the reason a file of theirs is not graded (``skip``)."""

    student: str
    path: Path
    key: str | None = None
    notes: list = field(default_factory=list)
    skip: str | None = None


def key_candidates(name: str, keys: set[str]) -> list[str]:
    """The solution numbers found in a file name (two-digit numbers not part of a longer number)."""
    return sorted({n for n in re.findall(r"(?<!\d)(\d\d)(?!\d)", name) if n in keys})


def _flat_student(stem: str, key: str | None, topics: dict) -> str:
    name = stem
    if key:
        name = re.sub(rf"(?<!\d){key}(?!\d)", " ", name, count=1)
        topic = topics.get(key, "")
        if topic and topic.lower() in name.lower():
            i = name.lower().index(topic.lower())
            name = name[:i] + " " + name[i + len(topic):]
    name = re.sub(r"[\s_.-]+", " ", name).strip()
    return name or stem


def _kind(mode: int) -> str:
    return ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode)
            else "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")


def _notebook(student: str, path: Path, keys: set[str], mode: int) -> Submission:
    sub = Submission(student, path)
    found = key_candidates(path.stem, keys)
    if not stat.S_ISREG(mode):
        sub.skip = f"{path.name} is {_kind(mode)}: skipped"
    elif len(found) > 1:
        sub.skip = f"{path.name}: ambiguous name (it contains {' and '.join(found)}); rename it to one number"
    elif not found:
        sub.skip = f"cannot tell which notebook {path.name} is: its name must contain one of {', '.join(sorted(keys))}"
    else:
        sub.key = found[0]
    return sub


def _scan(folder: Path):
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        raise UsageError(f"{folder}: cannot list ({e.strerror})") from e
    for e in entries:
        if e.name.startswith("."):
            continue  # .ipynb_checkpoints, macOS ._ files
        try:
            yield e, e.stat(follow_symlinks=False).st_mode
        except OSError:
            continue


def _in_folder(folder: Path, keys: set[str], topics: dict) -> list[Submission]:
    subs = []
    for entry, mode in _scan(folder):
        path = Path(entry.path)
        if entry.name.endswith(".ipynb"):
            found = key_candidates(path.stem, keys)
            subs.append(_notebook(_flat_student(path.stem, found[0] if len(found) == 1 else None, topics),
                                  path, keys, mode))
        elif stat.S_ISDIR(mode):
            inner = [_notebook(entry.name, Path(e.path), keys, m) for e, m in _scan(path) if e.name.endswith(".ipynb")]
            subs += inner or [Submission(entry.name, path, skip="no notebook (.ipynb) in the folder")]
        elif stat.S_ISLNK(mode):
            subs.append(Submission(_flat_student(path.stem, None, topics), path,
                                   skip=f"{entry.name} is a symbolic link: not followed"))
    return subs


def _cells_run(path: Path) -> int:
    try:
        nb = json.loads(serialize.read_capped(path, 100 * 2**20))
        return sum(1 for c in nb.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"
                   and c.get("execution_count") is not None)
    except (ValueError, AttributeError, RecursionError):
        return -1


def _choose(subs: list[Submission]) -> list[Submission]:
    """One notebook per student and assignment (see the module's rule); the others named in the status."""
    groups: dict = {}
    for s in subs:
        if s.skip is None:
            groups.setdefault((s.student, s.key), []).append(s)
    dropped = set()
    for same in groups.values():
        if len(same) < 2:
            continue
        def rank(s):
            try:
                mtime = os.lstat(s.path).st_mtime
            except OSError:
                mtime = 0.0
            return (_cells_run(s.path), mtime, [-ord(c) for c in s.path.name])
        best = max(same, key=rank)
        others = [s for s in same if s is not best]
        best.notes.append(f"also handed in {', '.join(o.path.name for o in others)} for notebook {best.key}; "
                          f"graded {best.path.name} (the one with the most cells run, then the newest)")
        dropped |= {id(o) for o in others}
    return [s for s in subs if id(s) not in dropped]


def discover(paths: list[Path], keys: set[str], topics: dict | None = None) -> list[Submission]:
    """Expand the command-line paths into submissions; raises :class:`UsageError` if there is nothing to grade."""
    topics = topics or {}
    subs: list[Submission] = []
    for p in paths:
        try:
            mode = os.stat(p).st_mode  # the instructor's own arguments may be links
        except OSError:
            raise UsageError(f"{p}: no such file or folder") from None
        if stat.S_ISDIR(mode):
            subs += _in_folder(p, keys, topics)
        elif p.suffix == ".ipynb":
            found = key_candidates(p.stem, keys)
            subs.append(_notebook(_flat_student(p.stem, found[0] if len(found) == 1 else None, topics), p, keys,
                                  os.lstat(p).st_mode if not os.path.islink(p) else mode))
        else:
            raise UsageError(f"{p}: not a notebook (.ipynb) or a folder")
    if not subs:
        raise UsageError(f"no notebooks found in {', '.join(map(str, paths))}")
    return _choose(subs)


def similar_names(students: list[str]) -> dict:
    """{student: [others]} for names that differ only in case, accents or spacing (both are kept apart)."""
    import unicodedata

    def fold(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)))

    by_fold: dict = {}
    for s in students:
        by_fold.setdefault(fold(s), []).append(s)
    return {s: [o for o in group if o != s] for group in by_fold.values() if len(group) > 1 for s in group}
