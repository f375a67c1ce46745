"""Commit a run: build the next snapshot from the current one plus the run's staging files, then
swap `_current` to it in one step (see `store`)."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.schema import TABLES
from transforms.version import PARSER_VERSION

from .store import Layout, Snapshot, current_snapshot, fsync_dir, gc_snapshots, swap_current, write_parquet
from .writer import WrittenFile

#: Tables whose rows belong to documents (replaced when their source changes).
DOC_TABLES = ("documents", "paragraphs", "entities")
#: A partition with more files than this is compacted into one file at commit.
COMPACT_FILES = 8


@dataclass
class StagedRun:
    run_id: str
    directory: Path
    files: dict[str, list[WrittenFile]] = field(default_factory=dict)
    delete_doc_ids: set[str] = field(default_factory=set)


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _rows_without(path: Path, doc_ids: pa.Array) -> pa.Table | None:
    """The file's rows minus those of `doc_ids`, or None when the file holds none of them."""
    ids = pq.read_table(path, columns=["doc_id"]).column("doc_id")
    hit = pc.is_in(ids, value_set=doc_ids)
    if not pc.any(hit).as_py():
        return None
    return pq.read_table(path).filter(pc.invert(hit))


def _compact(table_dir: Path, entries: list[dict], run_id: str) -> list[dict]:
    """Merge the files of each partition that has more than COMPACT_FILES files."""
    by_dir: dict[str, list[dict]] = {}
    for e in entries:
        by_dir.setdefault(str(Path(e["path"]).parent), []).append(e)
    out: list[dict] = []
    for rel_dir, files in by_dir.items():
        if len(files) <= COMPACT_FILES:
            out.extend(files)
            continue
        merged = pa.concat_tables([pq.read_table(table_dir.parent / f["path"]) for f in files])
        name = f"{rel_dir}/part-{run_id}-compact.parquet"
        write_parquet(merged, table_dir.parent / name)
        for f in files:
            (table_dir.parent / f["path"]).unlink()
        out.append({"path": name, "rows": merged.num_rows})
    return out


def commit(layout: Layout, staged: StagedRun, extra: dict | None = None) -> Snapshot:
    """Make the staged run visible. Returns the new current snapshot."""
    cur = current_snapshot(layout)
    new_id = (cur.id if cur else 0) + 1
    building = layout.snapshots / f".building-{new_id:06d}-{staged.run_id}"
    if building.exists():
        shutil.rmtree(building)
    building.mkdir(parents=True)
    delete = pa.array(sorted(staged.delete_doc_ids), pa.string()) if staged.delete_doc_ids else None
    manifest: dict = {"snapshot": new_id, "run_id": staged.run_id, "parser_version": PARSER_VERSION,
                      "created": dt.datetime.now(dt.UTC).isoformat(), "previous": cur.id if cur else None,
                      "tables": {}, **(extra or {})}
    for name, table in TABLES.items():
        entries: list[dict] = []
        for f in cur.files(name) if cur else []:
            src = cur.path / f["path"]
            dst = building / f["path"]
            if delete is not None and name in DOC_TABLES:
                remaining = _rows_without(src, delete)
                if remaining is not None:
                    if remaining.num_rows:
                        new_rel = str(Path(f["path"]).parent / f"part-{staged.run_id}-r{len(entries)}.parquet")
                        write_parquet(remaining, building / new_rel)
                        entries.append({"path": new_rel, "rows": remaining.num_rows})
                    continue
            if f.get("empty"):
                continue
            _link_or_copy(src, dst)
            entries.append(dict(f))
        for w in staged.files.get(name, []):
            rel = f"{name}/{w.path}"
            _link_or_copy(staged.directory / name / w.path, building / rel)
            entries.append({"path": rel, "rows": w.rows})
        entries = _compact(building / name, entries, staged.run_id)
        if not entries:
            # an empty table still reads: one empty file with the full schema
            rel = f"{name}/part-empty.parquet"
            write_parquet(table.arrow_schema.empty_table(), building / rel)
            entries = [{"path": rel, "rows": 0, "empty": True}]
        manifest["tables"][name] = {"rows": sum(e["rows"] for e in entries), "files": entries}
    (building / "_manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for d in [building, *[p for p in building.rglob("*") if p.is_dir()]]:
        fsync_dir(d)
    final = layout.snapshots / f"{new_id:06d}"
    os.replace(building, final)
    fsync_dir(layout.snapshots)
    swap_current(layout, final)
    shutil.rmtree(staged.directory, ignore_errors=True)
    gc_snapshots(layout)
    return current_snapshot(layout)
