"""Run a command as if on another machine: another OpenBLAS kernel family, fewer SIMD levels, another thread count.

Strict nbval compares every printed output with the one recorded on the author's machine. Hosted CI
runners and students' laptops differ in three ways that can change the last digits of a float:

* the OpenBLAS kernels chosen for the CPU (``OPENBLAS_CORETYPE``),
* the SIMD level NumPy's own loops dispatch to (``NPY_DISABLE_CPU_FEATURES``),
* the number of BLAS threads (``OPENBLAS_NUM_THREADS``), which changes the order of summation.

``make test`` re-runs the notebooks once under such a foreign configuration. Which NumPy features can
be switched off depends on the CPU and on the NumPy release (NumPy 2.4 dispatches to groups such as
``X86_V4``, older releases to single features such as ``AVX512F``); asking NumPy to disable a feature it
does not dispatch to, or one this CPU lacks, is an error or a warning, so the list is computed here.

Examples
--------
``python scripts/foreign_env.py --show``
    print the variables of the default foreign configuration for this machine.
``python scripts/foreign_env.py --coretype Prescott --simd avx2 --threads 4 -- python -m pytest ...``
    run a command under another configuration.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

#: SIMD levels that can be switched off, from the widest down.
SIMD_LEVELS = ("none", "avx512", "avx2")
#: The configuration ``make test`` uses: a kernel family common on Intel CI runners, no AVX-512, one thread.
DEFAULT = {"coretype": "Haswell", "simd": "avx512", "threads": 1}
_AVX2_GROUP = {"X86_V3", "AVX", "AVX2", "F16C", "FMA3"}


def _is_avx512(name: str) -> bool:
    return name.startswith("AVX512") or name == "X86_V4"


def disableable_features(simd: str) -> list[str]:
    """The NumPy dispatch targets present on this CPU that must be disabled to stay at or below ``simd``.

    Parameters
    ----------
    simd : str
        ``"none"`` (disable nothing), ``"avx512"`` (no AVX-512) or ``"avx2"`` (no AVX-512 and no AVX/AVX2).

    Returns
    -------
    list of str
        Names NumPy accepts in ``NPY_DISABLE_CPU_FEATURES``: dispatched, present, not baseline.
    """
    if simd not in SIMD_LEVELS:
        raise ValueError(f"unknown SIMD level {simd!r}: choose one of {', '.join(SIMD_LEVELS)}")
    if simd == "none":
        return []
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # NumPy 1.x
        from numpy.core import _multiarray_umath as umath  # type: ignore[no-redef]
    present = {name for name, on in umath.__cpu_features__.items() if on}
    wanted = [n for n in umath.__cpu_dispatch__ if n in present and _is_avx512(n)]
    if simd == "avx2":
        wanted += [n for n in umath.__cpu_dispatch__ if n in present and n in _AVX2_GROUP]
    return wanted


def foreign_environment(coretype: str, simd: str, threads: int) -> dict[str, str]:
    """The environment variables of one foreign configuration (only those that are set).

    Parameters
    ----------
    coretype : str
        An OpenBLAS kernel family such as ``Haswell``, ``SkylakeX`` or ``Prescott``; ``""`` keeps the detected one.
    simd : str
        See :func:`disableable_features`.
    threads : int
        BLAS threads (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``); ``0`` keeps the default.

    Returns
    -------
    dict of str to str
    """
    if threads < 0:
        raise ValueError(f"threads must be 0 (library default) or a positive count, got {threads}")
    env: dict[str, str] = {}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    features = disableable_features(simd)
    if features:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(features)
    if threads:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(threads)
    return env


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``--show`` prints the variables, otherwise run the command after ``--``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coretype", default=DEFAULT["coretype"], help="OpenBLAS kernel family ('' = detected)")
    parser.add_argument("--simd", default=DEFAULT["simd"], choices=SIMD_LEVELS, help="widest NumPy SIMD level kept")
    parser.add_argument("--threads", type=int, default=DEFAULT["threads"], help="BLAS threads (0 = default)")
    parser.add_argument("--show", action="store_true", help="print the variables and exit")
    parser.add_argument("command", nargs="*", help="the command to run (after --)")
    args = parser.parse_args(argv)
    env = foreign_environment(args.coretype, args.simd, args.threads)
    if args.show or not args.command:
        for name, value in env.items():
            print(f"{name}='{value}'")
        return 0
    print("foreign configuration: " + " ".join(f"{k}='{v}'" for k, v in env.items()), file=sys.stderr, flush=True)
    os.execvpe(args.command[0], args.command, {**os.environ, **env})
    return 1  # not reached: execvpe replaces this process


if __name__ == "__main__":
    sys.exit(main())
