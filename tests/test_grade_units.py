"""The grader's parts without kernels: result files, read-back limits, names, CSV, discovery."""
import io
import json
import os
import struct
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from helpers import serialize
from helpers.instructor.export import report
from helpers.instructor.grading import runner
from helpers.instructor.grading.progress import Progress
from helpers.instructor.grading.discover import discover, key_candidates, similar_names
from helpers.execute import MAGIC

SCALARS = [np.float16(-np.inf), np.float32(np.nan), np.float64(-np.inf), np.longdouble(np.inf), np.complex64(1j),
           np.complex128(complex(np.inf, -np.inf)), np.int8(-3), np.uint64(2**64 - 1), np.bool_(True), np.str_("é"),
           float("-inf"), float("nan"), 10**30, True, None, "text"]


@pytest.mark.parametrize("value", SCALARS, ids=repr)
def test_every_numpy_scalar_and_non_finite_value_round_trips_with_its_type(value):
    back = serialize.loads(serialize.dumps({"v": [value]}))["v"][0]
    assert type(back) is type(value)
    assert (back != back and value != value) or back == value


def test_odd_values_never_break_saving():
    class Hostile:
        def __len__(self):
            raise RuntimeError("no")

    nested = []
    for _ in range(100):
        nested = [nested]
    huge_view = np.broadcast_to(np.zeros(3), (10**8, 3))
    back = serialize.loads(serialize.dumps([Hostile(), nested, huge_view, 10**5000, np.array([object()])]))
    assert all(isinstance(b, serialize.Unsupported) or isinstance(b, list) for b in back)
    assert isinstance(back[2], serialize.Unsupported) and "more than" in back[2].type_name


def _npz(members: dict, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _npy(descr: str, shape: tuple, data: bytes = b"") -> bytes:
    header = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (descr, shape)
    header += " " * (-(len(header) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def _structure(obj) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.array(json.dumps(obj)))
    return buffer.getvalue()


ARRAY = {"list": [{"array": "a0", "scalar": False}]}


@pytest.mark.parametrize("blob, message", [
    (b"not a zip", "malformed results"),
    (_npz({"a0.npy": _npy("<f8", (2,), bytes(16))}), "no __structure__"),
    (_npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy("<f8", (10**12,), bytes(8))}), "over the limit"),
    (_npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy("|O", (1,), b"\x80\x04N.")}), "not allowed"),
    (_npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy("<f8", (4,), bytes(8))}), "truncated"),
    (_npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy([("a", "<f8")], (1,), bytes(8))}), "not allowed"),
    (_npz({"__structure__.npy": _structure(ARRAY), "../evil.npy": _npy("<f8", (1,), bytes(8))}), "unexpected member"),
    (_npz({"__structure__.npy": _structure({"int": 5})}), "expected a string"),
    (_npz({"__structure__.npy": _structure({"list": "abc"})}), "expected a list"),
    (_npz({"__structure__.npy": _structure({"float": "1e400"})}), "malformed float"),
    (_npz({"__structure__.npy": _structure({"array": "a7"})}), "malformed results"),
    (_npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy("<f8", (9 * 2**20,), bytes(72 * 2**20))},
          zipfile.ZIP_DEFLATED), "more than the limit"),
])
def test_malformed_or_oversized_results_are_refused_before_allocating(blob, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        serialize.loads(blob)


def test_a_zip_that_lies_about_its_sizes_is_refused_without_inflating_it():
    bomb = _npz({"__structure__.npy": _structure(ARRAY), "a0.npy": _npy("<f8", (2,), bytes(4 * 2**20))},
                zipfile.ZIP_DEFLATED)
    patched = bomb.replace(struct.pack("<I", 4 * 2**20 + 128), struct.pack("<I", 100))  # "100 bytes inflated"
    assert patched != bomb
    with pytest.raises(ValueError, match="malformed results|truncated"):
        serialize.loads(patched)


def test_files_are_read_without_following_links_or_blocking(tmp_path):
    (tmp_path / "real").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    os.mkfifo(tmp_path / "fifo")
    for name, message in [("link", "cannot open"), ("fifo", "not a regular file"), ("missing", "cannot open")]:
        with pytest.raises(ValueError, match=message):
            serialize.read_capped(tmp_path / name)
    with pytest.raises(ValueError, match="more than 0 bytes"):
        serialize.read_capped(tmp_path / "real", 0)


@pytest.mark.parametrize("blob, message", [
    (b"", "sent no results"),
    (MAGIC + (10**9).to_bytes(8, "big"), "report is malformed"),
    (MAGIC + (5).to_bytes(8, "big") + b"[1,2]", "report is malformed"),
    (MAGIC + (16).to_bytes(8, "big") + b'{"errors": "x"}', "report is malformed"),
])
def test_worker_messages_are_checked(blob, message):
    report_, results = runner.parse_message(blob)
    assert isinstance(results, str) and message in results


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\tx", " x"), ("\rx", " x"), ("-1.5", "-1.5"), ("alice", "alice"),
    # control characters are shown as escapes, bytes that were not UTF-8 too (a tab or CR becomes a space)
    ("a\x1b[31mb", "a\\x1b[31mb"), ("jos\udce9", "jos\\xe9"), ("\x07=1", "\\x07=1"),
])
def test_csv_fields_that_look_like_formulas_are_escaped(value, shown):
    assert report.csv_safe(value) == shown


