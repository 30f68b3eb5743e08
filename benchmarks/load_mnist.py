"""Time loading the 60,000 MNIST training images from their .gz file (target: <= 0.5 s).

Run with ``make benchmark`` or ``.venv/bin/python benchmarks/load_mnist.py``.
"""
import time

from helpers.fetch import fetch_mnist
from helpers.idx import read_idx

folder = fetch_mnist(progress=False)
times = []
for _ in range(5):
    start = time.perf_counter()
    images = read_idx(folder / "train-images-idx3-ubyte.gz")
    times.append(time.perf_counter() - start)
print(f"read {images.shape} {images.dtype} from .gz: best {min(times):.3f} s, median {sorted(times)[2]:.3f} s "
      f"over {len(times)} runs (target <= 0.5 s)")
