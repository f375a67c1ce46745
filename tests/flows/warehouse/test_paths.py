"""Lookups by path in Arrow columns (`flows.warehouse.paths`), the flow's per-file state."""
from __future__ import annotations

import random

import pyarrow as pa
import pytest

from flows.warehouse import paths as paths_mod
from flows.warehouse.paths import PathIndex, PathTable


def _paths(n: int) -> list[str]:
    rng = random.Random(7)
    return sorted({f"/in/{rng.randrange(10**6):06d}/é-{i}.txt" for i in range(n)})


@pytest.mark.parametrize("collide", [False, True], ids=["python-hash", "every-hash-collides-by-length"])
def test_finds_every_path_and_nothing_else(monkeypatch, collide):
    if collide:                     # many paths share a hash: told apart by the path itself
        monkeypatch.setattr(paths_mod, "_hash", len)
    values = _paths(3000)
    index = PathIndex(pa.chunked_array([values[:1000], values[1000:]], pa.string()))
    assert [index.find(p) for p in values] == list(range(len(values)))
    absent = ["/in/x", values[0] + "x", values[-1][:-1], ""]
    assert [index.find(p) for p in absent] == [-1] * len(absent)
    query = [values[5], "/nope", values[2999], values[5]]
    assert index.find_many(query) == [5, -1, 2999, 5]


def test_empty_index_finds_nothing():
    index = PathIndex(pa.array([], pa.string()))
    assert index.find("/a") == -1 and index.find_many(["/a", "/b"]) == [-1, -1] and index.find_many([]) == []


def test_path_table_values_and_rows():
    t = PathTable(pa.table({"path": ["/b", "/a"], "size": [2, 1]}))
    assert "/a" in t and "/c" not in t
    assert t.value(t.find("/b"), "size") == 2 and t.record(t.find("/a")) == {"path": "/a", "size": 1}
    assert [r["path"] for r in t.rows(slice_rows=1)] == ["/b", "/a"]


@pytest.mark.parametrize("positions", [[], [0], [4, 0, 9, 3, 3], list(range(10))[::-1], [7, 8, 9]])
def test_take_rows_equals_take_on_chunked_data(positions):
    from flows.warehouse.paths import take_rows
    import numpy as np
    chunks = [pa.record_batch([pa.array([f"p{i}" for i in range(a, b)], pa.string()), pa.array(list(range(a, b)), pa.int64())],
                              names=["path", "n"]) for a, b in ((0, 3), (3, 3), (3, 8), (8, 10))]
    table = pa.Table.from_batches(chunks)
    want = table.take(pa.array(positions, pa.int64()))
    assert take_rows(table, np.array(positions)).equals(want)
    assert take_rows(table.column("path"), np.array(positions)).to_pylist() == want.column("path").to_pylist()
