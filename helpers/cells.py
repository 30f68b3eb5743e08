"""One numbering of a notebook's cells, shared by the self-check and the grader's feedback.

A cell is named by its 1-based position among ALL cells of the notebook (markdown included,
as JupyterLab shows them top to bottom) and its first non-blank line, shortened, so a learner
finds it whichever tool reported it.

Examples
--------
>>> cell_label(7, "\\n\\ndef fit_line(x, y):\\n    return x")
'cell 8 ("def fit_line(x, y):")'
>>> cell_label(0, "")
'cell 1'
>>> cell_label(2, "x = " + "1 + " * 30)
'cell 3 ("x = 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1…")'
"""
from __future__ import annotations

WIDTH = 50  # characters of the first line shown at most


def cell_label(index0: int, source: str | list[str]) -> str:
    """Name a cell by its 1-based position among all cells and its first non-blank line.

    Parameters
    ----------
    index0 : int
        The cell's 0-based index in the notebook's ``cells`` list (markdown cells counted).
    source : str or list of str
        The cell's source, as a string or as nbformat's list of lines.

    Returns
    -------
    str
        ``'cell N ("first line")'``, or ``'cell N'`` for a blank cell.
    """
    if index0 < 0:
        raise ValueError(f"a cell index counts from 0, got {index0}")
    text = "".join(source) if isinstance(source, list) else source
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > WIDTH:
        first = first[:WIDTH].rstrip() + "…"
    return f'cell {index0 + 1} ("{first}")' if first else f"cell {index0 + 1}"
