"""Simulated student mistakes, recorded as values at build time: instructor side only.

A simulation runs the exercise's whole computation with one step changed, so it contains the
answer. It therefore never reaches students: :func:`record_mistakes` runs it on the public
check inputs while the build records the check data, and the hand-out gets only the resulting
numbers (``checkdata/NN.npz``, key ``"mistakes"``), which the diagnoses compare against.
"""
from __future__ import annotations

import numpy as np

from ... import exercises
from ...exercises.nb04_diagnose import MISTAKES, _logistic


def backward_with_mistake(params: list, acts: list, Y: np.ndarray, mistake: str) -> list:
    """The gradients a backward pass with ``mistake`` (a key of ``nb04_diagnose.MISTAKES``) returns.

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


def _backward_mistakes(cases: list) -> list:
    """Per public case of 04.7: its inputs (to find the case again) and every mistake's gradients."""
    recorded = []
    for params, acts, Y in cases:
        results = {}
        for mistake in MISTAKES:
            try:
                with np.errstate(all="ignore"):
                    results[mistake] = backward_with_mistake(params, acts, Y, mistake)
            except (ValueError, IndexError):
                continue  # this mistake cannot even run on these shapes
        recorded.append({"X": np.asarray(acts[0], dtype=float), "Y": np.asarray(Y, dtype=float), "mistakes": results})
    return recorded


_RECORDERS = {"04.7-backward": _backward_mistakes}


def record_mistakes(key: str) -> dict:
    """``{exercise id: recorded values}`` of the simulated mistakes of notebook ``key`` on its public inputs."""
    return {ex.id: _RECORDERS[ex.id](ex.make_cases(exercises.PUBLIC_SEED))
            for ex in exercises.for_notebook(key) if ex.id in _RECORDERS}
