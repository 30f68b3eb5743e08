"""The student notebook of a solution notebook: solution blocks become stubs, hidden tests and outputs go.

In a student notebook each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block becomes
``# YOUR CODE HERE`` / ``raise NotImplementedError()`` at the block's indentation (a concept
question's answer becomes ``name = ...``), a written answer's Markdown cell becomes
"YOUR ANSWER HERE", hidden-test blocks are removed and every output is cleared.
"""
from __future__ import annotations

import ast
import json

from ... import questions
from ..layout import BEGIN, END, CourseError
from .nbgrader_cells import WRITTEN_STUB, cell_source, strip_hidden_tests, written_id


class BuildError(CourseError):
    """A solution notebook cannot be turned into a student notebook."""


def strip_solutions(source: str, where: str = "", answers: frozenset[str] | set[str] = frozenset()) -> str:
    """Replace every solution block in ``source`` by a ``NotImplementedError`` stub at its indentation.

    A block at the top of a cell that only assigns one of the names in ``answers`` (a concept
    question's answer variable) becomes that name set to ``...``, so the cell still runs and the
    question's check says "not answered yet".

    Examples
    --------
    >>> print(strip_solutions("def f(x):\\n    ### BEGIN SOLUTION\\n    return x\\n    ### END SOLUTION\\n"))
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError()
    <BLANKLINE>
    >>> print(strip_solutions('### BEGIN SOLUTION\\nanswer = "b"\\n### END SOLUTION\\nask("03.q1-x", answer)', answers={"answer"}))
    answer = ...  # YOUR ANSWER HERE
    ask("03.q1-x", answer)
    """
    out, indent, block = [], None, []
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        marker = line.strip()
        if marker == BEGIN:
            if indent is not None:
                raise BuildError(f"{where} line {number}: {BEGIN} inside another solution block")
            indent, block = line[: len(line) - len(line.lstrip())], []
        elif marker == END:
            if indent is None:
                raise BuildError(f"{where} line {number}: {END} without a {BEGIN}")
            out.append(_stub(indent, block, answers))
            indent = None
        elif indent is None:
            out.append(line)
        else:
            block.append(line)
    if indent is not None:
        raise BuildError(f"{where}: {BEGIN} is never closed by {END}")
    text = "".join(out)
    return text if source.endswith("\n") else text.rstrip("\n")


def _stub(indent: str, block: list[str], answers) -> str:
    """What replaces one solution block: an answer left as ``...``, or a ``NotImplementedError``."""
    lines = [b for b in block if b.strip() and not b.lstrip().startswith("#")]
    if not indent and len(lines) == 1:
        try:
            tree = ast.parse(lines[0])
        except SyntaxError:
            tree = None
        node = tree.body[0] if tree and len(tree.body) == 1 else None
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in answers):
            return f"{node.targets[0].id} = ...  # YOUR ANSWER HERE\n"
    return f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()\n"


def _dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def student_notebook(solution: dict, name: str = "") -> str:
    """The text of the student notebook generated from a solution notebook's JSON."""
    nb = json.loads(json.dumps(solution))
    answers = {q.variable for q in questions.for_notebook(name[:2])} if name[:2].isdigit() else set()
    for i, cell in enumerate(nb["cells"]):
        if written_id(cell):
            cell["source"] = WRITTEN_STUB  # the model answer stays in solutions/
            continue
        if cell["cell_type"] != "code":
            continue
        src = cell_source(cell)
        new = strip_hidden_tests(src, f"{name} cell {i}")
        if BEGIN in new or END in new:
            new = strip_solutions(new, f"{name} cell {i}", answers)
        if new != src:
            cell["source"] = new.splitlines(keepends=True) if isinstance(cell["source"], list) else new
        cell["outputs"], cell["execution_count"] = [], None
    return _dumps(nb)
