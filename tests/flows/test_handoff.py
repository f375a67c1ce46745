"""A batch's tables from local worker processes to the flow process through files (`flows.handoff`):
the same tables come back, nothing is left behind, and a run on local worker processes gives the
warehouse the same run gives in one process."""
from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest

from flows.batch import WorkItem, run_batch
from flows.config import Limits
from flows.handoff import FOLDER, park, run_batch_parked, unpark
from flows.samples import sample_files
from tests.flows.bad_inputs import cable


def _cables(folder: Path, n: int) -> list[WorkItem]:
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for k in range(n):
        p = folder / f"c{k}.txt"
        p.write_text(cable(7100 + k))
        items.append(WorkItem(str(p), p.stat().st_size))
    return items


def test_parked_tables_come_back_equal_and_leave_nothing(tmp_path):
    items = _cables(tmp_path / "in", 5)
    direct = run_batch(items, "r1")
    parked = run_batch_parked(str(tmp_path / FOLDER), items, "r1", Limits())
    assert parked.documents is None and parked.parked is not None
    assert len(list((tmp_path / FOLDER).iterdir())) == 3
    sent = pickle.dumps(parked)                              # what crosses the pipe: no table bytes
    tables = sum(getattr(direct, t).nbytes for t in ("documents", "paragraphs", "entities"))
    assert len(pickle.dumps(direct)) - len(sent) >= 0.9 * tables
    back = unpark(pickle.loads(sent))
    assert list((tmp_path / FOLDER).iterdir()) == []        # deleted once mapped
    for name in ("documents", "paragraphs", "entities"):
        assert getattr(back, name).equals(getattr(direct, name)), name
    assert back.documents.num_rows == 5 and back.parked is None
    assert back.ledger == direct.ledger and back.stats == direct.stats
    assert back.documents.column("doc_id").to_pylist()[0].endswith("7100")   # readable after the unlink


def test_a_result_that_was_not_parked_is_taken_as_it_is(tmp_path):
    result = run_batch(_cables(tmp_path, 1), "r1")
    assert unpark(result) is result


def test_an_empty_batch_parks_too(tmp_path):
    result = unpark(park(run_batch([], "r1"), str(tmp_path)))
    assert result.documents.num_rows == result.entities.num_rows == 0
    assert list(tmp_path.iterdir()) == []


def _tables(wh: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for name, key in (("documents", ["doc_id"]), ("paragraphs", ["doc_id", "para_index"]),
                      ("entities", ["doc_id", "para_index", "char_start", "entity_type", "normalized"])):
        df = pd.read_parquet(wh / name).drop(columns=["run_id"], errors="ignore")
        out[name] = df.astype(str).sort_values(key).reset_index(drop=True)
    return out


@pytest.mark.prefect
@pytest.mark.slow
def test_local_worker_processes_give_the_single_process_warehouse(tmp_path, prefect_harness, monkeypatch):
    import flows.ingest
    from flows.ingest import ingest
    parked = []
    real_unpark = flows.ingest.unpark
    monkeypatch.setattr(flows.ingest, "unpark", lambda r: (parked.append(r.parked is not None), real_unpark(r))[1])
    src = tmp_path / "samples"
    for rel, data in sample_files().items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    _cables(src / "more", 6)
    runs = {}
    for workers in (1, 2):
        wh = tmp_path / f"wh{workers}"
        runs[workers] = ingest(sources=[str(src)], warehouse=str(wh), workers=workers, batch_files=3,
                               write_report_html=False, quarantine_threshold=1.0)
        assert not list(wh.rglob(FOLDER))                     # the tables' files went with the batches
    assert runs[1]["executor"]["kind"] == "in-process"
    assert runs[2]["executor"] == {"kind": "local-processes", "slots": 2} and runs[2]["batches"] >= 4
    assert runs[1]["docs_written"] == runs[2]["docs_written"] >= 10
    assert parked == [True] * runs[2]["batches"]                 # every batch's tables came through files
    one, two = _tables(tmp_path / "wh1"), _tables(tmp_path / "wh2")
    for name in one:
        pd.testing.assert_frame_equal(two[name], one[name], obj=name)
