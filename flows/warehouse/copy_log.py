"""Where each staged copy of a run came from (staged doc_id -> source_path), kept off the heap.

The merge asks for it twice, for few documents (those with 2+ copies, committed sources or a
source leaving), while every document of the run adds a row: held as a Python dict it cost ~200
bytes a document in the flow process (200 MB at a million documents). Rows go to Arrow IPC files
in the run's staging directory, one per batch (none when the merger has no staging directory:
then they stay in memory as Arrow), and are scanned with Arrow compute when asked.
"""
from __future__ import annotations

from collections.abc import Iterator, Set
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .copies import COPY_SEP

_SCHEMA = pa.schema([("doc_id", pa.string()), ("source_path", pa.string())])


class CopyLog:
    def __init__(self, directory: Path | None) -> None:
        self.dir = directory
        self.kept: list[pa.RecordBatch] = []       # without a directory
        self.n = 0

    def add(self, doc_ids: pa.ChunkedArray, source_paths: pa.ChunkedArray) -> None:
        """Record the staged ids of one batch's copies and their sources."""
        if not len(doc_ids):
            return
        batch = pa.record_batch([doc_ids.combine_chunks(), source_paths.combine_chunks()], schema=_SCHEMA)
        if self.dir is None:
            self.kept.append(batch)
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        with pa.OSFile(str(self.dir / f"{self.n:06d}.arrow"), "wb") as sink, pa.ipc.new_file(sink, _SCHEMA) as w:
            w.write_batch(batch)
        self.n += 1

    def _batches(self) -> Iterator[pa.RecordBatch]:
        yield from self.kept
        for i in range(self.n):
            with pa.memory_map(str(self.dir / f"{i:06d}.arrow")) as source:
                reader = pa.ipc.open_file(source)
                for j in range(reader.num_record_batches):
                    yield reader.get_batch(j)

    def staged_among(self, source_paths: Set[str]) -> set[str]:
        """Those of `source_paths` that some copy of this run was staged from."""
        if not source_paths:
            return set()
        wanted = pa.array(list(source_paths), pa.string())
        out: set[str] = set()
        for b in self._batches():
            hit = b.column("source_path").filter(pc.is_in(b.column("source_path"), value_set=wanted))
            out.update(hit.to_pylist())
        return out

    def paths_of(self, bases: Set[str]) -> dict[str, str]:
        """staged id -> source_path of every copy of the documents `bases` (claimed ids)."""
        if not bases:
            return {}
        wanted = pa.array(list(bases), pa.string())
        out: dict[str, str] = {}
        for b in self._batches():
            ids = b.column("doc_id")
            base = pc.list_element(pc.split_pattern(ids, COPY_SEP, max_splits=1), 0)     # `claimed`
            keep = pc.is_in(base, value_set=wanted)
            out.update(zip(ids.filter(keep).to_pylist(), b.column("source_path").filter(keep).to_pylist()))
        return out
