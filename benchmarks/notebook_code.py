"""Load the code of a solution notebook — its cells tagged ``library`` — as a module-like namespace.

The benchmarks run *the notebook's own* functions, not a copy: change the notebook and the
benchmark changes with it.
"""
from __future__ import annotations

import json
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_notebook_code(name: str, tag: str = "library") -> types.SimpleNamespace:
    """Execute the cells of ``solutions/<name>`` tagged ``tag`` and return their definitions."""
    path = ROOT / "solutions" / name
    cells = json.loads(path.read_text())["cells"]
    namespace: dict = {"__name__": f"notebook_{path.stem}"}
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and tag in c["metadata"].get("tags", [])]
    if not sources:
        raise ValueError(f"{path}: no code cells tagged {tag!r}")
    for source in sources:
        exec(compile(source, f"{path.name}[{tag}]", "exec"), namespace)
    return types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})
