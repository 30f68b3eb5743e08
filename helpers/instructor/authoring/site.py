"""The course as a static website: every notebook a page, readable anywhere, nothing given away.

    python -m helpers.instructor.site                 # build/site/html/ (open index.html, or serve the folder)
    python -m helpers.instructor.site --out DIR       # elsewhere (DIR/html/ is the site)

Built with Jupyter Book 1 (Sphinx): it builds with no network, ships its search index and
its own MathJax (``sphinx-mathjax-offline``), and takes notebooks as they are. Jupyter Book 2
(MyST) fetches its theme at build time, so it cannot build here or on an offline CI.

Each page is made from the *executed solution*, cell by cell:

- a cell the hand-out shows unchanged (explanations, demos, figures) keeps the solution's
  outputs, so the figures and printed numbers are the ones the notebook produces;
- an exercise cell is shown as the student sees it (statement and stub from the build's own
  :func:`.build.student_notebook`: no solution code, no hidden test) and without output;
- a self-check cell (``check(``, ``quiz(``, ``hint(``) shows its code and no output, since a
  verdict or an explanation printed for the solution would answer the question.

Nothing is executed: the build reuses the executed solutions. Before the site is moved into
place, every file of it (HTML, JavaScript, search index, images' alt text) is scanned with the
hand-out's leak rule (:mod:`.handout_leaks`); a file holding a run of six code tokens of any
solution block makes the build refuse, naming the file, and leaves the previous site as it was.

Exit status: 0 the site was built; 1 the leak scan refused it (each file named); 2 misuse or a
build that failed (Jupyter Book's own message is shown).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from ..layout import ROOT, CourseError, solutions_in
from . import handout_leaks
from .build import _dumps, student_notebook
from .nbgrader_cells import cell_source

SELF_CHECK = re.compile(r"^\s*(?:[\w.]+\.)?(?:check|quiz|hint|ask)\(", re.MULTILINE)  # ask: a question's verdict tells its answer
TEXT_SUFFIXES = {".html", ".js", ".css", ".txt", ".json", ".inv", ".svg", ".xml", ".map"}
PAGES = Path(__file__).resolve().parent / "site_files"


class SiteError(CourseError):
    """The site cannot be built (a missing tool, a failed Sphinx build) or would leak an answer."""


def site_notebook(solution: dict, name: str = "") -> dict:
    """The page a solution notebook becomes: the student's cells, with the outputs of the unchanged ones.

    Examples
    --------
    >>> sol = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    ...     {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": 1, "source": "print(2 + 2)",
    ...      "outputs": [{"output_type": "stream", "name": "stdout", "text": "4\\n"}]},
    ...     {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 2,
    ...      "source": "def f():\\n    ### BEGIN SOLUTION\\n    return 4\\n    ### END SOLUTION\\n",
    ...      "outputs": []}]}
    >>> page = site_notebook(sol)
    >>> page["cells"][0]["outputs"][0]["text"]
    '4\\n'
    >>> "return 4" in page["cells"][1]["source"], page["cells"][1]["outputs"]
    (False, [])
    """
    page = json.loads(student_notebook(solution, name))
    for done, cell in zip(solution["cells"], page["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell_source(cell)
        if source == cell_source(done) and not SELF_CHECK.search(source):
            cell["outputs"] = done.get("outputs", [])
            cell["execution_count"] = done.get("execution_count")
    return page


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in cell_source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "notebook"


def write_sources(solutions: Path, src: Path, handout_zip: Path | None) -> list[str]:
    """Write the book's sources into ``src``; returns the page names in course order."""
    pairs = solutions_in(solutions)
    if not pairs:
        raise SiteError(f"no solution notebooks named like 01_topic.ipynb in {solutions}")
    names, rows = [], []
    for _, path in pairs:
        nb = json.loads(path.read_text(encoding="utf-8"))
        page = site_notebook(nb, path.name)
        page["cells"].insert(1, {"cell_type": "markdown", "id": "course-site-note", "metadata": {}, "source": (
            f"*This page is `notebooks/{path.name}` to read: the exercises are blank and nothing runs here. "
            f"To do them, [open the notebook in JupyterLab](jupyterlab.md)"
            + (f" (the course: [{handout_zip.name}](_static/{handout_zip.name})).*" if handout_zip else ".*"))})
        (src / path.name).write_text(_dumps(page), encoding="utf-8")
        names.append(path.stem)
        rows.append(f"| [{html.escape(_title(nb))}]({path.stem}.ipynb) | `notebooks/{path.name}` |")
    download = ""
    if handout_zip is not None:
        (src / "_static").mkdir(exist_ok=True)
        shutil.copyfile(handout_zip, src / "_static" / handout_zip.name)
        download = (f"Download the course: [{handout_zip.name}](_static/{handout_zip.name}) — the notebooks "
                    "with blank exercises, the self-checks and the data loaders.")
    for template in sorted(PAGES.glob("*")):
        text = template.read_text(encoding="utf-8")
        text = text.replace("{{NOTEBOOK_TABLE}}", "\n".join(rows)).replace("{{DOWNLOAD}}", download)
        (src / template.name).write_text(text, encoding="utf-8")
    toc = ["format: jb-book", "root: intro", "chapters:"] + [f"- file: {n}" for n in names] + ["- file: jupyterlab"]
    (src / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    return names


def _jupyter_book() -> str:
    exe = Path(sys.executable).parent / "jupyter-book"
    if not exe.is_file():
        raise SiteError("Jupyter Book is not installed in this environment; run `make instructor` "
                        "(it installs requirements-instructor.txt)")
    return str(exe)


def _sphinx(src: Path, out: Path) -> Path:
    """Run Jupyter Book's HTML build of ``src`` into ``out``; returns the HTML folder."""
    proc = subprocess.run([_jupyter_book(), "build", "--builder", "html", "--path-output", str(out), "--all",
                           "--keep-going", str(src)], capture_output=True, text=True)
    html_dir = out / "_build" / "html"
    if proc.returncode != 0 or not (html_dir / "index.html").is_file():
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise SiteError(f"Jupyter Book could not build the site:\n{tail}")
    return html_dir


def _page_text(raw: bytes, suffix: str) -> str:
    """What a reader (or a script) of the file gets: an HTML page's text without tags, with entities resolved."""
    text = raw.decode("utf-8", errors="replace")
    if suffix == ".html":
        text = re.sub(r"<(script|style)\b[^>]*>(.*?)</\1>", r"\n\2\n", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", "", text)
        text = html.unescape(text)
        # MathJax's delimiters are how the page marks a formula the reader sees typeset; the notebook wrote $…$
        text = re.sub(r"\\[()]", "$", re.sub(r"\\[\[\]]", "$$", text))
    return text


def vendored_hashes() -> dict[str, str]:
    """``{sha256 (urlsafe base64, as in wheel RECORD files): package}`` of the text files installed packages ship.

    A site file byte-identical to one of them (the theme's scripts, MathJax) is that package's
    file, copied as it is: it holds nothing of the course, and a changed byte makes it ours again.
    """
    known = {}
    for dist in metadata.distributions():
        for entry in dist.files or []:
            if entry.hash is not None and entry.hash.mode == "sha256" and Path(entry).suffix in TEXT_SUFFIXES:
                known[entry.hash.value] = dist.metadata["Name"]
    return known


def _digest(raw: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).rstrip(b"=").decode()


def scan_site(folder: Path, solutions: Path, log=lambda message: None) -> list[str]:
    """Every file of the built site that holds solution code (the hand-out's leak rule), by path.

    Text files are read as a reader gets them (an HTML page without its tags, entities resolved);
    files byte-identical to a file an installed package ships are that package's and are skipped.
    """
    bundle, vendored, known = {}, {}, vendored_hashes()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            raw = path.read_bytes()
            rel = path.relative_to(folder).as_posix()
            package = known.get(_digest(raw))
            if package is not None:
                vendored[package] = vendored.get(package, 0) + 1
                continue
            # named .txt so that the scan takes it as plain text
            bundle[rel + ("" if path.suffix == ".txt" else ".txt")] = _page_text(raw, path.suffix).encode("utf-8")
    log(f"leak scan: {len(bundle)} file(s) of the site scanned; "
        + ", ".join(f"{n} file(s) of {p}" for p, n in sorted(vendored.items())) + " skipped as shipped by the package"
        if vendored else f"leak scan: {len(bundle)} file(s) of the site scanned")
    return [re.sub(r"\.txt(?=:| cell)", "", p, count=1) if not p.split(":")[0].endswith(".txt.txt") else p
            for p in handout_leaks.scan_bundle(bundle, solutions)]


def build_site(out: Path, *, solutions: Path = ROOT / "solutions", handout_zip: Path | None = None,
               log=print) -> Path:
    """Build the site into ``out/html`` (replacing an earlier one only when the new one is clean).

    Raises :class:`SiteError` when the build fails or the leak scan finds solution code.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".site-", dir=out) as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        names = write_sources(Path(solutions), src, handout_zip)
        log(f"building {len(names)} notebook page(s) with Jupyter Book ...")
        html_dir = _sphinx(src, Path(tmp) / "book")
        for junk in (".buildinfo", ".doctrees"):
            target = html_dir / junk
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        problems = scan_site(html_dir, Path(solutions), log)
        if problems:
            raise SiteError("the site would show solution code; nothing was replaced:\n"
                            + "\n".join(f"  {p}" for p in problems))
        final = out / "html"
        old = Path(tmp) / "old"
        if final.exists():
            final.rename(old)
        html_dir.rename(final)
    log(f"wrote {final} ({len(names)} notebook pages); open {final / 'index.html'}")
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.instructor.site", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site",
                        help="folder for the site; the pages go to OUT/html (default: build/site)")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                        help="the executed solution notebooks the pages are made from (default: solutions/)")
    parser.add_argument("--handout-zip", type=Path, default=None,
                        help="the hand-out zip to offer for download on the site (default: none; "
                             "`make site` builds the hand-out and passes it)")
    args = parser.parse_args(argv)
    try:
        if args.handout_zip is not None and not args.handout_zip.is_file():
            raise SiteError(f"--handout-zip {args.handout_zip}: no such file; build it with `make handout`")
        build_site(args.out, solutions=args.solutions, handout_zip=args.handout_zip)
    except SiteError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1 if "would show solution code" in str(e) else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
