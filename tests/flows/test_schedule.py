"""A scheduled run on a real Prefect server: `prefect server start` (not the test harness) on
127.0.0.1 with a free port and its own PREFECT_HOME, `pouch serve --interval 3` registering the
deployment, and at least one scheduled run that completes and commits to the warehouse."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

BIN = Path(sys.executable).parent
DEADLINE = 80.0        # seconds for the whole test; the issue allows 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    # a session of its own, so teardown can stop the process and everything it started
    return subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def api(url: str, path: str, body: dict | None = None):
    """One API call; the server's SQLite may be busy for a moment, so a failed call is retried."""
    for attempt in range(5):
        try:
            req = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode() if body is not None else None,
                                         headers={"content-type": "application/json"},
                                         method="POST" if body is not None else "GET")
            with urllib.request.urlopen(req, timeout=10) as resp:
                return json.loads(resp.read() or "null")
        except OSError:
            if attempt == 4:
                raise
            time.sleep(0.5 * 2**attempt)


def tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-25:]) if log.exists() else ""


@pytest.fixture
def server(tmp_path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": url, "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
           # schedule and pick up runs within a second or two instead of the defaults' 60 s and 10 s
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1", "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    env.pop("PREFECT_PROFILES_PATH", None)
    log = tmp_path / "server.log"
    proc = start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log)
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                if api(url, "/health") is True:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, f"server did not start:\n{tail(log)}"
            time.sleep(0.3)
        yield url, env
    finally:
        stop(proc)


def test_a_scheduled_run_completes_and_commits(server, tmp_path):
    t0 = time.monotonic()
    url, env = server
    src = tmp_path / "src"
    shutil.copytree(ROOT / "samples", src)
    wh = tmp_path / "wh"
    log = tmp_path / "serve.log"
    serve = start([str(BIN / "pouch"), "serve", str(src), "--warehouse", str(wh), "--interval", "3",
                   "--workers", "1", "--api-url", url], env, log)
    try:
        run = None
        while run is None:
            assert serve.poll() is None, f"pouch serve exited:\n{tail(log)}"
            assert time.monotonic() - t0 < DEADLINE, f"no scheduled run completed in time:\n{tail(log)}"
            time.sleep(1)
            runs = api(url, "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}})
            run = runs[0] if runs else None
        deployment = api(url, f"/deployments/{run['deployment_id']}")
        assert deployment["name"] == "pouch-ingest"
        assert [s["schedule"]["interval"] for s in deployment["schedules"]] == [3.0]
        assert run["parameters"]["warehouse"] == str(wh) and run["parameters"]["sources"] == [str(src)]
        assert run["auto_scheduled"] is True                            # made by the schedule, not by hand
        tasks = api(url, "/task_runs/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}})
        names = {t["name"].rsplit("-", 1)[0] for t in tasks if t["state_type"] == "COMPLETED"}
        assert {"discover", "plan", "commit"} <= names
        artifacts = api(url, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
        assert {"ingest-summary", "ingest-files"} <= {a["key"] for a in artifacts}
    finally:
        stop(serve)
    # the warehouse holds what the run committed, and the ledger accounts for every input
    runs = pd.read_parquet(wh / "runs")
    assert (runs.status == "completed").all() and len(runs) >= 1
    first = runs.sort_values("run_id").run_id.iloc[0]
    docs = pd.read_parquet(wh / "documents")
    assert {"09TASHKENT1234", "08ASTANA999", "C09000001", "07ALMATY2211"} <= set(docs.doc_id)
    assert docs.doc_id.is_unique
    ledger = pd.read_parquet(wh / "ledger")
    inputs = {p.as_posix() for p in src.rglob("*") if p.is_file()}
    assert inputs <= set(ledger[ledger.run_id == first].path)
    assert set(ledger[ledger.run_id == first].status) <= {"loaded", "quarantined", "skipped"}
