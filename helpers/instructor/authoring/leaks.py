"""Finding an exercise's answer where it must not be: in hints, messages, statements or a hand-out.

The rule: a text *leaks* a solution block when it contains a run of ``RUN`` (6) or more
consecutive code tokens of that block. Tokens come from Python's :mod:`tokenize`
(comments, line breaks and indentation dropped); numbers are compared by value (``1`` and
``1.0`` are the same token) and strings by their contents. Prose and Markdown that do not
tokenise as Python are split by a regular expression into the same kinds of token.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings

RUN = 6
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}
_TOKEN = re.compile(r"""
    (?P<str>"[^"\n]*"|'[^'\n]*')
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?j?)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*=?|//=?|->|:=|==|!=|<=|>=|<<=?|>>=?|[-+*/%@&|^<>]=?|[~()\[\]{},:.;=])
""", re.VERBOSE)


def _normal(kind: str, text: str) -> str:
    with warnings.catch_warnings():  # prose may hold LaTeX such as "\\sigma": an invalid escape, not an error
        warnings.simplefilter("ignore")
        return _literal(kind, text)


def _literal(kind: str, text: str) -> str:
    if kind == "num":
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
        return repr(float(value)) if isinstance(value, (int, float)) else repr(value)
    if kind == "str":
        try:
            return repr(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return text
    return text


# Python 3.12 tokenizes an f-string into parts (PEP 701); 3.14 a t-string too. Joined back into one STRING token,
# as older Pythons give it, so that the same text has the same tokens on every supported Python.
_PART_START = {getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, name)}
_PART_END = {getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)}


def _python_tokens(text: str):
    """``(type, string)`` of each token of ``text``, every f-string as a single ``STRING`` token."""
    lines = io.StringIO(text).readlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    depth, begin = 0, (1, 0)
    for tok in tokenize.generate_tokens(iter(lines).__next__ if lines else io.StringIO("").readline):
        if tok.type in _PART_START:
            begin = tok.start if depth == 0 else begin
            depth += 1
        elif depth:
            if tok.type in _PART_END:
                depth -= 1
                if depth == 0:
                    yield tokenize.STRING, text[starts[begin[0] - 1] + begin[1]:starts[tok.end[0] - 1] + tok.end[1]]
        else:
            yield tok.type, tok.string


def code_tokens(text: str) -> list[str]:
    """The normalised code tokens of ``text`` (Python source, or any prose).

    Examples
    --------
    >>> code_tokens("y = x.mean(axis=0)  # a comment")
    ['y', '=', 'x', '.', 'mean', '(', 'axis', '=', '0.0', ')']
    >>> code_tokens("Take the mean of `x` over axis 0.") [:3]
    ['Take', 'the', 'mean']
    """
    try:
        out = []
        for kind, string in _python_tokens(text):
            if kind in _SKIP:
                continue
            out.append(_normal({tokenize.NUMBER: "num", tokenize.STRING: "str"}.get(kind, "other"), string))
        return out
    except (tokenize.TokenError, IndentationError, SyntaxError, StopIteration):
        return [_normal(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]


def shared_runs(needle: list[str], haystack: list[str], n: int = RUN) -> list[tuple[str, ...]]:
    """Every run of ``n`` consecutive tokens of ``needle`` that also occurs in ``haystack``.

    Examples
    --------
    >>> shared_runs(list("abcdefg"), list("xxcdefgx"), n=4)
    [('c', 'd', 'e', 'f'), ('d', 'e', 'f', 'g')]
    """
    grams = {tuple(haystack[i:i + n]) for i in range(len(haystack) - n + 1)}
    return [run for run in (tuple(needle[i:i + n]) for i in range(len(needle) - n + 1)) if run in grams]


def solution_blocks(notebook: dict) -> list[str]:
    """The source between each ``### BEGIN SOLUTION`` / ``### END SOLUTION`` pair of a notebook's cells."""
    blocks = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        lines = (source if isinstance(source, str) else "".join(source)).splitlines()
        inside: list[str] | None = None
        for line in lines:
            if line.strip() == BEGIN:
                inside = []
            elif line.strip() == END and inside is not None:
                blocks.append("\n".join(inside))
                inside = None
            elif inside is not None:
                inside.append(line)
    return blocks


def _dedented(block: str) -> str:
    lines = block.splitlines()
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines)


def leaks(text: str, blocks: list[str], n: int = RUN) -> list[str]:
    """The runs of solution code (one per leaking block, joined by spaces) that ``text`` contains."""
    found = []
    have = code_tokens(text)
    for block in blocks:
        runs = shared_runs(code_tokens(_dedented(block)), have, n)
        if runs:
            found.append(" ".join(runs[0]))
    return found
