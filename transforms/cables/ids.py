"""Canonical WikiLeaks cable ids (`06PARIS5734`) and the repair of malformed ones.

Rules, in order (each repair is named so callers can log it):
- `case`: lower-case letters (`02Tegucigalpa3004` in a cables.csv `references` cell) -> upper.
- `known_malformed`: ids WikiLeaks itself published wrong, from `data/id_fixes.csv`.
- `fused_section`: a SECTION header fused into the id, `08ECTION01OF02MANAMA492` -> `08MANAMA492`.
- `doubled_year`: the year written twice, `7575LIBREVILLE1895` -> `75LIBREVILLE1895` (the banner
  of that cable reads `75 LIBREVILLE 1895` and WikiLeaks prefixed the year again).
- `ocr_digit_in_station`: OCR read O as 0 or I as 1 inside the station, `040TTAWA3115` ->
  `04OTTAWA3115`, applied only when the result is a known station.
An unknown year is `XX` (never guessed).
"""
from __future__ import annotations

import functools
import re

from ..data import data_lines
from .stations import known_station

_ID = re.compile(r"^(?P<yy>\d{2}|XX)(?P<station>[A-Z]{2,30})(?P<serial>\d{1,7})(?P<suffix>(?:TOSEC|SECTO)\d{1,7})?$")
_FUSED = re.compile(r"^(?P<yy>\d{2})S?E?C?T?ION\d{1,2}[A-Z]F\d{1,2}(?P<rest>[A-Z][A-Z0-9]{1,30})$")
_DOUBLED = re.compile(r"^(?P<yy>\d{2})(?P=yy)(?P<rest>[A-Z][A-Z0-9]{1,40})$")
_OCR = re.compile(r"^(?P<yy>\d{2})(?P<station>[A-Z01]*[A-Z][A-Z01]*?)(?P<serial>\d{1,7})$")


def canonical_id(year: int | None, station: str, serial: int, suffix: str | None = None) -> str:
    """(2006, `PARIS`, 5734) -> `06PARIS5734`; an unknown year becomes `XX`."""
    yy = f"{year % 100:02d}" if year is not None else "XX"
    return f"{yy}{re.sub(r'[^A-Z]', '', station.upper())}{serial}{suffix or ''}"


@functools.cache
def _known_fixes() -> dict[str, str]:
    lines = data_lines("transforms.cables", "data/id_fixes.csv")
    return dict(line.split(",", 1) for line in lines[1:])


def _ocr_station(station: str) -> str | None:
    fixed = station.replace("0", "O").replace("1", "I")
    return fixed if fixed != station and known_station(fixed) else None


def repair_id(raw: str) -> tuple[str, list[str]]:
    """(canonical id, names of the repairs applied). An id no rule recognises is returned
    upper-cased and stripped, with no repair named."""
    repairs: list[str] = []
    value = re.sub(r"\s+", "", raw)
    if value != value.upper():
        value = value.upper()
        repairs.append("case")
    if value in _known_fixes():
        return _known_fixes()[value], repairs + ["known_malformed"]
    m = _FUSED.match(value)
    if m and not _ID.match(value):
        value = m.group("yy") + m.group("rest")
        repairs.append("fused_section")
    m = _DOUBLED.match(value)
    if m:
        value = m.group("yy") + m.group("rest")
        repairs.append("doubled_year")
    m = _OCR.match(value)
    if m and not known_station(m.group("station")):
        fixed = _ocr_station(m.group("station"))
        if fixed:
            value = m.group("yy") + fixed + m.group("serial")
            repairs.append("ocr_digit_in_station")
    return value, repairs


def split_id(doc_id: str) -> tuple[str, str, int] | None:
    """`06PARIS5734` -> ("06", "PARIS", 5734)."""
    m = _ID.match(doc_id)
    if not m:
        return None
    return m.group("yy"), m.group("station"), int(m.group("serial"))


_LOOSE_ID = re.compile(r"^(?P<yy>\d{2}|XX)(?P<station>[A-Z][A-Z .'-]{1,40}?)(?P<serial>\d{1,7})$")


def canonical_reference(raw: str) -> str | None:
    """A cited id as written in metadata (cables.csv `references`) -> canonical form, or None when
    it is not a cable id. `02SECSTATE144853` -> `02STATE144853`, `03Montreal1076` ->
    `03MONTREAL1076`, `04ADDISABAB2288` -> `04ADDISABABA2288` (station aliases from
    data/station_aliases.csv)."""
    from .stations import station_code
    value, _ = repair_id(raw)
    m = _LOOSE_ID.match(value)
    if not m:
        return None
    station = m.group("station")
    code = station if known_station(station) else (station_code(station) or _alias_prefix(station))
    if code is None:
        return None
    return f"{m.group('yy')}{code}{int(m.group('serial'))}"


def _alias_prefix(station: str) -> str | None:
    """`ADDISABAB` -> `ADDISABABA`: a station cut short, when exactly one known station starts so."""
    from .stations import stations_starting
    found = stations_starting(station) if len(station) >= 6 else []
    return found[0] if len(found) == 1 else None
