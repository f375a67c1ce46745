"""Header fields of a cable, one small function each.

Every pattern is linear-time (no nested quantifiers over the same characters) and looks only at
the header window (`HEADER_WINDOW` characters) or at single lines of it, so no cable can make
parsing slow.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from ..data import data_lines
from ..records import Recipient
from .stations import normalize_station

#: Header fields are looked for in the first N characters only.
HEADER_WINDOW = 12_000
#: Lines longer than this are body text, never a banner, DTG, TAGS or routing line.
MAX_HEADER_LINE = 240

MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}


def two_digit_year(yy: int) -> int:
    """Cables span 1966-2010: 66-99 are 19xx, 00-65 are 20xx."""
    return 1900 + yy if yy >= 66 else 2000 + yy


def full_year(value: str) -> int:
    y = int(value)
    return two_digit_year(y) if y < 100 else y


# --- DTG ---------------------------------------------------------------------------------------
# `O 251716Z AUG 06`, `P R 281848Z DEC 66`, `O R 181205Z NOV 75 ZFF4` (precedence letters O/P/R/Z,
# OCR gives 0 for O), and the bare `060217Z Apr 02` line of WikiLeaks partial extracts.
_DTG = re.compile(r"(?im)^[ \t]*(?:[OPRZ0]{1,2}[ \t]+){0,2}(\d{2})(\d{2})(\d{2})Z[ \t]+"
                  r"(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[ \t]+(\d{4}|\d{2})\b")


def parse_dtg(text: str) -> dt.datetime | None:
    """Date-time group of the routing header, as an aware UTC datetime."""
    m = _DTG.search(text[:HEADER_WINDOW])
    if not m:
        return None
    day, hour, minute, mon, year = m.groups()
    try:
        return dt.datetime(full_year(year), MONTHS[mon.upper()], int(day), int(hour), int(minute), tzinfo=dt.UTC)
    except ValueError:
        return None


# --- classification banner ---------------------------------------------------------------------
_SPACED = re.compile(r"\b(?:[A-Z] {1,3}){3,}[A-Z]\b")
_CAVEATS = r"SECTION[ \t]+\d{1,2}[ \t]+OF[ \t]+\d{1,2}|EFTO|SENSITIVE|NOFORN|EXDIS|NODIS|LIMDIS|SBU|STADIS|" \
           r"FOR OFFICIAL USE ONLY|SPECAT|CORRECTED COPY"
_BANNER = re.compile(
    r"^[ \t]*(?P<cls>TOP SECRET|UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)"
    r"(?P<mid>(?:[ \t]+(?:" + _CAVEATS + r"))*)"
    r"[ \t]+(?:(?P<yy>\d{2})[ \t]+)?(?P<station>[A-Z0][A-Z0 .'/-]{1,40}?)[ \t]+(?P<serial>\d{1,8})"
    r"(?:[ \t]+(?P<sfx>TOSEC|SECTO)[ \t]+(?P<sfxno>\d{1,8}))?"
    # 10STATE284 prints its whole header on the banner line: `... STATE 000284 SIPDIS E.O. 12958: ...`
    r"(?:[ \t]+(?:SIPDIS|NOFORN|EXDIS|NODIS|E\.[ \t]?O\.|TAGS|SUBJECT)\b.*)?[ \t]*$")
#: Caveat lines between the banner and the TAGS line (`SIPDIS`, `SENSITIVE`, `NOFORN` ...).
_CAVEAT_LINE = re.compile(
    r"^[ \t]*(?P<c>SENSITIVE BUT UNCLASSIFIED|SENSITIVE/NOFORN|SENSITIVE|NOFORN|CONFIDENTIAL NOFORN|SECRET NOFORN|"
    r"EXDIS|NODIS|LIMDIS|SIPDIS|STADIS|LIMITED OFFICIAL USE|FOR OFFICIAL USE ONLY|EFTO)[ \t.]*$")
_LOWER_BANNER = re.compile(r"(?i)^[ \t]*(?:S e c r e t|C o n f i d e n t i a l|Unclas|Confidential|Secret)\b")
_HEADER_STOP = re.compile(r"^[ \t]*(?:E\.?[ \t]?O\.?[ \t]?1\d{4}|TAGS|SUBJ(?:ECT)?\b|REF)")


def unspace(line: str) -> str:
    """`C O N F I D E N T I A L` -> `CONFIDENTIAL` (teletype letter spacing)."""
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)


@dataclass(slots=True)
class Banner:
    """The classification line with the cable's station and serial (`CONFIDENTIAL PARIS 005734`)."""
    classification: str
    marking: str                    # as printed, unspaced: UNCLAS, CONFIDENTIAL, ...
    station: str                    # station code: PARIS, HOCHIMINHCITY
    serial: int
    start: int                      # offset of the line in the text
    end: int
    year: int | None = None         # a year printed in the banner (`75 LIBREVILLE 1895`)
    suffix: str | None = None       # `TOSEC140301`
    handling: list[str] = field(default_factory=list)
    written: str = ""               # the station as printed (`HO CHI MINH CITY`, OCR'd `0TTAWA`)


