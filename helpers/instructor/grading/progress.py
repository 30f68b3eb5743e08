"""Progress of a grading batch on stderr: a bar with an ETA, or plain lines when stderr is not a terminal."""
from __future__ import annotations

import sys
import threading
import time


class Progress:
    """A progress bar with an ETA on stderr; plain lines when stderr is not a terminal."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.lock = threading.Lock()

    def step(self, label: str) -> None:
        """Count one more submission done (thread-safe) and redraw."""
        with self.lock:
            self._step(label)

    def _step(self, label: str) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        clock = f"{int(eta) // 60}:{int(eta) % 60:02d}"
        if self.tty:
            filled = round(30 * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} ETA {clock} "
                              f"{label[:40]:<40}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] ETA {clock} {label}\n")
        self.stream.flush()
