"""The benchmark's memory sampler sees the whole process tree (a child's memory counts)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))

from bench.memory import TreeSampler  # noqa: E402

CHILD = "import time; b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"


def test_peak_counts_a_child_process():
    # the parent is small; its child holds 200 MiB of touched pages for 1.5 s
    proc = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {CHILD!r}])"])
    with TreeSampler(proc.pid, interval=0.05, pss_every=2) as mem:
        proc.wait()
    r = mem.report()
    assert r["max_processes"] == 2
    assert 200 <= r["peak_rss_mib"] < 400
    assert 200 <= r["peak_pss_mib"] <= r["peak_rss_mib"]
    assert r["peak_rss_by_role_mib"]["flow"] < 100          # the root process itself stays small
