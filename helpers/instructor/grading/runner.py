"""Run one notebook through the grading worker, sandboxed or not, and read back what it sends.

The worker (:mod:`.execute`) writes its report and the harvested results to its
standard output; here that stream is read with a fixed cap and every part of it is
checked before use: nothing a submission sends can make the grader allocate more
than the cap, follow a link, or crash.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ... import serialize
from . import cgroup
from .bounds import MAX_NOTEBOOK_BYTES, notebook_problem
from ...execute import MAGIC
from ..layout import ROOT
from .sandbox import INBOX, OUTBOX, PKG, WORK, Limits, Sandbox, worker_argv

MAX_NOTEBOOK = MAX_NOTEBOOK_BYTES
MAX_REPORT = 2**20
MAX_MESSAGE = len(MAGIC) + 8 + MAX_REPORT + serialize.MAX_BYTES


class SubmissionError(Exception):
    """Something about one submission that stops it being run (its student's status says what)."""


@dataclass
class Settings:
    """How notebooks are run: limits, and what to make importable inside."""

    cell_timeout: int = 60
    total_timeout: int = 600
    threads: int = 1
    limits: Limits = field(default_factory=Limits)
    spec_file: str | None = None          # on the grader's side
    deny_read: list = field(default_factory=list)  # in-kernel guard without a sandbox
    cgroups: bool = False


def read_notebook(src: Path, limit: int = MAX_NOTEBOOK) -> bytes:
    """A submission's bytes, read without following a symbolic link, refusing devices, FIFOs, huge files
    and notebooks beyond honest work (:mod:`.bounds`), before anything parses them."""
    try:
        data = serialize.read_capped(src, limit)
    except ValueError as e:
        raise SubmissionError(f"cannot read {src.name}: {e}".replace(f"{src}: ", "")) from e
    _check_notebook(data)
    return data


def _check_notebook(data: bytes) -> None:
    problem = notebook_problem(data)
    if problem:
        raise SubmissionError(problem)


def copy_regular(src: Path, dest: Path, limit: int = MAX_NOTEBOOK) -> None:
    """Copy a submission checked as :func:`read_notebook` does."""
    dest.write_bytes(read_notebook(src, limit))
    dest.chmod(0o644)


def _clean_report(raw) -> dict:
    """The worker's report with every field type-checked (the worker shares the student's sandbox)."""
    if not isinstance(raw, dict):
        raise ValueError("not a dict")

    def ints(key):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(type(v) is int for v in value):
            raise ValueError(key)
        return value[:100]

    errors = raw.get("errors", [])
    if not isinstance(errors, list) or not all(isinstance(e, list) and len(e) == 3 and type(e[0]) is int
                                               and isinstance(e[1], str) and isinstance(e[2], str) for e in errors):
        raise ValueError("errors")
    return {"errors": [[i, n[:100], m[:300]] for i, n, m in errors[:100]], "timeouts": ints("timeouts"),
            "died": ints("died"), "stderr": ints("stderr"), "output_dropped": raw.get("output_dropped") is True,
            "harvested": raw.get("harvested") is True, "harvest_error": str(raw.get("harvest_error", ""))[:300]}


def _read_capped(stream, sink: list) -> None:
    """Keep at most ``MAX_MESSAGE + 1`` bytes; drain the rest so that no writer blocks on a full pipe."""
    data = bytearray()
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        if len(data) <= MAX_MESSAGE:
            data += chunk[:MAX_MESSAGE + 1 - len(data)]
    sink.append(bytes(data))
    stream.close()


def _kill(proc: subprocess.Popen, sandboxed: bool) -> None:
    """Stop the worker and its kernel. In the sandbox, the PID namespace dies with its init."""
    if not sandboxed:  # the kernel runs in a session of its own: find it through the worker
        try:
            children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        except OSError:
            children = []
        for pid in children:
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except (OSError, ValueError):
                pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()


def parse_message(blob: bytes) -> tuple[dict, object]:
    """(report, results or an error string) from the worker's message."""
    if len(blob) > MAX_MESSAGE:
        return {}, f"the results are larger than the limit of {serialize.MAX_BYTES // 2**20} MiB"
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 8:
        return {}, "the grading worker sent no results (the kernel or the worker was stopped)"
    size = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 8], "big")
    start = len(MAGIC) + 8
    if size > MAX_REPORT or start + size > len(blob):
        return {}, "the grading worker's report is malformed"
    try:
        report = _clean_report(json.loads(blob[start:start + size]))
    except (ValueError, RecursionError):
        return {}, "the grading worker's report is malformed"
    if not report["harvested"]:
        return report, report["harvest_error"] or "no results could be collected"
    try:
        return report, serialize.loads(blob[start + size:])
    except ValueError as e:
        return report, f"results unreadable: {str(e)[:300]}"


@dataclass
class Raw:
    """What came back from one worker run: its capped standard output, or that it passed the total time limit."""

    message: bytes = b""
    timed_out_after: int | None = None
    lost: str | None = None   # why a backend lost the run (its workers died), said as the submission's status


def interpret(raw: Raw) -> tuple[dict, object]:
    """(report, results or an error string) from a worker run: the grader's side of the seam."""
    if raw.timed_out_after is not None:
        return {"total_timeout": True}, f"stopped at the total time limit of {raw.timed_out_after} s"
    if raw.lost is not None:
        return {"stopped": True}, raw.lost
    return parse_message(raw.message)


