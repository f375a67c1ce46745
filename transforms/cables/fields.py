"""Header fields of a cable, one small function each. Every pattern is linear-time and looks
only at the header window (`HEADER_WINDOW` characters), so no cable can make parsing slow.
"""
from __future__ import annotations

import datetime as dt
import re

from ..records import Recipient

#: Header fields are looked for in the first N characters only.
HEADER_WINDOW = 12_000

MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}

# --- DTG ---------------------------------------------------------------------------------------
# `O 251716Z AUG 06` (precedence letters O/P/R/Z; OCR gives 0 for O).
_DTG = re.compile(r"(?m)^[ \t]*(?:[OPRZ0]{1,2}[ \t]+)?(\d{2})(\d{2})(\d{2})Z[ \t]+([A-Z]{3})[ \t]+(\d{2}|\d{4})\b")


def two_digit_year(yy: int) -> int:
    """Cables span 1966-2010: 66-99 are 19xx, 00-65 are 20xx."""
    return 1900 + yy if yy >= 66 else 2000 + yy


def parse_dtg(text: str) -> dt.datetime | None:
    """Date-time group of the routing header, as an aware UTC datetime."""
    m = _DTG.search(text[:HEADER_WINDOW])
    if not m:
        return None
    day, hour, minute, mon, year = m.groups()
    month = MONTHS.get(mon)
    if month is None:
        return None
    y = int(year)
    y = two_digit_year(y) if y < 100 else y
    try:
        return dt.datetime(y, month, int(day), int(hour), int(minute), tzinfo=dt.UTC)
    except ValueError:
        return None


# --- classification banner -----------------------------------------------------------------------
_SPACED = re.compile(r"\b(?:[A-Z] ){3,}[A-Z]\b")
_BANNER = re.compile(
    r"(?m)^[ \t]*(?P<cls>UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)"
    r"(?P<mid>(?:[ \t]+(?:SECTION[ \t]+\d{1,2}[ \t]+OF[ \t]+\d{1,2}|E[ \t]?F[ \t]?T[ \t]?O|SENSITIVE|NOFORN|"
    r"EXDIS|NODIS|LIMDIS|FOR OFFICIAL USE ONLY|SBU|STADIS))*)"
    r"[ \t]+(?P<station>[A-Z][A-Z .'-]{1,40}?)[ \t]+(?P<serial>\d{2,8})[ \t]*$")


def _unspace(line: str) -> str:
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)


def parse_banner(text: str) -> tuple[str | None, list[str], str | None, int | None]:
    """`C O N F I D E N T I A L PARIS 005734` -> (CONFIDENTIAL, [], PARIS, 5734)."""
    window = text[:HEADER_WINDOW]
    for raw in window.split("\n"):
        line = _unspace(raw.strip())
        m = _BANNER.match(line)
        if m:
            handling = re.findall(r"SENSITIVE|NOFORN|EXDIS|NODIS|LIMDIS|SBU|STADIS|FOR OFFICIAL USE ONLY",
                                  m.group("mid"))
            cls = normalize_classification(m.group("cls"), handling)
            return cls, handling, m.group("station").strip(), int(m.group("serial"))
    return None, [], None, None


def normalize_classification(value: str, handling: list[str] | tuple[str, ...] = ()) -> str | None:
    """Map a banner or metadata value onto the six cables.csv values."""
    v = _unspace(value.upper()).strip()
    v = re.sub(r"\s+", " ", v)
    noforn = "NOFORN" in v or "NOFORN" in handling
    if v.startswith("UNCLAS"):
        if "FOUO" in v or "FOR OFFICIAL USE ONLY" in v or "SBU" in handling or "SENSITIVE" in handling:
            return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        return "UNCLASSIFIED"
    if v.startswith("LIMITED OFFICIAL USE"):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    if v.startswith("CONFIDENTIAL"):
        return "CONFIDENTIAL//NOFORN" if noforn else "CONFIDENTIAL"
    if v.startswith("SECRET"):
        return "SECRET//NOFORN" if noforn else "SECRET"
    return None


# --- routing: FM / TO / INFO ---------------------------------------------------------------------
_FM = re.compile(r"(?m)^[ \t]*FM[ \t]+(?:[A-Z0-9]{4,8}/)?([A-Z][A-Z0-9 .'/-]{1,60}?)[ \t]*$")
_ADDR = re.compile(r"^(?:(?P<routing>[A-Z0-9]{4,8})/)?(?P<name>[A-Z][A-Z0-9 .'/&()-]*?)"
                   r"(?:[ \t]+(?P<prec>NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE|FLASH))?(?:[ \t]+\d{1,5})?[ \t]*$")
_ROUTING_END = re.compile(r"^(?:BT|[A-Z ]*(?:UNCLAS|CONFIDENTIAL|SECRET|C O N F)|E\.O\.|TAGS|SUBJECT|SIPDIS)")


def parse_routing(text: str) -> tuple[str | None, list[Recipient], list[Recipient]]:
    """(FM station, TO recipients, INFO recipients) from the routing header."""
    window = text[:HEADER_WINDOW]
    fm = _FM.search(window)
    origin = fm.group(1).strip() if fm else None
    to: list[Recipient] = []
    info: list[Recipient] = []
    target: list[Recipient] | None = None
    for raw in window.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("TO "):
            target, line = to, line[3:].strip()
        elif line.startswith("INFO "):
            target, line = info, line[5:].strip()
        elif target is None:
            continue
        elif _ROUTING_END.match(line) or line.startswith("FM "):
            if to or info:
                break
            continue
        m = _ADDR.match(line)
        if m:
            target.append(Recipient(m.group("name").strip(), m.group("routing"), m.group("prec")))
    return origin, to, info


