"""How a verdict is shown: rich in JupyterLab, the same plain text everywhere else.

In a notebook a verdict renders as HTML: ✔ or ✘ and the diagnosis first, the hints after it, and
the inputs and values folded away in a ``<details>`` element that opens on a click. Its plain-text
form (what a terminal, a test or nbval sees) is the verdict's text, unchanged. Everything in it is
escaped: a learner's printed output or an exception message is shown, never run.

Examples
--------
>>> v = Verdict("01.1-x ✘ 0 of 2 checks passed\\n  check 1 failed — transposed\\n    input `a`:  [1 2]\\n"
...             "    expected: [1]\\n    got:      [2]\\n  hint: think <rows>")
>>> print(repr(v).splitlines()[0])
01.1-x ✘ 0 of 2 checks passed
>>> html = v._repr_html_()
>>> "<details" in html and "&lt;rows&gt;" in html and "<rows>" not in html
True
"""
from __future__ import annotations

import html
import sys

_FOLDED = ("input", "expected:", "got:", "|", "your code printed")  # values: shown on a click
_PASS, _FAIL = "#1b7837", "#b2182b"  # green and red of a colour-blind-safe diverging palette, with ✔/✘ as well


class Verdict:
    """A verdict's text, shown as rich HTML in a notebook and as the text itself everywhere else."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        head, *rest = self.text.splitlines() or [""]
        ok = "✔" in head.split(" — ")[0]
        shown, folded = [], []
        for line in rest:
            (folded if line.strip().startswith(_FOLDED) else shown).append(line.strip())
        parts = [f'<div style="font-family: var(--jp-code-font-family, monospace); line-height: 1.5">',
                 f'<div style="color: {_PASS if ok else _FAIL}; font-weight: bold">{html.escape(head)}</div>']
        parts += [f'<div style="margin-left: 1.5em">{html.escape(line)}</div>' for line in shown]
        if folded:
            body = html.escape("\n".join(folded))
            parts.append('<details style="margin-left: 1.5em"><summary>inputs and values</summary>'
                         f'<pre style="margin: 0.3em 0">{body}</pre></details>')
        return "".join(parts) + "</div>"


def show(text: str) -> None:
    """Show a verdict: rich output in a Jupyter kernel, plain text (printed) anywhere else."""
    ipython = sys.modules.get("IPython")  # a Jupyter kernel has imported it; plain Python has not
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.display_pub.publish({"text/plain": repr(Verdict(text)), "text/html": Verdict(text)._repr_html_()})
    else:
        print(text)
