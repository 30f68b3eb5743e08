"""A memory and task limit for a submission's whole process tree, through a control group.

Per-process limits (``RLIMIT_AS``) stop one big allocation but not many processes each
allocating a little; a cgroup bounds their sum. The grader creates one below its own
cgroup when the machine lets it (cgroup v1 ``memory`` + ``pids`` hierarchies, or a
cgroup v2 folder whose ``cgroup.subtree_control`` enables both), typically as root
outside systemd or in a container given its own cgroup. Otherwise :func:`create`
returns ``None`` and the per-process limits are all there is (the grader says so).
"""
from __future__ import annotations

import itertools
import os
import signal
import time
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")
_count = itertools.count()


def _own_paths() -> dict:
    """{controller or "": path} of this process's cgroups, from /proc/self/cgroup."""
    paths = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return paths
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            paths[c] = path.lstrip("/")
    return paths


class Cgroup:
    """One submission's cgroup: ``procs`` files to join, then :meth:`close` to kill what is left and remove it."""

    def __init__(self, folders: list[Path], version: int):
        self.folders, self.version = folders, version

    @property
    def procs(self) -> list[str]:
        return [str(f / "cgroup.procs") for f in self.folders]

    def pids(self) -> list[int]:
        found = set()
        for f in self.folders:
            try:
                found |= {int(p) for p in (f / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                pass
        return sorted(found)

    def close(self) -> None:
        """Kill every process still in the group, then remove it."""
        for _ in range(50):
            left = self.pids()
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)
        for f in self.folders:
            try:
                f.rmdir()
            except OSError:
                pass


def _v1(memory: int, tasks: int, name: str) -> Cgroup | None:
    own = _own_paths()
    if "memory" not in own or "pids" not in own:
        return None
    made = []
    try:
        for controller in ("memory", "pids"):
            folder = MOUNT / controller / own[controller] / name
            folder.mkdir()
            made.append(folder)
        (made[0] / "memory.limit_in_bytes").write_text(str(memory))
        swap = made[0] / "memory.memsw.limit_in_bytes"
        if swap.exists():
            swap.write_text(str(memory))
        (made[1] / "pids.max").write_text(str(tasks))
    except OSError:
        Cgroup(made, 1).close()
        return None
    return Cgroup(made, 1)


def _v2(memory: int, tasks: int, name: str) -> Cgroup | None:
    own = _own_paths()
    if "" not in own:
        return None
    for base in (MOUNT / own[""], MOUNT / "unified" / own[""]):
        try:
            enabled = (base / "cgroup.subtree_control").read_text().split()
        except OSError:
            continue
        if "memory" not in enabled or "pids" not in enabled:
            continue
        folder = base / name
        try:
            folder.mkdir()
            (folder / "memory.max").write_text(str(memory))
            (folder / "memory.swap.max").write_text("0")
            (folder / "pids.max").write_text(str(tasks))
        except OSError:
            Cgroup([folder], 2).close()
            continue
        return Cgroup([folder], 2)
    return None


def create(memory: int, tasks: int) -> Cgroup | None:
    """A fresh cgroup limited to ``memory`` bytes and ``tasks`` tasks, or ``None`` when none can be made."""
    name = f"course-grade-{os.getpid()}-{next(_count)}"
    return _v2(memory, tasks, name) or _v1(memory, tasks, name)


def available() -> bool:
    """Whether :func:`create` works on this machine (tries once)."""
    group = create(2**30, 16)
    if group is None:
        return False
    group.close()
    return True