def run(notebook: Path, key: str, inputs: dict, settings: Settings, *, sandbox: Sandbox | None = None,
        number: int = 0, trusted: bool = False) -> tuple[dict, object]:
    """Run ``notebook`` and harvest exercise ``key`` on ``inputs``; returns (report, results or error string).

    ``sandbox=None`` runs the worker as a plain subprocess (the solutions, which are trusted, or
    an explicit ``--unsafe-no-sandbox``). Raises :class:`SubmissionError` when the notebook cannot be copied.
    """
    return interpret(execute(read_notebook(notebook), key, inputs, settings, sandbox=sandbox, number=number,
                             trusted=trusted))


def execute(notebook: bytes, key: str, inputs: dict, settings: Settings, *, sandbox: Sandbox | None = None,
            number: int = 0, trusted: bool = False) -> Raw:
    """The part of a run that happens where the sandbox is: stage the notebook and the hidden inputs (never
    expected values), run the worker, and return its raw message. Raises :class:`SubmissionError` when
    the notebook's bytes are refused."""
    _check_notebook(notebook)
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        inbox = Path(tmp) / "in"
        inbox.mkdir()
        inbox.chmod(0o755)
        (inbox / "submission.ipynb").write_bytes(notebook)
        (inbox / "submission.ipynb").chmod(0o644)
        serialize.save(inbox / "inputs.npz", inputs)
        (inbox / "inputs.npz").chmod(0o644)
        group = None
        if sandbox is not None:
            job = {"notebook": f"{INBOX}/submission.ipynb", "workdir": WORK, "cell_timeout": settings.cell_timeout,
                   "harvest": {"notebook": key, "inputs": f"{INBOX}/inputs.npz", "out": f"{OUTBOX}/results.npz",
                               "spec_file": sandbox.spec_file},
                   "uid": sandbox.uid(number) if sandbox.root_mode else None,
                   "rlimits": settings.limits.rlimits(), "mpl_cache": sandbox.mpl_cache}
            env = sandbox.env(settings.threads, {k: v for k, v in os.environ.items() if k == "COURSE_CASE_TIME_LIMIT"})
            argv = sandbox.command(inbox, worker_argv(PKG, f"{INBOX}/job.json"),
                                   sandbox.uid(number), env)
            if settings.cgroups:
                group = cgroup.create(settings.limits.memory, settings.limits.tasks)
                if group is not None:
                    argv = ["/bin/sh", "-c", 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; '
                            'shift; exec "$@"', "sh", *group.procs, "--", *argv]
        else:
            work = Path(tmp) / "work"
            work.mkdir()
            shutil.copyfile(inbox / "inputs.npz", work / ".course-inputs.npz")  # the guard denies the inbox
            limits = {} if trusted else {"RLIMIT_AS": settings.limits.memory,
                                         "RLIMIT_FSIZE": settings.limits.file_size}
            job = {"notebook": str(inbox / "submission.ipynb"), "workdir": str(work),
                   "cell_timeout": settings.cell_timeout, "rlimits": limits,
                   "harvest": {"notebook": key, "inputs": str(work / ".course-inputs.npz"),
                               "out": str(work / ".course-results.npz"), "spec_file": settings.spec_file},
                   "guard": None if trusted else {"workdir": str(work), "deny_read": settings.deny_read + [str(inbox)]},
                   "env": _plain_env(work, settings)}
            argv = worker_argv(str(ROOT), str(inbox / "job.json"))
        (inbox / "job.json").write_text(json.dumps(job))
        (inbox / "job.json").chmod(0o644)
        try:
            return _communicate(argv, settings.total_timeout, sandbox is not None)
        finally:
            if group is not None:
                group.close()
            _remove(Path(tmp))


def _communicate(argv: list[str], timeout: int, sandboxed: bool) -> Raw:
    # bwrap itself gets no instructor variables either: its /proc/<pid>/environ is visible from inside
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"} if sandboxed else None
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)
    sink: list = []
    reader = threading.Thread(target=_read_capped, args=(proc.stdout, sink), daemon=True)
    reader.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, sandboxed)
        proc.wait()
        reader.join(5)
        return Raw(timed_out_after=timeout)
    reader.join(30)
    if not sink:  # something inside still holds the pipe open
        _kill(proc, sandboxed)
        reader.join(5)
    return Raw(sink[0] if sink else b"")


def _plain_env(work: Path, settings: Settings) -> dict:
    """Environment of an unsandboxed kernel: the instructor's, minus Jupyter's and pytest's, plus ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_", "PYTEST"))}
    if settings.spec_file:
        env["COURSE_EXTRA_SPECS"] = settings.spec_file
    (work / "tmp").mkdir(exist_ok=True)
    n = str(settings.threads)
    env.update(HOME=str(work), TMPDIR=str(work / "tmp"), MPLCONFIGDIR=str(work / ".mpl"),
               IPYTHONDIR=str(work / ".ipython"), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="agg",
               OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n, MKL_NUM_THREADS=n, PYTHONWARNINGS="default")
    return env


def _remove(folder: Path) -> None:
    """Delete a temporary folder whatever a kernel left in it (read-only folders, links are not followed)."""
    def unlock(func, path, _exc):
        try:
            parent = os.path.dirname(path)
            if not stat.S_ISLNK(os.lstat(parent).st_mode):
                os.chmod(parent, 0o700)
            func(path)
        except OSError:
            pass
    shutil.rmtree(folder, onerror=unlock)
