"""One download with the ``wget`` package, without touching the calling process.

wget has no timeout option (only the process-wide socket default) and writes its temporary file
into the current directory. Notebooks call :mod:`helpers.fetch`, so the download runs in a child
process: the notebook's socket timeout and working directory stay as they were.
"""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
from pathlib import Path

# Run in a child process: wget has no timeout option (only the process-wide socket default) and puts
# its temporary file in the current directory, so the notebook's own process is never touched.
_WGET_CHILD = """
import json, socket, sys, urllib.error
import wget
url, out, timeout, progress = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "1"
socket.setdefaulttimeout(timeout)
try:
    bar = lambda done, total, width: wget.bar_adaptive(done, total, max(width, 60))  # a pipe has no width
    wget.download(url, out=out, bar=bar if progress else None)
except urllib.error.HTTPError as e:
    sys.stderr.write(json.dumps(["http", e.code, str(e.reason)]))
    sys.exit(3)
except urllib.error.URLError as e:
    timed_out = isinstance(e.reason, (TimeoutError, socket.timeout))
    sys.stderr.write(json.dumps(["timeout" if timed_out else "url", 0, str(e.reason)]))
    sys.exit(3)
except (TimeoutError, socket.timeout) as e:
    sys.stderr.write(json.dumps(["timeout", 0, str(e)]))
    sys.exit(3)
except (OSError, ValueError) as e:
    sys.stderr.write(json.dumps(["os", 0, str(e)]))
    sys.exit(3)
"""


def wget_download(url: str, target: Path, timeout: float, progress: bool) -> None:
    """Download ``url`` to ``target`` with the ``wget`` package in a child process; re-raise its error here.

    Parameters
    ----------
    url : str
        What to download.
    target : pathlib.Path
        Where to write it; the child works in ``target``'s folder (wget's own temporary file goes there).
    timeout : float
        Seconds for connecting and for each read.
    progress : bool
        Relay wget's progress bar to this process's standard output (a notebook cell's output).

    Raises
    ------
    urllib.error.HTTPError, urllib.error.URLError, TimeoutError, OSError
        What the download raised in the child.
    """
    cmd = [sys.executable, "-c", _WGET_CHILD, url, str(target), repr(timeout), "1" if progress else "0"]
    proc = subprocess.Popen(cmd, cwd=target.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while chunk := proc.stdout.read1(4096):  # relay the progress bar to wherever print() goes (a notebook cell)
        if progress:
            sys.stdout.write(chunk.decode("utf-8", "replace"))
            sys.stdout.flush()
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() == 0:
        return
    try:
        kind, code, reason = json.loads(err)
    except ValueError:
        raise OSError(f"the download process failed: {(err.strip().splitlines() or ['(no message)'])[-1]}") from None
    if kind == "http":
        raise urllib.error.HTTPError(url, code, reason, None, None)
    if kind == "timeout":
        raise TimeoutError(reason)
    if kind == "url":
        raise urllib.error.URLError(reason)
    raise OSError(reason)
