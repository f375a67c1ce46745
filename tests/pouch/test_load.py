"""`pouch.load`, `pouch.sql` and `pouch sql` on a small warehouse committed from hand-made rows (no
Prefect): dtypes, filters on the partition columns, one snapshot per session, the SQL views and
the command's outputs and errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import pouch
from flows.cli import app
from flows.warehouse.commit import commit
from flows.warehouse.store import Layout
from tests.flows.warehouse.test_store import para, rows, stage

UTC = dt.UTC
MESSAGE = {"message_index": 0, "message_hash": "h1", "sender": {"name": "H", "address": None, "raw": "H"},
           "to": [], "cc": [], "sent": dt.datetime(2009, 5, 4, 16, 11), "subject": "Re: bilat", "char_start": 0,
           "char_end": 4, "attachments": []}
DOCS = [
    {"doc_id": "04PARIS1", "doc_type": "cable", "year": "2004", "text": "text", "run_id": "r1", "n_sources": 1,
     "date": dt.datetime(2004, 6, 9, 9, 16, tzinfo=UTC), "doc_date": dt.date(2004, 6, 9), "tags": ["PREL", "FR"],
     "references": ["04STATE2"], "provenance": [("date", "dtg")], "subject": "FRANCE: TALKS"},
    {"doc_id": "XXALMATY4123", "doc_type": "cable", "year": "unknown", "text": "text", "run_id": "r1", "n_sources": 1},
    {"doc_id": "C05761181", "doc_type": "email", "year": "2009", "text": "text", "run_id": "r1", "n_sources": 1,
     "sent": dt.datetime(2009, 5, 4, 16, 11), "doc_date": dt.date(2009, 5, 4), "messages": [MESSAGE]},
]


def commit_run(root: Path, run_id: str, docs: list[dict]):
    layout = Layout(root)
    layout.ensure()
    paras = rows("paragraphs", [{**para(d["doc_id"], 0, d["year"], run_id), "doc_type": d["doc_type"],
                                 "para_number": None if d["doc_type"] == "email" else 1} for d in docs])
    return commit(layout, stage(layout, run_id, {"documents": rows("documents", docs), "paragraphs": paras}))


@pytest.fixture
def wh(tmp_path) -> Path:
    root = tmp_path / "warehouse"
    commit_run(root, "r1", DOCS)
    return root


def test_load_gives_analyst_dtypes(wh):
    docs = pouch.load("documents", warehouse=wh).set_index("doc_id")
    assert str(docs.year.dtype) == "Int16" and docs.year.loc["04PARIS1"] == 2004
    assert pd.isna(docs.year.loc["XXALMATY4123"])                     # `unknown`: NA, never a guessed year
    assert docs.doc_type.loc["04PARIS1"] == "cable" and not isinstance(docs.doc_type.dtype, pd.CategoricalDtype)
    assert docs.tags.loc["04PARIS1"] == ["PREL", "FR"] and isinstance(docs.tags.loc["04PARIS1"], list)
    assert docs.provenance.loc["04PARIS1"] == {"date": "dtg"}
    assert str(docs.date.dtype) == "datetime64[us, UTC]"             # DTG time: UTC
    assert docs.sent.dt.tz is None                                   # an email's Sent: time zone unknown
    assert docs.doc_date.loc["04PARIS1"] == pd.Timestamp("2004-06-09")
    assert docs.messages.loc["C05761181"][0]["sender"] == {"name": "H", "address": None, "raw": "H"}
    paras = pouch.load("paragraphs", warehouse=wh).set_index("doc_id")
    assert str(paras.para_number.dtype) == "Int32" and pd.isna(paras.para_number.loc["C05761181"])


@pytest.mark.parametrize("filters,expected", [
    pytest.param({"year": 2004}, ["04PARIS1"], id="year-as-int"),
    pytest.param({"year": None}, ["XXALMATY4123"], id="unknown-year-as-none"),
    pytest.param({"year": [2004, 2009]}, ["04PARIS1", "C05761181"], id="year-list"),
    pytest.param([("year", ">=", 2000)], ["04PARIS1", "C05761181"], id="range-leaves-unknown-out"),
    pytest.param([("year", "<", 2005)], ["04PARIS1"], id="below-leaves-unknown-out"),
    pytest.param([("year", "!=", 2004)], ["XXALMATY4123", "C05761181"], id="not-equal-keeps-unknown"),
    pytest.param({"doc_type": "cable", "year": [2004, None]}, ["04PARIS1", "XXALMATY4123"], id="type-and-years"),
    pytest.param([("n_sources", ">", 0), ("doc_type", "=", "email")], ["C05761181"], id="any-column"),
])
def test_filters(wh, filters, expected):
    got = pouch.load("documents", filters=filters, columns=["doc_id"], warehouse=wh)
    assert sorted(got.doc_id) == sorted(expected)


def test_a_filter_on_an_unknown_column_or_table_says_so(wh):
    with pytest.raises(KeyError, match="documents has no column 'nope'"):
        pouch.load("documents", filters={"nope": 1}, warehouse=wh)
    with pytest.raises(KeyError, match="no table 'docs'"):
        pouch.load("docs", warehouse=wh)
    with pytest.raises(pouch.NoWarehouse, match="no committed warehouse"):
        pouch.load("documents", warehouse=wh.parent / "nowhere")


def test_one_session_reads_one_snapshot_while_runs_commit(wh, monkeypatch):
    session = pouch.connect(wh)
    before = session.load("documents")
    commit_run(wh, "r2", [{**DOCS[0], "doc_id": "04PARIS2", "run_id": "r2"}])
    assert len(session.load("documents")) == len(before) == 3
    assert session.sql("SELECT count(*) AS n FROM documents").n[0] == 3
    monkeypatch.setenv("POUCH_WAREHOUSE", str(wh))
    assert len(pouch.load("documents")) == 4                       # a new session sees the new commit
    session.close()


def test_sql_views(wh):
    got = pouch.sql("SELECT doc_id, year FROM documents ORDER BY doc_id", warehouse=wh)
    assert got.year.tolist()[:2] == [2004, 2009] and pd.isna(got.year.iloc[2])
    corpora = pouch.sql("SELECT * FROM corpora", warehouse=wh).set_index("doc_type")
    assert corpora.loc["cable", "documents"] == 2 and corpora.loc["cable", "unknown_year"] == 1
    assert corpora.loc["cable", "tags_filled"] == 0.5 and corpora.loc["email", "messages_filled"] == 1.0
    assert corpora.loc["email", "first_date"] == pd.Timestamp("2009-05-04")
    msgs = pouch.sql("SELECT message_hash, thread_id, doc_ids FROM messages", warehouse=wh)
    assert msgs.to_dict("records") == [{"message_hash": "h1", "thread_id": "h1", "doc_ids": ["C05761181"]}]
    links = pouch.sql("SELECT src_doc_id, dst_doc_id, resolved FROM links", warehouse=wh)
    assert links.to_dict("records") == [{"src_doc_id": "04PARIS1", "dst_doc_id": "04STATE2", "resolved": False}]
    assert pouch.sql("SELECT count(*) AS n FROM sources", warehouse=wh).n[0] == 0      # an empty table reads


def test_pouch_sql_prints_a_table(wh):
    result = CliRunner().invoke(app, ["sql", "SELECT doc_id, year FROM documents ORDER BY doc_id", "-w", str(wh)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["      doc_id year", "    04PARIS1 2004", "   C05761181 2009",
                                          "XXALMATY4123 NULL"]
    capped = CliRunner().invoke(app, ["sql", "SELECT doc_id FROM documents", "-w", str(wh), "--max-rows", "1"])
    assert "(2 more rows: use --max-rows or --out)" in capped.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_pouch_sql_writes_csv_and_parquet(wh, tmp_path, suffix):
    out = tmp_path / f"result{suffix}"
    result = CliRunner().invoke(app, ["sql", "SELECT doc_id, year, tags FROM documents", "-w", str(wh), "--out", str(out)])
    assert result.exit_code == 0 and "3 rows" in result.output
    got = pd.read_csv(out) if suffix == ".csv" else pq.read_table(out).to_pandas()
    assert sorted(got.doc_id) == ["04PARIS1", "C05761181", "XXALMATY4123"]
    if suffix == ".parquet":
        assert list(got.set_index("doc_id").tags["04PARIS1"]) == ["PREL", "FR"]


@pytest.mark.parametrize("args,code,message", [
    pytest.param(["SELECT nope FROM documents"], 2, "Binder Error", id="bad-column"),
    pytest.param(["SELEC 1"], 2, "Parser Error", id="bad-sql"),
    pytest.param(["SELECT 1", "--out", "x.json"], 2, "must end in .csv or .parquet", id="bad-out"),
])
def test_pouch_sql_errors_are_one_line(wh, args, code, message):
    result = CliRunner().invoke(app, ["sql", *args, "-w", str(wh)])
    assert result.exit_code == code and message in result.output and "Traceback" not in result.output


def test_pouch_sql_without_a_warehouse(tmp_path):
    result = CliRunner().invoke(app, ["sql", "SELECT 1", "-w", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no committed warehouse" in result.output
