"""The import graph of helpers/, read from the source: no cycles, and no student-facing module
(everything in helpers/ outside helpers/instructor/) imports helpers.instructor, not even lazily."""
import ast

from conftest import ROOT

HELPERS = ROOT / "helpers"


def _module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exists(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _targets(module: str, is_package: bool, node) -> list[str]:
    """Modules of helpers/ that one import statement names (every import, lazy ones too)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "helpers"]
    if node.level:
        package = module.split(".")
        package = package[:len(package) - node.level + (1 if is_package else 0)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base.split(".")[0] != "helpers":
        return []
    found = [f"{base}.{a.name}" for a in node.names if _exists(f"{base}.{a.name}")]
    return found if len(found) == len(node.names) else found + [base]


def graph() -> dict[str, set[str]]:
    edges = {}
    for path in sorted(HELPERS.rglob("*.py")):
        if "handout_files" in path.parts:
            continue
        module = _module_name(path)
        tree = ast.parse(path.read_text(), filename=str(path))
        edges[module] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                         for t in _targets(module, path.name == "__init__.py", node) if t != module}
    return edges


def _cycle(edges: dict) -> list[str] | None:
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(edges):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_graph_is_read_from_imports_of_every_kind():
    edges = graph()
    assert "helpers.instructor.layout" in edges["helpers.instructor.grading.grade"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    tree = ast.parse("def f():\n    from ..instructor import layout\n")
    assert _targets("helpers.exercises.nb04", False, tree.body[0].body[0]) == ["helpers.instructor.layout"]


def test_helpers_has_no_import_cycle():
    cycle = _cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_student_facing_module_imports_the_instructor_tools():
    bad = {m: sorted(t for t in ts if t.startswith("helpers.instructor"))
           for m, ts in graph().items() if not m.startswith("helpers.instructor")}
    bad = {m: ts for m, ts in bad.items() if ts}
    assert not bad, f"student-facing modules importing helpers.instructor: {bad}"
