"""Execute a notebook in a fresh kernel with time and output limits, then harvest its exercises.

Used by the build (solutions, trusted) and by the grader (submissions, untrusted, inside
the sandbox: this module and :mod:`helpers.harvest` are the only course code there besides
what the notebooks import),
where it runs as a separate worker process: ``python -m helpers.execute JOB.json``.
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import types
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import serialize  # imported before any kernel starts: see main()
from .nbio import DeadKernelError, NotebookClient, nbformat

MAX_OUTPUT_BYTES = 2_000_000  # per notebook run; beyond it, outputs are dropped (a flood of prints)
MAX_RESTARTS = 3


@dataclass
class RunReport:
    errors: list = field(default_factory=list)      # [cell index, exception name, message]
    timeouts: list = field(default_factory=list)    # cell indices interrupted at the per-cell limit
    died: list = field(default_factory=list)        # cell indices during which the kernel died
    stderr: list = field(default_factory=list)      # cell indices that wrote to stderr
    output_dropped: bool = False
    harvested: bool = False
    harvest_error: str = ""


class _LimitedClient(NotebookClient):
    """A NotebookClient that stops keeping outputs past ``MAX_OUTPUT_BYTES`` and keeps its own account of the run.

    Which cells it interrupted at the time limit, and which cells' execute replies said "error", are
    recorded here as the client sees them, not read back from the outputs a notebook prints (a notebook
    can hide its tracebacks and its stderr; it cannot stop the client's timer, and hiding the reply
    itself takes rewriting the kernel's messaging).
    """

    def __init__(self, *args, max_output_bytes: int = MAX_OUTPUT_BYTES, **kwargs):
        super().__init__(*args, **kwargs)
        self._budget = max_output_bytes
        self.dropped = False
        self.current = -1
        self.interrupted: list[int] = []
        self.replied_error: list[list] = []
        self.on_cell_start = self._record_start
        self.on_cell_executed = self._record_reply

    def _record_start(self, cell=None, cell_index=None):
        self.current = cell_index

    async def _async_handle_timeout(self, timeout, cell=None):
        if self.current not in self.interrupted:
            self.interrupted.append(self.current)
        return await super()._async_handle_timeout(timeout, cell)

    def _record_reply(self, cell=None, cell_index=None, execute_reply=None):
        content = (execute_reply or {}).get("content", {})
        if content.get("status") == "error" and cell_index not in self.interrupted:
            self.replied_error.append([cell_index, str(content.get("ename", ""))[:100],
                                       str(content.get("evalue", ""))[:300]])

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        if size > self._budget:
            self.dropped = True
            return None
        self._budget -= size
        return super().output(outs, msg, display_id, cell_index)


def _run_injected(client: NotebookClient, nb, source: str):
    """Run a cell of ours after the notebook's cells without replacing any of them; returns that cell.

    (``execute_cell(cell, -1)`` would overwrite the notebook's last cell: nbclient stores the cell at its index.)
    """
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
    return cell


def run_notebook(nb, workdir: str | os.PathLike, *, cell_timeout: int = 120, harvest: dict | None = None,
                 guard: dict | None = None, env: dict | None = None, max_output_bytes: int = MAX_OUTPUT_BYTES,
                 restarts: int = MAX_RESTARTS) -> tuple[RunReport, object]:
    """Run every code cell of ``nb`` in a fresh kernel whose working directory is ``workdir``.

    Errors do not stop the run. A cell that exceeds ``cell_timeout`` is interrupted.
    If the kernel dies (``sys.exit``-like exits, crashes), a fresh kernel re-runs the
    notebook without that cell, at most ``restarts`` times.

    ``harvest`` = ``{"notebook", "inputs", "out", "spec_file"}`` runs
    :func:`helpers.harvest.harvest` after the last cell; ``guard`` = ``{"workdir",
    "deny_read"}`` installs :func:`helpers.harvest.guard` before the first.

    Returns the report and the executed notebook.
    """
    skip: set[int] = set()
    report = RunReport()
    for _attempt in range(restarts + 1):
        run_nb = copy.deepcopy(nb)
        client = _LimitedClient(run_nb, timeout=cell_timeout, interrupt_on_timeout=True, allow_errors=True,
                                kernel_name="python3", startup_timeout=120, max_output_bytes=max_output_bytes,
                                resources={"metadata": {"path": str(workdir)}})
        current = -1
        try:
            with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **({"env": env} if env else {})):
                if guard:
                    _run_injected(client, run_nb, f"import helpers.harvest as _h; "
                                                  f"_h.guard({guard['workdir']!r}, {guard['deny_read']!r}); del _h")
                for current, cell in enumerate(list(run_nb.cells)):
                    if cell.cell_type != "code":
                        continue
                    if current in skip:
                        cell.outputs = []
                        continue
                    client.execute_cell(cell, current)
                current = -2
                if harvest:
                    hcell = _run_injected(client, run_nb, f"import helpers.harvest as _h; _h.harvest("
                                          f"{harvest['notebook']!r}, {harvest['inputs']!r}, {harvest['out']!r}, "
                                          f"{harvest.get('spec_file')!r})")
                    errors = [o for o in hcell.outputs if o.get("output_type") == "error"]
                    report.harvested = not errors and Path(harvest["out"]).is_file()
                    if errors:
                        report.harvest_error = f"{errors[0].get('ename')}: {errors[0].get('evalue', '')[:300]}"
        except DeadKernelError:
            report.died.append(current)
            if current < 0:  # died while guarding or harvesting: nothing to skip
                report.harvest_error = report.harvest_error or "the kernel died while collecting results"
                break
            skip.add(current)
            continue
        break
    report.output_dropped = client.dropped
    # timeouts and errors as this client saw them (kept over the restarts, which re-run earlier cells)
    # (our own injected cells, guard and harvest, sit past the notebook's last index and are not the notebook's)
    own = range(len(run_nb.cells))
    report.timeouts = sorted(set(report.timeouts) | {i for i in client.interrupted if i in own})
    seen = {e[0] for e in report.errors}
    report.errors += [e for e in client.replied_error if e[0] in own and e[0] not in seen
                      and e[0] not in report.timeouts]
    report.errors.sort()
    for i, cell in enumerate(run_nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and i not in report.stderr:
                report.stderr.append(i)
    return report, run_nb


def load_notebook_code(path: str | os.PathLike, tag: str | None = "library") -> types.SimpleNamespace:
    """Run a notebook's code cells tagged ``tag`` in a fresh namespace and return its definitions.

    With ``tag=None`` the cells that start with an import, ``def`` or ``class`` are run instead. Used by
    the benchmarks and tests to call *the notebook's own* functions rather than a copy of them.
    """
    path = Path(path)
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    if tag is None:
        chosen = [s for s in sources if s.lstrip().startswith(("import", "from", "def ", "class "))]
    else:
        chosen = [s for s, c in zip(sources, cells) if tag in c["metadata"].get("tags", [])]
    if not chosen:
        raise ValueError(f"{path}: no code cells {'tagged ' + repr(tag) if tag else 'with definitions'}")
    namespace: dict = {"__name__": f"notebook_{path.stem}"}
    for source in chosen:
        exec(compile(source, f"{path.name}[{tag or 'definitions'}]", "exec"), namespace)
    return types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})


MAGIC = b"COURSE-RESULTS-1\n"  # then: report length (8 bytes, big-endian), report JSON, results (.npz bytes)


def _confine(job: dict) -> None:
    """Inside the sandbox, before any submission code: drop to the job's user id, apply the rlimits."""
    import ctypes
    import resource

    uid = job.get("uid")
    if uid is not None and os.getuid() == 0:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    try:  # not dumpable: the kernel, although it runs as the same user, cannot open /proc/<worker>/fd or ptrace it
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass
    for name, value in (job.get("rlimits") or {}).items():
        resource.setrlimit(getattr(resource, name), (value, value))
    if job.get("mpl_cache") and os.environ.get("MPLCONFIGDIR"):
        import shutil

        shutil.copytree(job["mpl_cache"], os.environ["MPLCONFIGDIR"], dirs_exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: ``python -m helpers.execute JOB.json``.

    Writes one message to its standard output and nothing else there (the kernel gets
    ``/dev/null``): :data:`MAGIC`, the report, then the harvested results, if any.
    """
    channel = os.fdopen(os.dup(1), "wb")  # os.dup makes a non-inheritable copy: the kernel never gets it
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    job = json.loads(Path((argv or sys.argv[1:])[0]).read_text())
    _confine(job)
    results = b""
    try:
        nb = nbformat.read(job["notebook"], as_version=4)
    except Exception as e:  # invalid JSON, not a notebook, unreadable
        report = RunReport(errors=[[-1, "InvalidNotebook", f"{type(e).__name__}: {str(e)[:300]}"]])
    else:
        report, _ = run_notebook(nb, job["workdir"], cell_timeout=job["cell_timeout"], harvest=job.get("harvest"),
                                 guard=job.get("guard"), env=job.get("env"))
        if report.harvested:
            try:
                results = serialize.read_capped(job["harvest"]["out"])
            except ValueError as e:
                report.harvested, report.harvest_error = False, str(e)
    body = json.dumps(asdict(report)).encode()
    channel.write(MAGIC + len(body).to_bytes(8, "big") + body + results)
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
