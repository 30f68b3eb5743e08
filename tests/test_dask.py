"""Grading on a Dask cluster: the same grades as the local pool, and a cluster that is not a way in.

Toy course (tests/fixtures), sandboxed on the Dask workers; the cluster is an embedded LocalCluster.
"""
import gc
import subprocess
from pathlib import Path

import pytest

from helpers import cli
from helpers.instructor.grading import dask_backend, grade as grading
from toy import SPECS, small_batch

@pytest.fixture(scope="module")
def batch(toy_course, tmp_path_factory):
    return small_batch(toy_course, tmp_path_factory.mktemp("dask"))


def _grade(batch, out, *extra):
    args = [str(batch["subs"]), "--solutions", str(batch["course"]["solutions"]), "--specs", SPECS,
            "--out", str(out), "--seed", "3", *extra]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(batch["course"]["checkdata"]))
        return grading.main(args)


def test_dask_local_cluster_gives_the_local_pools_grades(batch):
    pool, dask = batch["root"] / "pool", batch["root"] / "dask"
    assert _grade(batch, pool, "--jobs", "2") == cli.OK
    assert _grade(batch, dask, "--dask", "local:2") == cli.OK
    grades = (pool / "grades.csv").read_bytes()
    assert grades.count(b"\n") == 5 and b"ann,1,1,1" in grades
    assert (dask / "grades.csv").read_bytes() == grades
    assert len(list((dask / "results").glob("*.npz"))) == 4  # the store works the same on both backends


@pytest.mark.parametrize("address", ["tcp://10.1.2.3:8786", "tcp://scheduler.example:8786"])
def test_plain_tcp_to_another_machine_is_refused_without_insecure(batch, address, monkeypatch, capsys):
    def no_connection(*a, **k):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(dask_backend, "DaskBackend", no_connection)
    assert _grade(batch, batch["root"] / "refused", "--dask", address) == cli.USAGE
    assert "--insecure" in capsys.readouterr().err
    assert not (batch["root"] / "refused" / "grades.csv").exists()


def test_address_rules():
    dask_backend.check_address("tcp://127.0.0.1:8786", insecure=False, tls=False)
    dask_backend.check_address("tcp://10.1.2.3:8786", insecure=True, tls=False)
    dask_backend.check_address("local:3", insecure=False, tls=False)
    for bad in ["local:0", "local:x", "http://h:1", "tcp://h", "tls://h:1"]:
        with pytest.raises(grading.UsageError):
            dask_backend.check_address(bad, insecure=False, tls=False)


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A throw-away CA and one certificate it signed (for the scheduler, the workers and the client)."""
    d = tmp_path_factory.mktemp("certs")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
             "-subj", "/CN=course-test-ca", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
             "-subj", "/CN=localhost", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "node.pem", "-days", "1", "-extfile", "ext.cnf", cwd=d)
    return d


def _refused(Client, address, **kwargs) -> bool:
    """Whether a client cannot connect. The half-made client of a refused attempt is collected here, at once:
    left to the garbage collector, its __del__ may run inside the next Client's start and deadlock on the
    event-loop runner's lock (seen once: the suite hung)."""
    try:
        Client(address, timeout="3s", **kwargs).close()
    except (OSError, TypeError, ValueError):
        return True
    finally:
        gc.collect()
    return False


def test_a_tls_cluster_refuses_a_client_without_the_certificate(certs):
    from distributed import Client, LocalCluster
    from distributed.security import Security

    files = dict(tls_ca_file=str(certs / "ca.pem"), tls_client_cert=str(certs / "node.pem"),
                 tls_client_key=str(certs / "node.key"), tls_scheduler_cert=str(certs / "node.pem"),
                 tls_scheduler_key=str(certs / "node.key"), tls_worker_cert=str(certs / "node.pem"),
                 tls_worker_key=str(certs / "node.key"), require_encryption=True)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tls://", host="127.0.0.1",
                      security=Security(**files), dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        with Client(address, security=Security(**files), timeout="10s") as client:
            assert client.submit(sum, [1, 2]).result() == 3  # with the certificate it works
        assert _refused(Client, address.replace("tls://", "tcp://"))  # no certificate, no TLS
        assert _refused(Client, address)  # tls:// without the certificate
        ca_only = Security(tls_ca_file=str(certs / "ca.pem"), require_encryption=True)
        assert _refused(Client, address, security=ca_only)  # the CA alone: the scheduler wants our certificate


