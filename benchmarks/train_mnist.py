"""Benchmark notebook 04's own training code on full MNIST, against the machine's floor and other libraries.

    make benchmark            (or: .venv/bin/python benchmarks/train_mnist.py [--epochs 15] [--no-memory])

Prints seconds per epoch, seconds to 97 % and 98 % test accuracy and the best accuracy for the
notebook's ``train`` (loaded from the solution notebook's cells tagged ``library``, not copied), the
floating-point floor of an epoch from the machine's measured matmul speed, and — when installed —
scikit-learn's MLPClassifier and PyTorch on the same data, architecture, initial weights, batch size
and optimiser settings, with the ratios. Optional extras: ``pip install -r benchmarks/requirements.txt``.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from helpers.execute import load_notebook_code

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "04_neural_network.ipynb"

SIZES = [784, 128, 64, 10]
SETTINGS = dict(epochs=15, batch_size=128, lr=0.5, momentum=0.9, seed=1)


def flops_per_epoch(n: int) -> float:
    """Forward (2 flops per weight per sample) + backward (weight gradients for every layer, input
    gradients for every layer but the first)."""
    weights = [a * b for a, b in zip(SIZES[:-1], SIZES[1:])]
    return n * (2 * sum(weights) + 2 * sum(weights) + 2 * sum(weights[1:]))


def matmul_gflops(threads: int, n: int = 2048) -> float:
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    with threadpool_limits(limits=threads, user_api="blas"):
        a @ b
        best = min(_timed(lambda: a @ b) for _ in range(5))
    return 2 * n ** 3 / best / 1e9


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def summarise(name: str, seconds: list, accs: list) -> dict:
    t, accs = np.cumsum(seconds), np.asarray(accs)

    def reach(level):
        hit = np.flatnonzero(accs >= level)
        return float(t[hit[0]]) if hit.size else float("nan")

    return {"name": name, "epoch": float(np.mean(seconds)), "t97": reach(0.97), "t98": reach(0.98),
            "best": float(accs.max()), "epochs_run": len(accs)}


def run_notebook_code(data, init):
    nb = load_notebook_code(NOTEBOOK)
    x_train, y_train, x_test, y_test = data
    params = [(W.copy(), b.copy()) for W, b in init]
    # the test set stands in train()'s validation slot, as it does for the other libraries below
    history, _best = nb.train(params, x_train, y_train, x_test, y_test, log=None, **SETTINGS)
    return summarise("NumPy (notebook 04)", history["seconds"], history["val_acc"])


def run_torch(data, init):
    import torch

    x_train, y_train, x_test, y_test = (torch.from_numpy(np.array(a)) for a in data)  # writable copies
    y_train, y_test = y_train.long(), y_test.long()
    layers = []
    for i, (W, b) in enumerate(init):
        linear = torch.nn.Linear(W.shape[1], W.shape[0])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear] + ([torch.nn.Sigmoid()] if i < len(init) - 1 else [])
    model = torch.nn.Sequential(*layers)
    epochs = SETTINGS["epochs"]
    opt = torch.optim.SGD(model.parameters(), lr=SETTINGS["lr"], momentum=SETTINGS["momentum"])
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1 - e / epochs)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SETTINGS["seed"])
    seconds, accs = [], []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x_train), generator=gen)
        for first in range(0, len(x_train), SETTINGS["batch_size"]):
            batch = order[first:first + SETTINGS["batch_size"]]
            opt.zero_grad()
            loss_fn(model(x_train[batch]), y_train[batch]).backward()
            opt.step()
        schedule.step()
        seconds.append(time.perf_counter() - start)
        with torch.no_grad():
            accs.append(float((model(x_test).argmax(1) == y_test).float().mean()))
    return summarise(f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads)", seconds, accs)


def run_sklearn(data, init):
    import sklearn
    from sklearn.neural_network import MLPClassifier

    x_train, y_train, x_test, y_test = data
    clf = MLPClassifier(hidden_layer_sizes=tuple(SIZES[1:-1]), activation="logistic", solver="sgd", alpha=0.0,
                        batch_size=SETTINGS["batch_size"], learning_rate_init=SETTINGS["lr"],
                        momentum=SETTINGS["momentum"], nesterovs_momentum=False, shuffle=True,
                        random_state=SETTINGS["seed"])
    clf.partial_fit(x_train[:SETTINGS["batch_size"]], y_train[:SETTINGS["batch_size"]], classes=np.arange(10))
    clf.coefs_ = [W.T.copy() for W, _ in init]  # same initial weights (sklearn stores W transposed)
    clf.intercepts_ = [b.copy() for _, b in init]
    clf._optimizer.velocities = [np.zeros_like(p) for p in clf.coefs_ + clf.intercepts_]
    seconds, accs = [], []
    for epoch in range(SETTINGS["epochs"]):
        clf._optimizer.learning_rate = SETTINGS["lr"] * (1 - epoch / SETTINGS["epochs"])
        start = time.perf_counter()
        clf.partial_fit(x_train, y_train)
        seconds.append(time.perf_counter() - start)
        accs.append(float(clf.score(x_test, y_test)))
    return summarise(f"scikit-learn {sklearn.__version__} MLPClassifier", seconds, accs)


def notebook_peak_memory() -> float:
    """Execute the whole solution notebook in a fresh kernel; return the kernel's peak RSS in MiB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(stderr=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-memory", action="store_true", help="skip executing the notebook for its peak memory")
    parser.add_argument("--skip", nargs="*", default=[], choices=["torch", "sklearn"], help="libraries not to run")
    args = parser.parse_args()

    nb = load_notebook_code(NOTEBOOK)
    data = nb.load_mnist()
    init = nb.init_params(SIZES, np.random.default_rng(SETTINGS["seed"]))
    print(f"MNIST {data[0].shape[0]:,} training / {data[2].shape[0]:,} test images; network {SIZES}; "
          f"batch {SETTINGS['batch_size']}, lr {SETTINGS['lr']} (linear decay), momentum {SETTINGS['momentum']}, "
          f"{SETTINGS['epochs']} epochs; times exclude evaluation")

    flops = flops_per_epoch(len(data[0]))
    peak1, peak_all = matmul_gflops(1), matmul_gflops(2)
    print(f"machine: float32 matmul {peak1:.0f} GFLOP/s on 1 thread, {peak_all:.0f} GFLOP/s on 2 threads; "
          f"one epoch = {flops / 1e9:.1f} GFLOP -> floor {flops / peak_all / 1e9:.3f} s (2 threads), "
          f"{flops / peak1 / 1e9:.3f} s (1 thread)")

    results = [run_notebook_code(data, init)]
    for name, runner in [("sklearn", run_sklearn), ("torch", run_torch)]:
        if name in args.skip:
            continue
        try:
            results.append(runner(data, init))
        except ImportError:
            print(f"({name} not installed: skipped; pip install -r benchmarks/requirements.txt)")

    print(f"\n{'':48s} {'s/epoch':>8s} {'s to 97%':>9s} {'s to 98%':>9s} {'best acc':>9s}")
    for r in results:
        print(f"{r['name']:48s} {r['epoch']:8.3f} {r['t97']:9.2f} {r['t98']:9.2f} {r['best']:9.2%}")
    ours = results[0]
    print(f"\nNumPy epoch / floating-point floor: {ours['epoch'] / (flops / peak_all / 1e9):.2f}x (2-thread floor), "
          f"{ours['epoch'] / (flops / peak1 / 1e9):.2f}x (1-thread floor)")
    for other in results[1:]:
        print(f"NumPy / {other['name'].split(' ')[0]}: time to 98% {ours['t98'] / other['t98']:.2f}x, "
              f"time per epoch {ours['epoch'] / other['epoch']:.2f}x")
    if not args.no_memory:
        print(f"\npeak memory of notebook 04, executed top to bottom: {notebook_peak_memory():.0f} MiB")


if __name__ == "__main__":
    main()
