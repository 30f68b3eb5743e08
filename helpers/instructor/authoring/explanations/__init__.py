"""What a learner reads after answering a concept question: one TOML file per notebook, ``nbNN.toml``.

Instructor-only (it says which answer is right); the build seals each text under the answer it
explains (:func:`helpers.questions.sealed_entry`) into the public self-check data::

    ["03.q1-residual-pattern"]
    a = "Not quite: ..."          # one text per choice of a multiple choice
    b = "Right: ..."

    ["03.q2-r-squared"]
    right = "Yes: ..."            # a number: the text for the solution's answer,
    "0.5" = "That is ..."         # and for a wrong number worth explaining (a typical mistake)
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ....questions import spec_file_explanations
from ...layout import CourseError

FOLDER = Path(__file__).resolve().parent


def explanations(key: str, folder: Path = FOLDER) -> dict[str, dict[str, str]]:
    """``{question id: {answer: text}}`` of notebook ``key`` ({} when the notebook has no file)."""
    path = Path(folder) / f"nb{key}.toml"
    if not path.is_file():
        return spec_file_explanations(key)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CourseError(f"{path}: cannot be read as TOML ({err}); fix the file") from err
    bad = [f"{q}.{k}" for q, texts in data.items() for k, v in (texts.items() if isinstance(texts, dict) else [("", 0)])
           if not isinstance(v, str) or not v.strip()]
    if bad:
        raise CourseError(f"{path}: every explanation must be a non-empty string (see {', '.join(bad[:5])})")
    return data


def fingerprint(key: str, folder: Path = FOLDER) -> bytes:
    """The file's bytes (the build's staleness check counts them)."""
    path = Path(folder) / f"nb{key}.toml"
    return path.read_bytes() if path.is_file() else b""
