"""A cached virtual environment with nbgrader for the round-trip test, kept out of the course's own.

nbgrader brings JupyterLab extensions and a database layer that students do not need, so it is
installed into ``.venv-nbgrader``, which sees the course environment's packages (NumPy, nbconvert,
the editable ``helpers``) through a ``.pth`` file and adds only what nbgrader needs on top.
The test prepares it when missing (in ``make test``, beside the other tests rather than before them);
``python tests/nbgrader_env.py`` prepares it by hand.
"""
from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

NBGRADER = "nbgrader>=0.9.6,<0.10"
ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / ".venv-nbgrader"  # beside .venv, not in it: the grader's sandbox shows .venv to submissions


def ensure(env: Path = ENV) -> Path:
    """Create or reuse the environment; returns its ``bin`` folder."""
    stamp = env / ".installed"
    if stamp.is_file() and stamp.read_text() == NBGRADER:
        return env / "bin"
    if not (env / "bin" / "python").is_file():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    purelib = subprocess.run([str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # addsitedir (not a bare path) so that the course's own .pth files, the editable helpers among them, apply too
    Path(purelib, "course-venv.pth").write_text(f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile", NBGRADER], check=True)
    stamp.write_text(NBGRADER)
    return env / "bin"


if __name__ == "__main__":
    print(f"nbgrader environment ready: {ensure().parent}")