_ORIGIN_PREFIX = (
    ("AMEMBASSY ", "Embassy "),
    ("AMCONSUL ", "Consulate "),
    ("USMISSION ", "Mission "),
    ("USINT ", "US Interests Section "),
    ("USOFFICE ", "US Office "),
    ("AIT ", "American Institute Taiwan, "),
)
_KEEP_UPPER = {"UN", "USUN", "USEU", "USNATO", "USOSCE", "UNVIE", "USTR", "OSCE", "EU", "NATO", "IAEA", "CD",
               "USAU", "USUNESCO", "ICAO", "OECD", "UNESCO"}
_FIXED = {"SECSTATE WASHDC": "Secretary of State", "SECSTATE": "Secretary of State",
          "USUN NEW YORK": "USUN New York"}


def _title(words: str) -> str:
    return " ".join(w if w in _KEEP_UPPER else w.capitalize() for w in words.split())


def origin_name(station: str | None) -> str | None:
    """`AMEMBASSY PARIS` -> `Embassy Paris`, `SECSTATE WASHDC` -> `Secretary of State`."""
    if not station:
        return None
    s = re.sub(r"\s+", " ", station.strip().upper())
    if s in _FIXED:
        return _FIXED[s]
    for prefix, name in _ORIGIN_PREFIX:
        if s.startswith(prefix):
            return name + _title(s[len(prefix):])
    return _title(s)


# --- E.O. line, TAGS, SUBJECT, REF, Classified By ----------------------------------------------------
_DECL = re.compile(r"DECL(?:ASSIFY)?[ \t]*(?:ON)?:?[ \t]*(\d{1,2})/(\d{1,2})/(\d{2,4})")
_TAGS = re.compile(r"(?:^|\s)TAGS:?[ \t]*((?:[ \t]*,?[ \t]*[A-Z][A-Z0-9_-]{1,11})+)", re.M)
_SUBJECT = re.compile(r"(?m)^[ \t]*SUBJECT:?[ \t]*(.*(?:\n(?![ \t]*\n)(?![ \t]*(?:REF|CLASSIFIED BY|Classified By|"
                      r"\u00b6|\d{1,2}\.\s|\(U\)|\(C\)|\(S\)|\(SBU\))).{0,200}){0,3})")
_CLASSIFIED_BY = re.compile(r"(?im)^[ \t]*Classified[ \t]+By:?[ \t]*(.{1,300}?)(?:\n[ \t]*\n|\Z)", re.S)
_REASONS = re.compile(r"(?i)\b(?:FOR[ \t]+)?REASONS?:?[ \t]*(.+)$", re.S)
_TITLES = {"CDA", "AMBASSADOR", "AMB", "DCM", "POLCOUNS", "A/POLCOUNS", "POLITICAL", "COUNSELOR", "ECONCOUNS",
           "CHARGE", "D'AFFAIRES", "DEPUTY", "CHIEF", "OF", "MISSION", "ACTING", "MINISTER", "CONSUL",
           "GENERAL", "PRINCIPAL", "OFFICER", "POL/ECON", "POLOFF", "ECONOFF", "DIRECTOR", "A/DCM",
           "CONSUL GENERAL", "PO", "CG", "A/S", "SECRETARY", "ASSISTANT", "MR.", "MS.", "DR."}


def parse_declassify_on(text: str) -> dt.date | None:
    m = _DECL.search(text[:HEADER_WINDOW])
    if not m:
        return None
    month, day, year = (int(g) for g in m.groups())
    if year < 100:
        year = 2000 + year if year < 66 else 1900 + year
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_tags(text: str) -> list[str]:
    """TAGS line -> codes in order; markup, commas and duplicates dropped."""
    m = _TAGS.search(text[:HEADER_WINDOW])
    if not m:
        return []
    out: list[str] = []
    for code in re.split(r"[\s,]+", m.group(1)):
        code = code.strip()
        if code and code not in out and code not in {"SUBJECT", "REF", "E", "O"}:
            out.append(code)
    return out


def parse_subject(text: str) -> str | None:
    m = _SUBJECT.search(text[:HEADER_WINDOW])
    if not m:
        return None
    subject = re.sub(r"\s+", " ", m.group(1)).strip()
    return subject or None


def parse_classified_by(text: str) -> tuple[str | None, str | None]:
    """`Classified By: CDA JOSIAH ROSENBLATT FOR REASONS 1.5 (b) and (d)` ->
    (`Josiah Rosenblatt`, `1.5 (b) and (d)`)."""
    m = _CLASSIFIED_BY.search(text[:HEADER_WINDOW])
    if not m:
        return None, None
    body = re.sub(r"\s+", " ", m.group(1)).strip()
    reasons = None
    r = _REASONS.search(body)
    if r:
        reasons = r.group(1).strip().rstrip("`'.\" ")
        body = body[:r.start()].strip()
    body = re.sub(r"(?i)[,;.]?\s*\bFOR\s*$", "", body).strip(" ,.;:")
    words = [w for w in body.split() if w.upper().strip(",") not in _TITLES]
    name = " ".join(w.strip(",") for w in words)
    if name.isupper():
        name = " ".join(w.capitalize() for w in name.split())
    return (name or None), reasons


def canonical_id(year: int | None, station: str, serial: int) -> str:
    """(2006, `PARIS`, 5734) -> `06PARIS5734`; an unknown year becomes `XX`."""
    yy = f"{year % 100:02d}" if year is not None else "XX"
    return f"{yy}{re.sub(r'[^A-Z]', '', station.upper())}{serial}"
