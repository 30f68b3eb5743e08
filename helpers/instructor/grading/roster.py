"""The class list: who is who, and which submission is whose.

``roster.csv`` has a header row; the columns (only ``student_id`` is required):

``student_id``  the id the grader reports (unique; e.g. the university login)
``name``        full name as the platform shows it ("Ada Lovelace")
``email``       e-mail address
``canvas_id``   Canvas user id (the number in Canvas's bulk-download file names; the "ID" column)
``moodle_id``   the number in Moodle's bulk-download folder names (the participant id)
``sis_login``   Canvas's SIS Login ID / Moodle's idnumber, written to the gradebook exports
``section``     Canvas section, written to the Canvas export
``aliases``     other names the student's files may carry, separated by ``;``

A submission is matched, in this order, by the platform's bulk-download name (Canvas:
``lastfirst_[LATE_]userid_submissionid_original.ipynb``; Moodle: a folder
``Full Name_participantid_assignsubmission_file_``), then by student id, e-mail (or its
part before ``@``), alias or name, compared without case, accents or punctuation. A name
that matches nobody, or more than one student, is reported and never guessed.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..layout import CourseError

COLUMNS = ("student_id", "name", "email", "canvas_id", "moodle_id", "sis_login", "section", "aliases")
CANVAS_NAME = re.compile(r"^(?P<name>[^\W\d_]+)_(?P<late>LATE_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<original>.+)$")
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_(?:file|onlinetext)_?$")


@dataclass
class Student:
    """One row of the roster."""

    student_id: str
    name: str = ""
    email: str = ""
    canvas_id: str = ""
    moodle_id: str = ""
    sis_login: str = ""
    section: str = ""
    aliases: list = field(default_factory=list)


@dataclass
class Match:
    """Whose a submission is: ``student`` (None when nobody or several), ``how`` it was found, ``problem``."""

    student: Student | None
    how: str
    problem: str | None = None
    late_flag: bool = False  # Canvas marked the file LATE in its name


def normal(text: str) -> str:
    """Lower case, accents and punctuation dropped: "Zoë O'Neil" -> "zoeoneil"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def read_roster(path: Path) -> list[Student]:
    """The students of ``path``; a :class:`CourseError` names the row and the fix for bad input."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise CourseError(f"roster {path}: cannot be read ({err}); save it as a UTF-8 CSV file") from err
    rows = list(csv.DictReader(text.splitlines()))
    header = [h.strip() for h in (csv.DictReader(text.splitlines()).fieldnames or [])]
    if "student_id" not in header:
        raise CourseError(f"roster {path}: no 'student_id' column; the header must name the columns "
                          f"({', '.join(COLUMNS)}; only student_id is required)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise CourseError(f"roster {path}: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}")
    students, seen = [], {}
    for line, row in enumerate(rows, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        sid = row.get("student_id", "")
        if not sid:
            raise CourseError(f"roster {path}, line {line}: empty student_id; give every student an id")
        if sid in seen:
            raise CourseError(f"roster {path}, line {line}: student_id {sid!r} already on line {seen[sid]}; ids must be unique")
        seen[sid] = line
        aliases = [a.strip() for a in row.pop("aliases", "").split(";") if a.strip()]
        students.append(Student(aliases=aliases, **{k: v for k, v in row.items() if k in COLUMNS}))
    return students


class Roster:
    """Lookup of submissions against the roster's students."""

    def __init__(self, students: list[Student]):
        self.students = students
        self._by_key: dict[str, list[Student]] = {}
        for s in students:
            keys = {s.student_id, s.name, s.email, s.email.split("@")[0], *s.aliases}
            if s.name:
                parts = s.name.split()
                keys.add("".join(parts[-1:] + parts[:-1]))  # Canvas writes "lastfirst"
            for key in {normal(k) for k in keys if k and normal(k)}:
                self._by_key.setdefault(key, []).append(s)

    def _one(self, found: list[Student], how: str, label: str, late: bool = False) -> Match:
        if len(found) == 1:
            return Match(found[0], how, late_flag=late)
        if found:
            names = ", ".join(sorted(s.student_id for s in found))
            return Match(None, how, f"{label}: matches several students ({names}); add an alias to the roster "
                                    f"or rename the file", late)
        return Match(None, how, f"{label}: matches nobody on the roster; add the student or an alias", late)

    def match(self, student: str, path: Path) -> Match:
        """Whose is the submission that discovery named ``student``, found at ``path``."""
        canvas = CANVAS_NAME.match(Path(path).name)
        if canvas:
            found = [s for s in self.students if s.canvas_id and s.canvas_id == canvas["user"]]
            if found or not self._by_key.get(normal(canvas["name"])):
                return self._one(found, "Canvas user id in the file name", Path(path).name, bool(canvas["late"]))
            return self._one(self._by_key[normal(canvas["name"])], "name in a Canvas file name",
                             Path(path).name, bool(canvas["late"]))
        for part in (Path(path).parent.name, student):
            moodle = MOODLE_FOLDER.match(part)
            if moodle:
                found = [s for s in self.students if s.moodle_id and s.moodle_id == moodle["participant"]]
                if found:
                    return self._one(found, "Moodle participant id in the folder name", part)
                return self._one(self._by_key.get(normal(moodle["name"]), []), "name in a Moodle folder name", part)
        return self._one(self._by_key.get(normal(student), []), "id, e-mail, alias or name", student)
