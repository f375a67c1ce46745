"""`parse_cable`: a cable's header fields from its text (a whole cable or any fragment of a header)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..records import Recipient
from . import fields
from .ids import canonical_id
from .paragraphs import signer_of
from .references import parse_references, ref_block
from .stations import origin_from_fm, origin_of

_PARTIAL = re.compile(r"(?i)partial extract|full text of the original cable is not available|"
                      r"\[?text (?:missing|truncated)\]?")
_HEADER_LINE = re.compile(r"(?im)^[ \t]*(?:SUBJ(?:ECT)?|REFS?|REFTELS?|(?:\([A-Z]{1,4}\)[ \t]*)?Classified[ \t]+By|"
                          r"E\.[ \t]?O\.[ \t]?1\d{4}|TAGS)\b.*$")
_FIRST_PARA = re.compile(r"(?m)^[ \t]*(?:\u00b6[ \t]?)?1\.[ \t]")
_BLANK = re.compile(r"\n[ \t]*\n")
_SUSPECT = re.compile(r"(?m)^[ \t]*(SENSTITUE|SENSTIVE|SENSITVE|SENSITIV|SENITIVE|SIPDIS\w+)[ \t]*$")


@dataclass(slots=True)
class Cable:
    """Header fields found in a cable text.

    Field names equal the `documents` columns; every field is None/empty when the text does not
    give it. `provenance` names the rule that gave each field (`dtg`, `banner`, `station_table`,
    `fm_line`, `tags_line`, `ref_block`, ...). `station`, `serial`, `year` and `header_end` are
    parse details for the callers (the document builder, the paragraph splitter)."""
    doc_id: str | None = None
    date: dt.datetime | None = None
    origin: str | None = None
    classification: str | None = None
    handling: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str | None = None
    signer: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    info_recipients: list[Recipient] = field(default_factory=list)
    classified_by: str | None = None
    reasons: str | None = None
    declassify_on: dt.date | None = None
    is_partial: bool = False
    station: str | None = None
    serial: int | None = None
    year: int | None = None
    flags: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    header_end: int = 0


def _header_end(text: str, banner_end: int) -> int:
    """End of the header: after the last SUBJECT/REF/TAGS/E.O./Classified By line before the first
    numbered paragraph, extended over a REF list or a wrapped Classified By line up to the next
    blank line."""
    window = text[:fields.HEADER_WINDOW]
    first = _FIRST_PARA.search(window, banner_end)
    limit = first.start() if first else len(window)
    end = banner_end
    last = None
    for m in _HEADER_LINE.finditer(window, 0, limit):
        if m.end() > end:
            end, last = m.end(), m
    if last is not None and re.match(r"(?i)[ \t]*(?:REF|Classified|SUBJ)", last.group(0)):
        nxt = _BLANK.search(window, end, limit)
        if nxt and nxt.start() - end < 1500:
            end = nxt.start()
        elif nxt is None and first is not None:
            end = limit
    return min(end, limit)


def parse_cable(text: str, year: int | None = None) -> Cable:
    """Parse the header fields of a cable.

    `text` may be a whole cable (with or without the teletype routing header) or any fragment of
    a header: only a REF block, only a TAGS line, only a `Classified By:` line. Fields the text
    does not hold stay empty. `year` is the cable's year when the caller knows it from metadata;
    the DTG line of the text wins over it. The doc_id is built from the banner's station and
    serial with that year; without any year it reads `XX<STATION><serial>` (never guessed).

    >>> parse_cable("TAGS: PREL, KZ").tags
    ['PREL', 'KZ']
    >>> parse_cable("REF: A. BRASILIA 2799 AND 2764", year=2008).references
    ['08BRASILIA2799', '08BRASILIA2764']
    """
    c = Cable()
    prov = c.provenance
    c.date = fields.parse_dtg(text)
    if c.date:
        prov["date"] = "dtg"
        year = c.date.year
    banner = fields.parse_banner(text)
    if banner is not None:
        if year is None and banner.year is not None:
            year = banner.year
            prov["year"] = "banner"
        c.classification, c.handling = banner.classification, banner.handling
        prov["classification"] = "banner"
        c.station, c.serial = banner.station, banner.serial
        c.doc_id = canonical_id(year, banner.station, banner.serial, banner.suffix)
        prov["doc_id"] = "banner" + ("+dtg" if c.date else "+year" if year else "+unknown_year")
        if any(ch.isdigit() for ch in banner.written):
            c.flags.append(f"ocr_station:{banner.written.strip()}")      # `0TTAWA` read as OTTAWA
    c.year = year
    routing_end = banner.start if banner is not None else None
    fm = fields.parse_fm(text, routing_end)
    table_origin = origin_of(c.station)
    if table_origin:
        c.origin = table_origin
        prov["origin"] = "station_table"
    elif fm:
        c.origin = origin_from_fm(fm)
        prov["origin"] = "fm_line"
    c.recipients, c.info_recipients = fields.parse_routing(text, routing_end)
    if c.recipients or c.info_recipients:
        prov["recipients"] = "routing"
    c.tags = fields.parse_tags(text)
    if c.tags:
        prov["tags"] = "tags_line"
    c.subject = fields.parse_subject(text)
    if c.subject:
        prov["subject"] = "subject_line"
    if ref_block(text) is not None:
        c.references = parse_references(text, year, c.doc_id)
        prov["references"] = "ref_block"
    c.classified_by, c.reasons = fields.parse_classified_by(text)
    if c.classified_by:
        prov["classified_by"] = "classified_by_line"
    if c.reasons:
        prov["reasons"] = "classified_by_line"
    c.declassify_on = fields.parse_declassify_on(text)
    if c.declassify_on:
        prov["declassify_on"] = "eo_line"
    if _PARTIAL.search(text[:2000]):
        c.is_partial = True
        prov["is_partial"] = "partial_notice"
    for m in _SUSPECT.finditer(text[:fields.HEADER_WINDOW]):
        c.flags.append(f"suspect_spelling:{m.group(1)}")
    c.header_end = _header_end(text, banner.end if banner is not None else 0)
    c.signer = signer_of(text, c.header_end)
    if c.signer:
        prov["signer"] = "last_line"
    return c
