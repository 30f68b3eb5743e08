"""Scan every file of a hand-out for solution code, with the course's leak rule (:mod:`.leaks`).

A file leaks when it holds a run of ``leaks.RUN`` (6) consecutive code tokens of any
solution block (or nbgrader hidden-test block) of any notebook in ``solutions/``.
Three refinements make the rule fit a whole bundle rather than a single hint:

- **inside strings too**: a hint or message in a helper module is a string literal, a
  single token as code; its content is tokenised again (and so on, for strings in strings);
- **what students read anyway is not a leak**: runs that also occur in the student
  notebooks as the build generates them (``np.random.default_rng(`` in every set-up
  cell) give nothing away;
- **generic helper code**: ``handout_files/generic_code.txt`` lists code of the helper
  modules that shares six tokens with some answer by coincidence (``m = Y.shape[1]``); it
  is excused in modules' code only, never inside strings nor in notebooks.
"""
from __future__ import annotations

import ast
import io
import json
import re
import textwrap
import warnings
import zipfile
from pathlib import Path

import numpy as np

from . import leaks
from .build import solutions_in, student_notebook

GENERIC_CODE = Path(__file__).resolve().parent / "handout_files" / "generic_code.txt"
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
_PREFIXED = re.compile(r"^[A-Za-z]{0,2}('''|\"\"\"|'|\")(.*)\1$", re.DOTALL)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _string_content(token: str) -> str | None:
    """The text inside a string token (``'...'``, ``f"..."``, ...), or None for any other token."""
    m = _PREFIXED.match(token)
    if not m:
        return None
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError):  # an f-string or an odd escape: what lies between the quotes
        return m.group(2)
    return value if isinstance(value, str) else None


def token_streams(text: str) -> list[list[str]]:
    """The code tokens of ``text``, then those of each string literal's content, recursively."""
    with warnings.catch_warnings():  # "\\," in LaTeX inside a string is an invalid escape: harmless here
        warnings.simplefilter("ignore")
        tokens = leaks.code_tokens(text)
    streams = [tokens]
    for token in tokens:
        inner = _string_content(token)
        if inner and inner.strip() and len(inner) < len(text):
            streams += token_streams(inner)
    return streams


def ngrams(tokens: list[str], n: int = leaks.RUN) -> set[tuple]:
    """Every run of ``n`` consecutive tokens."""
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def public_ngrams(texts: list[str], n: int = leaks.RUN) -> set[tuple]:
    """The runs of ``n`` tokens of ``texts``, read as code and inside their strings."""
    return {gram for text in texts for stream in token_streams(text) for gram in ngrams(stream, n)}


def _hidden_tests(nb: dict) -> list[str]:
    blocks = []
    for cell in nb.get("cells", []):
        inside = None
        for line in _source(cell).splitlines(keepends=True):
            if line.strip() == HIDDEN[0]:
                inside = []
            elif line.strip() == HIDDEN[1] and inside is not None:
                blocks.append("".join(inside))
                inside = None
            elif inside is not None:
                inside.append(line)
    return blocks


def solution_material(solutions: Path, n: int = leaks.RUN) -> tuple[dict[tuple, set[str]], set[tuple]]:
    """Index of the secret runs (run -> labels of the blocks holding it) and the public runs.

    Public runs are those of the student notebooks that ``build`` generates from ``solutions``.
    """
    index: dict[tuple, set[str]] = {}
    public_texts = []
    for _, path in solutions_in(solutions):
        nb = json.loads(path.read_text(encoding="utf-8"))
        secret = [("solution block", b) for b in leaks.solution_blocks(nb)] + \
                 [("hidden tests", b) for b in _hidden_tests(nb)]
        for k, (kind, block) in enumerate(secret, 1):
            for gram in ngrams(leaks.code_tokens(textwrap.dedent(block)), n):
                index.setdefault(gram, set()).add(f"{path.name} {kind} {k}")
        public_texts += [_source(c) for c in json.loads(student_notebook(nb, path.name))["cells"]]
    return index, public_ngrams(public_texts, n)


def scan_text(text: str, index: dict[tuple, set[str]], public: set[tuple] = frozenset(),
              code_public: set[tuple] = frozenset(), n: int = leaks.RUN) -> list[str]:
    """Each stretch of ``text`` made of secret runs: ``"<blocks>: <tokens>"``; empty when nothing leaks.

    Examples
    --------
    >>> index = {g: {"nb block 1"} for g in ngrams(leaks.code_tokens("return 1 / (1 + np.exp(-z))"))}
    >>> scan_text('hint = "use 1 / (1 + np.exp(-z))"', index)
    ['nb block 1: 1.0 / ( 1.0 + np . exp ( - z ) ) (inside a string)']
    >>> scan_text('hint = "use 1 / (1 + np.exp(-z))"', index, public=public_ngrams(["1 / (1 + np.exp(-z))"]))
    []
    """
    found = []
    for number, stream in enumerate(token_streams(text)):
        hits = []
        for j in range(len(stream) - n + 1):
            gram = tuple(stream[j:j + n])
            if gram in index and gram not in public and not (number == 0 and gram in code_public):
                hits.append(j)
        while hits:  # merge overlapping windows into stretches
            start = end = hits.pop(0)
            labels = set(index[tuple(stream[start:start + n])])
            while hits and hits[0] <= end + n:
                end = hits.pop(0)
                labels |= index[tuple(stream[end:end + n])]
            entry = f"{', '.join(sorted(labels))}: {' '.join(stream[start:end + n])}"
            found.append(entry + (" (inside a string)" if number else ""))
    return list(dict.fromkeys(found))


def _texts(path: str, raw: bytes) -> list[tuple[str, str]]:
    """(where, text) pieces of a bundle file to scan."""
    if path.endswith(".ipynb"):
        return [(f"{path} cell {i}", _source(c)) for i, c in enumerate(json.loads(raw.decode("utf-8"))["cells"])]
    if path.endswith(".npz"):
        pieces = []
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for name in sorted(z.namelist()):
                arr = np.load(io.BytesIO(z.read(name)), allow_pickle=False)
                if arr.dtype.kind in "SU":
                    pieces += [(f"{path}:{name}", str(s)) for s in arr.ravel().tolist()]
        return pieces
    return [(path, raw.decode("utf-8"))]


def scan_bundle(bundle: dict[str, bytes], solutions: Path) -> list[str]:
    """Every place in the bundle (``{path: bytes}``) that holds solution code, named by file and cell."""
    index, public = solution_material(solutions)
    generic = public_ngrams([GENERIC_CODE.read_text(encoding="utf-8")]) if GENERIC_CODE.is_file() else set()
    problems = []
    for path, raw in sorted(bundle.items()):
        try:
            pieces = _texts(path, raw)
        except (ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as e:
            problems.append(f"{path}: cannot be read to scan it for solution code ({e}); keep such files out")
            continue
        for where, text in pieces:
            code_public = generic if path.endswith(".py") else frozenset()
            problems += [f"{where}: solution code ({hit})" for hit in scan_text(text, index, public, code_public)]
    return problems
