"""Bad and hostile inputs through one real `ingest` run: the run completes, every input has
exactly one ledger row with its status and a one-line error, the good documents of the same run
all load, and nothing from a bad input is half written.

The flow runs ONCE (module fixture) over a folder holding every input of `bad_inputs` plus the
bundled samples; the tests below check it input by input. The unit tests at the end cover what a
single run cannot (a file root can read, the quality gate).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from flows.samples import write_samples
from transforms.documents import open_source, parse_document, sha256_hex
from transforms.records import SourceText

from .bad_inputs import XSS_ID, XSS_NAME, BadInput, bad_inputs, cable, cable_id, other_text_id

pytestmark = [pytest.mark.prefect]

INPUTS = bad_inputs()
ESCAPES = ("escape.txt", "up.txt", "pouch_abs_escape.txt")


@dataclass
class Run:
    root: Path
    folder: Path
    warehouse: Path
    summary: dict
    ledger: pd.DataFrame
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    entities: pd.DataFrame
    quarantine: pd.DataFrame
    sources: pd.DataFrame

    def rel(self, path: str) -> str:
        prefix = self.folder.as_posix() + "/"
        return path.removeprefix(prefix)

    def rows(self, rel: str) -> pd.DataFrame:
        return self.ledger[self.ledger.rel == rel]


@pytest.fixture(scope="module")
def run(prefect_harness, tmp_path_factory) -> Run:
    from flows.ingest import ingest
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in"
    folder.mkdir()
    for b in INPUTS:
        b.make(folder)
    write_samples(root / "good")
    sources = [str(folder), str(root / "good")] + [str(folder / s) for b in INPUTS for s in b.extra_sources]
    wh = root / "warehouse"
    summary = ingest(sources=sources, warehouse=str(wh), workers=1)
    this = lambda df: df[df.run_id == summary["run_id"]].reset_index(drop=True)
    r = Run(root, folder, wh, summary, this(pd.read_parquet(wh / "ledger")), pd.read_parquet(wh / "documents"),
            pd.read_parquet(wh / "paragraphs"), pd.read_parquet(wh / "entities"), this(pd.read_parquet(wh / "quarantine")),
            pd.read_parquet(wh / "sources"))
    r.ledger["rel"] = [r.rel(p) for p in r.ledger.path]
    return r


def test_there_are_at_least_40_bad_inputs():
    assert len(INPUTS) >= 40
    assert len({b.name for b in INPUTS}) == len(INPUTS)


@pytest.mark.parametrize("bad", INPUTS, ids=[b.name for b in INPUTS])
def test_each_input_has_one_ledger_row_with_status_and_one_line_error(run: Run, bad: BadInput):
    if bad.skip_reason:
        assert len(run.rows(next(iter(bad.rows)))) == 1     # accounted for all the same
        pytest.skip(bad.skip_reason)
    for rel, want in bad.rows.items():
        rows = run.rows(rel)
        assert len(rows) == 1, f"{rel}: {len(rows)} ledger rows"
        row = rows.iloc[0]
        error = row.error if isinstance(row.error, str) else None
        assert row.status == want.status, f"{rel}: {row.status} ({error})"
        if want.error is None:
            assert not error, f"{rel}: unexpected error {error!r}"
        else:
            assert error and want.error in error, f"{rel}: {error!r} lacks {want.error!r}"
            assert "\n" not in error and len(error) <= 300
        assert sorted(row.doc_ids) == sorted(want.docs), rel


@pytest.mark.parametrize("bad", INPUTS, ids=[b.name for b in INPUTS])
def test_documents_of_each_input_are_whole_or_absent(run: Run, bad: BadInput):
    if bad.skip_reason:
        pytest.skip(bad.skip_reason)
    docs = run.documents.set_index("doc_id")
    for rel, want in bad.rows.items():
        path = (run.folder / rel).as_posix()
        of_file = run.sources[(run.sources.source_path == path) | run.sources.source_path.str.startswith(path + "#row")]
        mine = run.documents[run.documents.doc_id.isin(of_file.doc_id)]
        assert sorted(mine.doc_id) == sorted(want.docs), rel       # loaded ones all there, refused ones absent
        for doc_id in want.docs:
            doc = docs.loc[doc_id]
            paras = run.paragraphs[run.paragraphs.doc_id == doc_id]
            assert len(paras) == doc.n_paragraphs > 0
            assert all(doc.text[s:e] == t for s, e, t in zip(paras.char_start, paras.char_end, paras.text))
            kinds = {r["kind"] for r in doc.repairs}
            assert set(want.repairs) <= kinds, f"{doc_id}: repairs {sorted(kinds)}"
        if want.partial:
            assert bool(docs.loc[want.docs[0]].is_partial)
        if want.status in ("failed", "quarantined"):
            q = run.quarantine[(run.quarantine.source_path == path) | (run.quarantine.key == path)]
            # files refused before reading (links, pipes, names) are explained in the ledger alone
            assert len(q) or run.rows(rel).iloc[0].format == "unknown", f"{rel}: not in quarantine"


def test_good_documents_of_the_same_run_all_load(run: Run):
    from flows.samples import sample_files
    expected = set()
    for name, data in sample_files().items():
        if name.endswith(".zip"):
            continue
        expected |= {parse_document(s).document.doc_id for s in open_source(name, data, sha256_hex(data))
                     if isinstance(s, SourceText)}
    expected |= {"C09000002", "09TASHKENT1234_copy_note"}            # the two members of the sample zip
    assert expected <= set(run.documents.doc_id)
    good = run.ledger[run.ledger.path.str.contains("/good/")]
    assert set(good.status) == {"loaded"}


def test_every_ledger_row_is_an_input_or_a_sample(run: Run):
    declared = {rel for b in INPUTS for rel in b.rows}
    for rel in run.ledger.rel:
        assert rel in declared or "/good/" in rel, f"undeclared ledger row {rel}"
    assert run.ledger.rel.is_unique
    assert sum(run.summary["files"].values()) == len(run.ledger)


def test_no_orphans_and_no_duplicates(run: Run):
    docs = set(run.documents.doc_id)
    assert run.documents.doc_id.is_unique
    assert set(run.paragraphs.doc_id) <= docs
    para_keys = set(zip(run.paragraphs.doc_id, run.paragraphs.para_index))
    assert set(zip(run.entities.doc_id, run.entities.para_index)) <= para_keys
    counts = run.paragraphs.groupby("doc_id").size()
    assert (run.documents.set_index("doc_id").n_paragraphs == counts.reindex(run.documents.doc_id).values).all()


def test_zip_slip_writes_nothing_outside(run: Run):
    for base in (run.root, run.root.parent, run.folder, run.warehouse, Path("/tmp")):
        for name in ESCAPES:
            assert not (base / name).exists(), base / name
    found = [p for p in run.root.rglob("*") if p.name in ESCAPES]
    assert found == [], found
    slip = (run.folder / "slip.zip").as_posix()
    assert not run.documents.source_path.str.startswith(slip + "::..").any()


def test_same_id_with_another_text_is_kept_apart_and_flagged(run: Run):
    docs = run.documents.set_index("doc_id")
    first, other = cable_id(5501), other_text_id(5501)
    assert other.startswith(first + "~")
    assert docs.loc[first, "source_path"].endswith("dup/a_first.txt")
    assert docs.loc[other, "source_path"].endswith("dup/b_second.txt")
    assert f"doc_id_conflict:{other}" in list(docs.loc[first, "flags"])
    assert f"doc_id_conflict:{first}" in list(docs.loc[other, "flags"])
    assert not (run.quarantine.expectation == "unique_doc_id").any()            # nothing refused


def test_copies_of_one_document_are_merged(run: Run):
    doc = run.documents.set_index("doc_id").loc[cable_id(5505)]
    assert doc.n_sources == 2 and doc.source_path.endswith("dup/d_copy.txt")  # the longer copy is primary
    srcs = run.sources[run.sources.doc_id == cable_id(5505)].set_index("role")
    assert srcs.loc["merged", "source_path"].endswith("dup/c_copy.txt")
    assert list(srcs.loc["merged", "differs"]) == ["text"] and srcs.loc["merged", "similarity"] > 0.9


def test_a_byte_identical_copy_is_a_second_source_of_the_same_document(run: Run):
    """Read like any other file (in the same batch or not), so the next run has a `files` row for
    it and skips it like the rest."""
    doc = run.documents.set_index("doc_id").loc[cable_id(5502)]
    srcs = run.sources[run.sources.doc_id == cable_id(5502)]
    assert doc.n_sources == 2 and sorted(p.rsplit("/", 1)[1] for p in srcs.source_path) == ["copy_a.txt", "copy_b.txt"]
    assert sorted(srcs.role) == ["merged", "primary"] and [list(d) for d in srcs.differs] == [[], []]


def test_hostile_markup_never_reaches_the_clean_text(run: Run):
    page = run.documents.set_index("doc_id").loc["08ASTANA5201"]
    assert "<script" not in page.text.lower() and "onerror" not in page.text
    assert "evil.example" not in page.text
    assert "displaced" in page.text                        # the cable text around it survived


def test_report_escapes_every_payload(run: Run):
    html = Path(run.summary["report"]).read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html    # the file name, as text
    assert "&lt;SCRIPT&gt;ALERT(" in html.upper() or "&LT;SCRIPT&GT;ALERT(" in html.upper()
    assert "onerror=alert(1)>" not in html
    docs_dir = run.warehouse / "reports" / "data_docs"
    for page in docs_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        assert "<img src=x onerror" not in text and "<SCRIPT>ALERT" not in text.upper().replace("&LT;", "")


def test_report_structure(run: Run):
    page = Path(run.summary["report"])
    html = page.read_text(encoding="utf-8")
    for section in ("files", "rows", "expectations", "failures", "coverage", "entities", "repairs", "trend", "stages"):
        assert f'id="{section}"' in html, section
    for suite in ("documents", "paragraphs", "entities"):
        assert f"id='suite-{suite}'" in html
    assert html.count("<svg") >= 3                         # files, entities, repairs (trend from run 2)
    assert not re.search(r"""(?:src|href)=["']https?://""", html) and "<link" not in html   # opens offline
    assert (page.parent.parent / "latest" / "index.html").read_text(encoding="utf-8") == html
    assert "data_docs/index.html" in html and "CDN" in html
    assert (run.warehouse / "reports" / "data_docs" / "index.html").exists()
    assert "doc_date_not_future" in html and "65TASHKENT5113" in html      # a failure reason with its key


