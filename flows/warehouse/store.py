"""The warehouse on disk: immutable snapshots, swapped in atomically.

    warehouse/
      documents -> _current/documents        (one symlink per table, made once)
      _current  -> _snapshots/000042          (swapped atomically by rename: the commit)
      _snapshots/000042/
        _manifest.json                        (files, rows, bytes, run, parser version)
        documents/doc_type=cable/year=2006/part-<run>-0.parquet
        ledger/part-<run>-0.parquet ...
      _snapshots/.building-000043-<run>/      (a commit in progress; deleted by `recover`)
      _staging/<run_id>/...                   (files of a run in progress)
      reports/  .lock

A snapshot holds every file of every table. Unchanged files are hard links to the files of the
snapshot before, so a commit costs only the new and rewritten files. `_current` moves in one
`rename`, after everything it points to is written and fsynced, so a reader that opens
`warehouse/documents` sees one committed snapshot whole, and a run killed at any point leaves
`_current` where it was; the next run deletes the leftovers (`recover`).

One caveat for readers: `pd.read_parquet("warehouse/documents")` resolves the link again for every
directory it lists, so a listing that straddles the instant of a commit may take some partitions
from the snapshot before and some from the new one. Readers that need one snapshot for sure read
`pinned(layout, table)` (or `Path("warehouse/documents").resolve()`): old snapshots stay on disk for
`KEEP_SNAPSHOTS` more commits.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.schema import TABLES, Table

#: Snapshots kept besides the current one, for readers still reading them.
KEEP_SNAPSHOTS = 3
MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def snapshots(self) -> Path:
        return self.root / "_snapshots"

    @property
    def current(self) -> Path:
        return self.root / "_current"

    @property
    def staging(self) -> Path:
        return self.root / "_staging"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def lock_file(self) -> Path:
        return self.root / ".lock"

    def ensure(self) -> None:
        for d in (self.root, self.snapshots, self.staging):
            d.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            link = self.root / name
            if not link.is_symlink() and not link.exists():
                with contextlib.suppress(FileExistsError):     # another run made it first
                    os.symlink(Path("_current") / name, link)


@dataclass
class Snapshot:
    id: int
    path: Path
    manifest: dict

    def files(self, table: str) -> list[dict]:
        return self.manifest["tables"].get(table, {}).get("files", [])

    def table_path(self, table: str) -> Path:
        return self.path / table


def current_snapshot(layout: Layout) -> Snapshot | None:
    if not layout.current.is_symlink():
        return None
    target = layout.current.resolve()
    manifest = target / MANIFEST
    if not manifest.exists():
        return None
    data = json.loads(manifest.read_text())
    return Snapshot(int(data["snapshot"]), target, data)


def pinned(layout: Layout, table: str) -> Path:
    """The table's directory inside the current snapshot: a path that keeps naming the same data
    while later commits happen (for `KEEP_SNAPSHOTS` commits)."""
    return (layout.root / table).resolve()


def snapshot_ids(layout: Layout) -> list[int]:
    if not layout.snapshots.exists():
        return []
    return sorted(int(d.name) for d in layout.snapshots.iterdir() if d.name.isdigit())


def partitioning(table: Table) -> ds.Partitioning | None:
    if not table.partition_by:
        return None
    return ds.partitioning(pa.schema([table.column(c).field() for c in table.partition_by]), flavor="hive")


def read_table(snapshot: Snapshot | None, name: str, columns: list[str] | None = None,
               filter: ds.Expression | None = None) -> pa.Table:
    """A whole table of a snapshot with the declared schema (partition columns as strings)."""
    dataset = _dataset(snapshot, name)
    if dataset is None:
        schema = TABLES[name].arrow_schema
        return schema.empty_table().select(columns) if columns else schema.empty_table()
    return dataset.to_table(columns=columns, filter=filter)


def scan_table(snapshot: Snapshot, name: str, batch_rows: int = 65_536) -> pa.RecordBatchReader:
    """A table of a snapshot as a stream of batches, read a batch at a time (no read-ahead)."""
    dataset = _dataset(snapshot, name)
    if dataset is None:
        return pa.RecordBatchReader.from_batches(TABLES[name].arrow_schema, [])
    return dataset.scanner(batch_size=batch_rows, batch_readahead=0, fragment_readahead=0).to_reader()


def _dataset(snapshot: Snapshot | None, name: str) -> ds.Dataset | None:
    table = TABLES[name]
    if snapshot is None or not snapshot.files(name):
        return None
    paths = [str(snapshot.path / f["path"]) for f in snapshot.files(name)]
    return ds.dataset(paths, schema=table.arrow_schema, format="parquet",
                      partitioning=partitioning(table), partition_base_dir=str(snapshot.path / name))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Rows per Parquet row group of the files the commit writes.
ROW_GROUP_ROWS = 128 * 1024


def write_parquet(table: pa.Table, path: Path) -> int:
    """Write, fsync and move into place; returns the file's size in bytes."""
    return write_batches(table.schema, [table], path)[1]


def write_batches(schema: pa.Schema, batches: Iterable[pa.RecordBatch | pa.Table], path: Path) -> tuple[int, int]:
    """Write a stream of batches (cast to `schema`) as one file, fsync it and move it into place;
    returns (rows, bytes). Memory: one batch and one row group."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    rows = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write(batch.cast(schema) if batch.schema != schema else batch, row_group_size=ROW_GROUP_ROWS)
                rows += batch.num_rows
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return rows, path.stat().st_size


def write_json(data: dict, path: Path) -> None:
    """Write a JSON file durably (fsynced before it is renamed into place)."""
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def recover(layout: Layout) -> list[str]:
    """Delete what a killed run left behind: unfinished snapshots, snapshots that were built but
    never made current, staging, a half-made link. Call under the writer lock."""
    removed = []
    current = current_snapshot(layout)
    if layout.snapshots.exists():
        for d in layout.snapshots.iterdir():
            orphan = d.name.isdigit() and (current is None or int(d.name) > current.id)
            if d.name.startswith(".building-") or orphan:
                shutil.rmtree(d, ignore_errors=True)
                removed.append(str(d))
    if layout.staging.exists():
        for d in layout.staging.iterdir():
            shutil.rmtree(d, ignore_errors=True) if d.is_dir() else d.unlink(missing_ok=True)
            removed.append(str(d))
    tmp_link = layout.root / "_current.tmp"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
        removed.append(str(tmp_link))
    return removed


def swap_current(layout: Layout, snapshot_dir: Path) -> None:
    tmp = layout.root / "_current.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("_snapshots") / snapshot_dir.name, tmp)
    os.replace(tmp, layout.current)
    fsync_dir(layout.root)


def gc_snapshots(layout: Layout, keep: int = KEEP_SNAPSHOTS) -> list[str]:
    """Delete snapshots older than the current one and the `keep` before it."""
    current = current_snapshot(layout)
    if current is None:
        return []
    old = [i for i in snapshot_ids(layout) if i < current.id]
    removed = []
    for i in old[:-keep] if keep else old:
        shutil.rmtree(layout.snapshots / f"{i:06d}", ignore_errors=True)
        removed.append(f"{i:06d}")
    return removed
