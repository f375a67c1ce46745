"""Shared paragraph plumbing: parsers produce `Span`s over the cleaned text; this turns them into
`Paragraph` rows whose text is exactly `document.text[char_start:char_end]` (whitespace trimmed)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Document, Paragraph

_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@dataclass(slots=True)
class Span:
    start: int
    end: int
    section: str
    number: int | None = None
    marking: str | None = None
    message_index: int | None = None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def blocks(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Blank-line separated blocks of `text[start:end]`, as trimmed (start, end) pairs."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for m in _BLANK_LINES.finditer(text, start, end):
        s, e = trim(text, pos, m.start())
        if e > s:
            out.append((s, e))
        pos = m.end()
    s, e = trim(text, pos, end)
    if e > s:
        out.append((s, e))
    return out


def to_paragraphs(doc: Document, spans: list[Span]) -> list[Paragraph]:
    text = doc.text
    out: list[Paragraph] = []
    for span in spans:
        s, e = trim(text, span.start, span.end)
        if e <= s:
            continue
        i = len(out)
        out.append(Paragraph(
            doc_id=doc.doc_id, doc_type=doc.doc_type, year=doc.year, para_index=i,
            para_id=f"{doc.doc_id}.{i}", section=span.section, char_start=s, char_end=e,
            text=text[s:e], para_number=span.number, marking=span.marking,
            message_index=span.message_index, run_id=doc.run_id))
    return out


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str


def lines_of(text: str) -> list[Line]:
    """Lines of `text` with their offsets (end excludes the newline)."""
    out: list[Line] = []
    pos = 0
    for line in text.split("\n"):
        out.append(Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return out
