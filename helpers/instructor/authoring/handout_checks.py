"""What a student hand-out must satisfy before it is written: it runs on its own and gives nothing away.

Each check takes the bundle as ``{relative path: bytes}`` and returns a list of
problems (empty when all is well), each naming the file and what to do.
"""
from __future__ import annotations

import ast
import json
import re
import sys

from ..layout import BEGIN, END

#: markers of what a student notebook must not hold (nbgrader's hidden tests included)
MARKERS = (BEGIN, END, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
_STANDARD = sys.stdlib_module_names | set(sys.builtin_module_names) | {"__main__"}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _cells(raw: bytes) -> list[dict]:
    return json.loads(raw.decode("utf-8")).get("cells", [])


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def check_notebooks(bundle: dict[str, bytes]) -> list[str]:
    """Every notebook is a blank student notebook: no outputs, no execution counts, no solution markers."""
    problems = []
    for path, raw in sorted(bundle.items()):
        if not path.endswith(".ipynb"):
            continue
        try:
            cells = _cells(raw)
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f"{path}: not a readable notebook ({e})")
            continue
        for i, cell in enumerate(cells):
            if any(marker in _source(cell) for marker in MARKERS):
                problems.append(f"{path} cell {i}: holds a solution or hidden-test block; hand out the notebook generated "
                                f"by `python -m helpers.instructor.build`, not a solution")
            if cell.get("outputs") or cell.get("execution_count") is not None:
                problems.append(f"{path} cell {i}: has outputs or an execution count; regenerate notebooks/ "
                                f"with `python -m helpers.instructor.build`")
    return problems


def _optional_imports(tree: ast.AST) -> set[int]:
    """Ids of the import nodes inside ``try: ... except ImportError`` (code that works without them)."""
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            optional |= {id(n) for stmt in node.body for n in ast.walk(stmt)
                         if isinstance(n, (ast.Import, ast.ImportFrom))}
    return optional


def _imports(source: str, module: str) -> list[tuple[str, int]]:
    """(absolute module name, line) of each import in ``source``; ``module`` resolves relative ones.

    Imports guarded by ``except ImportError`` are optional and not listed.
    """
    found = []
    tree = ast.parse(source)
    optional = _optional_imports(tree)
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")[: len(module.split(".")) - node.level]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append((base, node.lineno))
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]  # may be a module
    return found


def _code_of(path: str, raw: bytes) -> list[tuple[str, str]]:
    """(where, Python source) pieces of a bundle file: a module, or a notebook's code cells."""
    if path.endswith(".py"):
        return [(path, raw.decode("utf-8"))]
    pieces = []
    for i, cell in enumerate(_cells(raw)):
        if cell.get("cell_type") == "code":  # IPython magics and shell escapes are not Python
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                             for line in _source(cell).splitlines())
            pieces.append((f"{path} cell {i}", code))
    return pieces


def check_imports(bundle: dict[str, bytes], requirements: str, excluded: str = "helpers.instructor") -> list[str]:
    """Notebooks and helpers import only modules in the bundle, the standard library or the requirements."""
    modules = {p[:-3].replace("/", ".").removesuffix(".__init__") for p in bundle if p.endswith(".py")}
    required = {m.group(1).lower().replace("-", "_") for line in requirements.splitlines()
                if (m := _REQUIREMENT.match(line.split("#")[0]))}
    problems = []
    for path, raw in sorted(bundle.items()):
        if not path.endswith((".py", ".ipynb")) or not path.startswith(("helpers/", "notebooks/")):
            continue
        module = path[:-3].replace("/", ".").removesuffix(".__init__") if path.endswith(".py") else "__main__"
        if path.endswith("__init__.py"):
            module += ".__init__"  # relative imports of a package resolve against the package itself
        for where, code in _code_of(path, raw):
            try:
                names = _imports(code, module)
            except SyntaxError as e:
                problems.append(f"{where}: not valid Python (line {e.lineno}): {e.msg}")
                continue
            reported = set()
            for name, line in names:
                top = name.split(".")[0]
                if name == excluded or name.startswith(excluded + "."):
                    if line in reported:
                        continue
                    reported.add(line)
                    problems.append(f"{where} line {line}: imports {name}, which is instructor-only and not "
                                    f"in the hand-out; students' code must not depend on it")
                elif top == "helpers":
                    parent = name.rsplit(".", 1)[0]
                    if name not in modules and parent not in modules:
                        problems.append(f"{where} line {line}: imports {name}, which is not in the hand-out")
                elif top and top not in _STANDARD and top.lower() not in required:
                    problems.append(f"{where} line {line}: imports {top}, which is neither in the standard "
                                    f"library nor in requirements.txt; add it there")
    return problems
