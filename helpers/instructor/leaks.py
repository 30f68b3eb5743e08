"""Find solution code where students could read it: runs of Python tokens shared with a solution block.

The rule: a text *leaks* a solution block when it contains a run of ``n`` (default 6) or
more consecutive tokens of that block. Tokens come from :mod:`tokenize`; comments,
line breaks and indentation are skipped, and numbers are compared by value
(``1``, ``1.0`` and ``1e0`` are the same token). Text that is not Python (prose,
Markdown) is split by a regular expression instead, so it can be scanned too.

>>> block = "return np.linalg.solve(X.T @ X, X.T @ y)"
>>> shared_runs(code_tokens(block), code_tokens("Hint: solve(X.T @ X, X.T @ y) it's that."))
[('solve', '(', 'X', '.', 'T', '@', 'X', ',', 'X', '.', 'T', '@', 'y', ')')]
>>> shared_runs(code_tokens(block), code_tokens("use np.linalg.solve"))
[]
"""
from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
import warnings
from fractions import Fraction

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
RUN = 6  # the shortest shared run of tokens that counts as a leak

_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}
# the fallback for prose: a quote right after a letter or digit is an apostrophe, not a string
_FALLBACK = re.compile(r"""
    \#[^\n]*                                              # a comment (skipped)
  | (?<![A-Za-z0-9])[rbfuRBFU]{0,2}(?:'[^'\\\n]*(?:\\.[^'\\\n]*)*'|"[^"\\\n]*(?:\\.[^"\\\n]*)*")
  | (?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]? # a number
  | [^\W\d]\w*                                            # a name
  | \*\*=?|//=?|>>=?|<<=?|->|:=|[-+*/%@&|^<>=!]=          # operators of two or three characters
  | [^\s\w]                                               # any other single character
""", re.VERBOSE)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def solution_blocks(nb: dict) -> list[str]:
    """The code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in a notebook's code cells.

    Parameters
    ----------
    nb : dict
        The notebook's JSON (a dict or an ``nbformat`` node).

    Returns
    -------
    list of str
        One dedented text per block, in notebook order; markers excluded.
    """
    blocks = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        current: list[str] | None = None
        for line in _source(cell).splitlines(keepends=True):
            marker = line.strip()
            if marker == BEGIN:
                current = []
            elif marker == END and current is not None:
                blocks.append(textwrap.dedent("".join(current)))
                current = None
            elif current is not None:
                current.append(line)
    return blocks


def _number(text: str) -> str:
    try:
        value = ast.literal_eval(text.replace("_", ""))
        return str(Fraction(value)) if not isinstance(value, complex) else repr(value)
    except (ValueError, SyntaxError, OverflowError, TypeError):
        return text


def _fallback_tokens(text: str) -> list[str]:
    out = []
    for m in _FALLBACK.finditer(text):
        tok = m.group()
        if tok.startswith("#"):
            continue
        out.append(_number(tok) if tok[0].isdigit() or (tok[0] == "." and tok[1:2].isdigit()) else tok)
    return out


def _python_tokens(text: str) -> tuple[list[str], list[str]] | None:
    """(tokens, string literals) of Python text, or None when :mod:`tokenize` rejects it."""
    tokens, strings = [], []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in _SKIP:
                continue
            tokens.append(_number(tok.string) if tok.type == tokenize.NUMBER else tok.string)
            if tok.type == tokenize.STRING:
                strings.append(tok.string)
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        return None
    return tokens, strings


def code_tokens(text: str) -> list[str]:
    """The tokens of ``text`` that matter for comparing code.

    Python is split with :mod:`tokenize` (comments, line breaks and indentation
    skipped, numbers normalised by value); anything :mod:`tokenize` rejects (prose,
    Markdown, a fragment) is split by a regular expression that follows the same
    rules as closely as it can.
    """
    found = _python_tokens(text)
    return found[0] if found is not None else _fallback_tokens(text)


def _string_value(text: str) -> str:
    try:
        with warnings.catch_warnings():  # "\," in LaTeX is an invalid escape: harmless here
            warnings.simplefilter("ignore")
            value = ast.literal_eval(text)
    except (ValueError, SyntaxError):  # an f-string: keep what lies between the quotes
        value = re.sub(r"^[A-Za-z]*('''|\"\"\"|'|\")(.*)\1$", r"\2", text, flags=re.DOTALL)
    return value if isinstance(value, str) else (value.decode("latin-1") if isinstance(value, bytes) else "")


