"""The class report's figures, in the course's style (:func:`helpers.plots.set_style`), as PNG data URIs.

Each function draws one figure and returns ``data:image/png;base64,...`` for an ``<img src>``,
so the HTML page is one self-contained file. Drawn headless (Agg), closed after use. Labels that
come from students (names on the heat-map) are drawn as text in the image, never as markup.
"""
from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (no display while grading)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ...plots import RIGHT_COLOR, TRAIN_COLOR, WRONG_COLOR, set_style  # noqa: E402
from .safe import visible  # noqa: E402


def data_uri(fig: plt.Figure) -> str:
    """The figure as a PNG data URI (the figure is closed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(percents: dict[str, list[float]]) -> str:
    """One histogram per assignment of the students' scores in percent of the points possible."""
    set_style()
    fig, axes = plt.subplots(1, max(1, len(percents)), figsize=(4.2 * max(1, len(percents)), 3.2), squeeze=False)
    for ax, (key, values) in zip(axes[0], sorted(percents.items())):
        ax.hist(values, bins=np.linspace(0, 100, 11), color=TRAIN_COLOR, edgecolor="white")
        ax.set_xlabel("score (% of the points)")
        ax.set_ylabel("students")
        ax.set_title(f"Notebook {key}: median {np.median(values):.0f}%" if values else f"Notebook {key}: no scores")
    return data_uri(fig)


def pass_rates(rates: dict[str, float]) -> str:
    """A horizontal bar per exercise: the share of the students who handed it in that passed every check."""
    set_style()
    ids = list(rates)[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * len(ids) + 1.2))
    values = [100 * rates[i] for i in ids]
    ax.barh(ids, values, color=[RIGHT_COLOR if v >= 50 else WRONG_COLOR for v in values],
            hatch=["" if v >= 50 else "//" for v in values])  # below half: hatched too, not by colour alone
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(ids) - 0.4)
    ax.tick_params(axis="x", labeltop=len(ids) > 15)  # a long chart: the scale at the top as well
    ax.set_xlabel("passed every hidden check (% of the submissions)")
    worst = min(rates, key=rates.get) if rates else ""
    ax.set_title(f"Hardest exercise: {worst}" if worst else "No exercise graded")
    return data_uri(fig)


def heat_map(students: list[str], matrix: np.ndarray, threshold: float, title: str) -> str:
    """The class's pair scores as a heat-map; pairs at or above ``threshold`` outlined."""
    import pandas as pd
    import seaborn as sns
    set_style()
    size = min(14.0, 2.5 + 0.22 * len(students))
    fig, ax = plt.subplots(figsize=(size, size * 0.85))
    labels = [visible(s, 24).replace("$", r"\$") for s in students]  # drawn as plain text: no mathtext
    step = max(1, len(labels) // 60)  # a big class: every step-th name, so that the names stay readable
    frame = pd.DataFrame(matrix, index=labels, columns=labels)
    sns.heatmap(frame, vmin=0, vmax=1, cmap="rocket_r", square=True, ax=ax, xticklabels=step, yticklabels=step,
                cbar_kws={"label": "similarity (share of the code in common)"})
    for i, j in zip(*np.nonzero(np.triu(matrix >= threshold, 1))):
        for x, y in ((j, i), (i, j)):
            ax.add_patch(plt.Rectangle((x, y), 1, 1, fill=False, edgecolor=TRAIN_COLOR, linewidth=2))
    ax.tick_params(labelsize=7)
    ax.set_title(title)
    return data_uri(fig)
