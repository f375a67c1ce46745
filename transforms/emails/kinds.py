"""FOIA documents without an email header: what they are (`doc_kind`) and the fields they do have.

Kinds come from the rules in `data/doc_kinds.tsv` (first match wins, else `other`). Fields:

* every kind: `subject` = the title (the first lines of the document, its markings such as
  `SENSITIVE BUT UNCLASSIFIED` or `CONFIDENTIAL` skipped, cells of a line split at wide gaps),
  `doc_date` = the first full date among the first lines (`Saturday, November 26, 2011`,
  `Updated 6/14/2011`);
* memos: `sender`/`to`/`subject`/`doc_date` from their own header (`For: Hillary` / `From: Sid` /
  `Re: ...`, or `FROM:` / `TO:` / `DATE:` / `RE:`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from ..data import data_lines
from ..records import Addressee
from .addresses import parse_addressee
from .dates import month_number

_MARKING = re.compile(r"^(?:(?:SENSITIVE BUT )?UNCLASSIFIED|CONFIDENTIAL|SECRET|SBU|DRAFT|MEMO(?:RANDUM)?|"
                      r"\W{1,6}|\[[^\]]{0,30}\]|[A-Z\W]{0,3})$")
_LONG_DATE = re.compile(r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b")
_SHORT_DATE = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)?\d{2})\b")
_MEMO_FIELD = re.compile(r"^[ \t]*(?P<label>For|FOR|To|TO|From|FROM|Re|RE|Subject|SUBJECT|Date|DATE)[ \t]*:?[ \t]+"
                         r"(?P<value>\S.{0,200}?)[ \t]*$")
_FIELD_OF = {"for": "to", "to": "to", "from": "from", "re": "subject", "subject": "subject", "date": "date"}


@dataclass(slots=True)
class Headerless:
    kind: str = "other"
    subject: str | None = None
    doc_date: dt.date | None = None
    sender: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


@functools.cache
def _rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for line in data_lines("transforms.emails", "data/doc_kinds.tsv"):
        kind, rx = line.split("\t", 1)
        out.append((kind, re.compile(rx, re.M)))
    return tuple(out)


def doc_kind_of(text: str) -> str:
    head = text[:3000]
    for kind, rx in _rules():
        if rx.search(head):
            return kind
    return "other"


def find_date(text: str) -> dt.date | None:
    """The first full date in `text` (`November 26, 2011`, `6/14/2011`)."""
    best: tuple[int, dt.date] | None = None
    for m in _LONG_DATE.finditer(text):
        month = month_number(m.group("mon"))
        if month:
            try:
                best = (m.start(), dt.date(int(m.group("year")), month, int(m.group("day"))))
                break
            except ValueError:
                continue
    if m := _SHORT_DATE.search(text):
        year = int(m.group("y"))
        year += 2000 if year < 100 else 0
        try:
            d = dt.date(year, int(m.group("m")), int(m.group("d")))
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
        except ValueError:
            pass
    return best[1] if best else None


def _title(lines: list[str]) -> str | None:
    """The first lines of the document up to a blank line, markings and dates left out."""
    parts: list[str] = []
    for line in lines:
        if not line.strip():
            if parts:
                break
            continue
        cells = [c.strip() for c in re.split(r"[ \t]{3,}", line.strip()) if c.strip()]
        cells = [c for c in cells if not _MARKING.match(c) and not _SHORT_DATE.fullmatch(c)
                 and not re.match(r"(?i)updated\b", c) and not re.search(r"[\[\]]", c)]
        if not cells:
            continue
        if _LONG_DATE.search(cells[0]) and len(cells[0]) < 40:
            if parts:
                break
            continue
        if parts and (len(cells[0]) > 90 or cells[0][:1].islower()):
            break
        parts.append(cells[0])
        if len(parts) == 3:
            break
    title = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return title or None


def headerless_fields(text: str, start: int) -> Headerless:
    """Kind and fields of a document without an email header; `start` is the end of its stamp."""
    body = text[start:]
    h = Headerless(kind=doc_kind_of(body))
    raw_lines = body.split("\n")[:60]
    lines = [ln for ln in raw_lines if ln.strip()]
    head = "\n".join(lines[:15])
    if h.kind == "memo":
        found: dict[str, str] = {}
        for line in lines[:15]:
            m = _MEMO_FIELD.match(line)
            if m and (key := _FIELD_OF[m.group("label").lower()]) not in found:
                found[key] = m.group("value")
        if found.get("from"):
            h.sender = parse_addressee(found["from"])
            h.provenance["sender"] = "memo_header"
        if found.get("to"):
            h.to = [parse_addressee(found["to"])]
            h.provenance["to"] = "memo_header"
        if found.get("subject"):
            h.subject = re.sub(r"\s+", " ", found["subject"]).strip()
            h.provenance["subject"] = "memo_header"
        if found.get("date"):
            h.doc_date = find_date(found["date"])
    if h.subject is None:
        h.subject = _title(raw_lines)
        if h.subject:
            h.provenance["subject"] = "title"
    if h.doc_date is None:
        h.doc_date = find_date(head)
    if h.doc_date:
        h.provenance["doc_date"] = "memo_header" if h.kind == "memo" and "DATE" in head.upper() else "text"
    return h
