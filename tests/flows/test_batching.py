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