def test_feedback_names_differ_for_accents_case_and_unicode_forms():
    names = ["Zoë", "Zoé", "zoë", "Zoe\u0308", "../etc", "", "a" * 300]
    files = [report.feedback_name(n) for n in names]
    assert len(set(files)) == len(files)
    assert all(f.endswith(".md") and "/" not in f and len(f) < 60 for f in files)
    assert similar_names(["Zoë", "Zoé", "bob"]) == {"Zoë": ["Zoé"], "Zoé": ["Zoë"]}


def test_key_candidates_and_the_duplicate_rule(tmp_path):
    assert key_candidates("alice-04", {"03", "04"}) == ["04"]
    assert key_candidates("03_vs_04", {"03", "04"}) == ["03", "04"]
    assert key_candidates("2004", {"04"}) == []
    student = tmp_path / "bob"
    student.mkdir()
    run = {"cells": [{"cell_type": "code", "execution_count": 1, "source": "", "outputs": []}]}
    (student / "03_a.ipynb").write_text(json.dumps(run))
    (student / "03_b.ipynb").write_text(json.dumps({"cells": []}))
    os.utime(student / "03_a.ipynb", (1, 1))  # older, but the one with cells run
    subs = discover([tmp_path], {"03"})
    assert [s.path.name for s in subs] == ["03_a.ipynb"]
    assert "also handed in 03_b.ipynb" in subs[0].notes[0]


def test_progress_draws_a_bar_with_an_eta_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(2, stream)
    bar.step("alice")
    bar.step("bob")
    text = stream.getvalue()
    assert text.startswith("\r[###############...............] 1/2 ETA 0:0") and text.endswith("\n")


def test_sandbox_mounts_its_tmp_before_binding_an_environment_that_lives_below_tmp(tmp_path, monkeypatch):
    """A course cloned into /tmp keeps its .venv there: the sandbox's own /tmp must not hide it."""
    from pathlib import Path

    from helpers.instructor.grading import sandbox

    venv = Path("/tmp/some-clone/.venv")
    monkeypatch.setattr(sandbox, "_python_roots", lambda: [venv])
    box = sandbox.Sandbox(tmp_path / "stage", sandbox.Limits(), None, "bwrap")
    args = box._fixed
    tmpfs_tmp = next(i for i in range(len(args) - 1) if args[i:i + 2] == ["--tmpfs", "/tmp"])
    venv_bind = next(i for i in range(len(args) - 2) if args[i] == "--ro-bind" and args[i + 2] == str(venv))
    assert tmpfs_tmp < venv_bind


@pytest.mark.parametrize("report_, says", [
    ({"timeouts": [7], "errors": [[8, "NameError", "name 'w' is not defined"]]},
     "cell(s) [7] passed the per-cell time limit of 60 s (raise it with --cell-timeout); errors: [[8, 'NameError'"),
    ({"died": [3]}, "the kernel died in cell(s) [3]"),
    ({"errors": [[2, "ZeroDivisionError", "division by zero"]]}, "errors: [[2, 'ZeroDivisionError'"),
])
def test_a_solution_that_does_not_run_cleanly_is_refused_with_the_cause_first(monkeypatch, tmp_path, report_, says):
    from helpers.instructor.grading import grade

    monkeypatch.setattr(runner, "run", lambda *args, **kwargs: (report_, {"90.1": {"cases": []}}))
    with pytest.raises(grade.UsageError, match="did not run cleanly") as refused:
        grade._reference("90", tmp_path / "90_toy.ipynb", {}, runner.Settings())
    assert says in str(refused.value)


def test_a_solution_that_runs_cleanly_gives_its_results(monkeypatch, tmp_path):
    from helpers.instructor.grading import grade

    results = {"90.1": {"cases": []}}
    monkeypatch.setattr(runner, "run", lambda *args, **kwargs: ({"errors": [[1, "CheckDataMissing", "x"]]}, results))
    assert grade._reference("90", tmp_path / "90_toy.ipynb", {}, runner.Settings()) is results


