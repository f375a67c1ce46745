"""`parse_cable`: a cable's header fields from its text (whole cable or any header fragment)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..records import Recipient
from . import fields
from .references import parse_references, ref_block

_PARTIAL = re.compile(r"(?i)partial extract|full text of the original cable is not available|"
                      r"\[?text (?:missing|truncated)\]?")
_HEADER_END = re.compile(r"(?im)^[ \t]*(?:SUBJECT|REF|REFS|Classified By|CLASSIFIED BY|E\.\s?O\.\s?1\d{4}|TAGS)\b.*$")
_SUSPECT = re.compile(r"(?m)^[ \t]*(SENSTITUE|SENSTIVE|SENSITVE|SENSITIV|SENITIVE|SIPDIS\w+)[ \t]*$")


@dataclass(slots=True)
class Cable:
    """Header fields found in a cable text. Field names equal the `documents` columns; every field
    is None/empty when the text does not give it. `provenance` says which rule gave each field."""
    doc_id: str | None = None
    date: dt.datetime | None = None
    origin: str | None = None
    classification: str | None = None
    handling: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    info_recipients: list[Recipient] = field(default_factory=list)
    classified_by: str | None = None
    reasons: str | None = None
    declassify_on: dt.date | None = None
    is_partial: bool = False
    station: str | None = None
    serial: int | None = None
    flags: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    header_end: int = 0


def parse_cable(text: str, year: int | None = None) -> Cable:
    """Parse the header fields of a cable.

    `text` may be a whole cable or any fragment of a header (only a REF block, only a TAGS line,
    only a `Classified By:` line); fields the text does not hold stay empty. `year` is the cable's
    year when a caller knows it from metadata; the text's own DTG wins. The doc_id is built from
    the banner's station and serial plus the year; without any year it reads `XX<STATION><serial>`.
    """
    c = Cable()
    prov = c.provenance
    c.date = fields.parse_dtg(text)
    if c.date:
        prov["date"] = "dtg"
        year = c.date.year
    cls, handling, station, serial = fields.parse_banner(text)
    if cls:
        c.classification, c.handling = cls, handling
        prov["classification"] = "banner"
    if station and serial is not None:
        c.station, c.serial = station, serial
        c.doc_id = fields.canonical_id(year, station, serial)
        prov["doc_id"] = "banner" + ("+dtg" if c.date else "+metadata_year" if year else "+unknown_year")
    fm, to, info = fields.parse_routing(text)
    if fm:
        c.origin = fields.origin_name(fm)
        prov["origin"] = "fm_line"
    elif station:
        c.origin = None  # a bare station name does not tell embassy from consulate
    c.recipients, c.info_recipients = to, info
    if to or info:
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
    c.declassify_on = fields.parse_declassify_on(text)
    if c.declassify_on:
        prov["declassify_on"] = "eo_line"
    if _PARTIAL.search(text[:2000]):
        c.is_partial = True
        prov["is_partial"] = "partial_notice"
    for m in _SUSPECT.finditer(text[:fields.HEADER_WINDOW]):
        c.flags.append(f"suspect_spelling:{m.group(1)}")
    ends = [m.end() for m in _HEADER_END.finditer(text[:fields.HEADER_WINDOW])]
    c.header_end = max(ends) if ends else 0
    # a Classified By line may wrap; the header ends at the blank line after it
    if c.classified_by or ref_block(text[:fields.HEADER_WINDOW]):
        nxt = re.compile(r"\n[ \t]*\n").search(text, c.header_end)
        if nxt and nxt.start() - c.header_end < 600:
            c.header_end = nxt.start()
    return c
