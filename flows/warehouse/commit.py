"""Commit a run: build the next snapshot from the current one plus the run's staging files, then
swap `_current` to it in one step (see `store`).

What a commit changes is said in data (`StagedRun`): files to add per table, document ids whose
committed rows go (a changed or deleted source: `delete_existing`), document ids whose staged rows
are refused (`delete_staged`), and tables whose staged files replace the committed ones whole
(`replace`, for `files`, the present state of every source). Everything else is hard-linked from
the current snapshot, so a commit costs the new and rewritten files only.

Compaction happens here too, per partition: when a partition holds more than `COMPACT_FILES`
small files (below `SMALL_FILE_BYTES`), they are merged into files of up to `TARGET_FILE_BYTES`,
sorted by the table's key; `pouch compact` does the same for any partition with two or more small
files. Big files are never rewritten, so each row is rewritten a bounded number of times however
many runs there are.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.schema import DOCUMENTS, TABLES
from transforms.version import PARSER_VERSION

from .derived import build_derived
from .faults import checkpoint
from .store import (
    MANIFEST,
    Layout,
    Snapshot,
    current_snapshot,
    fsync_dir,
    gc_snapshots,
    read_table,
    snapshot_ids,
    swap_current,
    write_json,
    write_parquet,
)
from .writer import WrittenFile

#: Tables whose rows belong to documents (replaced when their source changes).
DOC_TABLES = ("documents", "paragraphs", "entities", "sources")
#: Tables computed from the whole snapshot (`derived`), and the partitions whose change makes them
#: stale: rebuilt by a commit that changes those, linked otherwise.
DERIVED_FROM = {"messages": "doc_type=email", "links": "doc_type="}
DERIVED = tuple(DERIVED_FROM)
#: Automatic compaction: a partition with more small files than this is merged at commit.
COMPACT_FILES = 8
#: Files below this size are "small": candidates for merging.
SMALL_FILE_BYTES = 16 * 2**20
#: Merged files are cut at about this size (sum of the input files' sizes).
TARGET_FILE_BYTES = 128 * 2**20


@dataclass
class StagedRun:
    run_id: str
    directory: Path                                        # the run's staging dir: <table>/<file>
    files: dict[str, list[WrittenFile]] = field(default_factory=dict)
    delete_existing: set[str] = field(default_factory=set)  # doc_ids whose committed rows go
    delete_staged: set[str] = field(default_factory=set)    # doc_ids whose staged rows are refused
    replace: tuple[str, ...] = ()                           # tables whose staged files are the table
    extra: dict = field(default_factory=dict)               # more manifest fields
    # partitions (`doc_type=../year=..`) holding the rows of `delete_existing`, when the caller
    # knows them (the merge does, from `sources`); None: looked up in `documents`
    delete_partitions: set[str] | None = None


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _read(path: Path, table: str) -> pa.Table:
    """One data file with the table's current file schema (columns added since are null)."""
    return pq.read_table(path, schema=TABLES[table].file_schema)


def _rows_without(path: Path, table: str, doc_ids: pa.Array) -> pa.Table | None:
    """The file's rows minus those of `doc_ids`, or None when the file holds none of them."""
    ids = pq.read_table(path, columns=["doc_id"]).column("doc_id")
    hit = pc.is_in(ids, value_set=doc_ids)
    if not pc.any(hit).as_py():
        return None
    return _read(path, table).filter(pc.invert(hit))


def _partition_dir(rel_path: str) -> str:
    """`documents/doc_type=cable/year=2006/part-x.parquet` -> `doc_type=cable/year=2006`."""
    return "/".join(Path(rel_path).parts[1:-1])


def _doc_partitions(cur: Snapshot, doc_ids: pa.Array) -> set[str]:
    """Partitions (`doc_type=../year=..`) that hold rows of `doc_ids`, from the documents table
    (every paragraph and entity lives in its document's partition)."""
    found = read_table(cur, "documents", columns=["doc_id", *DOCUMENTS.partition_by],
                       filter=ds.field("doc_id").isin(doc_ids))
    keys = found.select(list(DOCUMENTS.partition_by)).to_pylist()
    return {"/".join(f"{c}={row[c]}" for c in DOCUMENTS.partition_by) for row in keys}


def _size(root: Path, entry: dict) -> int:
    return entry.get("bytes") or (root / entry["path"]).stat().st_size


def _sort_keys(table: str) -> list[tuple[str, str]]:
    t = TABLES[table]
    return [(c, "ascending") for c in t.key if c not in t.partition_by]


def _compact(root: Path, table: str, entries: list[dict], tag: str, force: bool) -> list[dict]:
    """Merge the small files of each partition (see module doc). `root` is the snapshot being built."""
    by_dir: dict[str, list[dict]] = {}
    for e in entries:
        by_dir.setdefault(str(Path(e["path"]).parent), []).append(e)
    out: list[dict] = []
    n = 0
    for rel_dir, files in by_dir.items():
        small = [f for f in files if _size(root, f) < SMALL_FILE_BYTES]
        if len(small) <= (1 if force else COMPACT_FILES):
            out.extend(files)
            continue
        out.extend(f for f in files if _size(root, f) >= SMALL_FILE_BYTES)
        groups: list[list[dict]] = [[]]
        total = 0
        for f in sorted(small, key=lambda f: f["path"]):
            if groups[-1] and total + _size(root, f) > TARGET_FILE_BYTES:
                groups.append([])
                total = 0
            groups[-1].append(f)
            total += _size(root, f)
        for group in groups:
            if len(group) == 1:
                out.extend(group)
                continue
            merged = pa.concat_tables([_read(root / f["path"], table) for f in group])
            if keys := _sort_keys(table):
                merged = merged.sort_by(keys)
            name = f"{rel_dir}/part-{tag}-c{n}.parquet"
            n += 1
            size = write_parquet(merged, root / name)
            for f in group:
                (root / f["path"]).unlink()
            out.append({"path": name, "rows": merged.num_rows, "bytes": size})
    return out


