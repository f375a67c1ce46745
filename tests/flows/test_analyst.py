"""The analyst's warehouse on the dev corpus: one ingest of `../shared/corpus`, then

- the cross-format pairs of SOURCES.md come out as one document each: the 26 cables that are both
  a WikiLeaks page (2010 build or 2011 release) and a cables.csv row, the 6 PDFs that are CSV rows,
  the 90 `txt_from_csv` files;
- `sources`, `messages` and `links` agree with the documents they are built from;
- every query of the README's "Questions you can ask" gives, run now, the output the README shows.
"""
from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CORPUS, ROOT
from transforms.cables.ids import repair_id

pytestmark = [pytest.mark.prefect, pytest.mark.corpus]

CABLES = CORPUS / "cables"
#: The one page of the pairs whose text is another cable's (hand-checked: the 2010 page of
#: 88BAGHDAD28 shows the 1988 Baghdad cable's routing lines over a 2009 STATE cable's body).
OTHER_TEXT_PAGES = {"88BAGHDAD28": "html_wl2010"}


@pytest.fixture(scope="module")
def wh(prefect_harness, corpus_dir, tmp_path_factory) -> Path:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest
    root = tmp_path_factory.mktemp("analyst") / "warehouse"
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        ingest(sources=[str(corpus_dir)], warehouse=str(root), workers=1, write_report_html=False,
               quarantine_threshold=1.0)
    return root


@pytest.fixture(scope="module")
def t(wh) -> dict[str, pd.DataFrame]:
    import pouch
    with pouch.connect(wh) as w:
        return {name: w.load(name) for name in ("documents", "sources", "messages", "links", "entities",
                                                "quarantine", "files")}


def _csv_ids() -> set[str]:
    import csv
    with (CABLES / "csv" / "cables_csv_slice_dev.csv").open(newline="", encoding="utf-8") as fh:
        return {row[2] for row in csv.reader(fh, escapechar="\\")}


def _stems(folder: str) -> set[str]:
    return {p.stem for p in (CABLES / folder).iterdir()}


def _sources_of(t, doc_id: str) -> pd.DataFrame:
    s = t["sources"]
    return s[s.doc_id == doc_id]


def test_the_26_html_and_csv_cables_are_26_documents_with_2_or_more_sources(t):
    pairs = (_stems("html_wl2010") | _stems("html_wl2011")) & _csv_ids()
    assert len(pairs) == 26                                        # SOURCES.md: 20 + 10, 4 in both
    docs = t["documents"].set_index("doc_id")
    for raw in sorted(pairs):
        doc_id = repair_id(raw)[0]                # 7575LIBREVILLE1895: WikiLeaks doubled the year
        srcs = _sources_of(t, doc_id)
        assert docs.loc[doc_id, "n_sources"] == len(srcs) >= 2, doc_id
        assert docs.loc[doc_id, "source_format"] == "cables_csv", doc_id        # the unredacted original
        folders = {re.search(r"cables/(\w+)/", p).group(1) for p in srcs.source_path}
        pages = {f for f in ("html_wl2010", "html_wl2011") if raw in _stems(f)}
        if doc_id in OTHER_TEXT_PAGES:
            assert not folders & pages
            apart = t["sources"][(t["sources"].claimed_id == doc_id) & (t["sources"].doc_id != doc_id)]
            assert list(apart.source_format) == ["cable_html"]
            assert f"doc_id_conflict:{apart.doc_id.iloc[0]}" in list(docs.loc[doc_id, "flags"])
        else:
            assert pages <= folders, doc_id


def test_the_6_pdfs_that_are_csv_rows_merge(t):
    pdfs = _stems("pdf") & _csv_ids()
    assert len(pdfs) == 6
    for raw in pdfs:
        srcs = _sources_of(t, repair_id(raw)[0])
        assert "cable_pdf" in set(srcs.source_format) and len(srcs) >= 2, raw
        assert set(srcs.role) == {"primary", "merged"}


def test_every_text_cut_from_a_csv_row_is_a_source_of_that_rows_document(t):
    stems = _stems("txt_from_csv")
    s = t["sources"]
    copies = s[s.source_path.str.contains("/txt_from_csv/")]
    assert len(copies) == len(stems) == 90
    rows = s[s.source_format == "cables_csv"].set_index("doc_id")
    assert copies.doc_id.isin(rows.index).all()
    assert (copies.role == "merged").all()


def test_no_document_is_refused_as_a_duplicate_any_more(t):
    assert not (t["quarantine"].expectation == "unique_doc_id").any()
    assert t["documents"].doc_id.is_unique


