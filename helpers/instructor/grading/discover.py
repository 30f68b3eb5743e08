"""Find the submissions: which student handed in which notebook, and what cannot be graded.

Layouts: notebook files, a folder of notebooks, or a folder of student folders. A
notebook's assignment is the one two-digit number in its name that is a solution's
number (``04_neural_network.ipynb``, ``alice-04.ipynb``); two such numbers make the
name ambiguous and the file is reported, not guessed. In a folder of notebooks the
student is the file name without that number and without the solution's topic
(``alice-04.ipynb`` and ``alice_03_linear_regression.ipynb`` are both alice's).

Inside the submissions nothing is followed: symbolic links, FIFOs, devices and other
non-regular files are reported in the student's status and skipped. Entries whose name
starts with a dot are not graded but reported: a student folder as that student's status
("rename it"), anything else in the list of skipped entries (Jupyter's
``.ipynb_checkpoints``, macOS's ``._`` copies).

When one student hands in two notebooks for the same assignment in their own folder, the
one with the most code cells run is graded (then the most recently modified, then the
first by name), and the other is named in the status: only the student's own files take
part. In a flat folder, where a file's name is all that says whose it is, a name can claim
a classmate: two files with different content that claim the same student and assignment
are both reported and neither is graded, until the instructor keeps the right one (files
with identical content count once).
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
from .bounds import MAX_NOTEBOOK_BYTES, notebook_problem


UsageError = CourseError  # bad arguments or a broken solution, grading cannot start: the one misuse error class


@dataclass
class Submission:
    """One notebook of one student, or the reason a file of theirs is not graded (``skip``)."""

    student: str
    path: Path
    key: str | None = None
    notes: list = field(default_factory=list)
    skip: str | None = None
    flat: bool = False  # found loose in a folder of notebooks (or named on the command line), not in its own folder


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


def _scan(folder: Path, skipped: list, top: bool = False):
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        raise UsageError(f"{folder}: cannot list ({e.strerror})") from e
    for e in entries:
        if e.name.startswith("."):
            if top and e.is_dir(follow_symlinks=False) and e.name not in (".ipynb_checkpoints", ".git"):
                yield e, None  # a student folder hidden by its name: that student is told
            else:
                skipped.append(f"{e.path}: name starts with a dot, not graded")
            continue
        try:
            yield e, e.stat(follow_symlinks=False).st_mode
        except OSError:
            continue


def _in_folder(folder: Path, keys: set[str], topics: dict, skipped: list) -> list[Submission]:
    subs = []
    for entry, mode in _scan(folder, skipped, top=True):
        path = Path(entry.path)
        if mode is None:
            subs.append(Submission(entry.name, path, skip=f"the folder {entry.name} starts with a dot (hidden): not "
                                                            f"graded; rename it without the dot and grade again"))
        elif entry.name.endswith(".ipynb"):
            found = key_candidates(path.stem, keys)
            sub = _notebook(_flat_student(path.stem, found[0] if len(found) == 1 else None, topics), path, keys, mode)
            sub.flat = True
            subs.append(sub)
        elif stat.S_ISDIR(mode):
            inner = [_notebook(entry.name, Path(e.path), keys, m) for e, m in _scan(path, skipped)
                     if e.name.endswith(".ipynb")]
            subs += inner or [Submission(entry.name, path, skip="no notebook (.ipynb) in the folder")]
        elif stat.S_ISLNK(mode):
            subs.append(Submission(_flat_student(path.stem, None, topics), path,
                                   skip=f"{entry.name} is a symbolic link: not followed"))
    return subs


def _cells_run(path: Path) -> int:
    try:
        data = serialize.read_capped(path, MAX_NOTEBOOK_BYTES)
        if notebook_problem(data):  # never parsed: it will not be run either
            return -1
        nb = json.loads(data)
        return sum(1 for c in nb.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"
                   and c.get("execution_count") is not None)
    except (ValueError, AttributeError, RecursionError):
        return -1


def _digest(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(serialize.read_capped(path, MAX_NOTEBOOK_BYTES)).hexdigest()
    except ValueError:
        return f"unreadable {path}"


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
        if any(s.flat for s in same):
            by_content: dict = {}
            for s in same:
                by_content.setdefault(_digest(s.path), []).append(s)
            if len(by_content) > 1:  # names claim one student with different work: a person decides
                names = ", ".join(s.path.name for s in same)
                for s in same:
                    s.skip = (f"{names} all claim {s.student} for notebook {s.key} with different content: none "
                              f"graded; keep the right one and grade again")
                continue
            keep = min(same, key=lambda s: s.path.name)
            keep.notes.append(f"{', '.join(o.path.name for o in same if o is not keep)}: the same notebook again, "
                              f"counted once")
            dropped |= {id(o) for o in same if o is not keep}
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


def discover(paths: list[Path], keys: set[str], topics: dict | None = None,
             skipped: list | None = None) -> list[Submission]:
    """Expand the command-line paths into submissions; raises :class:`UsageError` if there is nothing to grade.

    Entries passed over without a student to tell (hidden files) are appended to ``skipped``.
    """
    topics = topics or {}
    skipped = [] if skipped is None else skipped
    subs: list[Submission] = []
    for p in paths:
        try:
            mode = os.stat(p).st_mode  # the instructor's own arguments may be links
        except OSError:
            raise UsageError(f"{p}: no such file or folder") from None
        if stat.S_ISDIR(mode):
            subs += _in_folder(p, keys, topics, skipped)
        elif p.suffix == ".ipynb":
            found = key_candidates(p.stem, keys)
            sub = _notebook(_flat_student(p.stem, found[0] if len(found) == 1 else None, topics), p, keys,
                            os.lstat(p).st_mode if not os.path.islink(p) else mode)
            sub.flat = True
            subs.append(sub)
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
