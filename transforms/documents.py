"""From a source file's bytes to parsed documents: the stage functions the flow calls.

    open_source(path, data, sha256)  -> SourceTexts (one per document) or a SourceFailure
    parse_document(source_text)      -> ParsedDocument with its Document and Paragraphs
    add_entities(parsed)             -> the same, with Entities

Every function is pure and never raises on bad input: failures come back as values with a
one-line message, so one bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from . import detect
from .cables.document import build_cable
from .decode import DecodeError, decode_bytes
from .emails.document import build_email
from .entities import context_of, extract_document
from .records import Document, ParsedDocument, SourceText
from .schema import UNKNOWN_YEAR
from .segments import Span, blocks, to_paragraphs
from .sources.cables_csv import CsvRow, iter_rows, lines_from_chunks
from .sources.html_page import PageError, read_page
from .sources.pdf_text import PdfError, pdf_text
from .version import PARSER_VERSION

#: Above this size a single document is refused (a 50 MB "cable" is not a cable: the longest
#: cables and FOIA releases in the corpus are under 0.2 MB). A cables.csv dump holds many
#: documents and is exempt; its rows are bounded by the CSV reader.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class SourceFailure:
    path: str
    format: str
    stage: str        # read | decode | parse
    message: str      # one line


def _stem(path: str) -> str:
    name = PurePosixPath(path.split("::")[-1]).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _one_line(msg: str) -> str:
    return re.sub(r"\s+", " ", msg).strip()[:300]


def _too_big(path: str, fmt: str, size: int) -> SourceFailure:
    return SourceFailure(path, fmt, "read", f"file is {size / 1e6:.0f} MB, above the "
                         f"{MAX_DOCUMENT_BYTES // 2**20} MiB limit for one document")


def open_source(path: str, data: bytes, sha256: str) -> Iterator[SourceText | SourceFailure]:
    """Yield the documents held by one file's bytes (many for a cables.csv dump)."""
    head = data[:8192]
    kind = detect.sniff_bytes(path, head)
    if kind == "empty":
        yield SourceFailure(path, "empty", "read", "empty file (no bytes, or only white space)")
        return
    if kind == "binary":
        yield SourceFailure(path, "binary", "read", "binary file (magic bytes of an image/archive/executable), not text")
        return
    if kind == "zip":
        yield SourceFailure(path, "zip", "read", "nested archive: archives inside archives are not opened")
        return
    if len(data) > MAX_DOCUMENT_BYTES and not (path.lower().endswith(".csv") and kind is None):
        yield _too_big(path, kind or "unknown", len(data))      # refused before decoding 50 MB
        return
    encoding = None
    repairs = []
    truncated = False
    if kind == "pdf":
        try:
            text = pdf_text(data)
        except PdfError as err:
            yield SourceFailure(path, "pdf", "decode", _one_line(str(err)))
            return
        fmt = detect.sniff_text(path, text)
        decoded = decode_bytes(text.encode("utf-8"))
        text, repairs = decoded.text, decoded.repairs
        fmt = {"cable_text": "cable_pdf", "email_text": "email_pdf"}.get(fmt, "cable_pdf" if fmt != "text" else "text")
        encoding = "pdf"
    else:
        try:
            decoded = decode_bytes(data)
        except DecodeError as err:
            yield SourceFailure(path, "binary", "decode", _one_line(str(err)))
            return
        text, encoding, repairs, truncated = decoded.text, decoded.encoding, decoded.repairs, decoded.is_truncated
        fmt = detect.sniff_text(path, text)
    if fmt == "empty":
        yield SourceFailure(path, "empty", "read", "empty file (no bytes, or only white space)")
        return
    if len(data) > MAX_DOCUMENT_BYTES and fmt != "cables_csv":
        yield _too_big(path, fmt, len(data))
        return
    stem = _stem(path)
    if fmt == "cable_html":
        try:
            page = read_page(text)
        except PageError as err:
            yield SourceFailure(path, "cable_html", "parse", _one_line(str(err)))
            return
        yield SourceText(path, sha256, "cable_html", page.text, encoding, repairs + page.repairs, page.meta, stem,
                         truncated or page.is_partial)
        return
    if fmt == "html":
        yield SourceFailure(path, "html", "parse", "HTML page that is not a WikiLeaks cable page (no cable table or <pre> text)")
        return
    if fmt == "cables_csv":
        yield from _csv_sources(path, sha256, io.StringIO(text, newline=""), encoding)
        return
    if fmt == "csv":
        yield SourceFailure(path, "csv", "parse", "CSV file that is not a cables.csv dump (8 quoted fields, no header)")
        return
    yield SourceText(path, sha256, fmt, text, encoding, repairs, None, stem, truncated)


