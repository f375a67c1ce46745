"""Crash safety: real `pouch ingest` processes SIGKILL themselves at each checkpoint of the write
path (`POUCH_FAULT`, see `flows.warehouse.faults`). After every kill the warehouse reads, with
pandas, exactly as the last commit left it; the next run cleans up and ends where an uninterrupted
run ends."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from flows.warehouse.faults import CHECKPOINTS
from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

CRASH_RUNS = Path(__file__).with_name("crash_runs.py")
PARALLEL = 2           # runs at a time
CONTENT = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
           "entities": ["doc_id", "para_index", "char_start", "char_end", "entity_type", "normalized"],
           "files": ["path"]}


@pytest.fixture(autouse=True)
def _no_heartbeat_thread(prefect_harness):
    """Prefect's flow-run heartbeat thread (crash detection for served runs) is joined at the end of
    every flow run, which adds up to a second per in-process run here and tests nothing of ours."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def content(wh: Path) -> dict[str, pd.DataFrame]:
    """What a reader sees, without the columns that name the run that wrote a row."""
    out = {}
    for name, key in CONTENT.items():
        df = pd.read_parquet(wh / name).drop(columns=["run_id"])
        for c in ("doc_type", "year"):
            if c in df:
                df[c] = df[c].astype(str)
        out[name] = df.sort_values(key).reset_index(drop=True)
    return out


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in CONTENT:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def run_env(api_url: str) -> dict:
    # the harness server keeps its state in SQLite (one writer at a time): a request that meets a
    # locked database gets a 500, which the client retries
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "ERROR",
           "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500"}
    env.pop("POUCH_FAULT", None)
    return env


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    """The session's Prefect server, for the run subprocesses (no temporary server each)."""
    from prefect.settings import PREFECT_API_URL
    return PREFECT_API_URL.value()


def test_sigkill_at_every_checkpoint_leaves_the_last_commit(api_url, tmp_path):
    from flows.ingest import ingest
    src = tmp_path / "src"
    shutil.copytree(ROOT / "samples", src)
    base = tmp_path / "base"
    ingest(sources=[str(src)], warehouse=str(base), workers=1, write_report_html=False)
    committed = content(base)
    # the next run changes a file (its old rows are rewritten away), adds one, and deletes one
    tashkent = src / "cables" / "text" / "09TASHKENT1234.txt"
    tashkent.write_bytes(tashkent.read_bytes().replace(b"End summary.", b"End summary. Talks resume in June."))
    (src / "cables" / "text" / "09TASHKENT1299.txt").write_bytes(
        tashkent.read_bytes().replace(b"001234", b"001299").replace(b"#1234/", b"#1299/"))
    (src / "emails" / "C09000001.txt").unlink()

    whs = {name: tmp_path / name for name in (*CHECKPOINTS, "reference")}
    for wh in whs.values():
        shutil.copytree(base, wh, symlinks=True)
    # where an uninterrupted run ends
    ingest(sources=[str(src)], warehouse=str(whs.pop("reference")), workers=1, write_report_html=False, prune=True)
    expected = content(tmp_path / "reference")
    assert "Talks resume" in " ".join(expected["documents"].text) and "C09000001" not in set(expected["documents"].doc_id)
    # every run a real process that SIGKILLs itself at its checkpoint (forked after the imports)
    done = subprocess.run([sys.executable, str(CRASH_RUNS), "--parallel", str(PARALLEL),
                           *(f"{p}={wh}" for p, wh in whs.items()), "--", str(src), "--workers", "1",
                           "--no-report", "--prune"],
                          env=run_env(api_url), capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    ends = json.loads(done.stdout.strip().splitlines()[-1])

    for point in CHECKPOINTS:
        wh = whs[point]
        assert ends[point] == {"signal": signal.SIGKILL}, f"{point}: {ends[point]}\n{Path(f'{wh}.log').read_text()[-3000:]}"
        # readable, and exactly the last commit: the old one, or the new one once `_current` moved
        assert_same(content(wh), expected if point == "after-swap" else committed)
        # the next run recovers (deletes the leftovers) and completes
        after = ingest(sources=[str(src)], warehouse=str(wh), workers=1, write_report_html=False, prune=True)
        assert_same(content(wh), expected)
        assert not list((wh / "_staging").iterdir())
        assert not [d for d in (wh / "_snapshots").iterdir() if not d.name.isdigit()]
        if point == "after-swap":
            assert after["files"].get("loaded", 0) == 0              # the killed run had committed
        if point != "staged":                  # (a run killed that early may not have written a file yet)
            assert after["recovered"], point   # the next run found the killed run's leftovers
        docs = pd.read_parquet(wh / "documents")
        assert docs.doc_id.is_unique
