"""Per-file state held in mapped Arrow files (`flows.warehouse.spill`), and a plan made with it."""
from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flows.discover import FileRef
from flows.warehouse.incremental import Changes, KnownFiles, make_plan
from flows.warehouse.spill import Spill, spilled
from tests.flows.warehouse.test_incremental_plan import RUN, loaded, ref, row


def _rss_file_mib() -> float:
    """Resident pages of mapped files (Linux)."""
    with open(f"/proc/{os.getpid()}/status") as fh:
        line = next(ln for ln in fh if ln.startswith("RssFile:"))
    return int(line.split()[1]) / 1024


def test_pieces_come_back_whole_and_writes_after_a_read_start_a_new_part(tmp_path):
    schema = pa.schema([("path", pa.string()), ("n", pa.int64())])
    spill = Spill(schema, tmp_path / "t")
    spill.write(pa.table({"path": ["a", "b"], "n": [1, 2]}, schema=schema))
    spill.write(pa.table({"path": [], "n": []}, schema=schema))           # empty: nothing written
    assert spill.table().to_pydict() == {"path": ["a", "b"], "n": [1, 2]}
    spill.write(pa.record_batch([pa.array(["c"]), pa.array([3])], schema=schema))
    assert spill.table().to_pydict() == {"path": ["a", "b", "c"], "n": [1, 2, 3]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.0", "t.1"] and spill.rows == 3


def test_in_memory_without_a_directory(tmp_path):
    table = pa.table({"x": list(range(100_000))})
    back, spill = spilled(table, None)
    assert back.equals(table) and spill.path is None
    spill.evict()                                   # nothing mapped: nothing to do


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="RssFile is read from /proc (Linux)")
def test_evict_gives_the_pages_back(tmp_path):
    table = pa.table({"s": pa.array([f"{i:0100d}" for i in range(400_000)])})       # ~40 MB
    back, spill = spilled(table, tmp_path / "big")
    del table
    assert pc.sum(pc.count_substring(back.column("s"), "1")).as_py() == 300_000     # every page read
    before = _rss_file_mib()
    spill.evict()
    after = _rss_file_mib()
    assert before - after > 30, (before, after)
    assert back.column("s")[399_999].as_py() == f"{399_999:0100d}"               # still readable


def test_plan_and_changes_are_the_same_mapped_or_in_memory(tmp_path):
    prev = {r.path: r for r in (row("/in/a", ["D1"]), row("/in/b", ["D2"], mtime=50), row("/in/gone", ["D3"]))}
    files = [ref("/in/a"), ref("/in/b"), ref("/in/c"), FileRef("/in/d.md", 5, 1, skip="not a document type")]
    out = []
    for state_dir in (None, tmp_path / "_state"):
        known = KnownFiles(*spilled(KnownFiles.of(prev).table, state_dir / "previous" if state_dir else None))
        plan = make_plan(files, known, RUN, ["/in"], state_dir=state_dir)
        ch = Changes(plan, RUN, False)
        ch.note_ledger([loaded("/in/b", ["D2"]), loaded("/in/c", ["D4"])])
        plan.evict()
        ch.evict()
        ledger = plan.ledger(RUN).select(["path", "status", "error"]).to_pylist()
        state = ch.state_table().sort_by("path").select(["path", "sha256", "doc_ids", "mtime_ns"]).to_pylist()
        out.append(([(i.path, i.known_sha) for i in plan.items], ledger, plan.missing, state, plan.stat("/in/c")))
    assert out[0] == out[1]
    items, ledger, missing, state, stat = out[1]
    assert items == [("/in/b", "s1"), ("/in/c", None)] and missing == ["/in/gone"] and stat == (10, 100)
    assert [r["path"] for r in ledger] == ["/in/d.md", "/in/a"]
    assert [(r["path"], r["sha256"]) for r in state] == [("/in/a", "s1"), ("/in/b", "s2"), ("/in/c", "s2"),
                                                         ("/in/gone", "s1")]
    assert sorted(p.name for p in (tmp_path / "_state").iterdir()) == ["found.0", "items.0", "new.0", "previous.0"]
