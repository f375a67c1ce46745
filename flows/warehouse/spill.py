"""Arrow tables the flow process keeps for a whole run, held in files of the run's staging and
memory-mapped, so that the operating system, not the process, holds them between uses.

The per-file state of a run (the files found, the `files` rows of the snapshot, the new rows of
the files read) is read in bursts: when the run is planned, when a batch's ledger rows come in
(a few rows), when the run settles. In between, a million files' worth (~0.5 GB) would sit in
the flow process. Here it is an Arrow IPC file, mapped read-only: reading it is zero-copy, and
`evict` hands its pages back (`MADV_DONTNEED`: they leave the process; the page cache keeps them
while memory allows, and the next read maps them in again). With no directory (tests, tools)
the tables stay in memory.
"""
from __future__ import annotations

import mmap
from pathlib import Path

import pyarrow as pa


_DONTNEED = getattr(mmap, "MADV_DONTNEED", None) if hasattr(mmap.mmap, "madvise") else None


class Spill:
    """A table written in pieces (`write`), read back whole (`table`), mapped from its files."""

    def __init__(self, schema: pa.Schema, path: Path | None = None) -> None:
        self.schema = schema
        self.path = path                    # None: in memory
        self._pieces: list[pa.Table] = []   # in memory, or mapped parts already closed
        self._writer: pa.ipc.RecordBatchFileWriter | None = None
        self._sink: pa.NativeFile | None = None
        self._maps: list[mmap.mmap] = []
        self._parts = 0
        self.rows = 0

    def write(self, data: pa.Table | pa.RecordBatch) -> None:
        if not data.num_rows:
            return
        self.rows += data.num_rows
        if self.path is None:
            self._pieces.append(pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data)
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._sink = pa.OSFile(str(self._part_path(self._parts)), "wb")
            self._writer = pa.ipc.new_file(self._sink, self.schema)
        self._writer.write(data)

    def _part_path(self, n: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{n}")

    def _seal(self) -> None:
        """Close the part being written and map it (a later `write` starts another part)."""
        if self._writer is None:
            return
        self._writer.close()
        self._sink.close()
        self._writer = self._sink = None
        with open(self._part_path(self._parts), "rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._maps.append(mm)
        self._pieces.append(pa.ipc.open_file(pa.py_buffer(mm)).read_all())     # zero-copy
        self._parts += 1

    def table(self) -> pa.Table:
        """Everything written so far, as one table (chunked by piece; mapped, not copied)."""
        self._seal()
        return pa.concat_tables([self.schema.empty_table(), *self._pieces])

    def evict(self) -> None:
        """Give the mapped pages back to the operating system (read again on the next use). Where
        `madvise` is missing (Windows) the pages stay until the system needs them."""
        if _DONTNEED is None:
            return
        for mm in self._maps:
            mm.madvise(_DONTNEED)


def spilled(table: pa.Table | pa.RecordBatchReader, path: Path | None) -> tuple[pa.Table, Spill]:
    """`table` (or a stream of batches) held in a mapped file at `path` (in memory when None)."""
    spill = Spill(table.schema, path)
    batches = table.to_batches(max_chunksize=65_536) if isinstance(table, pa.Table) else table
    for batch in batches:
        spill.write(batch)
    return spill.table(), spill