def _lines(text: str, start: int = 0, end: int | None = None):
    """(start, end, line) of each line of text[start:end]."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop, text[pos:stop]
        pos = stop + 1


def parse_banner(text: str) -> Banner | None:
    """The first banner line of the header window, with the caveat lines that follow it."""
    window = min(len(text), HEADER_WINDOW)
    for s, e, raw in _lines(text, 0, window):
        if len(raw) > MAX_HEADER_LINE or not raw.strip():
            continue
        line = unspace(raw.strip())
        m = _BANNER.match(line)
        if not m and _LOWER_BANNER.match(raw):
            m = _BANNER.match(unspace(raw.strip().upper()))   # `S e c r e t state 068250` (88BAGHDAD28 page)
        if not m:
            continue
        handling = re.findall(r"EFTO|SENSITIVE|NOFORN|EXDIS|NODIS|LIMDIS|SBU|STADIS|FOR OFFICIAL USE ONLY|SPECAT",
                              m.group("mid"))
        for _s, _e, nxt in _lines(text, e + 1, min(window, e + 1 + 2000)):
            if _HEADER_STOP.match(nxt):
                break
            words = unspace(nxt.strip()).split()
            if len(words) > 1 and all(_CAVEAT_LINE.match(w) for w in words):   # `SIPDIS SIPDIS` (08TRIPOLI220)
                handling.extend(w for w in dict.fromkeys(words) if w not in handling)
                continue
            c = _CAVEAT_LINE.match(unspace(nxt.strip()))
            if c:
                for word in re.split(r"[/ ]", c.group("c")) if "/" in c.group("c") or c.group("c").endswith(
                        " NOFORN") else [c.group("c")]:
                    if word in ("CONFIDENTIAL", "SECRET"):
                        continue
                    if word not in handling:
                        handling.append(word)
        suffix = (m.group("sfx") + str(int(m.group("sfxno")))) if m.group("sfx") else None
        marking = m.group("cls")
        return Banner(
            classification=classification_from(marking, handling) or marking, marking=marking,
            station=normalize_station(m.group("station")), serial=int(m.group("serial")), start=s, end=e,
            year=full_year(m.group("yy")) if m.group("yy") else None, suffix=suffix, handling=handling,
            written=m.group("station"))
    return None


def classification_from(marking: str, handling: list[str] | tuple[str, ...] = ()) -> str | None:
    """Banner marking + caveat lines -> one of the six cables.csv values.

    The rules follow the dev CSV slice: `UNCLAS` with a bare `SENSITIVE` caveat (or `SBU`) is
    `UNCLASSIFIED//FOR OFFICIAL USE ONLY` (80 of 81 such rows), while `SENSITIVE BUT UNCLASSIFIED`,
    `LIMITED OFFICIAL USE` and `FOR OFFICIAL USE ONLY` lines under an UNCLAS banner stay
    `UNCLASSIFIED` (8 of 9 rows). `NOFORN` in the banner or on its own line adds `//NOFORN`."""
    v = re.sub(r"\s+", " ", unspace(marking.upper())).strip()
    caveats = set(handling)
    if v.startswith("UNCLAS"):
        if "SENSITIVE" in caveats or "SBU" in caveats or "FOUO" in v or v.endswith("FOR OFFICIAL USE ONLY"):
            return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        return "UNCLASSIFIED"
    if v.startswith("LIMITED OFFICIAL USE"):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    noforn = "NOFORN" in v or "NOFORN" in caveats
    if v.startswith("CONFIDENTIAL"):
        return "CONFIDENTIAL//NOFORN" if noforn else "CONFIDENTIAL"
    if v.startswith("SECRET") or v.startswith("TOP SECRET"):
        return "SECRET//NOFORN" if noforn else "SECRET"
    return None


def normalize_classification(value: str, handling: list[str] | tuple[str, ...] = ()) -> str | None:
    """A metadata or banner classification -> the cables.csv vocabulary (None if unknown)."""
    v = re.sub(r"\s+", " ", unspace(value.upper())).strip()
    if v in ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOUO"):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    return classification_from(v, handling)


# --- routing: FM / TO / INFO ---------------------------------------------------------------------
_FM = re.compile(r"(?m)^[ \t]*FM[ \t]+(?:[A-Z0-9]{4,8}/)?([A-Z][A-Z0-9 .'/-]{1,60}?)[ \t]*$")
_ADDR = re.compile(r"^(?:(?P<routing>[A-Z0-9]{4,8})/)?(?P<name>[A-Z][A-Z0-9 .,'/&()-]{0,80}?)"
                   r"(?:[ \t]+(?P<prec>NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE|FLASH))?(?:[ \t]+\d{1,5})?[ \t]*$")
_DISTRIBUTION = re.compile(r"\b[A-Z]{1,6}-\d{2}\b")      # `INFO LOG-00 OASY-00 EUR-01`: office codes
_ROUTING_STOP = re.compile(r"^(?:BT\b|E\.O\.|TAGS|SUBJECT|SIPDIS|ACTION\b|PAGE \d|ZEN\b|NNNN)")


def parse_fm(text: str, end: int | None = None) -> str | None:
    m = _FM.search(text, 0, min(HEADER_WINDOW, len(text)) if end is None else end)
    return m.group(1).strip() if m else None


def parse_routing(text: str, end: int | None = None) -> tuple[list[Recipient], list[Recipient]]:
    """(TO recipients, INFO recipients) from the routing header before `end` (the banner)."""
    stop = min(HEADER_WINDOW, len(text)) if end is None else end
    to: list[Recipient] = []
    info: list[Recipient] = []
    target: list[Recipient] | None = None
    for _s, _e, raw in _lines(text, 0, stop):
        line = raw.strip()
        if not line or len(line) > MAX_HEADER_LINE:
            continue
        if line.startswith("TO "):
            target, line = to, line[3:].strip()
        elif line.startswith("INFO "):
            target, line = info, line[5:].strip()
        elif target is None:
            continue
        elif _ROUTING_STOP.match(line) or line.startswith("FM ") or _BANNER.match(unspace(line)):
            target = None
            continue
        if _DISTRIBUTION.search(line):
            target = None
            continue
        m = _ADDR.match(line)
        if m and m.group("name").strip():
            target.append(Recipient(m.group("name").strip(), m.group("routing"), m.group("prec")))
    return to, info


# --- E.O. line, TAGS, SUBJECT, Classified By ---------------------------------------------------------
_DECL = re.compile(r"(?i)DECL(?:ASSIFY)?[ \t]*(?:ON)?[ \t]*:?[ \t]*([0-9Il]{1,2})/([0-9Il]{1,2})/([0-9Il]{2,4})\b")
_TAGS = re.compile(r"(?im)(?:^|[ \t])TAGS[ \t]*:?[ \t]*(?P<first>[^\n]{0,200})")
_TAG = re.compile(r"^[A-Z][A-Z0-9_]{1,11}$")
_SUBJECT = re.compile(r"(?im)^[ \t]*SUBJ(?:ECT)?\b[ \t]*:?[ \t]*(?P<first>[^\n]{0,300})")
_SUBJECT_STOP = re.compile(r"^[ \t]*(?:REF|REFS|REFTEL|CLASSIFIED BY|Classified [Bb]y|\u00b6|\d{1,2}\.[ \t]|"
                           r"\((?:U|C|S|SBU)\)|SUMMARY|BEGIN SUMMARY|E\.O\.|TAGS|PAGE \d|"
                           r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|UNCLAS)[ \t]*$|SENSITIVE BUT UNCLASSIFIED|"
                           r"\.\.\.[ \t]*$)")                   # `...`: where a WikiLeaks 2011 page cuts the text
_CLASSIFIED_BY = re.compile(r"(?im)^[ \t]*(?:\d{1,2}\.[ \t]*)?(?:\([A-Z]{1,4}\)[ \t]*)?CLASSIFIED[ \t]+BY[ \t]*:?[ \t]*")
_REASONS = re.compile(r"(?i)(?:[,;.]?[ \t]*\b(?:FOR|PER)[ \t]+|[,;.:]?[ \t]*\b)R[ \t]?E[ \t]?A[ \t]?S[ \t]?O[ \t]?N"
                      r"(?:[ \t]?S)?\b[ \t]*:?[ \t]*|"                # `REASO NS`: a word split by the line wrap
                      r"[,;.:]?[ \t]*\b(?:(?:FOR|PER)[ \t]+)?(?=1\.[1-9][ \t]*\()")
_CLASSIFIED_END = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:\u00b6[ \t]?)?\d{1,2}\.[ \t]*[(A-Z]")
_SPLIT_FOR = re.compile(r"(?i)\bF[ \t]?O[ \t]?R[ \t]*$|\bP[ \t]?E[ \t]?R[ \t]*$")
_LEAD_REPEAT = re.compile(r"(?i)^(?:Classif\w*[ \t]+by[ \t]*:?[ \t]*)+")


def parse_declassify_on(text: str) -> dt.date | None:
    m = _DECL.search(text[:HEADER_WINDOW])
    if not m:
        return None
    month, day, year = (int(g.replace("I", "1").replace("l", "1")) for g in m.groups())
    if year < 100:
        year = two_digit_year(year) if year >= 66 else 2000 + year
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_tags(text: str) -> list[str]:
    """TAGS line -> codes in order; commas, markup leftovers and duplicates dropped. A TAGS line
    that wraps (ends with a comma, or is followed by a line of codes only) is joined."""
    window = text[:HEADER_WINDOW]
    m = _TAGS.search(window)
    if not m:
        return []
    parts = [m.group("first")]
    pos = m.end()
    for _ in range(3):                                   # at most three continuation lines
        nl = window.find("\n", pos)
        if nl < 0:
            break
        nxt_end = window.find("\n", nl + 1)
        nxt = window[nl + 1: nxt_end if nxt_end >= 0 else len(window)]
        words = [w for w in re.split(r"[\s,]+", nxt.strip()) if w]
        if not words or len(nxt) > 120 or not all(_TAG.match(w) for w in words) or words[0] in ("SUBJECT", "SUBJ"):
            break
        if not parts[-1].rstrip().endswith(",") and len(words) > 6:
            break
        parts.append(nxt)
        pos = nxt_end if nxt_end >= 0 else len(window)
    out: list[str] = []
    joined = re.sub(r"\([^()\n]{0,80}\)", " ", " ".join(parts))   # `OVIP (RICE, CONDOLEEZZA)`
    if joined.islower():
        joined = joined.upper()                           # `Tags: mtcre, parm` (88BAGHDAD28)
    for code in re.split(r"[\s,;]+", joined):
        code = code.strip().strip(".")
        if code in ("SUBJECT", "SUBJ", "SUBJECT:", "SUBJ:"):
            break
        if _TAG.match(code) and code not in out:
            out.append(code)
    return out


def parse_subject(text: str) -> str | None:
    """SUBJECT line, joined over its wrapped lines (up to three), whitespace collapsed."""
    window = text[:HEADER_WINDOW]
    m = _SUBJECT.search(window)
    if not m:
        return None
    parts = [m.group("first")]
    pos = m.end()
    for _ in range(3):
        if pos >= len(window) or window[pos] != "\n":
            break
        nxt_end = window.find("\n", pos + 1)
        nxt = window[pos + 1: nxt_end if nxt_end >= 0 else len(window)]
        if not nxt.strip() or len(nxt) > 200 or _SUBJECT_STOP.match(nxt):
            break
        parts.append(nxt)
        pos = nxt_end if nxt_end >= 0 else len(window)
    subject = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return subject or None


@functools.cache
def _titles() -> frozenset[str]:
    return frozenset(data_lines("transforms.cables", "data/titles.txt"))


def _is_title(word: str) -> bool:
    w = word.upper().strip(",;:")
    return "/" in w or w in _titles() or w.rstrip(".") in _titles()


def capitalize_name(word: str) -> str:
    """`ROSENBLATT` -> `Rosenblatt`, `MCMULLEN` -> `McMullen`, `B.` stays."""
    if len(word.rstrip(".")) <= 1:
        return word
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    if "." in word.rstrip("."):                           # `A.F.GODFREY` -> `A.F.Godfrey`
        return ".".join(capitalize_name(p) if len(p) > 1 else p for p in word.split("."))
    return "-".join(p.capitalize() for p in word.split("-"))


def _name_of(part: str) -> str | None:
    words = [w for w in part.replace(",", " ").split() if w]
    run: list[str] = []
    for w in reversed(words):                             # the name is the trailing run of non-titles
        if _is_title(w) or not re.match(r"^[A-Za-z][A-Za-z.'-]*$", w):
            break
        run.insert(0, w)
    if not run or all(len(w.rstrip(".")) <= 1 for w in run):
        return None
    name = " ".join(run[-4:])
    if name.isupper():
        name = " ".join(capitalize_name(w) for w in name.split())
    return name


def parse_classified_by(text: str) -> tuple[str | None, str | None]:
    """`Classified By: CDA JOSIAH ROSENBLATT FOR REASONS 1.5 (b) and (d)` ->
    (`Josiah Rosenblatt`, `1.5 (b) and (d)`). The line may wrap once; titles and offices are
    dropped (data/titles.txt); an all-capitals name is capitalised."""
    window = text[:HEADER_WINDOW]
    m = _CLASSIFIED_BY.search(window)
    if not m:
        return None, None
    blank = _CLASSIFIED_END.search(window, m.end(), m.end() + 400)
    body = window[m.end(): blank.start() if blank else min(len(window), m.end() + 300)]
    body = re.sub(r"\s+", " ", body).strip()
    body = _LEAD_REPEAT.sub("", body)
    reasons = None
    r = _REASONS.search(body)
    if r:
        reasons = body[r.end():].strip().rstrip("`'\" ").rstrip(".").strip() or None
        body = body[:r.start()]
    body = re.split(r"(?<=[a-z]{2})\.\s|(?<=[A-Z]{2})\.\s|;", body)[0]
    body = _SPLIT_FOR.sub("", body.strip())              # `GEORGE GLASS FO\nR REASONS` (09BERLIN1176)
    body = re.sub(r"(?i)[,;.]?\s*\b(?:FOR|PER)\s*$", "", body).strip(" ,.;:")
    name = None
    for part in body.split(","):
        name = _name_of(part.strip())
        if name:
            break
    return name, reasons
