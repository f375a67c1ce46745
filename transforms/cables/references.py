"""The REF block -> canonical ids of the cables it cites.

Handles `REF: STATE 139361`, lettered lists (`A. 99 PRETORIA 12315 B. PRETORIA 425`), a year before
the station (2 or 4 digits), enumerations that share a station (`BRASILIA 2799 AND 2764`), and a
missing year, taken from the citing cable's own year. Self-references are dropped.
"""
from __future__ import annotations

import re

from .fields import HEADER_WINDOW, canonical_id, two_digit_year

_REF_BLOCK = re.compile(r"(?m)^[ \t]*REFS?:?[ \t]+(.{0,2000}?)(?=\n[ \t]*\n|\n[ \t]*Classified|\n[ \t]*CLASSIFIED|\Z)",
                        re.S)
_ITEM = re.compile(
    r"(?:\b(?P<year>(?:19|20)\d{2}|\d{2})[ \t]+)?"
    r"(?P<station>[A-Z][A-Z]{1,20}(?:[ \t]+[A-Z]{2,20}){0,2})[ \t]+"
    r"(?P<serials>\d{1,7}(?:[ \t]*(?:,|AND|&)[ \t]*\d{1,7})*)"
    r"(?:[ \t]*\((?P<year2>(?:19|20)\d{2})\))?")
_NOT_STATIONS = {"REF", "REFS", "AND", "OF", "THE", "TEL", "TELCON", "CABLES", "CABLE", "NOTAL", "SECTION",
                 "PARA", "PARAS", "PARAGRAPH", "EMAIL", "E-MAIL", "DATED", "MEMCON", "FAX", "ON", "IN"}


def ref_block(text: str) -> str | None:
    m = _REF_BLOCK.search(text[:HEADER_WINDOW])
    return m.group(1) if m else None


def parse_references(text: str, own_year: int | None = None, own_id: str | None = None) -> list[str]:
    """Canonical ids cited in the REF block of `text` (or in `text` itself if it has no `REF:`)."""
    block = ref_block(text)
    if block is None:
        return []
    block = re.sub(r"\s+", " ", block)
    out: list[str] = []
    for m in _ITEM.finditer(block):
        station = m.group("station")
        words = [w for w in station.split() if w not in _NOT_STATIONS and not re.fullmatch(r"[A-Z]", w)]
        words = [w for w in words if w not in {"CABLES", "CABLE"}]
        if not words:
            continue
        station = " ".join(words)
        year = None
        raw_year = m.group("year") or m.group("year2")
        if raw_year:
            y = int(raw_year)
            year = y if y >= 1900 else two_digit_year(y)
        elif own_year is not None:
            year = own_year
        for serial in re.findall(r"\d{1,7}", m.group("serials")):
            ref = canonical_id(year, station, int(serial))
            if ref != own_id and ref not in out:
                out.append(ref)
    return out
