"""Release stamps, exemption codes and classification stamps of State Department FOIA releases.

Two stamp layouts occur, both repeated on every page:

* the multi-line block of the Benghazi committee productions (`UNCLASSIFIED` / `U.S. Department of
  State` / `Case No. F-2015-04841` / `Doc No. C05739545` / `Date: 05/13/2015`, with the committee
  notice and a Bates number `STATE-5CB0045247` beside it);
* the one-line form (`UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05767313
  Date: 10/30/2015`).

The release decision sits in the right margin of the first page, often torn over two or three lines
and interleaved with the stamp (`Date: 05/13/2015      RELEASE IN` / `PART B6`, `RELEASE` / `IN FULL`).
Exemption codes stand after it and in the right margin wherever text was withheld.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..segments import lines_of

_CASE = re.compile(r"Case No\.?\s*(F-\d{4}-\d{4,6})\b")
_DOC = re.compile(r"Doc No\.?\s*(C\d{8})\b")
_STAMP_DATE = re.compile(r"(?:Doc No\.?\s*C\d{8}\s+|^[ \t]*)Date:\s*(\d{2})/(\d{2})/(\d{4})\b", re.M)

# Pieces of a stamp line. A line made only of these (plus a little OCR debris) is page furniture.
_STRONG_PIECES = re.compile(
    r"UNCLASSIFIED\s+U\.\s?S\.\s+Department\s+of\s+State\s+Case\s+No\.?.{0,40}?Doc\s+No\.?\s*\S{0,12}"
    r"(?:\s+Date:\s*\S{0,12})?"
    r"|Case\s+No\.?\s*F\S{0,3}\s?\d{4}-\d{4,6}"
    r"|Doc\s+No\.?\s*C\d{7,9}"
    r"|STATE\s+DEPT\.\s*-\s*PRODUCED\s+TO\s+HOUSE\s+SELECT\s+BENGHAZI\s+COMM\."
    r"|SUBJECT\s+TO\s+AGREEMENT\s+ON\s+SENSITIVE\s+INFORMATION\s+&\s+REDACTIONS\.\s+NO\s+FOIA\s+WAIVER\."
    r"|\bSTATE-[0-9A-Z]{8,12}\b")
_WEAK_PIECES = re.compile(r"^(?:UNCLASSIFIED|U\.\s?S\.\s+Department\s+of\s+State|Date:\s*\d{2}/\d{2}/\d{4}|\d{1,3})$")
_WEAK_INLINE = re.compile(r"\bUNCLASSIFIED\b|U\.\s?S\.\s+Department\s+of\s+State|Date:\s*\d{2}/\d{2}/\d{4}")
#: OCR debris left beside a stamp (`Date: 09/30/2015„ ,   I`).
_DEBRIS = re.compile(r"^(?=.{0,80}$)[\W_]*(?:[A-Za-z][\W_]*)?$")

# Exemption codes (FOIA 5 U.S.C. 552(b)(1)-(9); E.O. 13526 section 1.4 reasons for B1).
# (each alternative matches a different text, so a failing match backtracks in linear time)
_CODE = r"(?:B\s?[1-9](?:\s?\(\s?[A-Fa-f]\s?\))?(?:[ \t]+(?:CIA[ \t]+PERS/ORG|[A-Z]{2,6}(?:/[A-Z]{2,6})?))?|1\.4\s?\(\s?[A-Ha-h]\s?\))"
CODES = rf"{_CODE}(?:[ \t]*,[ \t]*{_CODE}){{0,9}}"
_CODE_TOKEN = re.compile(r"B\s?([1-9])(?:\s?\(\s?([A-Fa-f])\s?\))?(?:\s+(CIA\s+PERS/ORG|[A-Z]{2,6}(?:/[A-Z]{2,6})?))?"
                         r"|1\.4\s?\(\s?([A-Ha-h])\s?\)")
#: Words that may stand on the release lines of the first page (checked token by token).
_RELEASE_WORDS = frozenset(("RELEASE", "IN", "FULL", "PART", "CIA", "PERS/ORG", "INA"))
_RELEASE_TOKEN = re.compile(r"B[1-9](?:\([A-Fa-f]\))?|1\.4(?:\([A-Ha-h]\))?|\([A-Ha-h]\)|B")


def _release_words(rest: str) -> bool:
    """Is `rest` made only of release words and exemption codes (`RELEASE IN`, `PART B5,B6`,
    `PERS/ORG,B6`, `1.4(B),B1,1.4(D)`)?"""
    tokens = [t for t in re.split(r"[\s,]+", rest) if t]
    return bool(tokens) and len(tokens) <= 20 and all(
        t in _RELEASE_WORDS or _RELEASE_TOKEN.fullmatch(t) for t in tokens)
_RELEASE = re.compile(r"RELEASE\s+IN\s+(FULL|PART)\b")

# Classification / declassification stamp of a document that held classified passages.
_DASH = r"[\s—–-]*"
_CLASS_STAMP = re.compile(
    r"Classified\s+by\s+(?P<by>[^\n—–]{1,60}?)\s+on\s+(?P<on>\d{2}/\d{2}/\d{4})" + _DASH +
    r"Class:\s*(?P<cls>[A-Z]{4,20})" + _DASH +
    r"Reason:\s*(?P<reason>(?:1\.4\s?\(\s?[A-Ha-h]\s?\)[,\s]*){1,8}?)" + _DASH +
    r"Declassify(?:\s+on:?)?[ \t]*(?P<decl>\d{2}/\d{2}/\d{4})?")
#: The declassification date pushed onto a later line by the layout (C05796940).
_LATE_DATE = re.compile(r"\n[^\n]{0,160}?[ \t]{4,}(?:on:?[ \t]*)?(\d{2}/\d{2}/\d{4})[ \t]*(?=\n|$)")
_CLASS_LINE = re.compile(r"Classified\s+by|\bClass:|\bReason:\s*1\.4|Declassify\s+on")


@dataclass(slots=True)
class Stamp:
    case_number: str | None = None
    doc_number: str | None = None
    release_date: dt.date | None = None
    release: str | None = None
    codes: list[str] = field(default_factory=list)        # exemption codes as printed in the stamp
    region_end: int = 0        # end of the first page's stamp block (kept in the text as `stamp`)
    flags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ClassStamp:
    start: int
    end: int
    text: str                  # normalized one-line form
    extra: tuple[int, int] | None = None    # a declassification date printed on a later line


def _majority(values: list[str]) -> str | None:
    if not values:
        return None
    return Counter(values).most_common(1)[0][0]


def _strip_stamp(line: str) -> tuple[str, bool, bool]:
    """(`line` without stamp pieces, had a strong piece, had a weak piece)."""
    rest, n_strong = _STRONG_PIECES.subn(" ", line)
    rest, n_weak = _WEAK_INLINE.subn(" ", rest)
    return rest.strip(), n_strong > 0, n_weak > 0


#: every stamp piece (`_STRONG_PIECES`, `_WEAK_INLINE`) holds one of these words: a line without
#: any is text, and costs three substring tests instead of two regex passes
_PIECE_WORDS = ("UNCLASSIFIED", "Case", "Doc", "STATE", "SUBJECT", "U.", "Date:")


def line_kind(line: str) -> str:
    """`strong`/`weak` page furniture, `blank`, or `text` (anything else)."""
    s = line.strip()
    if not s:
        return "blank"
    if len(s) > 400:
        return "text"
    if _WEAK_PIECES.match(s):
        return "weak"
    if not ("Date:" in s or "U." in s or "Case" in s or "Doc" in s or "UNCLASSIFIED" in s or "STATE" in s
            or "SUBJECT" in s):      # _PIECE_WORDS, spelled out (a generator costs more than the tests)
        return "text"
    rest, strong, weak = _strip_stamp(s)
    if (strong or weak) and _DEBRIS.match(rest):
        return "strong" if strong else "weak"
    return "text"


_CLASS_STAMP_PIECES = re.compile(r"Classified\s+by.*?(?:—|$)|Class:\s*[A-Z]+|Reason:\s*[\d.()A-H ,]+|"
                                 r"Declassify(?:\s+on:?)?(?:\s*\d{2}/\d{2}/\d{4})?|[—–]")


def _top_rest(line: str) -> tuple[str, bool]:
    """(what is left of a first-page line once the stamp pieces are gone, whether the line belongs
    to the stamp block)."""
    s = line.strip()
    if len(s) > 400:
        return s, False            # no stamp line is that long (and the patterns stay cheap)
    rest, strong, weak = _strip_stamp(s)
    is_class = bool(_CLASS_LINE.search(s))
    if is_class:
        rest = _CLASS_STAMP_PIECES.sub(" ", rest).strip()
    if not rest or _release_words(rest):
        return rest, True
    return rest, (strong or weak or is_class) and bool(_DEBRIS.match(rest))


def region_end(text: str) -> int:
    """End of the first page's stamp block: the leading run of stamp lines, release lines,
    exemption codes, classification stamp lines and blank lines."""
    end = 0
    head = text[:6000]
    pos = 0
    while pos <= len(head):           # line by line, stopping at the first text line
        nl = head.find("\n", pos)
        line_end = len(head) if nl < 0 else nl
        line = head[pos:line_end]
        if line.strip():
            if not _top_rest(line)[1]:
                break
            end = line_end
        pos = line_end + 1
    return end


def parse_stamp(text: str) -> Stamp:
    """Ids, release date and release decision from the stamps of `text` (the decoded document).
    The stamp repeats on every page and OCR mangles some copies (`Case No. FL 2014-20439`), so each
    value is the one most copies agree on; a disagreement is flagged."""
    s = Stamp()
    docs = _DOC.findall(text)
    cases = _CASE.findall(text)
    dates = ["/".join(m) for m in _STAMP_DATE.findall(text)]
    s.doc_number, s.case_number = _majority(docs), _majority(cases)
    if len(set(docs)) > 1:
        s.flags.append("stamp_doc_number_varies")
    if date := _majority(dates):
        mm, dd, yyyy = date.split("/")
        try:
            s.release_date = dt.date(int(yyyy), int(mm), int(dd))
        except ValueError:
            s.flags.append("stamp_date_invalid")
    s.region_end = region_end(text)
    release_words: list[str] = []
    for line in lines_of(text[:s.region_end]):
        rest = _top_rest(line.text)[0]
        if rest and _release_words(rest):
            release_words.append(rest)
    joined = re.sub(r"\s+", " ", " ".join(release_words))
    if m := _RELEASE.search(joined):
        s.release = f"RELEASE IN {m.group(1)}"
        s.codes = [c.group(0) for c in _CODE_TOKEN.finditer(joined[m.end():])]
    elif re.fullmatch(rf"(?:{_CODE}|[ ,])+", joined or "-"):
        s.codes = [c.group(0) for c in _CODE_TOKEN.finditer(joined)]
    return s


def normalize_exemptions(codes: list[str]) -> list[str]:
    """Exemption codes as printed -> one entry per exemption, each once, in statute order.

    `B5`, `B6`, `B7(A)` stand alone; B1 carries the E.O. 13526 section 1.4 reasons found anywhere in
    the document (`B1,1.4(B),1.4(D)`); B3 carries the statute when one is printed (`B3 INA`,
    `B3 CIA PERS/ORG`). Reasons seen without any B1 stay as their own entries (`1.4(D)`)."""
    plain: set[tuple[int, str]] = set()
    statutes: set[str] = set()
    reasons: set[str] = set()
    for code in codes:
        for m in _CODE_TOKEN.finditer(code):
            if m.group(4):
                reasons.add(m.group(4).upper())
                continue
            n, sub, statute = int(m.group(1)), (m.group(2) or "").upper(), m.group(3)
            if n == 3 and statute:
                statutes.add(re.sub(r"\s+", " ", statute))
            else:
                plain.add((n, sub))
    out: list[tuple[int, str, str]] = []
    for n, sub in plain:
        if n == 1:
            out.append((1, "", "B1" + "".join(f",1.4({r})" for r in sorted(reasons))))
        elif not (n == 3 and statutes):
            out.append((n, sub, f"B{n}({sub})" if sub else f"B{n}"))
    for statute in statutes:
        out.append((3, statute, f"B3 {statute}"))
    if reasons and (1, "") not in plain:
        out.extend((0, r, f"1.4({r})") for r in reasons)
    return [code for _, _, code in sorted(out)]


def find_class_stamps(text: str) -> list[ClassStamp]:
    """Classification/declassification stamps (`Classified by DAS, A/GIS, DoS on 06/30/2015 — Class:
    CONFIDENTIAL — Reason: 1.4(B), 1.4(D) — Declassify on: 07/25/2024`), wherever they stand and
    however the layout tore them."""
    out: list[ClassStamp] = []
    for m in _CLASS_STAMP.finditer(text):
        decl = m.group("decl")
        extra = None
        if not decl and (late := _LATE_DATE.match(text, m.end())):
            decl, extra = late.group(1), (late.start(1), late.end(1))
        reasons = ", ".join(f"1.4({r.upper()})" for r in re.findall(r"1\.4\s?\(\s?([A-Ha-h])\s?\)", m.group("reason")))
        by = re.sub(r"\s+", " ", m.group("by")).strip()
        norm = (f"Classified by {by} on {m.group('on')} — Class: {m.group('cls')} — Reason: {reasons}"
                f" — Declassify on: {decl or '?'}")
        out.append(ClassStamp(m.start(), m.end(), norm, extra))
    return out
