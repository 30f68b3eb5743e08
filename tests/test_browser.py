"""The main command (`make`) serves the course in JupyterLab, and the student journey works in a real browser.

One JupyterLab, started by `make lab` as a student would, serves both tests: its REST API must list
notebooks/, and in Chromium (Debian's package; `.ci/run` installs it, driven by Playwright for Python) a
student opens notebook 03, answers, and reads the check's verdict. Autosave is off in the test's own
settings folder, so notebooks/ is never written.
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "03_linear_regression.ipynb"
RIGHT = ("def fit_line(x, y): dx, dy = x - x.mean(), y - y.mean(); slope = (dx @ dy) / (dx @ dx); "
         "return float(slope), float(y.mean() - slope * x.mean())")
SWAPPED = ("def fit_line(x, y): dx, dy = x - x.mean(), y - y.mean(); slope = (dx @ dy) / (dx @ dx); "
           "return float(y.mean() - slope * x.mean()), float(slope)")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium() -> str:
    found = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no Chromium: `apt-get install chromium` (.ci/run does it) or set COURSE_CHROMIUM")
    return found


def open_in_chromium(playwright, path, screenshot) -> dict:
    """Open the page ``path`` from disk, wait a moment, save a full-page screenshot; report what happened.

    Returns ``{"ran": window.__ran, "url", "text": the body's text, "images": natural widths of the
    images, "events": dialogs and console messages, "requests": URLs fetched (data: URIs left out)}``.
    """
    events, requests = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.on("dialog", lambda d: (events.append(("dialog", d.message)), d.dismiss()))
            tab.on("console", lambda m: events.append(("console", m.text)))
            tab.on("request", lambda r: requests.append(r.url) if not r.url.startswith("data:") else None)
            tab.goto(path.as_uri())
            tab.wait_for_timeout(300)
            seen = {"ran": tab.evaluate("window.__ran"), "url": tab.url, "text": tab.inner_text("body"),
                    "images": tab.evaluate("Array.from(document.images, i => i.naturalWidth)")}
            tab.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 0
    return {**seen, "events": events, "requests": requests}


@contextmanager
def main_command_lab(tmp_path):
    """`make lab` on a free port with a token; settings, workspaces and runtime files kept in ``tmp_path``."""
    port, token = free_port(), secrets.token_hex(16)
    settings = tmp_path / "user-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--IdentityProvider.token={token} --ServerApp.port_retries=0")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    proc = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on port {port}: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.3)
        yield base, token
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("the main command needs make")
    folder = tmp_path_factory.mktemp("lab")
    with main_command_lab(folder) as (base, token):
        yield base, token, folder


def test_main_command_serves_the_course(lab):
    base, token, _ = lab
    with urllib.request.urlopen(f"{base}/api/contents/notebooks?token={token}", timeout=10) as r:
        listing = json.load(r)
    assert listing["type"] == "directory" and listing["path"] == "notebooks"
    served = sorted(item["name"] for item in listing["content"] if item["name"].endswith(".ipynb"))
    assert served == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as r:
        assert r.status == 200 and b"JupyterLab" in r.read()
        assert r.url.split("?")[0].endswith("/lab/tree/notebooks")  # opens on the course's notebooks


DIALOGS: list[str] = []  # what JupyterLab said in dialogs during the journey, printed if the test fails


def dismiss_dialogs(page) -> None:
    """Close a dialog JupyterLab opened on its own (seen once on a loaded machine: it took every click).

    Its text is kept in ``DIALOGS``; closing it cannot make the journey pass by itself, as the verdicts
    the test reads still have to appear.
    """
    dialogs = page.locator(".jp-Dialog")
    for _ in range(3):
        if dialogs.count() == 0:
            return
        DIALOGS.append(" | ".join(dialogs.all_inner_texts()))
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)


def run_cell(page, expect, text: str, new_source: str | None = None, tries: int = 3):
    """Click the code cell containing ``text``, optionally replace its source, run it and wait for it.

    Right after a notebook opens, JupyterLab may still move the focus; a keystroke lost that way is
    seen at once (the prompt does not turn into ``[*]``) and the click is repeated.
    """
    cell = page.locator(".jp-CodeCell").filter(has_text=text).first
    prompt, editor = cell.locator(".jp-InputPrompt"), cell.locator(".cm-content")
    before = prompt.inner_text()
    for attempt in range(tries):
        dismiss_dialogs(page)
        editor.click()
        if new_source is not None:
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(new_source)
        page.keyboard.press("Shift+Enter")
        try:
            expect(prompt).not_to_have_text(before, timeout=10_000)
            break
        except AssertionError:
            if attempt == tries - 1:
                raise
    if new_source is not None:
        expect(editor).to_have_text(new_source)
    expect(prompt).to_have_text(re.compile(r"\[\d+\]"))
    return cell


def test_student_answers_and_reads_the_verdict_in_the_browser(lab, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-test.txt")
    executable, before = chromium(), NOTEBOOK.read_bytes()
    base, token, _ = lab
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=executable,
                                                       headless=True, args=CHROMIUM_FLAGS,
                                                       viewport={"width": 1400, "height": 900})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(45_000)
            sync_api.expect.set_options(timeout=45_000)
            page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK.name}?token={token}")
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
            expect = sync_api.expect
            news = page.get_by_text("official Jupyter news")  # JupyterLab's pop-up, unless the course's setting says no
            assert news.count() == 0
            run_cell(page, expect, "from helpers.checks import check")
            run_cell(page, expect, "def fit_line(x, y):", RIGHT)
            check = run_cell(page, expect, 'check("03.1-fit-line", fit_line)')
            expect(check.locator(".jp-OutputArea")).to_contain_text(re.compile(r"03\.1-fit-line ✔ all \d+ checks passed"))

            run_cell(page, expect, "def fit_line(x, y):", SWAPPED)
            check = run_cell(page, expect, 'check("03.1-fit-line", fit_line)')
            verdict = check.locator(".jp-OutputArea")
            expect(verdict).to_contain_text(re.compile(r"03\.1-fit-line ✘ 0 of \d+ checks passed"))
            expect(verdict).to_contain_text("check 1 failed — slope and intercept are swapped")
            expect(verdict).to_contain_text("hint 1:")
            page.screenshot(path=str(tmp_path / "journey.png"), full_page=False)
            assert news.count() == 0
        finally:
            if DIALOGS:
                print("JupyterLab dialogs closed during the journey:", *DIALOGS, sep="\n  ")
            context.close()
    assert NOTEBOOK.read_bytes() == before, "the browser test must not save notebooks/"
