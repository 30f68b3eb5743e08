"""Simulated student mistakes, for the self-checks' diagnoses: instructor side only.

A simulation runs the exercise's whole computation with one step changed, so it contains the
answer: it lives here, out of the hand-out, and the diagnoses use it only where it is present.
"""
from __future__ import annotations

import numpy as np

from ...exercises.nb04_diagnose import _logistic


def backward_with_mistake(params: list, acts: list, Y: np.ndarray, mistake: str) -> list:
    """The gradients a backward pass with ``mistake`` (a key of ``nb04_diagnose._MISTAKES``) returns.

    Shape errors propagate: a mistake that cannot run on a case's shapes raises.
    """
    m = Y.shape[0]
    delta = (acts[-1] - Y) / m
    if mistake == "σ′ at output":
        delta = delta * acts[-1] * (1 - acts[-1])
    grads: list = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        W = params[i][0]
        source = acts[i + 1] if mistake == "output for input" else acts[i]
        db = delta.mean(axis=0) if mistake == "db mean" else delta.sum(axis=0)
        grads[i] = (np.einsum("mo,mi->oi", delta, source), db)
        if i == 0:
            break
        back = np.einsum("mo,io->mi", delta, W) if mistake == "Wᵀ back" else np.einsum("mo,oi->mi", delta, W)
        slope_of = {"σ′ of own layer": acts[i + 1], "σ′ two back": acts[i - 1],
                    "σ′ of A": _logistic(acts[i])}.get(mistake, acts[i])
        delta = back if mistake == "no σ′" else back * slope_of * (1 - slope_of)
    return grads
