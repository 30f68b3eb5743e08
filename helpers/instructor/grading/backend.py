"""Where submissions run: the boundary "grade this submission and give back its results message".

A :class:`Job` carries only what a sandboxed run needs — the notebook's bytes, which notebook it
is, the hidden INPUTS drawn for this batch, the run settings and the submission's number (its
sandbox user). Expected values and scoring never cross this boundary: the grader turns the raw
message a backend returns into a report with :func:`.runner.interpret` and scores it in its own
process. :class:`LocalBackend` runs jobs on this machine in a thread pool sharing one staged
:class:`.sandbox.Sandbox` (the default, no service to start).
"""
from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import runner
from .sandbox import Limits, Sandbox


@dataclass
class Job:
    """One submission to run: nothing in it is secret from the student (inputs, never expected values)."""

    notebook: bytes
    key: str
    inputs: dict
    settings: runner.Settings
    number: int
    label: str = ""       # for messages and logs only (the submission's folder/file name)


class Backend(Protocol):
    """Runs :class:`Job` s somewhere sandboxed and gives back each one's raw results message."""

    slots: int  # jobs it runs at once: the grader keeps that many submitted

    def submit(self, job: Job) -> Future:
        """Start ``job``; the future's result is a :class:`.runner.Raw` (or it raises :class:`.runner.SubmissionError`)."""

    def close(self) -> None:
        """Release workers and staged files."""


class LocalBackend:
    """Jobs on this machine, ``jobs`` at a time, in one shared staged sandbox (or none: ``--unsafe-no-sandbox``).

    Parameters
    ----------
    jobs : int
        Submissions run at once.
    limits : Limits
        The sandbox's limits.
    spec_file : str or None
        Extra exercise specs, staged into the sandbox.
    bwrap : str or None
        Path of bubblewrap; ``None`` runs without a sandbox (unsafe, said by the caller).
    """

    def __init__(self, jobs: int, limits: Limits, spec_file: str | None, bwrap: str | None):
        self._stage = tempfile.TemporaryDirectory(prefix="course-grade-stage-")
        self.sandbox = Sandbox(Path(self._stage.name), limits, spec_file, bwrap) if bwrap else None
        self.slots = max(1, jobs)
        self._pool = ThreadPoolExecutor(max_workers=self.slots)

    def run(self, job: Job) -> runner.Raw:
        """Run ``job`` here and now (in the calling thread)."""
        return runner.execute(job.notebook, job.key, job.inputs, job.settings, sandbox=self.sandbox,
                              number=job.number)

    def submit(self, job: Job) -> Future:
        return self._pool.submit(self.run, job)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._stage.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