def _results_zip(structure_text: str, members=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("__structure__.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array(f, np.array(structure_text))
        for name, arr in members:
            with z.open(name, "w") as f:
                np.lib.format.write_array(f, arr)
    return buffer.getvalue()


@pytest.mark.parametrize("what, structure", [
    # the reported attack: millions of numbers written into the structure's text (tens of MB, a few KB zipped)
    ("numbers", lambda: json.dumps({"list": [1.5] * 3_000_000})),
    # values within the text limit, but more of them than any results hold
    ("values", lambda: json.dumps({"list": [None] * 600_000})),
    # one array named a million times: cheap bytes, a huge structure
    ("references", lambda: json.dumps({"list": [{"array": "a0"}] * 400_000})),
])
def test_decoding_builds_only_what_the_limits_allow(what, structure):
    """Whatever the bytes say, reading results back costs the grader tens of MiB at most, never hundreds."""
    import tracemalloc

    blob = _results_zip(structure(), [("a0.npy", np.zeros(3))])
    assert len(blob) < serialize.MAX_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="limit|more than"):
            serialize.loads(blob)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 80 * 2**20, f"{what}: decoding peaked at {peak / 2**20:.0f} MiB"


def test_honest_results_decode_within_the_limits():
    """The course's own recorded results sit far inside the limits (a margin of 250 times is documented)."""
    for path in sorted((ROOT / "helpers" / "checkdata").glob("*.npz")):
        with zipfile.ZipFile(path) as z:
            text = str(np.load(io.BytesIO(z.read("__structure__.npy"))))
        assert len(text) * 250 <= serialize.MAX_STRUCTURE_CHARS, path.name
        assert serialize.load(path) is not None


def test_notebooks_beyond_honest_work_are_refused_before_anything_parses_them(tmp_path):
    """5 million empty lists in a cell's metadata (15 MB of valid JSON) cost nothing: refused from the bytes."""
    from helpers.instructor.grading import bounds

    nb = {"cells": [{"cell_type": "code", "metadata": {"x": "LISTS"}, "source": "", "outputs": [],
                     "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb).replace('"LISTS"', "[" + ",".join(["[]"] * 5_000_000) + "]")
    path = tmp_path / "03_linear_regression.ipynb"
    path.write_text(text)
    start = time.monotonic()
    with pytest.raises(runner.SubmissionError, match="lists or objects"):
        runner.copy_regular(path, tmp_path / "copy.ipynb")
    assert time.monotonic() - start < 1.0 and not (tmp_path / "copy.ipynb").exists()
    for course in sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert bounds.notebook_problem(course.read_bytes()) is None, course.name  # honest work passes


def test_a_value_that_broadcasts_is_bounded_before_any_diagnosis():
    """An answer shaped (n, 1) where (1, n) is expected never reaches a diagnosis that would broadcast it."""
    import tracemalloc

    from helpers import exercises
    from helpers.instructor.grading import score as scoring

    def broadcasting_diagnose(expected, got, args):  # what a diagnosis may well do: subtract the two
        return "off" if np.any(np.asarray(got) - np.asarray(expected)) else None

    ex = exercises.Exercise(id="99.1-wide", target="f", cases=lambda rng: [()], diagnose=broadcasting_diagnose)
    n = 20_000  # broadcast: 20,000 x 20,000 floats = 3 GiB
    tracemalloc.start()
    try:
        problem = scoring._judge_case(ex, {"out": np.zeros((1, n))}, {"out": np.zeros((n, 1))}, ())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "shape (20000, 1) where shape (1, 20000) is expected" in problem.cause
    assert peak < 20 * 2**20


def _flat(tmp_path, files: dict) -> Path:
    folder = tmp_path / "subs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_a_file_name_cannot_claim_a_classmate_in_a_flat_folder(tmp_path):
    """Two different notebooks named for bob: neither is graded, both are named; the same bytes twice count once."""
    folder = _flat(tmp_path, {"bob-03.ipynb": '{"a": 1}', "bob_03.ipynb": '{"forged": 1, "execution_count": 9}',
                              "carol-03.ipynb": "{}", "carol_03.ipynb": "{}"})
    subs = {(s.student, s.path.name): s for s in discover([folder], {"03"})}
    bob = [s for (student, _), s in subs.items() if student == "bob"]
    assert len(bob) == 2 and all(s.skip and "claim bob" in s.skip and "bob-03.ipynb" in s.skip for s in bob)
    carol = [s for (student, _), s in subs.items() if student == "carol"]
    assert len(carol) == 1 and carol[0].skip is None and "counted once" in carol[0].notes[0]


def test_every_skipped_entry_is_reported(tmp_path):
    folder = tmp_path / "subs"
    (folder / ".alice").mkdir(parents=True)
    (folder / ".alice" / "03.ipynb").write_text("{}")
    (folder / "bob" / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / "bob" / "03.ipynb").write_text("{}")
    (folder / "._bob-03.ipynb").write_text("{}")
    skipped: list = []
    subs = {s.student: s for s in discover([folder], {"03"}, skipped=skipped)}
    assert "starts with a dot" in subs[".alice"].skip and subs["bob"].skip is None
    assert sorted(Path(line.split(":")[0]).name for line in skipped) == ["._bob-03.ipynb", ".ipynb_checkpoints"]


def test_a_refused_only_regrade_keeps_the_batch_seed(tmp_path):
    """``--only X --seed 8`` on a batch drawn with seed 7 is refused, and batch.json still says 7: the
    seed was once rewritten before the refusal, so the next plain re-run ran everyone on new inputs."""
    from helpers.instructor.grading.discover import UsageError
    from helpers.instructor.grading.grade import grade

    out, subs = tmp_path / "out", tmp_path / "subs"
    out.mkdir(), (subs / "ann").mkdir(parents=True)
    (subs / "ann" / "90_toy.ipynb").write_bytes((ROOT / "tests" / "fixtures" / "solutions" / "90_toy.ipynb").read_bytes())
    (out / "batch.json").write_text('{"seed": 7}\n')
    with pytest.raises(UsageError, match="its seed 7 .*drop --seed 8"):
        grade([subs], solutions=ROOT / "tests" / "fixtures" / "solutions", out=out, seed=8, only=["ann"],
              spec_file=str(ROOT / "tests" / "fixtures" / "toy_specs.py"), log=lambda *a: None)
    assert json.loads((out / "batch.json").read_text()) == {"seed": 7}


def test_only_says_when_no_stored_run_matches_rather_than_blaming_the_notebooks():
    """After a solution or a setting changed, every stored run is stale: the message says that, not 'new notebooks'."""
    from types import SimpleNamespace

    from helpers.instructor.grading import regrade
    from helpers.instructor.grading.discover import UsageError

    todo = [SimpleNamespace(student=n, path=Path(f"{n}/03_x.ipynb")) for n in ("ann", "bo", "cy")]
    with pytest.raises(UsageError, match="all 2 other submissions have no finished run .* matches the current"):
        regrade.chosen(["ann"], todo, None, False, lambda s: False)
    with pytest.raises(UsageError, match=r"1 other submission\(s\) have no finished run .*: cy \(03_x.ipynb\)"):
        regrade.chosen(["ann"], todo, None, False, lambda s: s.student == "bo")
    assert regrade.chosen(["ann"], todo, None, False, lambda s: True) == {id(todo[0])}


def test_a_kernel_that_dies_while_the_results_are_collected_is_not_named_as_a_cell():
    """An exercise function calling os._exit on the hidden inputs once read 'kernel died in cell -1 ...; re-ran without it'."""
    from helpers.instructor.grading.score import run_status

    status = run_status({"died": [-2]}, "the kernel died while collecting results")
    assert status == ["the kernel died while collecting results"]
    assert run_status({"died": [3]}, {}, {3: 'cell 4 ("import os")'}) == [
        'kernel died in cell 4 ("import os") (sys.exit/os._exit, a crash or a limit); re-ran without it']


def test_a_spurious_ast_error_is_retried_and_never_lets_a_rule_breaker_through(monkeypatch):
    """CPython 3.11 can fail a parse when two threads parse at once: the rule check tries again, never skips a cell."""
    import ast

    from helpers import constraints

    real, calls = ast.parse, []

    def flaky(source, *args, **kwargs):
        calls.append(source)
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=33, after=41)")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(constraints.ast, "parse", flaky)
    rule = constraints.Forbid(("numpy.linalg.solve",), "solve it yourself")
    cells = ["import numpy as np\ndef fit(A, b):\n    return np.linalg.solve(A, b)"]
    assert constraints.violations_in_source(rule, "fit", cells) and len(calls) == 2
    monkeypatch.setattr(constraints.ast, "parse", lambda *a, **k: (_ for _ in ()).throw(SystemError("again")))
    with pytest.raises(SystemError):  # the grader then says "grading failed" for this notebook: never a pass
        constraints.violations_in_source(rule, "fit", cells)
