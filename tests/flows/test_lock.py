"""One writer at a time: the warehouse lock between real processes, and two ingest runs at once."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from flows.warehouse.lock import WarehouseLocked, read_owner, writer_lock
from tests.conftest import ROOT

HOLD = """
import sys, time
from pathlib import Path
from flows.warehouse.lock import writer_lock
with writer_lock(Path(sys.argv[1]), "holder-run"):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder(tmp_path):
    """A process that holds the lock of `tmp_path/wh` until killed."""
    lock = tmp_path / "wh" / ".lock"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout.readline() == b"held\n"
    yield proc, lock
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_second_writer_is_refused_with_the_holders_name(holder):
    proc, lock = holder
    with pytest.raises(WarehouseLocked) as err, writer_lock(lock, "second-run"):
        pass
    msg = str(err.value)
    assert f"pid {proc.pid} on {socket.gethostname()} (run holder-run" in msg and "--wait" in msg
    assert read_owner(lock)["pid"] == proc.pid                # the refused writer left the record alone


def test_waiting_writer_gets_the_lock_of_a_killed_holder(holder):
    proc, lock = holder
    told: list[str] = []
    threading.Timer(1.0, proc.send_signal, [signal.SIGKILL]).start()
    t0 = time.monotonic()
    with writer_lock(lock, "waiting-run", wait_seconds=30, on_wait=told.append) as owner:
        waited = time.monotonic() - t0
        assert read_owner(lock) == owner and owner["pid"] == os.getpid()
    assert 0.8 < waited < 10                                  # no stale lock: free once the holder died
    assert len(told) == 1 and f"pid {proc.pid}" in told[0]


def test_gives_up_after_waiting(holder):
    _, lock = holder
    t0 = time.monotonic()
    with pytest.raises(WarehouseLocked, match="gave up after waiting 0.5 s"), writer_lock(lock, "r", wait_seconds=0.5):
        pass
    assert time.monotonic() - t0 < 5


@pytest.mark.prefect
@pytest.mark.slow
def test_two_runs_at_once_one_writes_the_other_waits_or_is_refused(prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL
    from typer.testing import CliRunner

    from flows.cli import app
    from flows.ingest import ingest
    src = tmp_path / "src"
    shutil.copytree(ROOT / "samples", src)
    wh = tmp_path / "wh"
    # run A: a real process that holds the lock for a while, staging written, just before its commit
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "POUCH_FAULT": "before-commit:sleep=6",
           "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500"}
    a = subprocess.Popen([str(Path(sys.executable).parent / "pouch"), "ingest", str(src), "--warehouse", str(wh),
                          "--workers", "1", "--no-report"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        marker = wh / ".fault-before-commit"
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert a.poll() is None and time.monotonic() < deadline, a.stdout.read().decode()[-3000:]
            time.sleep(0.2)
        # run B, started while A writes: refused at once, with a clear message
        refused = CliRunner().invoke(app, ["ingest", str(src), "--warehouse", str(wh), "--workers", "1", "--no-report"])
        assert refused.exit_code == 2
        assert f"is being written by pid {a.pid} on {socket.gethostname()}" in " ".join(refused.output.split())
        # run C, started while A writes, with --wait: runs after A, and finds everything unchanged
        c = ingest(sources=[str(src)], warehouse=str(wh), workers=1, write_report_html=False, wait_seconds=120)
        assert a.wait(60) == 0, a.stdout.read().decode()[-3000:]
    finally:
        if a.poll() is None:
            a.kill()
            a.wait()
    runs = pd.read_parquet(wh / "runs").sort_values("started_at")
    assert len(runs) == 2 and runs.run_id.iloc[1] == c["run_id"]     # B left no trace
    assert c["files"].get("loaded", 0) == 0 and c["files"]["unchanged"] >= 5
    assert c["snapshot"]["snapshot"] == 2
    assert pd.read_parquet(wh / "documents").doc_id.is_unique
