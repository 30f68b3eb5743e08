"""The sandbox a submission runs in: bubblewrap namespaces, a read-only system, resource limits.

Each submission's grading worker (``python -m helpers.execute``) and the
kernel it starts run inside ``bwrap`` with their own PID, IPC, network, UTS and
cgroup namespaces, a fresh ``/proc``, a minimal ``/dev``, and a file system made of:

- the system (``/usr`` and its ``/bin``, ``/lib`` links), the Python installation and the
  virtual environment, read-only;
- a staged copy of the ``helpers`` package *without* its check data, the course data
  folder and the extra spec file, read-only, at ``/sandbox/pkg``;
- the submission's inputs (notebook, hidden inputs, job), read-only, at ``/sandbox/in``;
- size-limited tmpfs mounts at ``/sandbox/work`` (the kernel's working directory), ``/tmp`` and
  ``/sandbox/out`` (where the harvest writes its results for the worker).

Nothing else: not the repository, solutions/, the check data, the submissions, the
output folder, other work dirs or the instructor's home. The environment is cleared.
Results leave only through the worker's standard output (see :mod:`.execute`).
When the grader runs as root, the worker drops to a user id of its own (so the process
limit counts only this submission); otherwise bwrap maps the instructor's id into a new
user namespace. :mod:`.cgroup` adds a total memory and task limit where the machine allows.
"""
from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ... import serialize
from ..layout import ROOT

INSTALL = "sudo apt-get install bubblewrap"
PKG, INBOX, WORK, OUTBOX, MNIST = "/sandbox/pkg", "/sandbox/in", "/sandbox/work", "/sandbox/out", "/sandbox/mnist"
_SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives")
_PASSWD = "root:x:0:0::/:/bin/sh\nstudent:x:{uid}:{gid}::{home}:/bin/sh\n"
_GROUP = "root:x:0:\nstudent:x:{gid}:\n"


def worker_argv(package_root: str, job: str) -> list[str]:
    """The grading worker's command line: the only trusted code that shares the student's sandbox.

    It runs in isolated mode (``-I``: neither the current folder, nor the user's site folder, nor any
    ``PYTHON*`` variable reaches its import path), from a read-only start folder, with the course's
    package found at ``package_root`` alone; it imports everything it needs before the kernel starts
    (:mod:`helpers.execute`). So no module a notebook writes, wherever it can write, runs in the worker.
    """
    boot = (f"import sys; sys.path.insert(0, {package_root!r}); import runpy; "
            "runpy.run_module('helpers.execute', run_name='__main__', alter_sys=True)")
    return [sys.executable, "-I", "-c", boot, job]


def _staged_ignore(folder: str, names: list[str]) -> set[str]:
    """What the sandbox's copy of ``helpers/`` leaves out: check data, caches and, at the top, the
    instructor tools (they simulate answers, e.g. 04.7's mistakes; nothing with answer logic enters)."""
    top = Path(folder) == ROOT / "helpers"
    return {n for n in names if n in ("checkdata", "__pycache__") or n.endswith(".pyc") or (top and n == "instructor")}


class SandboxError(RuntimeError):
    """The sandbox tool is missing or does not work on this machine."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission (bytes, tasks, seconds)."""

    memory: int = 4 * 2**30       # per process (RLIMIT_AS) and, with a cgroup, in all
    tasks: int = 256              # processes + threads
    file_size: int = 256 * 2**20  # largest file written (RLIMIT_FSIZE)
    disk: int = 512 * 2**20       # size of each of the tmpfs /tmp and work dir

    def rlimits(self) -> dict:
        return {"RLIMIT_AS": self.memory, "RLIMIT_NPROC": self.tasks, "RLIMIT_FSIZE": self.file_size,
                "RLIMIT_CORE": 0}


def find_bwrap() -> str:
    """The path of a working ``bwrap``; raises :class:`SandboxError` naming the install command."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxError(f"bubblewrap (bwrap) is not installed; install it with `{INSTALL}`, "
                           f"or pass --unsafe-no-sandbox (see INSTRUCTORS.md)")
    probe = subprocess.run([path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxError(f"bwrap cannot create namespaces here ({probe.stderr.strip()[:200]}); in a container, "
                           f"run it with the options INSTRUCTORS.md lists, or pass --unsafe-no-sandbox")
    return path


def _python_roots() -> list[Path]:
    """Folders the interpreter and its packages live in (read-only in the sandbox)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent.parent}
    return sorted(r for r in roots if not str(r).startswith(("/usr/", "/bin", "/lib")) and r != Path("/usr"))


