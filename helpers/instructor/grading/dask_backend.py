"""Submissions executed on a Dask cluster (``grade --dask local[:N]`` or ``--dask tls://host:8786``).

Each task carries a notebook's bytes, its hidden inputs and the run settings to a worker; the worker
stages its own :class:`.Sandbox` once per process (cached below), runs the notebook in it exactly as
:class:`.backend.LocalBackend` does and returns the raw message. Parsing and scoring stay in the
grader (:mod:`.backend`). A worker without a working ``bwrap`` or with other course code than the
grader's fails the task with a message naming it (that submission's status; nothing is stored).

A scheduler runs whatever its clients send, so reaching it must not be a way in: plain ``tcp://``
is accepted only on a loopback address unless ``--insecure``; ``tls://`` takes the instructor's
CA file, certificate and key (:class:`distributed.security.Security`).

A worker lost mid-task makes the scheduler run the task again elsewhere; when the task is running
on a lost worker for the ``ALLOWED_FAILURES + 1``-th time it stops with ``KilledWorker`` and that submission is
scored 0 with a status saying so (the batch goes on).
"""
from __future__ import annotations

import ipaddress
import socket
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from . import cgroup, runner
from .backend import Job
from .discover import UsageError
from .sandbox import Sandbox, SandboxError, find_bwrap
from .store import code_fingerprint

ALLOWED_FAILURES = 1  # a task is retried once after its worker is lost; the second loss stops it
_WORKER_SANDBOX: dict = {}  # per worker process: (limits, spec file) -> its staged Sandbox
_WORKER_LOCK = threading.Lock()


def check_address(address: str, insecure: bool, tls: bool) -> None:
    """Refuse an address the grader should not send student code to; raises :class:`UsageError`."""
    if address == "local" or address.startswith("local:"):
        count = address[6:]
        if count and (not count.isdigit() or int(count) < 1):
            raise UsageError(f"--dask {address}: expected local or local:N with N workers (N >= 1)")
        return
    parts = urlsplit(address)
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or not parts.port:
        raise UsageError(f"--dask {address}: expected local[:N], tls://HOST:PORT or tcp://HOST:PORT")
    if parts.scheme == "tls" and not tls:
        raise UsageError(f"--dask {address}: a tls:// scheduler needs --tls-ca-file, --tls-cert and --tls-key "
                         "(INSTRUCTORS.md, 'A class too big for one machine')")
    if parts.scheme == "tcp" and not insecure and not _loopback(parts.hostname):
        raise UsageError(f"--dask {address}: plain tcp:// to another machine lets anyone who reaches the "
                         "scheduler run code with its workers' rights; use tls:// with certificates, or pass "
                         "--insecure on a network you control")


def _loopback(host: str) -> bool:
    """True for a literal loopback address or ``localhost`` (names are not resolved: no lookup, no connection)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WorkerNotReady(RuntimeError):
    """A Dask worker that cannot run submissions as the grader would (its message names the worker)."""


def _worker_sandbox(settings: runner.Settings, code: str) -> Sandbox:
    """This worker process's sandbox, staged on its first task after checking that the worker has the
    grader's course code and a working bubblewrap; raises :class:`WorkerNotReady` naming the worker."""
    key = (repr(settings.limits), settings.spec_file)
    with _WORKER_LOCK:
        if key not in _WORKER_SANDBOX:
            if code_fingerprint() != code:
                raise WorkerNotReady(f"Dask worker {_worker_name()} has other course code than the grader: "
                                     "install the same commit of the course there (from requirements.lock)")
            try:
                bwrap = find_bwrap()
            except SandboxError as e:
                raise WorkerNotReady(f"Dask worker {_worker_name()} cannot sandbox: {e}") from e
            stage = Path(tempfile.mkdtemp(prefix="course-grade-worker-"))
            _WORKER_SANDBOX[key] = Sandbox(stage, settings.limits, settings.spec_file, bwrap)
        return _WORKER_SANDBOX[key]


