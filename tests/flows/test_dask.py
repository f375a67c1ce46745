"""`--dask-address`: the batches of a run on a real Dask cluster (a `LocalCluster` of 2 worker
processes started here) give the warehouse that the same run gives in one process, table for table.

The inputs are real documents of the dev corpus (cables as text and WikiLeaks pages, emails) and a
cables.csv of 60 rows cut from the dev dump, with batches made small so that there are many of
them and the CSV is read in parts (`flows.csv_parts`) by both workers."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.prefect, pytest.mark.corpus, pytest.mark.slow]

KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
        "entities": ["doc_id", "para_index", "char_start", "char_end", "entity_type", "normalized"],
        "ledger": ["path"], "quarantine": ["table", "key", "expectation", "column"]}
#: Columns that name the run (its id, its clock) and so differ between two runs by design.
PER_RUN = {"run_id", "started_at", "finished_at"}
BATCH_FILES = 8
BATCH_BYTES = 100_000      # the 60-row CSV (~350 KB) is cut into 4 parts


@pytest.fixture(autouse=True)
def _no_heartbeat_thread(prefect_harness):
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture
def sources(corpus_dir, tmp_path) -> list[Path]:
    from flows.csv_parts import raw_lines, record_ends
    dump = (corpus_dir / "cables" / "csv" / "cables_csv_slice_dev.csv").read_bytes()
    ends = [end for end, _ in record_ends(raw_lines([dump]))]
    csv = tmp_path / "in" / "cables60.csv"
    csv.parent.mkdir()
    csv.write_bytes(dump[:ends[59]])
    picked = [*sorted((corpus_dir / "cables" / "txt_fulltext").glob("*.txt"))[:12],
              *sorted((corpus_dir / "cables" / "html_wl2011").glob("*.htm*"))[:6],
              *sorted((corpus_dir / "emails").rglob("*.txt"))[:12]]
    assert len(picked) == 30
    return [*picked, csv]


def _ingest(sources: list[Path], wh: Path, **kw) -> dict:
    from flows.ingest import ingest
    return ingest(sources=[str(s) for s in sources], warehouse=str(wh), write_report_html=False,
                  batch_files=BATCH_FILES, batch_bytes=BATCH_BYTES, quarantine_threshold=1.0, **kw)


def _table(wh: Path, name: str) -> pd.DataFrame:
    df = pd.read_parquet(wh / name)
    df = df.drop(columns=[c for c in df.columns if c in PER_RUN])
    for c in ("doc_type", "year"):
        if c in df:
            df[c] = df[c].astype(str)
    return df.sort_values(KEYS[name]).reset_index(drop=True).astype(str)


def test_dask_cluster_gives_the_single_process_warehouse(sources, tmp_path, cluster):
    one = _ingest(sources, tmp_path / "one", workers=1)
    on_dask = _ingest(sources, tmp_path / "dask", dask_address=cluster.scheduler_address)

    assert one["executor"] == {"kind": "in-process", "slots": 1}
    assert on_dask["executor"] == {"kind": "dask", "slots": 2}
    assert on_dask["batches"] == one["batches"] >= 8          # 31 files in batches of 8, 4 CSV parts
    run_batch = cluster.scheduler.task_prefixes["run_batch"]
    assert run_batch.state_counts["memory"] == on_dask["batches"]      # every batch ran on the cluster
    assert cluster.scheduler.task_prefixes["split_csv"].state_counts["memory"] == 1
    assert one["docs_written"] == on_dask["docs_written"] >= 80
    for name in KEYS:
        pd.testing.assert_frame_equal(_table(tmp_path / "dask", name), _table(tmp_path / "one", name), obj=name)
    csv_row = _table(tmp_path / "dask", "ledger").set_index("path").loc[str(sources[-1])]
    assert csv_row["status"] == "loaded" and int(csv_row["n_docs"]) == 60     # one ledger row for 4 parts


def test_dask_workers_run_without_prefect(cluster, corpus_dir):
    """The worker side is plain functions of `flows.batch` / `flows.csv_parts`: a worker needs the
    pouch package, not Prefect nor its API."""
    from distributed import Client

    from flows.batch import WorkItem, run_batch
    doc = sorted((corpus_dir / "emails").rglob("*.txt"))[0]
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        result = client.submit(run_batch, [WorkItem(str(doc), doc.stat().st_size)], "r1", pure=False).result()
        loaded = client.run(lambda: ("flows.batch" in sys.modules, "prefect" in sys.modules))
    assert result.documents.num_rows == 1
    assert any(v[0] for v in loaded.values()), loaded                  # the batch ran on a worker...
    assert not any(v[1] for v in loaded.values()), loaded              # ...that never imported Prefect
