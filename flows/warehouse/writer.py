"""Staging writer: batches in, one Parquet file per partition per run out.

Batches arrive in any order and spread over many (doc_type, year) partitions: a batch of 1,000
documents gives a few dozen rows to each. Writing those as Parquet row groups as they come would
make thousands of tiny row groups, and a row group has a fixed cost (a zstd context per column:
~5 ms for the 76 columns of `documents` however few its rows), while buffering them in memory
until they make good row groups would hold hundreds of MB. So each partition's rows are first
appended to a spool file (Arrow IPC, uncompressed: a copy to the page cache) and written as one
row group of about `ROW_GROUP_BYTES` when the spool is that big, or at the end of the run, into
one open Parquet file per partition (a new one past `MAX_FILE_ROWS` / `MAX_FILE_BYTES`). Memory
stays flat whatever the number of documents; a run makes few, well-sized files.

A batch is cut into its partitions by sorting it once on the partition columns and slicing (a
filter per partition scans the whole batch once per partition). Long text columns are written
without dictionary encoding and min/max statistics, which cost time and help nothing there.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.schema import Table

from ..trace import traced

#: A partition's spool is written as a row group past this many Arrow bytes (on disk: 3-10 times less).
#: Writing one maps the spool's pages into the flow process: measured on 10^5 documents, a row
#: group of 64 MiB raised the flow's RSS by 60-80 MiB while it was written, one of 32 MiB by 20-58.
ROW_GROUP_BYTES = 32 * 2**20
ROW_GROUP_ROWS = 1024 * 1024                # rows per row group, at most
#: A partition file is closed and a new one started past this many rows or Arrow bytes.
MAX_FILE_ROWS = 4 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 2**20
#: A string column whose values average more than this many bytes is long text (see module doc).
LONG_TEXT_BYTES = 64
SPOOL = ".spool"
#: Write buffer of a spool file. Every partition that has rows waiting holds one, so it is a cost
#: per partition, not per document: 240 partitions held 82 MiB with 256 KiB buffers, 22 with 64.
#: A batch gives a partition ~0.6 MB of documents at most, so 64 KiB still writes in large pieces.
SPOOL_BUFFER = 64 * 1024


@dataclass
class _Partition:
    rel_dir: str
    index: int = 0
    spool: pa.ipc.RecordBatchStreamWriter | None = None
    sink: pa.NativeFile | None = None
    spool_path: Path | None = None
    rows_buffered: int = 0
    bytes_buffered: int = 0
    writer: pq.ParquetWriter | None = None
    file_rows: int = 0
    file_bytes: int = 0
    part: int = 0
    current: str | None = None


@dataclass
class WrittenFile:
    path: str        # relative to the table directory
    rows: int
    final: bool = False   # rows of merged documents: the commit never filters them (`delete_staged`)


class StagingWriter:
    def __init__(self, table: Table, directory: Path, run_id: str, *, final: bool = False) -> None:
        self.table = table
        self.dir = directory
        self.run_id = run_id
        self.final = final          # its files hold merged documents (named part-<run>-m<n>)
        self.schema = table.file_schema
        self.parts: dict[tuple[str, ...], _Partition] = {}
        self.written: list[WrittenFile] = []
        self.rows = 0
        self._options: dict | None = None          # Parquet options, set at the first row group

    def _rel_dir(self, key: tuple[str, ...]) -> str:
        return "/".join(f"{c}={v}" for c, v in zip(self.table.partition_by, key))

    def write(self, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        self.rows += data.num_rows
        per_row = data.nbytes / data.num_rows        # (a slice's own nbytes costs ~0.1 ms to count)
        for key, rows in self._split(data):
            rows = rows.select(self.schema.names)
            self._buffer(key, rows if rows.schema == self.schema else rows.cast(self.schema), per_row)

    def _split(self, data: pa.Table) -> list[tuple[tuple[str, ...], pa.Table]]:
        """The rows of each partition: sorted once by the partition columns, then sliced."""
        cols = list(self.table.partition_by)
        if not cols:
            return [((), data)]
        if any(data.column(c).null_count for c in cols):     # not expected; the slow way is right too
            keys = data.select(cols).group_by(cols).aggregate([]).to_pylist()
            return [(tuple(k[c] for c in cols),
                     data.filter(pc.and_kleene(*[pc.equal(data.column(c), k[c]) for c in cols])
                                 if len(cols) > 1 else pc.equal(data.column(cols[0]), k[cols[0]])))
                    for k in keys]
        data = data.take(pc.sort_indices(data.select(cols), [(c, "ascending") for c in cols]))
        change = None
        for c in cols:
            col = data.column(c)
            diff = pc.not_equal(col.slice(1), col.slice(0, len(col) - 1))
            change = diff if change is None else pc.or_(change, diff)
        starts = [0, *(i + 1 for i in pc.indices_nonzero(change).to_pylist())] if change is not None else [0]
        ends = [*starts[1:], data.num_rows]
        return [(tuple(data.column(c)[a].as_py() for c in cols), data.slice(a, b - a)) for a, b in zip(starts, ends)]

    def _buffer(self, key: tuple[str, ...], data: pa.Table, per_row: float) -> None:
        part = self.parts.get(key)
        if part is None:
            part = self.parts[key] = _Partition(self._rel_dir(key), index=len(self.parts))
        if part.spool is None:
            spool_dir = self._spool_dir()
            spool_dir.mkdir(parents=True, exist_ok=True)
            part.spool_path = spool_dir / f"{part.index}.arrows"
            part.sink = pa.output_stream(str(part.spool_path), buffer_size=SPOOL_BUFFER)
            part.spool = pa.ipc.new_stream(part.sink, self.schema)
        part.spool.write_table(data)
        part.rows_buffered += data.num_rows
        part.bytes_buffered += round(per_row * data.num_rows)
        if part.bytes_buffered >= ROW_GROUP_BYTES or part.rows_buffered >= ROW_GROUP_ROWS:
            self._flush(part)

    def _parquet_options(self, sample: pa.Table) -> dict:
        """zstd; dictionaries and statistics for every column but long text (decided once per table
        from the first rows written, so every file of the table is written alike)."""
        if self._options is None:
            long = [f.name for f in sample.schema
                    if (pa.types.is_string(f.type) or pa.types.is_large_string(f.type)) and sample.num_rows
                    and sample.column(f.name).nbytes / sample.num_rows > LONG_TEXT_BYTES]
            short = [n for n in sample.column_names if n not in long]
            self._options = {"compression": "zstd", "use_dictionary": short or False,
                             "write_statistics": short or False}
        return self._options

    def _flush(self, part: _Partition) -> None:
        if not part.rows_buffered:
            return
        part.spool.close()
        part.sink.close()
        with (traced("flush", table=self.table.name, partition=part.rel_dir, rows=part.rows_buffered,
                     arrow_bytes=part.bytes_buffered),
              pa.memory_map(str(part.spool_path)) as src):
            data = pa.ipc.open_stream(src).read_all()      # zero-copy: pages of the spool file
            self._write_group(part, data, part.bytes_buffered)
            del data
        part.spool_path.unlink()
        part.spool, part.sink, part.spool_path, part.rows_buffered, part.bytes_buffered = None, None, None, 0, 0

    def _write_group(self, part: _Partition, data: pa.Table, size: int) -> None:
        if part.writer is not None and (part.file_rows + data.num_rows > MAX_FILE_ROWS
                                        or part.file_bytes + size > MAX_FILE_BYTES):
            self._close(part)
        if part.writer is None:
            name = f"part-{self.run_id}-{'m' if self.final else ''}{part.part}.parquet"
            part.current = f"{part.rel_dir}/{name}" if part.rel_dir else name
            path = self.dir / part.current
            path.parent.mkdir(parents=True, exist_ok=True)
            part.writer = pq.ParquetWriter(path, self.schema, **self._parquet_options(data))
            part.part += 1
        part.writer.write_table(data, row_group_size=ROW_GROUP_ROWS)
        part.file_rows += data.num_rows
        part.file_bytes += size

    def _close(self, part: _Partition) -> None:
        if part.writer is None:
            return
        path = self.dir / part.current
        with traced("close", table=self.table.name, partition=part.rel_dir, rows=part.file_rows):
            part.writer.close()
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        self.written.append(WrittenFile(part.current, part.file_rows, self.final))
        part.writer, part.file_rows, part.file_bytes, part.current = None, 0, 0, None

    def close(self) -> list[WrittenFile]:
        for part in self.parts.values():
            self._flush(part)
            self._close(part)
        if self._spool_dir().exists():
            self._spool_dir().rmdir()
        return self.written

    def _spool_dir(self) -> Path:
        # the merge's writer of final files shares the table directory with the run's own writer
        return self.dir / (f"{SPOOL}-merged" if self.final else SPOOL)
