"""Merging across runs, end to end: a run that adds, changes or removes one copy of a document
leaves the warehouse exactly as a full run over the same files would (documents, paragraphs,
entities, sources, messages and links, run ids aside; checked after the steps that change which
document keeps an id), and a no-op run rebuilds nothing.

The copies are made from the bundled synthetic samples: `07ALMATY2211` is a row of the sample
cables.csv; its header and text written to a file are the same cable as a text source (as the dev
corpus' `txt_from_csv` files are)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect]

CSV = ROOT / "samples" / "cables" / "csv" / "cables_sample.csv"
TASHKENT = ROOT / "samples" / "cables" / "text" / "09TASHKENT1234.txt"
ALMATY = "07ALMATY2211"
KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
        "entities": ["doc_id", "para_index", "char_start", "char_end", "entity_type", "normalized"],
        "sources": ["doc_id", "source_path"], "messages": ["message_hash", "thread_id"],
        "links": ["src_doc_id", "link_type", "dst_doc_id"]}


@pytest.fixture(autouse=True)
def _no_heartbeat_thread(prefect_harness):
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def almaty_text(extra: str = "") -> str:
    """The cables.csv row of 07ALMATY2211 as a text file: header + content, unescaped."""
    with CSV.open(newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.reader(fh, escapechar="\\") if r[2] == ALMATY)
    return row[6] + row[7].replace("ORDWAY", extra + "ORDWAY" if extra else "ORDWAY")


def other_cable_as_almaty() -> str:
    """Another text under 07ALMATY2211's banner: the Tashkent sample's body."""
    head = almaty_text().split("1. (SBU)")[0]
    body = TASHKENT.read_text(encoding="latin-1").split("SUBJECT:", 1)[1].split("\n", 1)[1]
    return head + body


def ingest(src: Path, wh: Path, **kw) -> dict:
    from flows.ingest import ingest as flow
    return flow(sources=[str(src)], warehouse=str(wh), workers=1, write_report_html=False, **kw)


def tables(wh: Path) -> dict[str, pd.DataFrame]:
    """The tables the merge keeps in step, run ids and source paths made relative, sorted."""
    out = {}
    for name, key in KEYS.items():
        df = pd.read_parquet(wh / name).drop(columns=["run_id"], errors="ignore")
        for c in ("doc_type", "year"):
            if c in df:
                df[c] = df[c].astype(str)
        for c in ("source_path",):
            if c in df:
                df[c] = df[c].str.replace(r"^.*/src/", "", regex=True)
        out[name] = df.sort_values(key).reset_index(drop=True)
    return out


def assert_same_as_full_run(src: Path, wh: Path, tmp_path: Path) -> dict[str, pd.DataFrame]:
    fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    ingest(src, fresh)
    got, want = tables(wh), tables(fresh)
    for name in KEYS:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    return got


@pytest.fixture
def src(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    shutil.copy(CSV, d / "rows.csv")
    shutil.copy(TASHKENT, d / "tashkent.txt")
    return d


def ledger(wh: Path, summary: dict) -> dict[str, pd.Series]:
    led = pd.read_parquet(wh / "ledger")
    return {Path(r.path).name: r for r in led[led.run_id == summary["run_id"]].itertuples()}


def test_each_run_leaves_what_a_full_run_over_the_same_files_gives(src, tmp_path):
    wh = tmp_path / "wh"
    ingest(src, wh)
    # 1. a new copy of a committed document: merged with it (the CSV row is read again)
    (src / "almaty_copy.txt").write_text(almaty_text(), encoding="utf-8")
    added = ingest(src, wh)
    led = ledger(wh, added)
    assert led["rows.csv"].status == "unchanged" and led["almaty_copy.txt"].status == "loaded"
    assert list(led["almaty_copy.txt"].doc_ids) == [ALMATY]
    t = assert_same_as_full_run(src, wh, tmp_path)
    doc = t["documents"].set_index("doc_id").loc[ALMATY]
    assert (doc.n_sources, doc.source_format, doc.classification) == (2, "cables_csv", "UNCLASSIFIED//FOR OFFICIAL USE ONLY")
    srcs = t["sources"][t["sources"].doc_id == ALMATY]
    assert list(zip(srcs.source_path, srcs.role)) == [("almaty_copy.txt", "merged"), ("rows.csv#row1", "primary")]
    assert added["documents_merged"] == 1
    files = pd.read_parquet(wh / "files").set_index("path")
    assert list(files.loc[(src / "almaty_copy.txt").as_posix(), "doc_ids"]) == [ALMATY]
    assert ALMATY in list(files.loc[(src / "rows.csv").as_posix(), "doc_ids"])

    # 2. the copy changes: the document is merged again from both, the CSV stays primary
    (src / "almaty_copy.txt").write_text(almaty_text("3. (SBU) A PINEAPPLE line only this copy has. \n"),
                                         encoding="utf-8")
    ingest(src, wh)
    t = tables(wh)
    copy = t["sources"].set_index("source_path").loc["almaty_copy.txt"]
    assert copy.role == "merged" and "text" in list(copy.differs) and 0.5 < copy.similarity < 1
    assert "PINEAPPLE" not in t["documents"].set_index("doc_id").loc[ALMATY, "text"]

    # 3. another text under the same id: kept apart under its own id, both flagged, nothing lost
    (src / "zz_other.txt").write_text(other_cable_as_almaty(), encoding="utf-8")
    apart = ingest(src, wh)
    t = assert_same_as_full_run(src, wh, tmp_path)
    docs = t["documents"].set_index("doc_id")
    variant = next(d for d in docs.index if d.startswith(ALMATY + "~"))
    assert f"doc_id_conflict:{variant}" in list(docs.loc[ALMATY, "flags"])
    assert f"doc_id_conflict:{ALMATY}" in list(docs.loc[variant, "flags"])
    row = ledger(wh, apart)["zz_other.txt"]
    assert row.status == "loaded" and list(row.doc_ids) == [variant]
    assert f"kept apart as {variant}" in row.error and "\n" not in row.error
    assert t["sources"].set_index("source_path").loc["zz_other.txt", "claimed_id"] == ALMATY

    # 4. nothing changes: nothing is read, merged or rebuilt
    before = _derived_files(wh)
    quiet = ingest(src, wh)
    assert quiet["batches"] == 0 and quiet["docs_written"] == 0
    assert _derived_files(wh) == before
    for name, df in tables(wh).items():
        pd.testing.assert_frame_equal(df, t[name], obj=name)

    # 5. the CSV goes (--prune): two texts are left, each its own document; the longer one now
    #    ranks first and keeps the id (the same whatever order the files came in)
    (src / "rows.csv").unlink()
    ingest(src, wh, prune=True)
    t = assert_same_as_full_run(src, wh, tmp_path)
    by_source = t["sources"].set_index("source_path").doc_id
    assert by_source["zz_other.txt"] == ALMATY and by_source["almaty_copy.txt"].startswith(ALMATY + "~")
    doc = t["documents"].set_index("doc_id").loc[by_source["almaty_copy.txt"]]
    assert (doc.n_sources, doc.source_format) == (1, "cable_text") and "PINEAPPLE" in doc.text

    # 6. the other text goes too: no conflict left
    (src / "zz_other.txt").unlink()
    ingest(src, wh, prune=True)
    t = assert_same_as_full_run(src, wh, tmp_path)
    doc = t["documents"].set_index("doc_id").loc[ALMATY]
    assert "PINEAPPLE" in doc.text and not any("doc_id_conflict" in f for f in doc["flags"])


def _derived_files(wh: Path) -> dict[str, list[str]]:
    from flows.warehouse.store import Layout, current_snapshot
    snap = current_snapshot(Layout(wh))
    return {name: [f["path"] for f in snap.files(name)] for name in ("messages", "links")}


def test_renamed_copy_takes_its_place(src, tmp_path):
    wh = tmp_path / "wh"
    (src / "almaty_copy.txt").write_text(almaty_text(), encoding="utf-8")
    ingest(src, wh)
    (src / "almaty_copy.txt").rename(src / "renamed.txt")
    moved = ingest(src, wh)
    led = ledger(wh, moved)
    assert led["almaty_copy.txt"].status == "deleted" and list(led["almaty_copy.txt"].doc_ids) == []
    assert list(led["renamed.txt"].doc_ids) == [ALMATY]
    assert_same_as_full_run(src, wh, tmp_path)


def test_a_copy_inside_an_archive_is_read_again_from_its_member(src, tmp_path):
    import zipfile
    with zipfile.ZipFile(src / "copies.zip", "w") as z:
        z.writestr("almaty_copy.txt", almaty_text())
        z.writestr("other.txt", other_cable_as_almaty().replace("002211", "002212"))
    wh = tmp_path / "wh"
    ingest(src, wh)
    rows = CSV.read_bytes()
    (src / "rows.csv").write_bytes(rows[:rows.index(b'"9002"')])      # the CSV changes: its other row goes
    changed = ingest(src, wh)
    led = ledger(wh, changed)
    assert led["copies.zip"].status == "unchanged" and led["rows.csv"].status == "loaded"
    t = assert_same_as_full_run(src, wh, tmp_path)
    srcs = t["sources"][t["sources"].doc_id == ALMATY]
    assert sorted(srcs.source_path) == ["copies.zip::almaty_copy.txt", "rows.csv#row1"]
