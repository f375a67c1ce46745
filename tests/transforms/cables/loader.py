"""Cables of the dev corpus (../shared/corpus/cables), parsed once per test session.

Only the pure stages run (open_source -> parse_document): no entities, no Prefect, no GX, so the
cable tests stay fast and fail only for cable reasons."""
from __future__ import annotations

import functools
from pathlib import Path

from tests.conftest import CORPUS, need
from transforms.documents import SourceFailure, open_source, parse_document, sha256_hex
from transforms.records import ParsedDocument, SourceText

CABLES = CORPUS / "cables"
CSV_SLICE = CABLES / "csv" / "cables_csv_slice_dev.csv"


def cables_dir() -> Path:
    return need(CABLES, "dev corpus cables")


@functools.cache
def sources(folder: str, doc_id: str) -> tuple[SourceText, ...]:
    """The SourceTexts of `<folder>/<doc_id>.*` (a page, a text file, a PDF)."""
    path = next(cables_dir().joinpath(folder).glob(f"{doc_id}.*"))
    data = path.read_bytes()
    out = []
    for s in open_source(f"cables/{folder}/{path.name}", data, sha256_hex(data)):
        assert not isinstance(s, SourceFailure), s
        out.append(s)
    return tuple(out)


@functools.cache
def parsed(folder: str, doc_id: str) -> ParsedDocument:
    """One cable of the corpus: folder `csv` means the row of the dev CSV slice with that refid."""
    if folder == "csv":
        return csv_parsed()[doc_id]
    (src,) = sources(folder, doc_id)
    return parse_document(src, "test-run")


@functools.cache
def csv_sources() -> tuple[SourceText, ...]:
    data = need(CSV_SLICE, "dev CSV slice").read_bytes()
    out = []
    for s in open_source("cables/csv/cables_csv_slice_dev.csv", data, sha256_hex(data)):
        assert not isinstance(s, SourceFailure), s
        out.append(s)
    return tuple(out)


@functools.cache
def csv_parsed() -> dict[str, ParsedDocument]:
    """Every row of the dev CSV slice, by WikiLeaks refid (the CSV's own, not repaired)."""
    return {s.meta.doc_id: parse_document(s, "test-run") for s in csv_sources()}


def all_cable_files() -> list[tuple[str, str]]:
    """(folder, doc_id) of every cable file of the corpus except the CSV slice."""
    out = []
    for folder in ("html_wl2010", "html_wl2010_edge", "html_wl2011", "pdf", "txt_fulltext", "txt_from_csv"):
        for path in sorted(cables_dir().joinpath(folder).iterdir()):
            out.append((folder, path.stem))
    return out


def check(parsed_doc: ParsedDocument, expected: dict) -> None:
    """Compare the fields named in `expected` (document columns, plus `paras`: the numbers of the
    numbered paragraphs, and `markings`: the set of paragraph markings) with one message listing
    every difference."""
    d = parsed_doc.document
    got = {}
    for name in expected:
        if name == "paras":
            got[name] = [p.para_number for p in parsed_doc.paragraphs if p.para_number is not None]
        elif name == "markings":
            got[name] = {p.marking for p in parsed_doc.paragraphs if p.marking}
        elif name == "date":
            got[name] = d.date.strftime("%Y-%m-%d %H:%M") if d.date else None
        else:
            got[name] = getattr(d, name)
    diff = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert not diff, f"{d.doc_id}: (got, expected) {diff}"
    for p in parsed_doc.paragraphs:
        assert d.text[p.char_start:p.char_end] == p.text
