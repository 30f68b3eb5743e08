"""Rules about how an exercise is solved, checked by reading the learner's code (never by running it).

Some exercises teach a method, and the numbers alone cannot tell whether it was used: solving
the normal equations by elimination (Exercise 03.4) gives the same numbers as a library solver.
Such an exercise states its rule, and both the self-check and the grader enforce it here, on
the code's syntax tree: the function, every function of the notebook it calls (followed by
name, as deep as they go), and the imports that name modules (``import numpy.linalg as la``,
``from numpy.linalg import solve as s``). Reaching a name dynamically (``getattr`` on a module,
``__import__``, ``importlib``, ``eval``, ``exec``, a module's ``__dict__``) breaks the rule too:
a static look cannot follow it, so the exercise asks for plain code.

A rule can also forbid Python loops (``loops=True``), for an exercise that teaches working on all
samples at once: ``for`` and ``while`` statements, comprehensions and generator expressions,
a function calling itself, and the functions that run a Python loop for you (the built-ins
``map``, ``filter`` and ``sum``, also under another name; ``functools.reduce``, ``itertools``,
``np.vectorize``, ``np.apply_along_axis``, ``np.apply_over_axes``, ``np.frompyfunc``, ``np.fromiter``).

A message names the rule and where it was broken, never the answer.

Examples
--------
>>> rule = Forbid(("numpy.linalg.solve", "numpy.linalg.inv", "scipy"), "solve the system by elimination yourself")
>>> cells = ["import numpy as np\\nfrom numpy import linalg as L", "def helper(A, b):\\n    return L.solve(A, b)",
...          "def fit(M, v):\\n    return helper(M, v)"]
>>> print(violations_in_source(rule, "fit", cells)[0])
numpy.linalg.solve is not allowed here: solve the system by elimination yourself (line 2 of helper, which fit calls)
>>> violations_in_source(rule, "fit", ["import numpy as np", "def fit(M, v):\\n    return np.linalg.norm(M)"])
[]
>>> no_loops = Forbid((), "work on all samples at once", loops=True)
>>> cells = ["def total(v):\\n    return sum(x * x for x in v)", "def norm2(v):\\n    return total(v) ** 0.5"]
>>> print("\\n".join(violations_in_source(no_loops, "norm2", cells)))
the built-in sum() is not allowed here (it loops in Python): work on all samples at once (line 2 of total, which norm2 calls)
a generator expression is not allowed here: work on all samples at once (line 2 of total, which norm2 calls)
>>> cells = ["import numpy as np", "def norm2(v):\\n    f = np.vectorize(abs)\\n    while v.ndim > 1:\\n        v = v[0]\\n    return f(v).max()"]
>>> print("\\n".join(violations_in_source(no_loops, "norm2", cells)))
numpy.vectorize is not allowed here: work on all samples at once (line 2 of norm2)
a while loop is not allowed here: work on all samples at once (line 3 of norm2)
>>> violations_in_source(no_loops, "norm2", ["import numpy as np", "def norm2(v):\\n    return np.sqrt(v @ v)"])
[]
"""
from __future__ import annotations

import ast
import builtins
import inspect
import sys
import textwrap
import threading
import time
import types
from dataclasses import dataclass

MAX_SOURCE = 2_000_000  # characters of notebook code read at most (the course's largest notebook has ~60,000)
_DYNAMIC = {"getattr", "__import__", "eval", "exec", "compile", "vars", "globals"}
#: What ``loops=True`` forbids besides loop syntax: functions that run a Python loop for the caller
LOOPING_NAMES = ("functools.reduce", "itertools", "numpy.vectorize", "numpy.apply_along_axis",
                 "numpy.apply_over_axes", "numpy.frompyfunc", "numpy.fromiter",
                 "builtins.map", "builtins.filter", "builtins.sum")
_LOOPING_BUILTINS = {"map", "filter", "sum"}
_LOOP_SYNTAX = {ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
                ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
                ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}