def _close_table(manifest: dict, building: Path, name: str, entries: list[dict]) -> None:
    if not entries:
        # an empty table still reads: one empty file with the full schema
        rel = f"{name}/part-empty.parquet"
        entries = [{"path": rel, "rows": 0, "empty": True,
                    "bytes": write_parquet(TABLES[name].arrow_schema.empty_table(), building / rel)}]
    manifest["tables"][name] = {"rows": sum(e["rows"] for e in entries),
                                "bytes": sum(e["bytes"] for e in entries), "files": entries}


def patch_staged(directory: Path, files: list[WrittenFile], fn: Callable[[pa.Table], pa.Table]) -> list[WrittenFile]:
    """Rewrite a run's own staging files of one table through `fn` (before the commit)."""
    out = []
    for w in files:
        path = directory / w.path
        data = fn(pq.read_table(path))
        write_parquet(data, path)
        out.append(WrittenFile(w.path, data.num_rows))
    return out


def commit(layout: Layout, staged: StagedRun, *, compact_all: bool = False) -> Snapshot:
    """Make the staged run visible in one step; returns the new current snapshot. Safe to call
    again after a failure: a run that is already the current snapshot is not committed twice."""
    cur = current_snapshot(layout)
    if cur is not None and cur.manifest.get("run_id") == staged.run_id:
        return cur
    new_id = max([cur.id if cur else 0, *snapshot_ids(layout)]) + 1
    building = layout.snapshots / f".building-{new_id:06d}-{staged.run_id}"
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    delete = pa.array(sorted(staged.delete_existing), pa.string())
    refuse = pa.array(sorted(staged.delete_staged), pa.string())
    hot = set() if cur is None or not len(delete) else (
        staged.delete_partitions if staged.delete_partitions is not None else _doc_partitions(cur, delete))
    manifest: dict = {"snapshot": new_id, "run_id": staged.run_id, "parser_version": PARSER_VERSION,
                      "created": dt.datetime.now(dt.UTC).isoformat(), "previous": cur.id if cur else None,
                      "tables": {}, **staged.extra}
    for name in TABLES:
        if name in DERIVED:
            continue
        entries: list[dict] = []
        keep_committed = cur is not None and not (name in staged.replace and name in staged.files)
        for f in cur.files(name) if keep_committed else []:
            if f.get("empty"):
                continue
            src = cur.path / f["path"]
            if name in DOC_TABLES and _partition_dir(f["path"]) in hot:
                remaining = _rows_without(src, name, delete)
                if remaining is not None:
                    if remaining.num_rows:
                        rel = f"{Path(f['path']).parent}/part-{staged.run_id}-r{len(entries)}.parquet"
                        entries.append({"path": rel, "rows": remaining.num_rows,
                                        "bytes": write_parquet(remaining, building / rel)})
                    checkpoint("commit-rewrote")
                    continue
            _link_or_copy(src, building / f["path"])
            entries.append({"path": f["path"], "rows": f["rows"], "bytes": _size(cur.path, f)})
        for w in staged.files.get(name, []):
            src = staged.directory / name / w.path
            rel = f"{name}/{w.path}"
            if name in DOC_TABLES and len(refuse) and not w.final:
                remaining = _rows_without(src, name, refuse)
                if remaining is not None:
                    if remaining.num_rows:
                        entries.append({"path": rel, "rows": remaining.num_rows,
                                        "bytes": write_parquet(remaining, building / rel)})
                    continue
            _link_or_copy(src, building / rel)
            entries.append({"path": rel, "rows": w.rows, "bytes": src.stat().st_size})
        entries = _compact(building, name, entries, staged.run_id, compact_all)
        _close_table(manifest, building, name, entries)
        checkpoint("commit-linked")
    # what a derived table depends on changed: any document (links); an email (messages)
    touched = hot | {_partition_dir(f"{n}/{w.path}") for n in DOC_TABLES for w in staged.files.get(n, [])}
    stale = {name for name in DERIVED if cur is None or name not in cur.manifest["tables"]
             or any(p.startswith(DERIVED_FROM[name]) for p in touched)}
    built = build_derived(building, manifest["tables"], stale, staged.run_id) if stale else {}
    for name in DERIVED:
        if name not in stale:
            entries = []
            for f in cur.files(name):
                _link_or_copy(cur.path / f["path"], building / f["path"])
                entries.append(f)
        else:
            entries = built[name]
        _close_table(manifest, building, name, entries)
    write_json(manifest, building / MANIFEST)
    for d in sorted((p for p in building.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        fsync_dir(d)
    fsync_dir(building)
    final = layout.snapshots / f"{new_id:06d}"
    os.replace(building, final)
    fsync_dir(layout.snapshots)
    checkpoint("before-swap", layout.root)
    swap_current(layout, final)
    checkpoint("after-swap", layout.root)
    shutil.rmtree(staged.directory, ignore_errors=True)
    gc_snapshots(layout)
    return current_snapshot(layout)