def _csv_sources(path: str, sha256: str, lines: Iterable[str], encoding: str | None, first_index: int = 0
                 ) -> Iterator[SourceText | SourceFailure]:
    for row in iter_rows(lines, first_index):
        if isinstance(row, CsvRow):
            yield SourceText(f"{path}#row{row.index + 1}", sha256, "cables_csv", row.text, encoding, [],
                             row.meta, row.meta.doc_id, False)
        else:
            yield SourceFailure(f"{path}#row{row.index + 1}", "cables_csv", "parse", row.message)


def open_csv_stream(path: str, chunks: Iterable[bytes], sha256: str, first_row: int = 0
                    ) -> Iterator[SourceText | SourceFailure]:
    """The rows of a cables.csv dump given as a stream of byte chunks (the flow reads a large dump
    block by block instead of whole): one SourceText per row, one SourceFailure per bad row.
    `first_row` > 0: the chunks are a part of a dump starting at that row (the file's head was
    sniffed by the part that starts it)."""
    chunks = iter(chunks)
    first = next(chunks, b"")
    head = first[:8192].decode("utf-8", errors="replace")
    if first_row == 0 and detect.sniff_text(path, head) != "cables_csv":
        yield SourceFailure(path, "csv", "parse", "CSV file that is not a cables.csv dump (8 quoted fields, no header)")
        return
    yield from _csv_sources(path, sha256, lines_from_chunks(itertools.chain([first], chunks)), "utf-8", first_row)


# ---------------------------------------------------------------------------------------------------
def _other(src: SourceText, run_id: str) -> tuple[Document, list[Span]]:
    doc_id = src.name_hint or "D" + src.sha256[:12]
    doc = Document(
        doc_id=doc_id, doc_type="other", year=UNKNOWN_YEAR, doc_kind="other", source_format="text",
        source_path=src.path, source_sha256=src.sha256, text=src.text, is_partial=src.is_truncated,
        n_chars=len(src.text), encoding=src.encoding, repairs=list(src.repairs), flags=["unknown_year"],
        provenance={"doc_id": "file_name"}, parser_version=PARSER_VERSION, run_id=run_id)
    return doc, [Span(s, e, "body") for s, e in blocks(src.text)]


_BUILDERS = {"cable_text": build_cable, "cable_html": build_cable, "cables_csv": build_cable, "cable_pdf": build_cable,
             "email_text": build_email, "email_pdf": build_email, "text": _other}


def parse_fields(src: SourceText, run_id: str = "") -> tuple[Document, list[Span]]:
    """Fields of one document and the spans of its paragraphs."""
    return _BUILDERS[src.format](src, run_id)


def make_paragraphs(doc: Document, spans: list[Span]) -> ParsedDocument:
    paragraphs = to_paragraphs(doc, spans)
    doc.n_paragraphs = len(paragraphs)
    return ParsedDocument(doc, paragraphs)


def parse_document(src: SourceText, run_id: str = "") -> ParsedDocument:
    """Fields and paragraphs of one document (parse_fields + make_paragraphs)."""
    return make_paragraphs(*parse_fields(src, run_id))


def add_entities(parsed: ParsedDocument) -> ParsedDocument:
    doc = parsed.document
    parsed.entities = extract_document(parsed.paragraphs, context_of(doc))
    return parsed


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