def token_streams(text: str) -> list[list[str]]:
    """The tokens of ``text`` as code, then those of each string literal's content read as code.

    Hints, messages and docstrings are strings: as code they are one token each, so
    their content is split again; a string inside a string is split in turn.
    """
    found = _python_tokens(text)
    if found is None:
        return [_fallback_tokens(text)]
    streams = [found[0]]
    for literal in found[1]:
        inner = _string_value(literal)
        if inner.strip():
            streams += token_streams(inner)
    return streams


def block_index(blocks: dict[str, list[str]], n: int = RUN) -> dict[tuple, list[tuple[str, int]]]:
    """Where each run of ``n`` tokens starts in the blocks: run -> [(label, position), ...]."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    index: dict[tuple, list[tuple[str, int]]] = {}
    for label, tokens in blocks.items():
        for i in range(len(tokens) - n + 1):
            index.setdefault(tuple(tokens[i:i + n]), []).append((label, i))
    return index


def _runs(blocks: dict[str, list[str]], index: dict, tokens: list[str], n: int) -> list[tuple[str, tuple]]:
    """(label, run) for every maximal run of ``tokens`` shared with a block, in order of appearance."""
    found, covered = [], set()
    for j in range(len(tokens) - n + 1):
        for label, i in index.get(tuple(tokens[j:j + n]), ()):
            if (label, i - j, j) in covered:  # inside a run already found on this diagonal
                continue
            block, length = blocks[label], n
            while i + length < len(block) and j + length < len(tokens) and block[i + length] == tokens[j + length]:
                length += 1
            covered.update((label, i - j, j + k) for k in range(length - n + 1))
            if (label, run := tuple(tokens[j:j + length])) not in found:
                found.append((label, run))
    return found


def shared_runs(a_tokens: list[str], b_tokens: list[str], n: int = RUN) -> list[tuple]:
    """Every maximal run of at least ``n`` consecutive tokens found in both lists.

    Returns
    -------
    list of tuple
        The runs as tuples of tokens, in order of their first appearance in ``b_tokens``,
        each reported once.
    """
    runs = _runs({"a": a_tokens}, block_index({"a": a_tokens}, n), b_tokens, n)
    return list(dict.fromkeys(run for _, run in runs))


def ngrams(tokens: list[str], n: int = RUN) -> set[tuple]:
    """Every run of ``n`` consecutive tokens of ``tokens``."""
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def public_ngrams(texts: list[str], n: int = RUN) -> set[tuple]:
    """The runs of ``n`` tokens of text students read anyway (as code and inside strings)."""
    grams: set[tuple] = set()
    for text in texts:
        for stream in token_streams(text):
            grams |= ngrams(stream, n)
    return grams


def leaks(text: str, blocks: dict[str, list[str]], n: int = RUN, public: set[tuple] = frozenset(),
          code_public: set[tuple] = frozenset(), index: dict | None = None) -> list[str]:
    """Describe each run of ``text`` shared with a solution block.

    Parameters
    ----------
    text : str
        What to scan: as code, and the content of each string literal (hints, messages) again.
    blocks : dict
        Label of a block (e.g. ``"04_neural_network.ipynb block 3"``) -> its tokens.
    n : int
        Shortest run that counts.
    public : set of tuple
        Runs of ``n`` tokens that give nothing away (see :func:`public_ngrams`): a shared run
        counts only if at least one of its ``n``-token windows is not among them.
    code_public : set of tuple
        More such runs, excused only in ``text`` read as code, never inside its strings
        (generic idioms a helper module's own code shares with an answer).
    index : dict, optional
        :func:`block_index` of ``blocks`` for this ``n``, to scan many texts quickly.

    Returns
    -------
    list of str
        ``"<label>: <the shared code>"`` for every shared run, marked ``(inside a string)`` when found
        in a string literal's content; empty when nothing leaks.

    Examples
    --------
    >>> blocks = {"nb block 1": code_tokens("return 1 / (1 + np.exp(-z))")}
    >>> leaks('hint = "use 1 / (1 + np.exp(-z))"', blocks)
    ['nb block 1: 1 / ( 1 + np . exp ( - z ) ) (inside a string)']
    >>> leaks('hint = "use 1 / (1 + np.exp(-z))"', blocks, public=public_ngrams(["y = 1 / (1 + np.exp(-z))"]))
    []
    """
    index = block_index(blocks, n) if index is None else index
    found = []
    for number, stream in enumerate(token_streams(text)):
        for label, run in _runs(blocks, index, stream, n):
            secret = ngrams(list(run), n) - public
            if number == 0:
                secret -= code_public
            if secret:
                entry = f"{label}: {' '.join(run)}" + (" (inside a string)" if number else "")
                if entry not in found:
                    found.append(entry)
    return found