def _worker_name() -> str:
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return socket.gethostname()


def execute_on_worker(job: Job, code: str) -> runner.Raw:
    """The task a worker runs: the job in this worker's sandbox; the raw message comes back."""
    box = _worker_sandbox(job.settings, code)
    job.settings.cgroups = cgroup.available()
    return runner.execute(job.notebook, job.key, job.inputs, job.settings, sandbox=box, number=job.number)


class DaskBackend:
    """Jobs sent to a Dask cluster: an embedded ``LocalCluster`` (``local[:N]``) or a scheduler's address
    (``security``: the TLS files, ``{"ca", "cert", "key"}``, for ``tls://``)."""

    def __init__(self, address: str, security: dict, log=print):
        import dask
        from distributed import Client, LocalCluster
        from distributed.security import Security

        self.cluster, self.code = None, code_fingerprint()
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            if address == "local" or address.startswith("local:"):
                self.cluster = LocalCluster(n_workers=int(address[6:] or 2), threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=40)
                self.client = Client(self.cluster)
            else:
                sec = Security(tls_ca_file=security["ca"], tls_client_cert=security["cert"],
                               tls_client_key=security["key"], require_encryption=True) if security else None
                self.client = Client(address, security=sec, timeout="30s")
        self.slots = max(1, sum(self.client.nthreads().values()))
        self._pool = ThreadPoolExecutor(max_workers=self.slots)
        log(f"dask: {len(self.client.nthreads())} worker(s), {self.slots} submission(s) at a time "
            f"({self.client.scheduler.address})")

    def run(self, job: Job) -> runner.Raw:
        """Run ``job`` on the cluster and wait for its raw message (a lost task becomes :attr:`.Raw.lost`)."""
        from distributed import KilledWorker
        future = self.client.submit(execute_on_worker, job, self.code, pure=False)
        try:
            return future.result()
        except KilledWorker:
            return runner.Raw(lost=f"its run stopped {ALLOWED_FAILURES + 1} Dask workers (killed or crashed each "
                                   "time): 0 points; it runs again when the command is run again")
        except ImportError as e:  # the task could not even be unpickled there
            raise WorkerNotReady(f"a Dask worker cannot import the course ({e}): install it there from "
                                 "requirements.lock") from None

    def submit(self, job: Job) -> Future:
        return self._pool.submit(self.run, job)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def add_options(parser) -> None:
    """grade's Dask options."""
    group = parser.add_argument_group("a Dask cluster (INSTRUCTORS.md: 'A class too big for one machine')")
    group.add_argument("--dask", metavar="ADDRESS",
                       help="run the submissions on Dask: local[:N] (N worker processes here, default 2), "
                            "tls://HOST:PORT (with the three --tls options) or tcp://HOST:PORT (loopback only "
                            "unless --insecure). Workers need the course installed from the lock and bubblewrap; "
                            "expected values and scoring stay in this process")
    group.add_argument("--insecure", action="store_true",
                       help="allow plain tcp:// to another machine (anyone reaching the scheduler can run code)")
    group.add_argument("--tls-ca-file", help="CA certificate that signed the scheduler's and workers' certificates")
    group.add_argument("--tls-cert", help="this client's certificate (PEM)")
    group.add_argument("--tls-key", help="this client's private key (PEM)")


def options_security(args) -> dict | None:
    """The TLS files given on the command line (all three or none), after checking the --dask address."""
    given = [args.tls_ca_file, args.tls_cert, args.tls_key]
    if any(given) and not all(given):
        raise UsageError("--tls-ca-file, --tls-cert and --tls-key go together: give all three")
    for f in filter(None, given):
        if not Path(f).is_file():
            raise UsageError(f"{f}: no such file (a TLS option)")
    security = {"ca": given[0], "cert": given[1], "key": given[2]} if all(given) else None
    if args.dask:
        check_address(args.dask, args.insecure, security is not None)
    elif any(given) or args.insecure:
        raise UsageError("--insecure and the --tls options only go with --dask")
    return security
