"""The snapshot store and the commit, without Prefect: staged runs made from small Arrow tables."""
from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow as pa
import pytest

from flows.warehouse import commit as commit_mod
from flows.warehouse.commit import COMPACT_FILES, StagedRun, commit
from flows.warehouse.store import (
    KEEP_SNAPSHOTS,
    Layout,
    current_snapshot,
    gc_snapshots,
    pinned,
    recover,
)
from flows.warehouse.writer import StagingWriter
from transforms.schema import TABLES


def _filler(t: pa.DataType):
    if pa.types.is_string(t):
        return "x"
    if pa.types.is_boolean(t):
        return False
    if pa.types.is_list(t):
        return []
    return 0


def rows(table: str, items: list[dict]) -> pa.Table:
    """A table with the declared schema from partial rows (other columns null, or a filler where
    the column may not be null)."""
    schema = TABLES[table].arrow_schema
    return pa.table({f.name: pa.array([r.get(f.name, None if f.nullable else _filler(f.type)) for r in items], f.type)
                     for f in schema}, schema=schema)


def doc(doc_id: str, year: str = "2009", run: str = "r1", text: str = "text") -> dict:
    return {"doc_id": doc_id, "doc_type": "cable", "year": year, "text": text, "run_id": run}


def para(doc_id: str, i: int, year: str = "2009", run: str = "r1") -> dict:
    return {"doc_id": doc_id, "doc_type": "cable", "year": year, "para_index": i, "para_id": f"{doc_id}.{i}",
            "text": f"p{i}", "run_id": run}


def stage(layout: Layout, run_id: str, data: dict[str, pa.Table], **kw) -> StagedRun:
    directory = layout.staging / run_id
    files = {}
    for name, t in data.items():
        w = StagingWriter(TABLES[name], directory / name, run_id)
        w.write(t)
        files[name] = w.close()
    return StagedRun(run_id, directory, files, **kw)


def run(layout: Layout, run_id: str, docs: list[dict], paras: list[dict] = (), **kw):
    data = {"documents": rows("documents", docs), "ledger": rows("ledger", [
        {"run_id": run_id, "path": f"/in/{run_id}", "sha256": "s", "bytes": 1, "format": "cable_text", "status": "loaded",
         "doc_ids": [d["doc_id"] for d in docs], "n_docs": len(docs), "parser_version": "t"}])}
    if paras:
        data["paragraphs"] = rows("paragraphs", list(paras))
    return commit(layout, stage(layout, run_id, data, **kw))


@pytest.fixture
def layout(tmp_path) -> Layout:
    lay = Layout(tmp_path / "wh")
    lay.ensure()
    return lay


def read(layout: Layout, table: str) -> pd.DataFrame:
    return pd.read_parquet(layout.root / table)


def test_commit_makes_every_table_readable_with_pandas(layout):
    snap = run(layout, "r1", [doc("09A1"), doc("08B2", year="2008")], [para("09A1", 0), para("09A1", 1)])
    assert snap.id == 1 and snap.manifest["tables"]["documents"]["rows"] == 2
    assert sorted(read(layout, "documents").doc_id) == ["08B2", "09A1"]
    assert len(read(layout, "paragraphs")) == 2
    for name in TABLES:                                   # empty tables read too, with their columns
        assert set(TABLES[name].names) <= set(read(layout, name).columns)
    assert not list(layout.staging.iterdir())            # staging cleaned


def test_replacing_documents_rewrites_only_their_partition(layout):
    first = run(layout, "r1", [doc("09A1"), doc("08B2", year="2008")], [para("09A1", 0), para("08B2", 0, "2008")])
    old = {f["path"]: os.stat(first.path / f["path"]).st_ino for f in first.files("paragraphs")}
    second = run(layout, "r2", [doc("09A1", run="r2", text="new")], [para("09A1", 0, run="r2")],
                 delete_existing={"09A1"})
    docs = read(layout, "documents").set_index("doc_id")
    assert docs.loc["09A1", "text"] == "new" and docs.loc["08B2", "run_id"] == "r1" and docs.index.is_unique
    paras = read(layout, "paragraphs")
    assert sorted(zip(paras.doc_id, paras.run_id)) == [("08B2", "r1"), ("09A1", "r2")]
    # the 2008 partition was not touched: the same file (a hard link) is in the new snapshot
    f2008 = next(f["path"] for f in second.files("paragraphs") if "year=2008" in f["path"])
    assert os.stat(second.path / f2008).st_ino == old[f2008]


def test_refused_staged_documents_are_left_out(layout):
    run(layout, "r1", [doc("09A1")])
    run(layout, "r2", [doc("09A1", run="r2"), doc("09C3", run="r2")], delete_staged={"09A1"})
    docs = read(layout, "documents")
    assert sorted(zip(docs.doc_id, docs.run_id)) == [("09A1", "r1"), ("09C3", "r2")]


def test_a_retried_commit_is_not_applied_twice(layout):
    run(layout, "r1", [doc("09A1")])
    staged = stage(layout, "r2", {"documents": rows("documents", [doc("09C3", run="r2")])})
    first = commit(layout, staged)
    again = commit(layout, staged)
    assert again.id == first.id == 2 and len(read(layout, "documents")) == 2


