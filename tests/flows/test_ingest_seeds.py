"""End to end: the real `ingest` flow on the three seeds plus broken files, into tmp_path."""
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.prefect]


@pytest.fixture(scope="module")
def run(prefect_harness, seeds_dir, tmp_path_factory):
    from flows.ingest import ingest
    bad = tmp_path_factory.mktemp("bad")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    wh = tmp_path_factory.mktemp("wh") / "warehouse"
    first = ingest(sources=[str(seeds_dir), str(bad)], warehouse=str(wh), workers=1)
    second = ingest(sources=[str(seeds_dir), str(bad)], warehouse=str(wh), workers=1)
    return wh, first, second, bad


def test_tables_read_back_with_pandas(run):
    wh, first, _, _ = run
    docs = pd.read_parquet(wh / "documents")
    paras = pd.read_parquet(wh / "paragraphs")
    ents = pd.read_parquet(wh / "entities")
    assert sorted(docs.doc_id) == ["001_50d1334280565029", "06PARIS5734", "XXALMATY4123"]
    assert len(paras) == docs.n_paragraphs.sum()
    assert set(paras.doc_id) == set(docs.doc_id) and set(ents.doc_id) <= set(docs.doc_id)
    rows = first["snapshot"]["rows"]
    assert rows["documents"] == 3 and rows["paragraphs"] == len(paras) and rows["entities"] == len(ents)


def test_partition_paths(run):
    wh = run[0]
    assert list((wh / "documents" / "doc_type=cable" / "year=2006").glob("*.parquet"))
    assert list((wh / "documents" / "doc_type=cable" / "year=unknown").glob("*.parquet"))
    assert list((wh / "documents" / "doc_type=email" / "year=2012").glob("*.parquet"))
    assert list((wh / "paragraphs" / "doc_type=cable" / "year=2006").glob("*.parquet"))


def test_seed_values_survive_the_round_trip(run):
    docs = pd.read_parquet(run[0] / "documents").set_index("doc_id")
    paris = docs.loc["06PARIS5734"]
    assert paris.date == pd.Timestamp(dt.datetime(2006, 8, 25, 17, 16, tzinfo=dt.UTC))
    assert paris.origin == "Embassy Paris" and paris.classification == "CONFIDENTIAL"
    assert list(paris.tags) == ["PREL", "KZ", "KDEM", "PGOV", "PHUM", "OSCE", "FR"]
    assert list(paris.references) == ["06STATE139361"]
    assert paris.classified_by == "Josiah Rosenblatt" and paris.signer == "Rosenblatt"
    almaty = docs.loc["XXALMATY4123"]
    assert str(almaty.year) == "unknown" and bool(almaty.is_partial)
    email = docs.loc["001_50d1334280565029"]
    assert email.sender["address"] == "abedinh@state.gov"
    assert email.sent == pd.Timestamp("2012-01-13 23:50")
    assert list(email.foia_exemptions) == ["B5"]
    paras = pd.read_parquet(run[0] / "paragraphs")
    marks = paras[(paras.doc_id == "XXALMATY4123") & paras.para_number.notna()]
    assert list(marks.sort_values("para_index").para_number) == [1, 2, 3, 4, 5, 6, 7]


def test_every_input_is_in_the_ledger(run):
    wh, first, second, bad = run
    ledger = pd.read_parquet(wh / "ledger")
    one = ledger[ledger.run_id == first["run_id"]]
    assert len(one) == 5 and one.path.is_unique
    by_name = {Path(p).name: row for p, row in zip(one.path, one.itertuples())}
    assert by_name["empty.txt"].status == "failed" and "empty" in by_name["empty.txt"].error
    assert by_name["picture.txt"].status == "failed" and "binary" in by_name["picture.txt"].error
    assert all(by_name[n].status == "loaded" for n in by_name if n not in ("empty.txt", "picture.txt"))
    q = pd.read_parquet(wh / "quarantine")
    assert {Path(k).name for k in q[q.run_id == first["run_id"]].key} == {"empty.txt", "picture.txt"}


def test_second_run_skips_unchanged_files_and_changes_nothing(run):
    wh, first, second, _ = run
    ledger = pd.read_parquet(wh / "ledger")
    again = ledger[ledger.run_id == second["run_id"]]
    assert sorted(again.status) == ["failed", "failed", "unchanged", "unchanged", "unchanged"]
    assert second["docs_written"] == 0
    docs = pd.read_parquet(wh / "documents")
    assert len(docs) == 3 and set(docs.run_id) == {first["run_id"]}


def test_report_written(run):
    report = Path(run[2]["report"])
    assert report.exists() and (report.parent.parent / "latest" / "index.html").exists()
    assert "pouch data-quality report" in report.read_text()
