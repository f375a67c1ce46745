"""The flow's event trace (`flows.trace`, `POUCH_TRACE`): off by default, and when on, one line per
traced step with its fields, its times and the process's memory around it."""
from __future__ import annotations

import json

from flows.trace import ENV, traced
from tests.flows.test_staging_writer import _write


def test_nothing_is_written_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with traced("step", step="x"):
        pass
    _write(tmp_path, 2)
    assert not [p for p in tmp_path.rglob("*") if p.suffix == ".jsonl"]


def test_the_writer_traces_each_row_group_and_file(tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"
    monkeypatch.setenv(ENV, str(log))
    _, files = _write(tmp_path, 4)          # 120 documents over three partitions, flushed at close
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    flushes = [r for r in rows if r["event"] == "flush"]
    closes = [r for r in rows if r["event"] == "close"]
    assert sorted(r["partition"] for r in flushes) == sorted(f.path.split("/part-")[0] for f in files)
    assert sum(r["rows"] for r in flushes) == sum(r["rows"] for r in closes) == 120
    assert {r["table"] for r in rows} == {"documents"} and all(r["arrow_bytes"] > 0 for r in flushes)
    assert all(r["start"] <= r["end"] and r["rss_before"] > 0 and r["rss_after"] > 0 for r in rows)


def test_a_failing_step_is_traced_too(tmp_path, monkeypatch):
    log = tmp_path / "events.jsonl"
    monkeypatch.setenv(ENV, str(log))
    try:
        with traced("step", step="commit"):
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    [row] = [json.loads(line) for line in log.read_text().splitlines()]
    assert row["event"] == "step" and row["step"] == "commit"