def test_a_worker_with_other_course_code_is_refused_by_name():
    from helpers.instructor.grading import runner

    with pytest.raises(dask_backend.WorkerNotReady, match="other course code"):
        dask_backend._worker_sandbox(runner.Settings(), code="0" * 64)


def test_a_worker_killed_mid_task_is_replaced_and_the_grades_are_the_same(batch):
    """SIGKILL the Dask worker process that is running a sandboxed submission; the task runs again."""
    import os
    import signal
    import threading
    import time

    import psutil

    pool = batch["root"] / "pool-kill"
    assert _grade(batch, pool, "--jobs", "2") == cli.OK
    killed = []

    def kill_one_busy_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for proc in psutil.Process().children(recursive=True):
                try:
                    worker = proc.parent()
                    if proc.name() == "bwrap" and worker.pid != os.getpid() and worker.name() != "bwrap":
                        os.kill(worker.pid, signal.SIGKILL)  # the Dask worker process, mid-task
                        killed.append(worker.pid)
                        return
                except psutil.Error:
                    continue
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_busy_worker)
    killer.start()
    out = batch["root"] / "dask-kill"
    assert _grade(batch, out, "--dask", "local:2") == cli.OK
    killer.join()
    assert killed, "no worker was running a submission"
    assert (out / "grades.csv").read_bytes() == (pool / "grades.csv").read_bytes()


def test_a_submission_whose_runs_keep_killing_workers_is_scored_0_and_the_batch_goes_on(batch):
    """Every worker that runs cai's notebook is SIGKILLed: after two lost workers cai gets 0 with that status."""
    import os
    import signal
    import threading
    import time

    import psutil

    cai = (batch["subs"] / "cai" / "90_toy.ipynb").read_bytes()
    kills, done = set(), threading.Event()

    def kill_workers_running_cai():
        while not done.is_set():
            ours = psutil.Process().children(recursive=True)
            pids = {p.pid for p in ours}
            for proc in ours:
                try:
                    worker = proc.parent()
                    # a sandbox whose worker was just killed is re-parented to PID 1: not a worker of ours
                    if (proc.name() != "bwrap" or worker is None or worker.pid not in pids
                            or worker.name() == "bwrap"):
                        continue
                    args = proc.cmdline()
                    inbox = [args[i + 1] for i, a in enumerate(args[:-2]) if args[i + 2] == "/sandbox/in"]
                    if inbox and (Path(inbox[0]) / "submission.ipynb").read_bytes() == cai:
                        os.kill(worker.pid, signal.SIGKILL)  # the Dask worker running cai's notebook
                        kills.add(worker.pid)
                except (psutil.Error, OSError):
                    continue
            time.sleep(0.05)

    killer = threading.Thread(target=kill_workers_running_cai)
    killer.start()
    out = batch["root"] / "dask-crash"
    try:
        assert _grade(batch, out, "--dask", "local:2") == cli.OK
    finally:
        done.set()
        killer.join()
    assert len(kills) == dask_backend.ALLOWED_FAILURES + 1
    rows = {line.split(",")[0]: line for line in (out / "grades.csv").read_text().splitlines()}
    assert rows["cai"].startswith("cai,0,0,0") and "stopped 2 Dask workers" in rows["cai"]
    assert rows["ann"].startswith("ann,1,1,1"), rows["ann"]
    assert len(list((out / "results").glob("*.npz"))) == 3  # cai's lost runs are not kept: a re-run tries again
