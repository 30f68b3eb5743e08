"""Where submissions execute: the seam between the grader and the machines that run notebooks.

A backend is given one :class:`Job` (a notebook's checked bytes, the exercise key, its hidden inputs)
and gives back what the sandboxed worker sent: ``(raw message bytes, stop reason or None)``, see
:func:`.runner.execute`. Parsing the message, the expected values and the scoring stay in the
grader's own process (:func:`.runner.finish`, :mod:`.score`); a backend never sees them.

:class:`LocalBackend` is the default: the grader's own threads and one staged :class:`.Sandbox`.
:mod:`.dask_backend` sends the same jobs to a Dask cluster.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import runner
from .sandbox import Sandbox


@dataclass
class Job:
    """One submission to execute: nothing in it is an expected value."""

    data: bytes          # the notebook, already read and checked by runner.read_notebook
    key: str             # the notebook number ("03")
    inputs: dict         # hidden inputs of that notebook's exercises
    number: int = 0      # the submission's index in the batch (its sandbox user id in root mode)


class Backend(Protocol):
    """Run a job, give back the worker's raw message and stop reason (thread-safe: called from many threads)."""

    slots: int  # how many jobs it runs at once: the grader keeps that many in flight

    def run(self, job: Job) -> tuple[bytes, str | None]: ...

    def close(self) -> None: ...


class LocalBackend:
    """Jobs executed on this machine, ``jobs`` at a time, in the batch's shared sandbox (None: unsandboxed)."""

    def __init__(self, settings: runner.Settings, sandbox: Sandbox | None, jobs: int):
        self.settings, self.sandbox, self.slots = settings, sandbox, max(1, jobs)

    def run(self, job: Job) -> tuple[bytes, str | None]:
        return runner.execute(job.data, job.key, job.inputs, self.settings, sandbox=self.sandbox, number=job.number)

    def close(self) -> None:
        """Nothing to release: the sandbox's stage belongs to the grader."""
