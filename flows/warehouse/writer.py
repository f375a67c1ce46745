"""Staging writer: batches in, one Parquet file per partition per run out.

Batches arrive in any order and spread over many (doc_type, year) partitions. Rows are buffered per
partition and written as row groups of `ROW_GROUP_ROWS` into one open file per partition, so a run
makes few, well-sized files however small its batches are; when the buffers together pass
`MAX_BUFFERED_ROWS`, the largest are flushed early, which keeps memory flat.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.schema import Table

ROW_GROUP_ROWS = 64 * 1024
MAX_BUFFERED_ROWS = 512 * 1024
#: A partition file is closed and a new one started past this many rows.
MAX_FILE_ROWS = 4 * 1024 * 1024


@dataclass
class _Partition:
    rel_dir: str
    buffered: list[pa.Table] = field(default_factory=list)
    rows_buffered: int = 0
    writer: pq.ParquetWriter | None = None
    file_rows: int = 0
    part: int = 0
    current: str | None = None


@dataclass
class WrittenFile:
    path: str        # relative to the table directory
    rows: int


class StagingWriter:
    def __init__(self, table: Table, directory: Path, run_id: str) -> None:
        self.table = table
        self.dir = directory
        self.run_id = run_id
        self.schema = table.file_schema
        self.parts: dict[tuple[str, ...], _Partition] = {}
        self.written: list[WrittenFile] = []
        self.rows = 0

    def _rel_dir(self, key: tuple[str, ...]) -> str:
        return "/".join(f"{c}={v}" for c, v in zip(self.table.partition_by, key))

    def write(self, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        self.rows += data.num_rows
        if not self.table.partition_by:
            self._buffer((), data)
        else:
            keys = data.select(list(self.table.partition_by)).group_by(list(self.table.partition_by)).aggregate([])
            for row in keys.to_pylist():
                mask = None
                for c in self.table.partition_by:
                    m = pc.equal(data.column(c), row[c])
                    mask = m if mask is None else pc.and_(mask, m)
                self._buffer(tuple(row[c] for c in self.table.partition_by), data.filter(mask))
        if sum(p.rows_buffered for p in self.parts.values()) > MAX_BUFFERED_ROWS:
            for p in sorted(self.parts.values(), key=lambda p: -p.rows_buffered)[:max(1, len(self.parts) // 4)]:
                self._flush(p)

    def _buffer(self, key: tuple[str, ...], data: pa.Table) -> None:
        part = self.parts.get(key)
        if part is None:
            part = self.parts[key] = _Partition(self._rel_dir(key))
        part.buffered.append(data.select(self.schema.names).cast(self.schema))
        part.rows_buffered += data.num_rows
        if part.rows_buffered >= ROW_GROUP_ROWS:
            self._flush(part)

    def _flush(self, part: _Partition) -> None:
        if not part.rows_buffered:
            return
        data = pa.concat_tables(part.buffered)
        part.buffered, part.rows_buffered = [], 0
        if part.writer is not None and part.file_rows + data.num_rows > MAX_FILE_ROWS:
            self._close(part)
        if part.writer is None:
            name = f"part-{self.run_id}-{part.part}.parquet"
            part.current = f"{part.rel_dir}/{name}" if part.rel_dir else name
            path = self.dir / part.current
            path.parent.mkdir(parents=True, exist_ok=True)
            part.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
            part.part += 1
        part.writer.write_table(data, row_group_size=ROW_GROUP_ROWS)
        part.file_rows += data.num_rows

    def _close(self, part: _Partition) -> None:
        if part.writer is None:
            return
        part.writer.close()
        path = self.dir / part.current
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        self.written.append(WrittenFile(part.current, part.file_rows))
        part.writer, part.file_rows, part.current = None, 0, None

    def close(self) -> list[WrittenFile]:
        for part in self.parts.values():
            self._flush(part)
            self._close(part)
        return self.written
