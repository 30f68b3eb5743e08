"""The results store: every finished submission's run, kept in the output folder so that nothing is lost.

    OUT/results/<key>.npz     one file per finished submission (written atomically)
    OUT/batch.json            the batch's seed, reused by the next run of the same command

A record holds what the sandboxed run sent back, parsed and checked: the run report and the
harvested results (or the reason there are none). Expected values are never in it, and scoring is
not: every run of the grader scores again, in its own process, from the records and the
solutions' fresh results, which is cheap and keeps a changed points file or override honest.

A record is found again by its key: the SHA-256 of the notebook's bytes, of the solution
notebook, of the course code that makes the inputs and collects the results, of the seed and of
the settings that change a run (time limits, resource limits). So a re-run after any interruption
(Ctrl-C, a killed job, a reboot) executes only the submissions without a record and writes the
same grades.csv as an uninterrupted run; a changed submission or solution gets a new key and runs
again; ``--fresh`` ignores the store (and the stored seed). The same bytes handed in twice (two
copies of one notebook) run once: their runs could only differ by chance.

Examples
--------
>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> store = Store(out)
>>> k = record_key(b"{}", b"solution", 7, {"cell_timeout": 60})
>>> store.get(k) is None
True
>>> store.put(k, {"errors": [[3, "ValueError", "bad"]], "timeouts": []}, {"03.1-fit-line": {"cases": []}})
>>> store.get(k)[0]["errors"]
[[3, 'ValueError', 'bad']]
>>> len(store)
1
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ... import serialize
from ..layout import ROOT, write_atomic

RESULTS = "results"
BATCH = "batch.json"
# the course code whose change changes what a run sends back: the inputs (exercise specs), the collection
# (harvest, serialisation) and the runner itself
_CODE = ("helpers/exercises", "helpers/harvest.py", "helpers/serialize.py", "helpers/execute.py",
         "helpers/checks.py", "helpers/snapshot.py", "helpers/questions.py")


def code_fingerprint(root: Path = ROOT, extra: str | None = None) -> str:
    """SHA-256 of the course code a run depends on (and of an extra spec file's text)."""
    digest = hashlib.sha256()
    for name in _CODE:
        path = root / name
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    if extra:
        digest.update(Path(extra).read_bytes())
    return digest.hexdigest()


def record_key(notebook: bytes, solution: bytes, seed: int, settings: dict, code: str = "") -> str:
    """The key of a submission's record: it changes whenever anything that changes the run does."""
    digest = hashlib.sha256()
    for part in (hashlib.sha256(notebook).hexdigest(), hashlib.sha256(solution).hexdigest(), str(seed),
                 json.dumps(settings, sort_keys=True), code):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


class Store:
    """The records of one output folder (``OUT/results``), safe to share between grading threads."""

    def __init__(self, out: Path):
        self.folder = Path(out) / RESULTS

    def __len__(self) -> int:
        return len(list(self.folder.glob("*.npz"))) if self.folder.is_dir() else 0

    def has(self, key: str) -> bool:
        """Whether a record of ``key`` is kept (without reading it)."""
        return (self.folder / f"{key}.npz").is_file()

    def get(self, key: str) -> tuple[dict, object] | None:
        """The stored (report, results) of ``key``, or None (also for a record that cannot be read)."""
        path = self.folder / f"{key}.npz"
        if not path.is_file():
            return None
        try:
            record = serialize.load(path)
            return record["report"], record["results"]
        except (ValueError, KeyError, TypeError):
            return None  # a damaged record is a missing one: the submission runs again

    def put(self, key: str, report: dict, results) -> None:
        """Keep a finished run (atomically: a crash leaves the old state or the new one, never half a file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / f"{key}.npz", serialize.dumps({"report": report, "results": results}))


def stored_seed(out: Path) -> int | None:
    """The seed an earlier run of this batch used (``out/batch.json``), or None."""
    try:
        stored = json.loads((Path(out) / BATCH).read_text())["seed"]
    except (ValueError, KeyError, TypeError, OSError):
        return None
    return stored if type(stored) is int else None


def batch_seed(out: Path, seed: int | None, fresh: bool, new_seed) -> int:
    """The seed of this run: the one given, else the one an earlier run of this batch used, else a new one."""
    stored = None if seed is not None or fresh else stored_seed(out)
    if stored is not None:
        return stored
    chosen = new_seed() if seed is None else seed
    Path(out).mkdir(parents=True, exist_ok=True)
    write_atomic(Path(out) / BATCH, json.dumps({"seed": chosen}) + "\n")
    return chosen