@dataclass(frozen=True)
class Forbid:
    """What an exercise must not use (dotted names; a name forbids everything below it) and why.

    With ``loops=True`` it also forbids Python loops, written or hidden in a looping function
    (see the module's description and :data:`LOOPING_NAMES`).
    """

    names: tuple[str, ...]
    why: str
    loops: bool = False


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def _aliases_from_imports(trees: list[ast.AST]) -> dict[str, str]:
    """``{local name: dotted module or object name}`` from the import statements anywhere in the code."""
    found = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    found[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    found[a.asname or a.name] = f"{node.module}.{a.name}"
    return found


def _aliases_from_globals(namespace: dict) -> dict[str, str]:
    """The same map from a live namespace: what each global name is (a module, or a function of one)."""
    found = {}
    for name, value in namespace.items():
        if isinstance(value, types.ModuleType):
            found[name] = value.__name__
        elif callable(value) and not isinstance(value, type) and getattr(value, "__module__", None):
            module, own = value.__module__, getattr(value, "__name__", name)
            public = sys.modules.get(module.lstrip("_"))  # functools.reduce lives in _functools
            if module.startswith("_") and getattr(public, own, None) is value:
                module = public.__name__
            if module not in ("__main__", "builtins") and not module.startswith("solution_"):
                found[name] = f"{module}.{own}"
    return found


def _forbidden(dotted: str, rule: Forbid) -> str | None:
    for name in rule.names + (LOOPING_NAMES if rule.loops else ()):
        if dotted == name or dotted.startswith(name + "."):
            return name
    return None


def _loop(node: ast.AST, fn: ast.AST, aliases: dict) -> str | None:
    """Why ``node`` (inside the definition ``fn``) is a Python loop that ``loops=True`` forbids, or None."""
    if type(node) in _LOOP_SYNTAX:
        return f"{_LOOP_SYNTAX[type(node)]} is not allowed here"
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in aliases:
        if node.id in _LOOPING_BUILTINS:  # called, or passed on under another name
            return f"the built-in {node.id}() is not allowed here (it loops in Python)"
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.id == fn.name:
            return f"{fn.name} calling itself (a loop by recursion) is not allowed here"
    return None


def _check_function(fn: ast.AST, owner: str, aliases: dict, rule: Forbid, modules: set) -> list[str]:
    problems = []
    for node in ast.walk(fn):
        loop = _loop(node, fn, aliases) if rule.loops else None
        if loop:
            problems.append((node.lineno, loop))
        parts = _dotted(node) if isinstance(node, (ast.Attribute, ast.Name)) else None
        if parts and parts[0] in aliases:
            full = ".".join([aliases[parts[0]], *parts[1:]])
            hit = _forbidden(full, rule)
            if hit is None and "__dict__" in parts:
                hit = f"{aliases[parts[0]]}.__dict__"
            if hit:
                problems.append((node.lineno, f"{hit} is not allowed here"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _DYNAMIC:
            first = _dotted(node.args[0]) if node.args else None
            if node.func.id != "getattr" or (first and aliases.get(first[0], "").split(".")[0] in modules):
                problems.append((node.lineno, f"{node.func.id}() is not allowed here (a name reached "
                                              f"dynamically cannot be checked)"))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                hit = _forbidden(name, rule) or ("importlib" if name.startswith("importlib") else None)
                if hit:
                    problems.append((node.lineno, f"{hit} is not allowed here"))
    return [f"{what}: {rule.why} (line {line - fn.lineno + 1} of {owner})"
            for line, what in sorted(problems, key=lambda p: p[0])]


def _walk(target: str, functions: dict, aliases: dict, rule: Forbid) -> list[str]:
    modules = {v.split(".")[0] for v in aliases.values()}
    seen, todo, found = set(), [(target, None)], []
    while todo:
        name, caller = todo.pop(0)
        if name in seen or name not in functions:
            continue
        seen.add(name)
        fn = functions[name]
        owner = name if caller is None else f"{name}, which {caller} calls"
        found += _check_function(fn, owner, aliases, rule, modules)
        for node in ast.walk(fn):  # the notebook's own functions and classes it uses, by name
            if isinstance(node, ast.Name) and node.id in functions and node.id not in seen:
                todo.append((node.id, name if caller is None else caller))
    return list(dict.fromkeys(found))


def _definitions(trees: list[ast.AST]) -> dict[str, ast.AST]:
    found = {}
    for tree in trees:
        for node in tree.body if isinstance(tree, ast.Module) else []:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found[node.name] = node  # the last definition wins, as in a notebook run top to bottom
    return found


_PARSING = threading.Lock()


def _parse(source: str) -> ast.Module:
    """``ast.parse``, one thread at a time and tried again on CPython 3.11's spurious SystemError.

    CPython 3.11 keeps the ast module's recursion counter per interpreter, not per thread: two parses at
    once (the grader scores in threads) can fail with "AST constructor recursion depth mismatch". A
    cell that could not be read must never let a rule-breaker through, so the parse is retried, never
    skipped.
    """
    for attempt in range(5):
        with _PARSING:
            try:
                return ast.parse(source)
            except SystemError:
                if attempt == 4:
                    raise
        time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def violations_in_source(rule: Forbid, target: str, cells: list[str]) -> list[str]:
    """The rule's violations by ``target`` in a notebook's code cells (as text): the grader's view."""
    trees, size = [], 0
    for cell in cells:
        size += len(cell)
        if size > MAX_SOURCE:
            break
        lines = [line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))]  # IPython magics
        try:
            trees.append(_parse("\n".join(lines)))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return _walk(target, _definitions(trees), _aliases_from_imports(trees), rule)


def violations(rule: Forbid, target) -> list[str]:
    """The rule's violations by a live function or class (its source, and the notebook functions it calls)."""
    namespace = getattr(target, "__globals__", None)
    if namespace is None and isinstance(target, type):
        namespace = vars(inspect.getmodule(target) or builtins)
    namespace = namespace or {}
    functions, trees = {}, []
    pending = [(getattr(target, "__name__", "target"), target)]
    while pending:
        name, obj = pending.pop()
        if name in functions:
            continue
        try:
            tree = _parse(textwrap.dedent(inspect.getsource(obj)))
        except (OSError, TypeError, SyntaxError):
            continue
        trees.append(tree)
        functions[name] = tree.body[0]
        for node in ast.walk(tree):
            value = namespace.get(node.id) if isinstance(node, ast.Name) else None
            if isinstance(value, (types.FunctionType, type)) and node.id not in functions \
                    and getattr(value, "__module__", "") == namespace.get("__name__"):
                pending.append((node.id, value))
    if not functions:
        return []
    aliases = {**_aliases_from_globals(namespace), **_aliases_from_imports(trees)}
    return _walk(getattr(target, "__name__", "target"), functions, aliases, rule)
