"""Incremental loading end to end: the real `ingest` flow run again and again over inputs that
change between runs (cables made from the bundled synthetic sample, and the dev corpus)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect]

@pytest.fixture(autouse=True)
def _no_heartbeat_thread(prefect_harness):
    """Prefect's flow-run heartbeat thread (crash detection for served runs) is joined at the end of
    every flow run, which adds up to a second per in-process run here and tests nothing of ours."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


TASHKENT = ROOT / "samples" / "cables" / "text" / "09TASHKENT1234.txt"
CSV = ROOT / "samples" / "cables" / "csv" / "cables_sample.csv"
DOC_KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
            "entities": ["doc_id", "para_index", "char_start", "char_end", "entity_type", "normalized"]}


def cable(number: int, extra: str = "") -> bytes:
    """The synthetic Tashkent cable renumbered (doc_id 09TASHKENT<number>), with `extra` appended to
    its first paragraph."""
    data = TASHKENT.read_bytes().replace(b"001234", b"%06d" % number).replace(b"#1234/", b"#%d/" % number)
    return data.replace(b"End summary.", b"End summary. " + extra.encode() if extra else b"End summary.")


def ingest(src: Path | list[Path], wh: Path, **kw) -> dict:
    from flows.ingest import ingest as flow
    srcs = src if isinstance(src, list) else [src]
    return flow(sources=[str(s) for s in srcs], warehouse=str(wh), workers=1, write_report_html=False, **kw)


def ledger(wh: Path, summary: dict) -> dict[str, pd.Series]:
    """This run's ledger rows by file name."""
    led = pd.read_parquet(wh / "ledger")
    return {Path(r.path).name: r for r in led[led.run_id == summary["run_id"]].itertuples()}


def table(wh: Path, name: str) -> pd.DataFrame:
    df = pd.read_parquet(wh / name)
    for c in ("doc_type", "year"):
        if c in df:
            df[c] = df[c].astype(str)
    return df.sort_values(DOC_KEYS[name]).reset_index(drop=True)