class Sandbox:
    """Everything shared by the batch's sandboxes: the staged package and the fixed part of the command.

    Parameters
    ----------
    stage : Path
        An empty folder the grader owns (it holds the staged, check-data-free package).
    limits : Limits
    spec_file : str or None
        Extra exercise specs to make importable inside (copied, read-only).
    bwrap : str
        Path of the ``bwrap`` executable (see :func:`find_bwrap`).
    """

    def __init__(self, stage: Path, limits: Limits, spec_file: str | None, bwrap: str):
        self.limits, self.bwrap, self.stage = limits, bwrap, stage
        self.root_mode = os.geteuid() == 0
        pkg = stage / "pkg"
        shutil.copytree(ROOT / "helpers", pkg / "helpers", symlinks=False,
                        ignore=_staged_ignore)
        (pkg / "data").mkdir()
        self.spec_file = None
        if spec_file:
            shutil.copyfile(spec_file, pkg / "course_extra_specs.py")
            self.spec_file = f"{PKG}/course_extra_specs.py"
        compileall.compile_dir(str(pkg), quiet=2, workers=1)
        self.mpl_cache = _matplotlib_cache(pkg / "mpl")
        etc = stage / "etc"
        etc.mkdir()
        (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
        for p in [stage, pkg, etc, *pkg.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        self._fixed = self._fixed_args()

    def _fixed_args(self) -> list[str]:
        args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--hostname", "sandbox"]
        if self.root_mode:
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user"]
        size = str(self.limits.disk)
        # /tmp first: the Python environment may itself live below /tmp (a clone in /tmp), and a tmpfs
        # mounted later would hide it
        args += ["--size", size, "--perms", "1777", "--tmpfs", "/tmp"]
        args += ["--ro-bind", "/usr", "/usr"]
        for name in _SYSTEM_LINKS:
            host = Path("/") / name
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), str(host)]
            elif host.is_dir():
                args += ["--ro-bind", str(host), str(host)]
        made = {"/", "/usr", "/tmp"}
        for root in _python_roots() + [Path(PKG), Path(INBOX), Path(WORK), Path(OUTBOX), Path(MNIST)]:
            for parent in reversed(root.parents):
                if str(parent) not in made:
                    made.add(str(parent))
                    args += ["--perms", "0755", "--dir", str(parent)]
        args += [a for r in _python_roots() for a in ("--ro-bind", str(r), str(r))]
        args += ["--perms", "0755", "--dir", "/etc"]
        args += [a for name in _ETC if Path("/etc", name).exists() for a in ("--ro-bind", f"/etc/{name}", f"/etc/{name}")]
        args += ["--ro-bind", str(self.stage / "etc" / "hosts"), "/etc/hosts",
                 "--ro-bind", str(self.stage / "pkg"), PKG]
        if (ROOT / "data").is_dir():
            args += ["--ro-bind", str((ROOT / "data").resolve()), f"{PKG}/data"]
        if os.environ.get("COURSE_MNIST_DIR") and Path(os.environ["COURSE_MNIST_DIR"]).is_dir():
            args += ["--ro-bind", str(Path(os.environ["COURSE_MNIST_DIR"]).resolve()), MNIST]  # MNIST kept elsewhere
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--size", size, "--perms", "1777", "--tmpfs", WORK, "--chdir", PKG,  # the worker starts read-only
                 # the harvested results get a tmpfs of their own: filling /tmp or the work dir cannot stop them
                 "--size", str(serialize.MAX_BYTES + 2**20), "--perms", "1777", "--tmpfs", OUTBOX]
        return args

    def uid(self, number: int) -> int:
        """The user id the ``number``-th submission runs as (root mode): unique among concurrent runs."""
        if not self.root_mode:
            return os.getuid()
        return 100_000 + ((os.getpid() % 400_000) * 4096 + number % 4096) % 2_000_000_000

    def command(self, inbox: Path, argv: list[str], uid: int, env: dict) -> list[str]:
        """The ``bwrap`` command that runs ``argv`` with ``inbox`` at ``/sandbox/in`` and only ``env``."""
        gid = uid if self.root_mode else os.getgid()
        for name, text in (("passwd", _PASSWD), ("group", _GROUP)):
            (inbox / name).write_text(text.format(uid=uid, gid=gid, home=WORK))
            (inbox / name).chmod(0o644)
        args = [self.bwrap, *self._fixed, "--ro-bind", str(inbox / "passwd"), "/etc/passwd",
                "--ro-bind", str(inbox / "group"), "/etc/group",
                "--ro-bind", str(inbox), INBOX, "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return args + ["--", *argv]

    def env(self, threads: int, extra: dict) -> dict:
        """The whole environment inside the sandbox: nothing of the instructor's."""
        venv_bin = str(Path(sys.executable).parent)
        n = str(threads)
        env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "HOME": WORK, "TMPDIR": "/tmp", "LANG": "C.UTF-8",
               "PYTHONPATH": PKG, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "MPLBACKEND": "agg",
               "MPLCONFIGDIR": "/tmp/.mpl", "IPYTHONDIR": "/tmp/.ipython", "JUPYTER_RUNTIME_DIR": "/tmp/.jupyter",
               "JUPYTER_DATA_DIR": f"{PKG}/.no-jupyter-data",  # read-only: no kernelspec of the student's "JUPYTER_CONFIG_DIR": "/tmp/.jupyter-config",
               "OMP_NUM_THREADS": n, "OPENBLAS_NUM_THREADS": n, "MKL_NUM_THREADS": n, "PYTHONWARNINGS": "default"}
        if self.spec_file:
            env["COURSE_EXTRA_SPECS"] = self.spec_file
        if os.environ.get("COURSE_MNIST_DIR") and Path(os.environ["COURSE_MNIST_DIR"]).is_dir():
            env["COURSE_MNIST_DIR"] = MNIST
        env.update(extra)
        return env


def _matplotlib_cache(folder: Path) -> str | None:
    """Build matplotlib's font list once per batch, so no kernel spends seconds rebuilding it."""
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPL")}
    env["MPLCONFIGDIR"] = str(folder)
    done = subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                          capture_output=True, timeout=300)
    return f"{PKG}/mpl" if done.returncode == 0 else None
