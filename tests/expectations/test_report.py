"""The report page, rendered from hand-made run data: structure, numbers, escaping, Data Docs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from expectations.data_docs import build_data_docs
from expectations.report import (
    artifact_tables,
    expectation_rows,
    input_reasons,
    quarantine_reasons,
    reason_group,
    render_report,
    trend_points,
)
from expectations.suites import rule_catalog

PAYLOAD = "<script>alert('pouch')</script>"


def summary(run_id="20240101T000000Z-aaaaaa", docs=3, payload=PAYLOAD) -> dict:
    return {
        "run_id": run_id, "started_at": "2024-01-01T00:00:00+00:00", "warehouse": "/wh", "sources": [f"/in/{payload}"],
        "parser_version": "0.1.0", "files": {"loaded": 3, "failed": 1, "quarantined": 1},
        "files_by_format": {"cable_text": {"loaded": 3, "quarantined": 1}, "binary": {"failed": 1}},
        "docs_written": docs, "docs_refused": 1, "quarantine_rows": 2,
        "partitions": {"documents": {"doc_type=cable/year=2006": docs}, "paragraphs": {"doc_type=cable/year=2006": 12},
                       "entities": {"doc_type=cable/year=2006": 40}},
        "expectations": [
            {"suite": "documents", "expectation": "doc_id_pattern", "column": "typed_doc_id", "elements": 4,
             "unexpected": 1, "failed_batches": 1, "examples": [payload]},
            {"suite": "documents", "expectation": "cable_subject_present", "column": "cable_has_subject",
             "elements": 4, "unexpected": 1, "failed_batches": 0, "examples": ["06PARIS5734"]},
            {"suite": "documents", "expectation": "doc_id_not_null", "column": "doc_id", "elements": 4,
             "unexpected": 0, "failed_batches": 0, "examples": []}],
        "coverage": {"cable": {"_n": 4, "subject": 3, "tags": 4}},
        "entities": {"PERSON": 10, "LOCATION": 30}, "repairs": {"nul_removed": 2, "newline": 5},
        "stage_seconds": {"parse": 0.5, "validate": 1.0},
    }


QUARANTINE = [
    {"table": "documents", "key": PAYLOAD, "doc_id": PAYLOAD, "expectation": "doc_id_pattern", "column": "typed_doc_id",
     "observed": f"cable:{PAYLOAD}", "reason": f"documents {PAYLOAD}: doc_id does not have the form", "source_path": "/in/x"},
    {"table": "input", "key": "/in/a.png", "doc_id": None, "expectation": "readable_input", "column": None,
     "observed": None, "reason": "binary file", "source_path": "/in/a.png"},
]
INPUTS = [{"path": f"/in/{PAYLOAD}.png", "format": "binary", "status": "failed", "error": "binary file (magic bytes)"},
          {"path": "/in/b.txt", "format": "cable_text", "status": "quarantined", "error": f"documents {PAYLOAD}: bad"}]


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(summary(), [summary("20231231T000000Z-bbbbbb", docs=2), summary()], QUARANTINE, INPUTS,
                         {"index": "../data_docs/index.html", "documents": "../data_docs/v/documents.html"})


def test_every_section_is_there(page):
    for section in ("files", "rows", "expectations", "failures", "coverage", "entities", "repairs", "trend", "stages"):
        assert f'id="{section}"' in page
    assert page.count("<svg") == 4            # files, entities, repairs, trend
    assert "../data_docs/index.html" in page and "CDN" in page


def test_nothing_from_the_data_is_markup(page):
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;pouch&#x27;)&lt;/script&gt;" in page
    assert not re.search(r"""(?:src|href)=["']https?://""", page) and "<link" not in page


def test_numbers_and_verdicts(page):
    assert re.search(r"pouch\.documents: <span class='ok'>\d+ passed</span>, <span class='bad'>1 failed</span>, "
                     r"<span class='warn'>1 below mostly</span>", page)
    assert "75%" in page                       # subject coverage 3 of 4
    assert "below mostly" in page


def test_expectation_rows_verdicts():
    rows = {r["rule"]: r for r in expectation_rows(summary(), rule_catalog())["documents"]}
    assert rows["doc_id_pattern"]["verdict"] == "fail" and rows["doc_id_pattern"]["examples"] == [PAYLOAD]
    assert rows["cable_subject_present"]["verdict"] == "warn"      # 3 of 4 < 95%
    assert rows["doc_id_not_null"]["verdict"] == "pass"
    assert rows["year_in_range"]["verdict"] == "not run"


@pytest.mark.parametrize("error,group", [
    pytest.param("file is 50 MB, above the 16 MiB limit for one document", "file is # MB, above the # MiB limit for one document",
                 id="size"),
    pytest.param("duplicate doc_id 09TASHKENT5501: also in /in/a.txt (cable_text), which was kept", "duplicate doc_id #",
                 id="duplicate"),
    pytest.param("binary file (magic bytes of an image/archive/executable), not text",
                 "binary file (magic bytes of an image/archive/executable), not text", id="slashes-are-not-paths"),
    pytest.param("identical to /in/same/a.txt (same bytes): read once", "identical to # (same bytes)", id="copy"),
    pytest.param("CSV row 2: expected 8 fields, found 7", "CSV row #: expected # fields, found #", id="csv-row"),
    pytest.param(None, "no error", id="none"),
])
def test_reason_group(error, group):
    assert reason_group(error) == group


def test_failure_groups():
    q = quarantine_reasons(QUARANTINE)
    assert [(g["check"], g["rows"], g["docs"]) for g in q] == [("doc_id_pattern", 1, 1), ("readable_input", 1, 0)]
    assert q[0]["examples"] == [f"{PAYLOAD} (saw cable:{PAYLOAD})"]
    i = input_reasons(INPUTS * 2)
    assert [(g["status"], g["files"]) for g in i] == [("failed", 2), ("quarantined", 2)]


def test_trend_points():
    first, second = trend_points([summary("r1", docs=2), summary("r2", docs=3)])
    assert first["documents written"] == 2 and second["documents written"] == 3
    assert second["documents suite"] == 1              # critical failures only: the warning does not count
    assert second["coverage cable"] == 87.5 and second["entities / doc"] == round(40 / 3, 2)


def test_first_run_has_no_trend_chart():
    page = render_report(summary(), [summary()], [], [], None)
    assert "The charts appear from the second run on" in page and page.count("<svg") == 3


def test_artifacts_carry_the_counts():
    rows, md = artifact_tables(summary())
    assert {r["format"]: r["files"] for r in rows} == {"binary": 1, "cable_text": 4}
    assert "| documents | doc_id_pattern | 4 | 1 |" in md


def test_data_docs_are_built_and_escape_example_keys(tmp_path: Path):
    pages = build_data_docs(tmp_path / "docs", summary())
    assert Path(pages["index"]).exists() and Path(pages["documents"]).exists()
    assert "paragraphs" not in pages                   # no totals for that suite: no page
    text = Path(pages["documents"]).read_text(encoding="utf-8")
    assert "<script>alert(" not in text and "&lt;script&gt;alert(" in text
