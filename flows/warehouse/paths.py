"""Lookups by path in Arrow tables of a million files, without a Python object per file.

The flow process keeps such tables for a whole run: the `files` rows of the current snapshot, the
files discovery found, the new rows of the files read. As dicts of records they took ~0.6 KB and
~0.2 KB a file (1.7 GB of the flow process at 10^6 files); as Arrow columns they take what their
values take (~0.25 KB and ~0.1 KB a file, in mapped files: `flows.warehouse.spill`), and the
`PathIndex` that finds a path in them 12 bytes a file of the process's own memory.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa

#: Paths turned into Python strings at a time while hashing (bounded: a slice, never the column).
HASH_SLICE = 65_536


#: Python's string hash: stable within a process, and the index never leaves it.
_hash = hash


def _hashes(paths: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(_hash, paths), np.int64, len(paths))


class PathIndex:
    """Row positions of the paths of an Arrow string column. The strings stay in Arrow; the index
    is their hashes, sorted, with the positions. Python's `hash` of a string is stable within a
    process (and the index never leaves it); equal hashes are told apart by the path itself."""

    def __init__(self, paths: pa.Array | pa.ChunkedArray) -> None:
        self.paths = paths                  # chunks as they are: a mapped table is not copied
        n = len(paths)
        h = np.empty(n, np.int64)
        for start in range(0, n, HASH_SLICE):
            part = paths.slice(start, HASH_SLICE).to_pylist()
            h[start:start + len(part)] = _hashes(part)
        order = np.argsort(h, kind="stable")
        self._hashes = h[order]
        self._order = order.astype(np.int32 if n < 2**31 else np.int64)

    def __len__(self) -> int:
        return len(self.paths)

    def _at(self, i: int, h: int, path: str) -> int:
        n = len(self._hashes)
        while i < n and self._hashes[i] == h:
            pos = int(self._order[i])
            if self.paths[pos].as_py() == path:
                return pos
            i += 1
        return -1

    def find(self, path: str) -> int:
        """The row of `path`, or -1."""
        h = _hash(path)
        return self._at(int(np.searchsorted(self._hashes, h)), h, path) if len(self._hashes) else -1

    def find_many(self, paths: Sequence[str]) -> list[int]:
        """`find` of every path (one vectorized search)."""
        if not len(self._hashes) or not paths:
            return [-1] * len(paths)
        h = _hashes(paths)
        starts = np.searchsorted(self._hashes, h).tolist()
        return [self._at(i, hk, p) for i, hk, p in zip(starts, h.tolist(), paths)]


class PathTable:
    """An Arrow table with a `path` column, looked up by path; `spill` is the file it is mapped
    from (`flows.warehouse.spill.Spill`), None when it is in memory."""

    def __init__(self, table: pa.Table, spill=None) -> None:
        self.table = table
        self.spill = spill
        self.index = PathIndex(table.column("path"))
        self._columns = {name: table.column(name) for name in table.column_names}

    def evict(self) -> None:
        """Hand the mapped pages back to the operating system (see `Spill.evict`)."""
        if self.spill is not None:
            self.spill.evict()

    def __len__(self) -> int:
        return self.table.num_rows

    def __contains__(self, path: str) -> bool:
        return self.index.find(path) >= 0

    def find(self, path: str) -> int:
        return self.index.find(path)

    def value(self, pos: int, column: str):
        return self._columns[column][pos].as_py()

    def record(self, pos: int) -> dict:
        """Row `pos` as a dict of Python values."""
        return {name: col[pos].as_py() for name, col in self._columns.items()}

    def rows(self, slice_rows: int = HASH_SLICE) -> Iterator[dict]:
        """Every row as a dict, a slice of the table at a time."""
        for start in range(0, self.table.num_rows, slice_rows):
            yield from self.table.slice(start, slice_rows).to_pylist()



def take_rows(data: pa.Table | pa.ChunkedArray, positions: np.ndarray) -> pa.Table | pa.ChunkedArray:
    """`data.take(positions)` a chunk at a time. Arrow concatenates the chunks of a string column
    before a take: on a mapped table of a million files that is a copy of the whole column (tens to
    hundreds of MB) to take a few rows."""
    positions = np.asarray(positions, dtype=np.int64)
    chunks = data.to_batches() if isinstance(data, pa.Table) else data.chunks
    if not len(positions) or not chunks:
        return data.slice(0, 0)
    order = np.argsort(positions, kind="stable")
    ordered = positions[order]
    ends = np.cumsum([len(c) for c in chunks])
    cuts = np.searchsorted(ordered, ends).tolist()      # positions [cuts[k-1], cuts[k]) are in chunk k
    pieces, lo = [], 0
    for chunk, first, hi in zip(chunks, [0, *ends[:-1].tolist()], cuts):
        if hi > lo:
            pieces.append(chunk.take(pa.array(ordered[lo:hi] - first)))
        lo = hi
    if isinstance(data, pa.Table):
        out = pa.Table.from_batches(pieces, schema=data.schema).combine_chunks()
    else:
        out = pa.chunked_array(pieces, type=data.type).combine_chunks()
    if np.any(order[1:] < order[:-1]):                  # not in order: put them back (a small table now)
        out = out.take(pa.array(np.argsort(order, kind="stable")))
    return out if isinstance(data, pa.Table) else pa.chunked_array([out])
