"""scripts/foreign_env.py, behind make test's second nbval pass, sets variables this NumPy and OpenBLAS accept."""
import platform
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import foreign_env  # noqa: E402

PROBE = ("import numpy, threadpoolctl\n"
         "from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__\n"
         "blas = [i for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas']\n"
         "arch, threads = (blas[0]['architecture'], blas[0]['num_threads']) if blas else ('-', 2)\n"
         "print(arch, threads, *sorted(n for n in __cpu_dispatch__ if __cpu_features__[n]))")


@pytest.mark.parametrize("simd", foreign_env.SIMD_LEVELS)
def test_numpy_accepts_the_disabled_features_and_drops_them(simd):
    cmd = [sys.executable, str(ROOT / "scripts" / "foreign_env.py"), "--simd", simd, "--threads", "2",
           "--", sys.executable, "-W", "error", "-c", PROBE]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr  # a name NumPy does not dispatch to would fail the import
    architecture, threads, *still_on = run.stdout.split()
    assert threads == "2"
    if platform.machine() in ("x86_64", "AMD64") and architecture != "-":  # OpenBLAS on x86: kernels forced
        assert architecture == "Haswell"
    assert not set(foreign_env.disableable_features(simd)) & set(still_on)
    if simd != "none":
        assert not [n for n in still_on if n.startswith("AVX512") or n == "X86_V4"]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown SIMD level 'sse'"):
        foreign_env.disableable_features("sse")
    with pytest.raises(ValueError, match="threads must be 0"):
        foreign_env.foreign_environment("", "none", -1)
    assert foreign_env.foreign_environment("", "none", 0) == {}