def test_pouch_report_rebuilds_and_prints_the_path(run: Run):
    from typer.testing import CliRunner

    from flows.cli import app
    result = CliRunner().invoke(app, ["report", "--warehouse", str(run.warehouse)])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip().splitlines()[-1])
    assert path == Path(run.summary["report"]) and path.exists()
    missing = CliRunner().invoke(app, ["report", "--warehouse", str(run.root / "nowhere")])
    assert missing.exit_code == 1 and "no committed run" in missing.output


def test_prefect_artifacts_are_published(run: Run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-files",
                                                                                              "ingest-summary"])))
    mine = [a for a in arts if run.summary["run_id"] in (a.description or "")]
    assert {a.type for a in mine} == {"table", "markdown"}
    table = next(a for a in mine if a.type == "table")
    assert "zip" in str(table.data) and "failed" in str(table.data)


# ------------------------------------------------------------------------------------------------
# what one run cannot show
# ------------------------------------------------------------------------------------------------
def test_unreadable_file_is_a_failed_row(tmp_path, monkeypatch):
    """chmod 000 does not stop root, so the read error is made by the file system call itself."""
    from flows import batch
    path = tmp_path / "unreadable.txt"
    path.write_text(cable(5701))

    def denied(p, limit):
        raise PermissionError(13, "Permission denied", p)
    monkeypatch.setattr(batch, "read_bytes", denied)
    result = batch.run_batch([batch.WorkItem(path.as_posix(), path.stat().st_size)], "unit-run")
    assert [(e.status, e.error) for e in result.ledger] == [("failed", "cannot read file: Permission denied")]
    assert result.documents.num_rows == 0 and [q.key for q in result.quarantine] == [path.as_posix()]


