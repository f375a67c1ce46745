"""How a run's files are cut into batch tasks (`flows.ingest.balanced_files`)."""
from __future__ import annotations

import pytest

from flows.ingest import MIN_BALANCED_FILES, balanced_files


@pytest.mark.parametrize(("files", "max_files", "workers", "per_batch", "batches"), [
    pytest.param(5000, 1000, 2, 834, 6, id="5000-on-2-workers-6-even-batches"),
    pytest.param(4000, 1000, 2, 1000, 4, id="already-even"),
    pytest.param(100_000, 1000, 2, 1000, 100, id="100k"),
    pytest.param(1500, 1000, 2, 750, 2, id="two-halves"),
    pytest.param(600, 1000, 2, 300, 2, id="small-run-still-uses-both-cores"),
    pytest.param(5000, 1000, 1, 1000, 5, id="one-worker-unchanged"),
    pytest.param(150, 1000, 2, 1000, 1, id="tiny-run-one-batch"),
    pytest.param(31, 8, 2, 8, 4, id="explicit-small-batches-kept"),
])
def test_batches_even_out_over_the_workers(files, max_files, workers, per_batch, batches):
    got = balanced_files(files, max_files, workers)
    assert got == per_batch
    assert -(-files // got) == batches
    assert got <= max_files and (got >= min(max_files, MIN_BALANCED_FILES) or files <= MIN_BALANCED_FILES)


def test_batches_are_made_from_columns_as_they_are_asked_for(tmp_path):
    """The files a run reads are columns (`Items`, mapped from the run's staging); batches come
    out one at a time, cut by count and bytes as from a list of WorkItems."""
    import itertools

    import pyarrow as pa

    from flows.batch import WorkItem
    from flows.ingest import _batches
    from flows.warehouse.incremental import ITEMS, Items
    from flows.warehouse.spill import spilled

    rows = [(f"/in/{i:05d}.txt", 10 + i % 7, None if i % 3 else f"{i:064x}") for i in range(70_000)]
    table = pa.Table.from_arrays([pa.array(c) for c in zip(*rows)], schema=ITEMS)
    items = Items(*spilled(table, tmp_path / "items"))
    want = [WorkItem(p, size, sha) for p, size, sha in rows]
    assert len(items) == 70_000 and list(items) == want
    lazy = _batches(iter(items), 1000, 5_000)
    first = next(lazy)                                  # nothing more is made than asked for
    assert first == want[:len(first)] and 0 < len(first) <= 1000 and sum(i.size for i in first) <= 5_000
    assert [first, *lazy] == list(_batches(want, 1000, 5_000))
    items.clear()
    assert len(items) == 0 and list(items) == []
    assert list(itertools.islice(_batches([], 10, 10), 1)) == []
