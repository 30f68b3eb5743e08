"""nbformat and nbclient for the course's tools, loaded without a two-second detour.

nbformat validates notebooks with jsonschema, which on import also loads the optional package
``rfc3987_syntax`` when it is installed (JupyterLab's dependencies install it) to check the ``iri``
string format; that import compiles a grammar and costs about 2 s of CPU on a 2-core machine. Every
grading worker, self-check and build would pay it once per notebook. The notebook schema uses no
``iri`` format, so here the optional import is made to fail while nbformat loads, and jsonschema
simply goes without that one format checker. Nothing else changes: afterwards ``rfc3987_syntax``
imports normally for any other code in the process.

Examples
--------
>>> from helpers.nbio import nbformat, NotebookClient
>>> nbformat.v4.new_code_cell("1 + 1").cell_type
'code'
"""
from __future__ import annotations

import sys

_SLOW = "rfc3987_syntax"
_skipped = _SLOW not in sys.modules
if _skipped:
    sys.modules[_SLOW] = None  # type: ignore[assignment]  # "import rfc3987_syntax" now raises ImportError
try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
finally:
    if _skipped and sys.modules.get(_SLOW, 0) is None:
        del sys.modules[_SLOW]

__all__ = ["nbformat", "NotebookClient", "CellTimeoutError", "DeadKernelError"]