def test_unreadable_file_is_found_but_refused_by_discovery(tmp_path, monkeypatch):
    from flows import discover
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.setattr(discover.os, "access", lambda p, mode: False)
    [ref] = discover.discover([tmp_path])
    assert ref.error == "permission denied: the file is not readable"


def test_quality_gate_fails_the_run_and_commits_nothing(prefect_harness, tmp_path):
    from flows.ingest import QualityGateFailed, ingest
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(cable(5801))
    (folder / "future.txt").write_text(cable(5802, dtg="010930Z JUN 65"))
    wh = tmp_path / "warehouse"
    with pytest.raises(QualityGateFailed, match=r"quality gate: 1 of 2 documents failed validation \(50% > "
                                                r"threshold 40%\), so nothing was committed") as err:
        ingest(sources=[str(folder)], warehouse=str(wh), workers=1, quarantine_threshold=0.4)
    assert "doc_date_not_future x1 (e.g. 65TASHKENT5802)" in str(err.value)
    assert not (wh / "_current").exists() and not (wh / "reports").exists()     # nothing committed, no report
    summary = ingest(sources=[str(folder)], warehouse=str(wh), workers=1, quarantine_threshold=0.6)
    assert summary["docs_written"] == 1 and summary["docs_refused"] == 1
    assert list(pd.read_parquet(wh / "documents").doc_id) == [cable_id(5801)]


def test_payload_constants_are_hostile():
    assert "<" in XSS_NAME and "<script>" in XSS_ID and os.sep not in XSS_NAME
