"""The nbgrader environment, ``.venv-nbgrader``, kept out of the course's own: made by ``make nbgrader``.

nbgrader brings JupyterLab extensions and a database layer that students do not need, so it is
installed into ``.venv-nbgrader``, which sees the course environment's packages (NumPy, nbconvert,
the editable ``helpers``) through a ``.pth`` file and adds only what nbgrader needs on top:
``requirements-nbgrader.txt`` within the pins of ``requirements.lock``, like every other install.
It lives beside ``.venv``, not in it, because the grader's sandbox shows ``.venv`` to submissions.
``make nbgrader`` (and so ``make test``) runs this file; the round-trip test reuses what it made and,
when the environment is missing or out of date, makes it the same way.
"""
from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / ".venv-nbgrader"  # beside .venv, not in it: the grader's sandbox shows .venv to submissions
REQUIREMENTS, LOCK = ROOT / "requirements-nbgrader.txt", ROOT / "requirements.lock"


def _wanted() -> str:
    """What the stamp records: the requirement file and the lock, so a change to either reinstalls."""
    return REQUIREMENTS.read_text() + LOCK.read_text()


def ensure(env: Path = ENV) -> Path:
    """Create or reuse the environment; returns its ``bin`` folder."""
    stamp = env / ".installed"
    if stamp.is_file() and stamp.read_text() == _wanted():
        return env / "bin"
    if not (env / "bin" / "python").is_file():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    purelib = subprocess.run([str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # addsitedir (not a bare path) so that the course's own .pth files, the editable helpers among them, apply too
    Path(purelib, "course-venv.pth").write_text(f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile",
                    "-r", str(REQUIREMENTS), "-c", str(LOCK)], check=True)
    stamp.write_text(_wanted())
    return env / "bin"


if __name__ == "__main__":
    print(f"nbgrader environment ready: {ensure().parent}")
