"""The merge rules (`transforms.merge`) on the copies of real cables in the dev corpus: which copies
are one document, which source is primary, which value each field takes and what `sources` says.
Expected values are hand-checked against the files (SOURCES.md lists the pairs)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from tests.transforms.cables.loader import csv_parsed, parsed
from transforms.merge import (
    SAME_DOCUMENT,
    Fingerprint,
    fingerprint,
    merge,
    similarity,
    variant_id,
)

pytestmark = pytest.mark.corpus

UTC = dt.UTC


#: cables.csv refids that the parser repairs (WikiLeaks doubled the year in this one).
RAW_REFID = {"75LIBREVILLE1895": "7575LIBREVILLE1895"}


def copies(doc_id: str, *folders: str):
    """The parsed copies of one cable: `csv` is its cables.csv row, other names are folders."""
    return [csv_parsed()[RAW_REFID.get(doc_id, doc_id)] if f == "csv" else parsed(f, RAW_REFID.get(doc_id, doc_id))
            for f in folders]


def folder_of(source_path: str) -> str:
    return source_path.split("cables/", 1)[1].split("/", 1)[0]


SAME = [
    pytest.param("04RANGOON1100", "html_wl2010", 0.90, id="04RANGOON1100-redacted-2010-page"),
    pytest.param("73TEHRAN2077", "html_wl2011", 1.0, id="73TEHRAN2077-2011-page-cut-after-subject"),
    pytest.param("75LIBREVILLE1895", "html_wl2011", 0.92, id="75LIBREVILLE1895-2011-page-cut-in-para-1"),
    pytest.param("00GABORONE5265", "pdf", 0.99, id="00GABORONE5265-pdf-text-layer"),
    pytest.param("01PRETORIA1173", "txt_from_csv", 1.0, id="01PRETORIA1173-text-cut-from-the-row"),
]


@pytest.mark.parametrize("doc_id,folder,at_least", SAME)
def test_copies_are_the_same_document(doc_id, folder, at_least):
    row, other = copies(doc_id, "csv", folder)
    assert similarity(fingerprint(row), fingerprint(other)) >= at_least >= SAME_DOCUMENT


def test_88BAGHDAD28_2010_page_is_another_text():
    row, page = copies("88BAGHDAD28", "csv", "html_wl2010")
    a, b = fingerprint(row), fingerprint(page)
    assert similarity(a, b) < 0.05                                  # the bodies share nothing
    # the whole texts share the routing lines: why bodies are compared
    whole = similarity(Fingerprint(frozenset(), a.whole), Fingerprint(frozenset(), b.whole))
    assert whole > similarity(a, b)


CASES = [
    # doc_id, folders, expected document fields, {source folder: fields it differs on}
    pytest.param("04MADRID2164", ("html_wl2010", "csv", "txt_from_csv"),
                 {"source_format": "cables_csv", "n_sources": 3, "date": dt.datetime(2004, 6, 9, 9, 16, tzinfo=UTC),
                  "date_source": "metadata_csv"},
                 {"html_wl2010": ["date"], "csv": [], "txt_from_csv": []},
                 id="04MADRID2164-the-csv-minute-over-the-page-hour"),
    pytest.param("73TEHRAN2077", ("html_wl2011", "csv"),
                 {"source_format": "cables_csv", "n_sources": 2, "is_partial": False, "signer": "Helms"},
                 {"html_wl2011": ["text"], "csv": []},
                 id="73TEHRAN2077-full-row-over-cut-page"),
    pytest.param("03GUATEMALA2014", ("txt_from_csv", "csv"),
                 {"source_format": "cables_csv", "classification": "CONFIDENTIAL//NOFORN"},
                 {"txt_from_csv": ["classification"], "csv": []},
                 id="03GUATEMALA2014-metadata-classification-over-banner"),
    pytest.param("00ATHENS1501", ("pdf", "csv", "txt_from_csv"),
                 {"source_format": "cables_csv", "n_sources": 3, "year": "2000"},
                 {"pdf": [], "csv": [], "txt_from_csv": []},
                 id="00ATHENS1501-pdf-merges-with-its-row"),
    pytest.param("66BUENOSAIRES2481", ("html_wl2011", "html_wl2010", "csv"),
                 {"source_format": "cables_csv", "n_sources": 3},
                 {"html_wl2011": [], "html_wl2010": [], "csv": []},
                 id="66BUENOSAIRES2481-both-pages-and-the-row"),
]


@pytest.mark.parametrize("doc_id,folders,fields,differs", CASES)
def test_merge(doc_id, folders, fields, differs):
    result = merge(copies(doc_id, *folders), "r1")
    (doc,) = [p.document for p in result.documents]
    assert doc.doc_id == doc_id and doc.run_id == "r1"
    got = {k: getattr(doc, k) for k in fields}
    assert got == fields
    by_folder = {folder_of(s.source_path): s for s in result.sources}
    assert {f: s.differs for f, s in by_folder.items()} == differs
    assert [s.role for s in result.sources] == ["primary"] + ["merged"] * (len(folders) - 1)
    assert {s.doc_id for s in result.sources} == {doc_id} and not result.notes
    para = result.documents[0].paragraphs
    assert all(doc.text[p.char_start:p.char_end] == p.text for p in para)


def test_88BAGHDAD28_page_is_kept_apart_and_both_are_flagged():
    page = parsed("html_wl2010", "88BAGHDAD28")
    result = merge(copies("88BAGHDAD28", "csv", "txt_from_csv") + [page], "r1")
    kept, apart = (p.document for p in result.documents)
    assert (kept.doc_id, kept.n_sources, kept.source_format) == ("88BAGHDAD28", 2, "cables_csv")
    assert apart.doc_id == variant_id("88BAGHDAD28", page.document.text) == "88BAGHDAD28~" + apart.doc_id[-8:]
    assert f"doc_id_conflict:{apart.doc_id}" in kept.flags and "doc_id_conflict:88BAGHDAD28" in apart.flags
    assert {p.doc_id for p in result.documents[1].paragraphs} == {apart.doc_id}
    note = result.notes[page.document.source_path]
    assert "similarity 0.00" in note and f"kept apart as {apart.doc_id}" in note
    assert [(s.doc_id, s.claimed_id) for s in result.sources][-1] == (apart.doc_id, "88BAGHDAD28")


@pytest.mark.parametrize("doc_id,folders", [pytest.param(c.values[0], c.values[1], id=c.id) for c in CASES] +
                         [pytest.param("88BAGHDAD28", ("html_wl2010", "csv", "txt_from_csv"), id="88BAGHDAD28")])
def test_the_result_does_not_depend_on_the_order_of_the_sources(doc_id, folders):
    docs = copies(doc_id, *folders)
    want = merge(docs, "r1")
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        got = merge(shuffled, "r1")
        assert [p.document for p in got.documents] == [p.document for p in want.documents]
        assert got.sources == want.sources


def test_a_field_the_primary_lacks_comes_from_another_source_and_says_so():
    row, text = copies("01PRETORIA1173", "csv", "txt_from_csv")
    row = dataclasses.replace(row, document=dataclasses.replace(row.document, signer=None))
    result = merge([row, text], "r1")
    doc = result.documents[0].document
    assert doc.signer == text.document.signer and doc.source_format == "cables_csv"
    assert doc.provenance["signer"] == "last_line via cable_text"
    assert [(s.source_format, s.gave) for s in result.sources] == [("cables_csv", []), ("cable_text", ["signer"])]


def test_a_complete_text_outranks_a_partial_one_of_a_better_format():
    row, text = copies("01PRETORIA1173", "csv", "txt_from_csv")
    row = dataclasses.replace(row, document=dataclasses.replace(row.document, is_partial=True))
    result = merge([row, text], "r1")
    assert result.documents[0].document.source_format == "cable_text"
    assert [s.role for s in result.sources] == ["primary", "merged"]


def test_a_different_doc_type_is_never_merged():
    row, text = copies("01PRETORIA1173", "csv", "txt_from_csv")
    other = dataclasses.replace(text, document=dataclasses.replace(text.document, doc_type="other"))
    assert len(merge([row, other], "r1").documents) == 2
