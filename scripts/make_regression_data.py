"""Generate the two small regression datasets of notebook 03, reproducibly.

    python scripts/make_regression_data.py [OUTPUT_DIR]     (default: data/)

data_1d.csv: 100 rows "x,y" (no header), x ~ uniform[0, 100], y = 2x + 1 + N(0, 10^2).
data_2d.csv: 100 rows "x1,x2,y" (no header), x1, x2 ~ uniform[0, 10], y = 2 x1 + 3 x2 + 1 + N(0, 2^2).
Both come from numpy.random.default_rng(SEED); running the script again gives identical bytes.
"""
import sys
from pathlib import Path

import numpy as np

SEED = 2024
N = 100


def make(out_dir: Path) -> list:
    rng = np.random.default_rng(SEED)
    x = rng.uniform(0, 100, N)
    y = 2 * x + 1 + rng.normal(0, 10, N)
    x12 = rng.uniform(0, 10, (N, 2))
    y2 = 2 * x12[:, 0] + 3 * x12[:, 1] + 1 + rng.normal(0, 2, N)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in [("data_1d.csv", np.column_stack([x, y])), ("data_2d.csv", np.column_stack([x12, y2]))]:
        tmp = out_dir / f".{name}.tmp"
        np.savetxt(tmp, table, fmt="%.6f", delimiter=",")
        tmp.replace(out_dir / name)
        written.append(out_dir / name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data"
    for path in make(target):
        print(f"wrote {path}")