@pytest.fixture
def src(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    (d / "a.txt").write_bytes(cable(1299))
    (d / "b.txt").write_bytes(cable(4321))
    shutil.copy(CSV, d / "rows.csv")
    return d


def test_unchanged_dev_corpus_second_run_reads_nothing_and_tables_are_equal(prefect_harness, corpus_dir, tmp_path):
    wh = tmp_path / "wh"
    # the threshold is lifted: this test is about what a second run changes, not about quality
    first = ingest(corpus_dir, wh, quarantine_threshold=1.0)
    before = {name: table(wh, name) for name in DOC_KEYS}
    second = ingest(corpus_dir, wh, quarantine_threshold=1.0)
    assert second["batches"] == 0 and second["docs_written"] == 0          # stat fast path: nothing read
    assert second["files"].get("loaded", 0) == 0
    assert second["files"]["unchanged"] == first["files"]["loaded"]
    assert second["files"].get("quarantined", 0) == first["files"].get("quarantined", 0)
    for name, df in before.items():
        pd.testing.assert_frame_equal(table(wh, name), df)
    docs = before["documents"]
    assert docs.doc_id.is_unique and set(docs.run_id) == {first["run_id"]}
    again = pd.read_parquet(wh / "ledger").query("run_id == @second['run_id'] and status == 'quarantined'")
    # (since copies of a document merge, no file of the dev corpus is quarantined; the replay of a
    # refused file's outcome is covered by tests/flows/warehouse/test_incremental_plan.py)
    assert len(again) == first["files"].get("quarantined", 0)
    assert again.error.str.endswith(f"(unchanged since run {first['run_id']})").all()


def test_changed_file_replaces_exactly_its_rows(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    first = ingest(src, wh)
    before = table(wh, "documents").set_index("doc_id")
    (src / "a.txt").write_bytes(cable(1299, "The Minister added a PINEAPPLE clause."))
    rows = CSV.read_bytes()
    (src / "rows.csv").write_bytes(rows[:rows.index(b'"9002"')])                 # drop the second row
    second = ingest(src, wh)
    led = ledger(wh, second)
    assert (led["a.txt"].status, led["rows.csv"].status, led["b.txt"].status) == ("loaded", "loaded", "unchanged")
    assert list(led["rows.csv"].doc_ids) == ["07ALMATY2211"]
    docs = table(wh, "documents").set_index("doc_id")
    assert sorted(docs.index) == ["07ALMATY2211", "09TASHKENT1299", "09TASHKENT4321"]
    assert "PINEAPPLE" in docs.loc["09TASHKENT1299", "text"]
    assert docs.loc["09TASHKENT1299", "run_id"] == second["run_id"]
    for untouched in ("09TASHKENT4321",):
        assert docs.loc[untouched, "run_id"] == first["run_id"]
        assert docs.loc[untouched, "text"] == before.loc[untouched, "text"]
    paras = table(wh, "paragraphs")
    assert not paras.duplicated(["doc_id", "para_index"]).any()
    assert set(paras.doc_id) == set(docs.index)
    assert any("PINEAPPLE" in t for t in paras[paras.doc_id == "09TASHKENT1299"].text)
    assert "05BISHKEK301" not in set(table(wh, "entities").doc_id)


def test_touched_file_is_hashed_not_parsed_and_an_equal_stat_edit_needs_rehash(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    a = src / "a.txt"
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))                   # touched: same bytes
    touched = ingest(src, wh)
    assert ledger(wh, touched)["a.txt"].status == "unchanged" and touched["docs_written"] == 0
    files = pd.read_parquet(wh / "files").set_index("path")
    assert files.loc[a.as_posix(), "mtime_ns"] == st.st_mtime_ns + 10**9    # next time: the fast path
    # an edit that keeps the size and puts the mtime back is invisible to the stat...
    data = a.read_bytes()
    a.write_bytes(data.replace(b"Summary: Deputy", b"Summary: DEPUTY"))
    assert a.stat().st_size == len(data)
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    trusted = ingest(src, wh)
    assert ledger(wh, trusted)["a.txt"].status == "unchanged"
    # ...and --rehash finds it by its sha256
    rehashed = ingest(src, wh, rehash=True)
    assert ledger(wh, rehashed)["a.txt"].status == "loaded"
    assert "Summary: DEPUTY" in table(wh, "documents").set_index("doc_id").loc["09TASHKENT1299", "text"]


def test_deleted_file_is_reported_until_pruned(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    (src / "b.txt").unlink()
    kept = ingest(src, wh)
    row = ledger(wh, kept)["b.txt"]
    assert row.status == "deleted" and list(row.doc_ids) == ["09TASHKENT4321"] and "--prune" in row.error
    assert "09TASHKENT4321" in set(table(wh, "documents").doc_id)
    assert bool(pd.read_parquet(wh / "files").set_index("path").loc[(src / "b.txt").as_posix(), "missing"])
    pruned = ingest(src, wh, prune=True)
    row = ledger(wh, pruned)["b.txt"]
    assert row.status == "deleted" and list(row.doc_ids) == [] and "removed" in row.error
    assert "09TASHKENT4321" not in set(table(wh, "documents").doc_id)
    assert "09TASHKENT4321" not in set(table(wh, "paragraphs").doc_id)
    assert (src / "b.txt").as_posix() not in set(pd.read_parquet(wh / "files").path)
    quiet = ingest(src, wh)
    assert "b.txt" not in ledger(wh, quiet)


def test_copy_in_a_new_file_is_merged_and_stays_when_the_first_goes(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    (src / "z_copy.txt").write_bytes(cable(1299, "A second, longer copy."))
    dup = ingest(src, wh)
    row = ledger(wh, dup)["z_copy.txt"]
    assert row.status == "loaded" and list(row.doc_ids) == ["09TASHKENT1299"] and pd.isna(row.error)
    docs = table(wh, "documents").set_index("doc_id")
    assert docs.index.is_unique and docs.loc["09TASHKENT1299", "n_sources"] == 2
    assert "A second" in docs.loc["09TASHKENT1299", "text"]              # the longer copy is the primary
    assert pd.read_parquet(wh / "quarantine").query("run_id == @dup['run_id']").empty
    # the first file goes (--prune): the copy alone gives the document
    (src / "a.txt").unlink()
    moved = ingest(src, wh, prune=True)
    assert ledger(wh, moved)["z_copy.txt"].status == "unchanged"
    docs = table(wh, "documents").set_index("doc_id")
    assert docs.loc["09TASHKENT1299", "n_sources"] == 1
    assert docs.loc["09TASHKENT1299", "source_path"].endswith("z_copy.txt")
    assert table(wh, "paragraphs").groupby("doc_id").para_index.apply(lambda s: s.is_unique).all()


def test_a_byte_identical_copy_in_the_same_batch_is_a_source_and_the_next_run_reads_nothing(
        prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    (src / "a_same.txt").write_bytes((src / "a.txt").read_bytes())
    first = ingest(src, wh)
    assert first["batches"] == 1 and ledger(wh, first)["a_same.txt"].status == "loaded"
    assert table(wh, "documents").set_index("doc_id").loc["09TASHKENT1299", "n_sources"] == 2
    again = ingest(src, wh)
    assert again["batches"] == 0 and {r.status for r in ledger(wh, again).values()} == {"unchanged"}


def test_renamed_file_moves_its_documents(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    (src / "a.txt").rename(src / "renamed.txt")
    run = ingest(src, wh)
    led = ledger(wh, run)
    assert led["renamed.txt"].status == "loaded" and list(led["renamed.txt"].doc_ids) == ["09TASHKENT1299"]
    assert led["a.txt"].status == "deleted" and list(led["a.txt"].doc_ids) == []
    docs = table(wh, "documents").set_index("doc_id")
    assert docs.index.is_unique and docs.loc["09TASHKENT1299", "source_path"].endswith("renamed.txt")
    assert (src / "a.txt").as_posix() not in set(pd.read_parquet(wh / "files").path)


def test_full_refresh_reprocesses_all_and_gives_the_same_content(prefect_harness, src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    before = table(wh, "paragraphs").drop(columns="run_id")
    again = ingest(src, wh, full_refresh=True)
    assert again["files"] == {"loaded": 3}
    pd.testing.assert_frame_equal(table(wh, "paragraphs").drop(columns="run_id"), before)
    assert set(table(wh, "documents").run_id) == {again["run_id"]}
