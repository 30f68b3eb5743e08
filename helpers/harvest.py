"""Code that runs *inside* a notebook's kernel for the build and the grader.

- :func:`guard` installs a best-effort sandbox (an audit hook) before any of the
  submission's code runs: no writing outside the working directory, no reading the
  instructor's files, no starting programs, no network connections.
- :func:`harvest` evaluates every exercise of the notebook on the given inputs and
  saves the results with :mod:`helpers.serialize`; the grader compares them in its
  own process.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

_BLOCKED_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn", "socket.connect", "socket.sendto", "os.kill", "os.killpg")
_PATH_EVENTS = {"os.remove": 0, "os.rename": 1, "os.replace": 1, "os.rmdir": 0, "os.mkdir": 0,
                "shutil.rmtree": 0, "os.chmod": 0, "os.chown": 0, "os.symlink": 1, "os.link": 1,
                "os.truncate": 0, "os.utime": 0}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def guard(workdir: str, deny_read: list[str]) -> None:
    """Refuse writes outside ``workdir``, reads below ``deny_read``, subprocesses and sockets.

    Audit hooks cannot be removed once added; code using ``ctypes`` can still get
    around them, so this is a guard against accidents and casual cheating, not a
    security boundary (see INSTRUCTORS.md).
    """
    root = os.path.realpath(workdir)
    denied = [os.path.realpath(d) for d in deny_read]

    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    def resolve(path) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        try:
            return os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path = resolve(args[0])
            if path is None or path in ("/dev/null", "/dev/urandom"):
                return
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & _WRITE_FLAGS)
            if writing and not inside(path, root):
                raise PermissionError(f"grading sandbox: writing outside the working directory is not allowed "
                                      f"({path})")
            if any(inside(path, d) for d in denied):
                raise PermissionError(f"grading sandbox: reading {path} is not allowed")
        elif event in _PATH_EVENTS:
            path = resolve(args[_PATH_EVENTS[event]] if len(args) > _PATH_EVENTS[event] else None)
            if path is not None and not inside(path, root):
                raise PermissionError(f"grading sandbox: {event} outside the working directory is not allowed")
        elif event.startswith(_BLOCKED_EVENTS):
            raise PermissionError(f"grading sandbox: {event} is not allowed while grading")

    sys.addaudithook(hook)


def results_of(notebook: str, namespace: dict, inputs: dict) -> dict:
    """Every exercise of ``notebook`` evaluated on ``inputs`` with the targets found in ``namespace``.

    Returns ``{exercise id: {"cases": [...]}}``, or ``{"missing": why}`` for a target that is not defined.
    """
    from . import exercises, questions
    from .checks import STOP_EARLY, run_case
    from .serialize import RaisedError

    results = {}
    for ex in exercises.for_notebook(notebook):
        target = namespace.get(ex.target)
        if target is None:
            results[ex.id] = {"missing": f"`{ex.target}` is not defined: was its exercise cell deleted, "
                                        f"renamed or never run?"}
            continue
        cases = []
        for args in inputs[ex.id]:
            if cases and isinstance(cases[-1]["out"], RaisedError) and cases[-1]["out"].name in STOP_EARLY:
                cases.append(cases[-1])
                continue
            cases.append(run_case(ex, target, args))
        results[ex.id] = {"cases": cases}
    for q in questions.for_notebook(notebook):
        if q.variable not in namespace:
            results[q.id] = {"missing": f"`{q.variable}` is not defined: was the question's cell deleted or never run?"}
        else:
            results[q.id] = {"answer": questions.answer_value(namespace[q.variable])}
    return results


def harvest(notebook: str, inputs_path: str, out_path: str, spec_file: str | None = None) -> None:
    """Run every exercise of ``notebook`` on the inputs in ``inputs_path``; save results to ``out_path``."""
    import __main__

    from . import exercises, serialize

    if spec_file:
        exercises.load_spec_file(spec_file)
    serialize.save(Path(out_path), results_of(notebook, vars(__main__), serialize.load(inputs_path)))
