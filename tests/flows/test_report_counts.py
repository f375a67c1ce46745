"""The report's "Rows per table and partition" counts rows as written (after the merge of the copies
of one document), and the report of a no-op run needs no Great Expectations.

One small run over copies of the same cables: WikiLeaks pages of the dev corpus whose cables are
rows of the dev cables.csv slice (those rows cut into a small CSV), the 88BAGHDAD28 page whose
text is another cable (kept apart under its own id), and the seeds. Then a no-op run, then a run
that adds one more copy (the other sources of its document are read again for the merge)."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = [pytest.mark.prefect, pytest.mark.corpus]

CABLES = CORPUS / "cables"
#: Cables that are both a WikiLeaks page and a row of the dev slice (SOURCES.md): 72TEHRAN1164 is
#: a page of the 2010 build and of the 2011 release (3 sources), 04MADRID4367 a 2010 page, and 88BAGHDAD28's 2010 page holds another cable's text (kept apart).
PAIRS = ["72TEHRAN1164", "04MADRID4367", "88BAGHDAD28"]


def _rows(ids: set[str]) -> list[list[str]]:
    with (CABLES / "csv" / "cables_csv_slice_dev.csv").open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.reader(fh, escapechar="\\") if row[2] in ids]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, escapechar="\\").writerows(rows)
    with path.open(newline="", encoding="utf-8") as fh:         # the cut reads back as the slice's rows
        assert list(csv.reader(fh, escapechar="\\")) == rows


def _ingest(srcs: list[Path], wh: Path, report: bool = True) -> dict:
    from flows.ingest import ingest
    return ingest(sources=[str(s) for s in srcs], warehouse=str(wh), workers=1, write_report_html=report)


def _written(wh: Path, run_id: str) -> dict[str, dict[str, int]]:
    """Rows per table and partition in the warehouse that carry `run_id`."""
    out = {}
    for name in ("documents", "paragraphs", "entities"):
        df = pd.read_parquet(wh / name, columns=["doc_type", "year", "run_id"])
        df = df[df.run_id == run_id]
        sizes = df.groupby([df.doc_type.astype(str), df.year.astype(str)]).size()
        out[name] = {f"doc_type={t}/year={y}": int(n) for (t, y), n in sizes.items()}
    return out


def _profile(wh: Path, run_id: str) -> tuple[dict, dict]:
    """Documents per doc_type, documents with `subject`/`tags` filled, entities per type: of the
    rows in the warehouse that carry `run_id`, counted by hand."""
    docs = pd.read_parquet(wh / "documents", columns=["doc_type", "subject", "tags", "run_id"])
    docs = docs[docs.run_id == run_id]
    cov = {}
    for t, g in docs.groupby(docs.doc_type.astype(str)):
        cov[t] = {"_n": len(g), "subject": int((g.subject.fillna("") != "").sum()),
                  "tags": int(sum(1 for v in g.tags if v is not None and len(v)))}
    ents = pd.read_parquet(wh / "entities", columns=["entity_type", "run_id"])
    ents = ents[ents.run_id == run_id]
    return cov, {k: int(v) for k, v in ents.entity_type.value_counts().items()}


def _card(page: str, label: str) -> int:
    m = re.search(rf"<span class='muted'>{label}</span><b>([\d,]+)</b>", page)
    return int(m.group(1).replace(",", ""))


def _all_partitions_row(page: str) -> list[int]:
    m = re.search(r"<tr><td>all partitions</td>((?:<td class='num'>[\d,]+</td>){3})</tr>", page)
    return [int(v.replace(",", "")) for v in re.findall(r">([\d,]+)<", m.group(1))]


@pytest.fixture(scope="module")
def runs(prefect_harness, corpus_dir, seeds_dir, tmp_path_factory):
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    src = tmp_path_factory.mktemp("copies")
    _write_csv(src / "slice.csv", _rows(set(PAIRS)))
    for folder in ("html_wl2010", "html_wl2011"):
        (src / folder).mkdir()
        for cable in PAIRS:
            if (CABLES / folder / f"{cable}.html").exists():
                shutil.copy(CABLES / folder / f"{cable}.html", src / folder / f"{cable}.html")
    wh = tmp_path_factory.mktemp("wh") / "warehouse"
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        first = _ingest([src, seeds_dir], wh)
        first["committed"] = _written(wh, first["run_id"])
        first["profile"] = _profile(wh, first["run_id"])
        noop = _ingest([src, seeds_dir], wh, report=False)
        (src / "tehran_copy.html").write_bytes((CABLES / "html_wl2010" / f"{PAIRS[0]}.html").read_bytes() + b"\n")
        added = _ingest([src, seeds_dir], wh, report=False)
        added["committed"] = _written(wh, added["run_id"])
        added["profile"] = _profile(wh, added["run_id"])
    return wh, first, noop, added


def test_the_run_has_copies_to_merge(runs):
    _, first, noop, added = runs
    assert (first["docs_written"], first["documents_merged"], first["copies_kept_apart"]) == (7, 2, 1)
    assert first["rows_written"]["documents"] == 10       # staged: the CSV's 3 rows, 4 pages, 3 seeds
    assert noop["batches"] == 0 and noop["docs_written"] == 0
    assert added["documents_merged"] == 1 and added["docs_written"] == 1


def test_partition_counts_sum_to_documents_written(runs):
    _, first, noop, added = runs
    for s in (first, noop, added):
        assert sum(s["partitions"]["documents"].values()) == s["docs_written"], s["run_id"]


@pytest.mark.parametrize("which", ["first", "added"])
def test_partition_counts_are_the_rows_the_run_committed(runs, which):
    _, first, _, added = runs
    s = {"first": first, "added": added}[which]
    assert s["partitions"] == s["committed"]


@pytest.mark.parametrize("which", ["first", "added"])
def test_coverage_and_entity_counts_are_those_of_the_rows_the_run_committed(runs, which):
    """Counted per batch as the copies are staged, then the merge takes the copies it replaces out
    and the documents it writes in (the rereads of the `added` run included)."""
    _, first, _, added = runs
    s = {"first": first, "added": added}[which]
    cov, ents = s["profile"]
    assert {t: {k: s["coverage"][t][k] for k in ("_n", "subject", "tags")} for t in s["coverage"]
            if s["coverage"][t]["_n"]} == cov
    assert {k: v for k, v in s["entities"].items() if v} == ents
    assert sum(c["_n"] for c in s["coverage"].values()) == s["docs_written"]


def test_report_rows_section_agrees_with_the_documents_written_card(runs):
    _, first, _, _ = runs
    page = Path(first["report"]).read_text(encoding="utf-8")
    docs, paras, ents = _all_partitions_row(page)
    assert docs == _card(page, "documents written") == first["docs_written"]
    assert (paras, ents) == (sum(first["partitions"]["paragraphs"].values()),
                             sum(first["partitions"]["entities"].values()))
    assert "counted before the copies" not in page and "adds up" in page


def test_noop_report_imports_no_great_expectations(runs):
    """The report step of a no-op run (`flows.report.build_report` with the Data Docs site of an
    earlier run on disk), in a fresh interpreter."""
    wh, _, noop, _ = runs
    assert noop["batches"] == 0 and not noop["expectations"]
    code = (f"import json, sys; from pathlib import Path; from flows.report import build_report; "
            f"from flows.warehouse.store import Layout; "
            f"page = build_report(Layout(Path({str(wh)!r})), {noop['run_id']!r}); "
            f"print(json.dumps({{'page': str(page), 'gx': 'great_expectations' in sys.modules}}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["gx"] is False
    page = Path(got["page"]).read_text(encoding="utf-8")
    assert _card(page, "documents written") == 0 and "data_docs/index.html" in page
    assert "pouch.documents" in page            # the rule catalog is there, read without GX
