"""The course website (`make site`): built offline from the executed solutions, nothing given away.

One build (module fixture) serves every test: it is served from a local port and opened in Chromium
(Debian's package, driven by Playwright as in test_browser.py), page by page.
"""
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from helpers.instructor.authoring import leaks, site
from helpers.instructor.layout import solutions_in
from test_browser import CHROMIUM_FLAGS, chromium

PAGES = [p.stem for _, p in solutions_in(ROOT / "solutions")]
HTML_SUFFIXES = {".html", ".js"}


def screenshot(page, path) -> None:
    """A screenshot; Chromium under load sometimes answers "Unable to capture screenshot" once: try again."""
    for attempt in range(3):
        try:
            page.screenshot(path=str(path))
            return
        except Exception:  # playwright's Error
            if attempt == 2:
                raise
            page.wait_for_timeout(500)


def _offline() -> list[str]:
    """A prefix that runs a command with no network at all (a new, empty network namespace), where allowed."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if shutil.which("unshare") else None
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, built as `make site` does it, in a network namespace of its own when the machine allows one."""
    out = tmp_path_factory.mktemp("site")
    start = time.monotonic()
    proc = subprocess.run([*_offline(), sys.executable, "-m", "helpers.instructor.site", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out / "html", time.monotonic() - start


@pytest.fixture(scope="module")
def served(built):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built[0])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_build_is_fast_and_makes_a_page_per_notebook(built):
    html_dir, seconds = built
    assert seconds < 60, f"the site took {seconds:.0f} s to build"
    assert sorted(p.stem for p in html_dir.glob("0*.html")) == PAGES


def test_every_exercise_is_shown_as_the_student_sees_it():
    """Solution code nowhere on the page source; exercise and check cells without outputs; the rest keeps them."""
    for _, path in solutions_in(ROOT / "solutions"):
        solution = json.loads(path.read_text())
        page = site.site_notebook(solution, path.name)
        blocks = leaks.solution_blocks(solution)
        kept = 0
        for done, cell in zip(solution["cells"], page["cells"]):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] != "code":
                continue
            assert "### BEGIN" not in source
            if "### BEGIN SOLUTION" in "".join(done["source"]) or site.SELF_CHECK.search(source):
                assert cell["outputs"] == [], f"{path.name}: an exercise or check cell keeps its output"
            elif done.get("outputs"):
                assert cell["outputs"] == done["outputs"]
                kept += 1
        assert kept > 0 and not leaks.leaks(json.dumps(page), blocks), path.name


def test_building_twice_gives_the_same_files(built, tmp_path):
    again = site.build_site(tmp_path, log=lambda message: None)
    first = {p.relative_to(built[0]): p.read_bytes() for p in built[0].rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_the_leak_scan_refuses_a_planted_solution_line(built, tmp_path):
    """A solution line planted in a built page (and in a script) is found and named; the scan of the real site is clean."""
    assert site.scan_site(built[0], ROOT / "solutions") == []
    copy = tmp_path / "html"
    shutil.copytree(built[0], copy)
    solution = json.loads((ROOT / "solutions" / "03_linear_regression.ipynb").read_text())
    block = max(leaks.solution_blocks(solution), key=len)
    line = max(block.splitlines(), key=lambda l: len(leaks.code_tokens(l))).strip()
    page = copy / "03_linear_regression.html"
    page.write_text(page.read_text().replace("</article>", f"<pre>{line}</pre></article>", 1))
    problems = site.scan_site(copy, ROOT / "solutions")
    assert any(p.startswith("03_linear_regression.html") for p in problems), problems
    # a vendored script changed by one planted line is the course's again, and scanned
    vendored = next(p for p in (copy / "_static").rglob("*.js") if p.stat().st_size < 200_000)
    vendored.write_text(vendored.read_text() + f"\n// {line}\n")
    assert any(p.startswith(vendored.relative_to(copy).as_posix()) for p in site.scan_site(copy, ROOT / "solutions"))


def test_a_leaking_site_is_refused_and_nothing_is_replaced(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("the earlier site")
    real = site.site_notebook

    def leaky(solution, name=""):  # a page-maker that forgets to stub the exercises
        page = real(solution, name)
        for done, cell in zip(solution["cells"], page["cells"]):
            cell["source"] = done["source"]
        return page

    monkeypatch.setattr(site, "site_notebook", leaky)
    with pytest.raises(site.SiteError, match="would show solution code") as err:
        site.build_site(out, log=lambda message: None)
    assert "01_arrays_and_axes.html" in str(err.value)
    assert (out / "html" / "index.html").read_text() == "the earlier site"
    assert [p.name for p in out.iterdir()] == ["html"], "no temporary folder left behind"


def test_pages_render_in_chromium_with_figures_formulas_and_search(served, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((served, "data:")) else None)
            for name in ["index", *PAGES]:
                page.goto(f"{served}/{name}.html", wait_until="load")
                if name != "index":
                    images = page.eval_on_selector_all(
                        "article img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth])")
                    assert images, f"{name}: no figure on the page"
                    assert all(width for _, width in images), f"{name}: broken image(s) {images}"
                    page.wait_for_selector("article mjx-container", state="attached", timeout=20_000)  # MathJax typeset
                    assert page.locator("article .MathJax, article mjx-container").count() > 0
                    assert "\\(" not in page.inner_text("article"), f"{name}: a formula left untypeset"
                screenshot(page, tmp_path / f"{name}.png")
            page.goto(f"{served}/search.html?q=backpropagation", wait_until="load")
            page.wait_for_selector("#search-results li", timeout=20_000)
            hits = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
            assert any("04_neural_network" in (h or "") for h in hits), hits
            screenshot(page, tmp_path / "search.png")
            assert outside == [], f"the site fetched from outside the local server: {outside[:5]}"
        finally:
            browser.close()
    assert len(list(tmp_path.glob("*.png"))) == len(PAGES) + 2


def test_site_command_misuse_is_reported(tmp_path, capsys):
    assert site.main(["--out", str(tmp_path), "--handout-zip", str(tmp_path / "missing.zip")]) == 2
    assert "make handout" in capsys.readouterr().err


def test_formula_delimiters_read_as_the_notebook_wrote_them():
    text = site._page_text(b"<p>into <span class='math'>\\((0, 1)\\)</span> and &lt;b&gt;</p>", ".html")
    assert re.sub(r"\s+", " ", text).strip() == "into $(0, 1)$ and <b>"
