"""The REF block -> canonical ids of the cables it cites.

The block starts at a `REF:`/`REFS:`/`REFTEL:` line of the header and runs to the first blank
line that is not followed by another lettered item; page-break lines inside it (`PAGE 02 ...`,
a repeated classification line, a lone `¶` from a PDF) are skipped. Inside the block:

- a cited cable is a known station (`data/stations.csv`, written forms in
  `data/station_aliases.csv`: `SECSTATE`, `HCMC`, `THE HAGUE`) followed by a serial;
- `A. BRASILIA 2799 AND 2764`, `STATE 1234, 5678` and `COLOMBO CABLES 0266 AND 02259 (2002)`
  enumerate several serials of one station;
- a year before the station (`84 RIYADH 7002`, `2002 STATE 1234`) or in brackets after the serials
  (`(2002)`) is that citation's year; without one, the citing cable's own year is used (`XX` when
  that is unknown too);
- e-mails, telcons, airgrams (`TEHRAN'S A-077`), FBIS items and other non-cable sources are
  not stations and are skipped; the cable's own id is never a reference of itself.
"""
from __future__ import annotations

import re

from .fields import HEADER_WINDOW, full_year
from .ids import canonical_id
from .stations import station_code

_REF_START = re.compile(r"(?im)^[ \t]*(?:REFS?|REFTELS?|REFERENCES?)\b[ \t]*[:.]?")
_PARA_START = re.compile(r"(?m)^[ \t]*(?:\u00b6[ \t]?)?1\.[ \t]")
_STOP = re.compile(r"^[ \t]*(?:\([A-Z]{1,4}\)[ \t]*)?(?:CLASSIFIED[ \t]+BY|Classified[ \t]+[Bb]y|"
                   r"(?:\u00b6[ \t]?)?\d{1,2}\.[ \t]+\S|SUMMARY|BEGIN SUMMARY|E\.[ \t]?O\.|TAGS|SUBJ)")
_PAGE_BREAK = re.compile(r"^[ \t]*(?:\u00b6[ \t]*|PAGE[ \t]+\d{2}\b.*|(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|"
                         r"C O N F I D E N T I A L|S E C R E T|LIMITED OFFICIAL USE)(?:[ \t]+SECTION.*)?[ \t]*|"
                         r".*\bSECTION[ \t]+\d{1,2}[ \t]+OF[ \t]+\d{1,2}\b.*)$")
#: after a blank line the block goes on only with a line that cites something (`B. STATE 1234`)
_ITEM_CONTINUES = re.compile(r"(?i)^[^\n]{0,40}?\b[A-Z]{3,}[ \t]+\d{1,7}\b|^[ \t]*\u00b6?[A-Z]\.[ \t]")
_TOKEN = re.compile(r"\d+|[A-Z][A-Z'\u2019.-]*|[(),;:&]")
_NOISE = {"CABLE", "CABLES", "TEL", "TELS", "TELEGRAM", "NO", "NO.", "NOS", "NOS."}
_SEPARATORS = {",", "&", "AND"}
MAX_BLOCK_LINES = 30
MAX_LINE_CHARS = 400            # a REF line is short; a runaway line is cut, not tokenized whole


def ref_block(text: str) -> str | None:
    """Text of the REF block (lines joined by newlines, page-break lines dropped), or None."""
    window = text[:HEADER_WINDOW]
    para = _PARA_START.search(window)
    m = _REF_START.search(window, 0, para.start() if para else len(window))
    if not m:
        return None
    lines = window[m.end():].split("\n", MAX_BLOCK_LINES + 1)[:MAX_BLOCK_LINES]
    kept: list[str] = []
    blank = False
    for i, line in enumerate(lines):
        if i > 0 and _STOP.match(line):
            break
        if not line.strip():
            blank = True
            continue
        if _PAGE_BREAK.match(line):
            continue
        if blank and kept and not _ITEM_CONTINUES.match(line):
            break
        blank = False
        kept.append(line[:MAX_LINE_CHARS])
    return "\n".join(kept)


def _station_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Known station written at tokens[i:] (1-4 words): (code, number of tokens)."""
    for n in (4, 3, 2, 1):
        words = tokens[i:i + n]
        if len(words) < n or not all(w[0].isalpha() for w in words):
            continue
        code = station_code(" ".join(words).strip("."))
        if code:
            return code, n
    return None


def _year_token(tok: str) -> int | None:
    if tok.isdigit() and (len(tok) == 2 or (len(tok) == 4 and tok[:2] in ("19", "20"))):
        return full_year(tok)
    return None


def cited(block: str, own_year: int | None = None) -> list[str]:
    """Canonical ids cited in `block`, in order, duplicates dropped."""
    tokens = _TOKEN.findall(block.upper())
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        hit = _station_at(tokens, i)
        if hit is None:
            i += 1
            continue
        code, width = hit
        year = _year_token(tokens[i - 1]) if i > 0 else None
        j = i + width
        while j < n and tokens[j] in _NOISE:
            j += 1
        serials: list[str] = []
        while j < n and tokens[j].isdigit() and len(tokens[j]) <= 7:
            serials.append(tokens[j])
            j += 1
            if j + 1 < n and tokens[j] in _SEPARATORS and tokens[j + 1].isdigit():
                if _station_at(tokens, j + 2) is not None:   # `, 05 STATE 123`: a year, not a serial
                    break
                j += 1
                continue
            break
        if j + 2 < n and tokens[j] == "(" and _year_token(tokens[j + 1]) and tokens[j + 2] == ")":
            year = year or _year_token(tokens[j + 1])
            j += 3
        if year is None:
            year = own_year
        for serial in serials:
            ref = canonical_id(year, code, int(serial))
            if ref not in out:
                out.append(ref)
        i = max(j, i + 1)
    return out


def parse_references(text: str, own_year: int | None = None, own_id: str | None = None) -> list[str]:
    """Canonical ids cited in the REF block of `text` (a whole cable or only its REF block)."""
    block = ref_block(text)
    if block is None:
        return []
    return [ref for ref in cited(block, own_year) if ref != own_id]