def test_recover_removes_what_a_killed_commit_left(layout):
    run(layout, "r1", [doc("09A1")])
    (layout.snapshots / ".building-000002-rX" / "documents").mkdir(parents=True)
    (layout.snapshots / "000002").mkdir()                       # built and renamed, never made current
    (layout.staging / "rX" / "documents").mkdir(parents=True)
    os.symlink("_snapshots/000002", layout.root / "_current.tmp")
    removed = recover(layout)
    assert len(removed) == 4
    assert sorted(p.name for p in layout.snapshots.iterdir()) == ["000001"]
    assert not list(layout.staging.iterdir()) and not (layout.root / "_current.tmp").is_symlink()
    assert run(layout, "r2", [doc("09C3", run="r2")]).id == 2


def test_old_snapshots_are_collected_and_a_pinned_reader_keeps_its_snapshot(layout):
    run(layout, "r1", [doc("09A1")])
    pin = pinned(layout, "documents")
    for i in range(2, 3 + KEEP_SNAPSHOTS):
        run(layout, f"r{i}", [doc(f"09X{i}", run=f"r{i}")])
        if i < 2 + KEEP_SNAPSHOTS:
            assert len(pd.read_parquet(pin)) == 1              # still the first snapshot's data
    ids = sorted(int(p.name) for p in layout.snapshots.iterdir())
    assert ids == list(range(2, 3 + KEEP_SNAPSHOTS)) and current_snapshot(layout).id == 2 + KEEP_SNAPSHOTS
    assert not pin.exists()
    assert gc_snapshots(layout) == []


def test_automatic_compaction_bounds_the_files_per_partition(layout):
    for i in range(2 * COMPACT_FILES + 1):
        snap = run(layout, f"r{i:02d}", [doc(f"09A{i}", run=f"r{i:02d}")])
        per_dir: dict[str, int] = {}
        for name in ("documents", "ledger"):
            for f in snap.files(name):
                d = os.path.dirname(f["path"])
                per_dir[d] = per_dir.get(d, 0) + 1
        assert max(per_dir.values()) <= COMPACT_FILES
    docs = read(layout, "documents")
    assert sorted(docs.doc_id) == sorted(f"09A{i}" for i in range(2 * COMPACT_FILES + 1))
    assert len(read(layout, "ledger")) == 2 * COMPACT_FILES + 1


def test_compact_all_leaves_one_sorted_file_per_partition(layout, monkeypatch):
    for i in range(4):
        run(layout, f"r{i}", [doc(f"09Z{9 - i}", run=f"r{i}"), doc(f"08Y{i}", year="2008", run=f"r{i}")])
    before = read(layout, "documents").sort_values("doc_id").reset_index(drop=True)
    snap = commit(layout, StagedRun("compact-1", layout.staging / "compact-1"), compact_all=True)
    assert len(snap.files("documents")) == 2 and len(snap.files("ledger")) == 1
    after = read(layout, "documents")
    part = after[after.year.astype(str) == "2009"]
    assert list(part.doc_id) == sorted(part.doc_id)                    # merged files are sorted by key
    pd.testing.assert_frame_equal(after.sort_values("doc_id").reset_index(drop=True), before)
    manifest = json.loads((snap.path / "_manifest.json").read_text())
    assert manifest["tables"]["documents"]["rows"] == 8


def test_big_files_are_not_rewritten_by_compaction(layout, monkeypatch):
    monkeypatch.setattr(commit_mod, "SMALL_FILE_BYTES", 1)             # every file counts as big
    for i in range(COMPACT_FILES + 2):
        snap = run(layout, f"r{i:02d}", [doc(f"09A{i}", run=f"r{i:02d}")])
    assert len(snap.files("documents")) == COMPACT_FILES + 2


def test_readers_during_commits_see_whole_snapshots(layout):
    """A reader thread reads while 15 runs commit (each adds one document; compaction rewrites the
    partition on the way): a pinned read always sees exactly the documents of some commit (or fails
    when that snapshot was collected, 3 commits later); an unpinned read sees the same, or fails on a
    file a later commit merged away, never a part."""
    import threading
    committed = [{f"09A{j}" for j in range(i + 1)} for i in range(15)]
    run(layout, "r00", [doc("09A0", run="r00")])
    seen, errors, stop = [], [], threading.Event()

    def reader() -> None:
        while not stop.is_set():
            for path in (pinned(layout, "documents"), layout.root / "documents"):
                try:
                    seen.append(set(pd.read_parquet(path).doc_id))
                except OSError:       # unpinned: a file merged away meanwhile; pinned: snapshot collected
                    errors.append((path, path.exists()))

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(1, 15):
            run(layout, f"r{i:02d}", [doc(f"09A{i}", run=f"r{i:02d}")])
    finally:
        stop.set()
        t.join()
    assert seen and all(s in committed for s in seen)
    assert all(path == layout.root / "documents" or not existed for path, existed in errors)


def test_pouch_compact_merges_under_the_lock(layout):
    from flows.warehouse.compact import compact_warehouse
    for i in range(3):
        run(layout, f"r{i}", [doc(f"09A{i}", run=f"r{i}")])
    before, snap = compact_warehouse(layout.root)
    assert before["documents"] == 3 and len(snap.files("documents")) == 1
    assert snap.manifest["operation"] == "compact" and sorted(read(layout, "documents").doc_id) == ["09A0", "09A1", "09A2"]