def test_sources_agree_with_documents(t):
    docs, s = t["documents"].set_index("doc_id"), t["sources"]
    assert (s.groupby("doc_id").size().reindex(docs.index) == docs.n_sources).all()
    primary = s[s.role == "primary"].set_index("doc_id")
    assert primary.index.is_unique and set(primary.index) == set(docs.index)
    assert (primary.source_path == docs.source_path.reindex(primary.index)).all()
    files = t["files"]
    named = {d for ids in files.doc_ids for d in ids}
    assert named == set(docs.index)                               # every document's files list it


def test_merged_fields_follow_the_rules(t):
    docs = t["documents"].set_index("doc_id")
    # the 2010 page gives 04MADRID2164's date to the hour, the cables.csv row to the minute
    assert docs.loc["04MADRID2164", "date"] == pd.Timestamp("2004-06-09 09:16", tz="UTC")
    page = t["sources"].set_index("source_path").filter(like="html_wl2010/04MADRID2164", axis=0).iloc[0]
    assert list(page.differs) == ["date"] and page.differences[0]["value"].startswith("2004-06-09T09:00")
    # a 2011 page cut after SUBJECT is a copy; the row's full text is the document's
    assert docs.loc["73TEHRAN2077", "n_chars"] > 3000 and not docs.loc["73TEHRAN2077", "is_partial"]


def test_messages_count_each_email_once(t):
    docs, m = t["documents"], t["messages"]
    emails = docs[docs.doc_type == "email"]
    hashes = {x["message_hash"] for ms in emails.messages for x in ms}
    assert set(m.message_hash) == hashes
    occurrences = sum(len(ms) for ms in emails.messages)
    assert len(m) < occurrences                                    # copies quoted in several releases
    for r in m[m.n_documents > 1].itertuples():
        for d in r.doc_ids:
            assert r.message_hash in {x["message_hash"] for x in emails.set_index("doc_id").loc[d, "messages"]}
    # a thread's id is the hash of its oldest dated message
    for thread_id, g in m.groupby("thread_id"):
        dated = g.dropna(subset=["sent"]).sort_values(["sent", "message_hash"])
        assert (dated.message_hash.iloc[0] if len(dated) else g.message_hash.min()) == thread_id


def test_links_agree_with_documents(t):
    docs, links = t["documents"], t["links"]
    ids = set(docs.doc_id)
    assert (links.resolved == links.dst_doc_id.isin(ids)).all()
    refs = links[links.link_type == "reference"]
    want = {(d, r) for d, rs in zip(docs.doc_id, docs.references) for r in rs if r != d}
    assert set(zip(refs.src_doc_id, refs.dst_doc_id)) == want
    shared = links[links.link_type == "shared_entity"]
    assert shared.groupby("src_doc_id").size().max() <= 10
    assert not links.duplicated(["src_doc_id", "link_type", "dst_doc_id"]).any()


# ------------------------------------------------------------------------------------------------
# the README's questions
# ------------------------------------------------------------------------------------------------
_BLOCK = re.compile(r"```(sh|python)\n(.*?)```\s*```text\n(.*?)```", re.DOTALL)


def readme_questions() -> list[tuple[str, str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if "## Questions you can ask" not in readme:
        return []
    section = readme.split("## Questions you can ask", 1)[1].split("\n## ", 1)[0]
    return [(kind, code, out) for kind, code, out in _BLOCK.findall(section)]


def run_question(kind: str, code: str, wh: Path, monkeypatch) -> str:
    monkeypatch.setenv("POUCH_WAREHOUSE", str(wh))
    if kind == "sh":
        from typer.testing import CliRunner

        from flows.cli import app
        args = shlex.split(code.replace("\\\n", " "))
        assert args[:2] == ["pouch", "sql"], code
        result = CliRunner().invoke(app, args[1:])
        assert result.exit_code == 0, result.output
        return result.output
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "README.md", "exec"), {})
    return buf.getvalue()


def test_the_readme_has_five_or_more_questions_in_pandas_and_sql():
    questions = readme_questions()
    assert len(questions) >= 5
    assert {kind for kind, _, _ in questions} == {"sh", "python"}


@pytest.mark.parametrize("n", range(len(readme_questions())))
def test_readme_question_gives_the_output_shown(wh, monkeypatch, n):
    kind, code, shown = readme_questions()[n]
    got = run_question(kind, code, wh, monkeypatch)
    strip = lambda text: [line.rstrip() for line in text.strip("\n").splitlines()]
    assert strip(got) == strip(shown), f"README question {n + 1} is stale; now:\n{got}"
