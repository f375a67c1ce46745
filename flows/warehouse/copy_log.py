"""Where each staged copy of a run came from (staged doc_id -> source_path), kept off the heap.

The merge asks for it twice, for few documents (those with 2+ copies, committed sources or a
source leaving), while every document of the run adds a row: held as a Python dict it cost ~200
bytes a document in the flow process (200 MB at a million documents). Rows go to a mapped Arrow
file in the run's staging directory (`flows.warehouse.spill`; in memory when the merger has no
staging directory), and are scanned with Arrow compute when asked.
"""
from __future__ import annotations

from collections.abc import Iterator, Set
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .copies import COPY_SEP
from .spill import Spill

_SCHEMA = pa.schema([("doc_id", pa.string()), ("source_path", pa.string())])


class CopyLog:
    def __init__(self, directory: Path | None) -> None:
        self.rows = Spill(_SCHEMA, directory / "copies" if directory is not None else None)

    def add(self, doc_ids: pa.ChunkedArray, source_paths: pa.ChunkedArray) -> None:
        """Record the staged ids of one batch's copies and their sources."""
        if len(doc_ids):
            self.rows.write(pa.record_batch([doc_ids.combine_chunks(), source_paths.combine_chunks()], schema=_SCHEMA))

    def _batches(self) -> Iterator[pa.RecordBatch]:
        yield from self.rows.table().to_batches()
        self.rows.evict()

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

    def claimed_ids(self) -> pa.Array:
        """The claimed id of every staged copy (`claimed`), once each."""
        parts = [pc.unique(_claimed(b.column("doc_id"))) for b in self._batches()]
        return pc.unique(pa.chunked_array(parts, pa.string())) if parts else pa.array([], pa.string())

    def paths_of(self, bases: Set[str]) -> dict[str, str]:
        """staged id -> source_path of every copy of the documents `bases` (claimed ids)."""
        if not bases:
            return {}
        wanted = pa.array(list(bases), pa.string())
        out: dict[str, str] = {}
        for b in self._batches():
            ids = b.column("doc_id")
            keep = pc.is_in(_claimed(ids), value_set=wanted)
            out.update(zip(ids.filter(keep).to_pylist(), b.column("source_path").filter(keep).to_pylist()))
        return out


def _claimed(ids: pa.Array) -> pa.Array:
    """`copies.claimed` of each of `ids`."""
    return pc.list_element(pc.split_pattern(ids, COPY_SEP, max_splits=1), 0)
