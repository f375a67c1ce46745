"""Email header blocks: `From:`/`Sent:`/`To:`/`Cc:`/`Subject:` in their pdftotext shapes.

Shapes: one label per line with the value after a run of spaces; labels without the colon
(`Sent   Monday, ...`) or with a semicolon (`From;`); values wrapped onto the next line; and the
jumbled shape of seed 001, where all labels stand on one line and all values on the next
(`From: Sent: To: Cc:<TAB>Abedin, Huma <abedinh@state.gov> Friday, January 13, 2012 11:50 PM H
Hanley, Monica R`), which is split by the shape of each value (an addressee, then a date, then
names).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

from ..segments import lines_of

LABELS = ("From", "Sent", "Date", "To", "Cc", "Bcc", "Subject", "Attachments", "Importance")
_LABEL_LINE = re.compile(r"^[ \t]*(From|Sent|Date|To|Cc|CC|Bcc|Subject|Attachments|Importance)[ \t]*[:;]?(?:[ \t]+(.*?))?[ \t]*$")
_JUMBLED = re.compile(r"^[ \t]*((?:(?:From|Sent|To|Cc|Subject)[ \t]*:[ \t]*){2,})(.*)$")
_WEEKDAY_DATE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)),?\s+"
    r"(?:[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]{2}\s+\d{1,2}\s+[\d:]+\s+\d{4})"
    r"(?:\s*,?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]\.?M\.?)?)?", re.I)
_NAME = re.compile(r"[A-Z][\w'.-]+,\s+[A-Z][\w'.-]+(?:\s+[A-Z]\b\.?)?|[A-Z][\w'.@-]*")


@dataclass(slots=True)
class Header:
    start: int
    end: int
    fields: dict[str, str] = field(default_factory=dict)
    jumbled: bool = False


def parse_sent(value: str | None) -> dt.datetime | None:
    """Header date as printed (naive: the header's time zone is unknown)."""
    if not value:
        return None
    v = re.sub(r"(\d{4})(\d{1,2}:\d{2})", r"\1 \2", value)  # `201111:08 AM` -> `2011 11:08 AM`
    m = _WEEKDAY_DATE.search(v)
    candidate = m.group(0) if m else v
    try:
        return dateparser.parse(candidate, fuzzy=True, default=dt.datetime(1900, 1, 1)).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


def _split_jumbled(labels: list[str], values: str) -> dict[str, str]:
    out: dict[str, str] = {}
    rest = values.strip()
    if "From" in labels:
        m = re.match(r"(.*?>)\s*", rest) or re.match(r"(.*?)\s+(?=" + _WEEKDAY_DATE.pattern + ")", rest, re.I)
        if m:
            out["From"], rest = m.group(1).strip(), rest[m.end():].strip()
    if "Sent" in labels:
        m = _WEEKDAY_DATE.search(rest)
        if m:
            out["Sent"] = m.group(0).strip()
            rest = (rest[:m.start()] + " " + rest[m.end():]).strip()
    names = [n.group(0) for n in _NAME.finditer(rest)]
    remaining = [lab for lab in labels if lab in ("To", "Cc")]
    if remaining and names:
        out[remaining[0]] = names[0]
        if len(remaining) > 1:
            out[remaining[1]] = "; ".join(names[1:])
    return out


def find_headers(text: str) -> list[Header]:
    """Every header block in `text`, in order. A block needs a From line and at least one of
    Sent/Date/To/Subject within the next lines."""
    lines = lines_of(text)
    headers: list[Header] = []
    i = 0
    while i < len(lines):
        line = lines[i].text
        j = _JUMBLED.match(line)
        if j and j.group(1).lstrip().startswith("From"):
            labels = re.findall(r"From|Sent|To|Cc|Subject", j.group(1))
            h = Header(lines[i].start, lines[i].end, _split_jumbled(labels, j.group(2)), jumbled=True)
            k = i + 1
            while k < len(lines) and (m := _LABEL_LINE.match(lines[k].text)) and m.group(1) != "From":
                h.fields[m.group(1).capitalize()] = (m.group(2) or "").strip()
                h.end = lines[k].end
                k += 1
            headers.append(h)
            i = k
            continue
        m = _LABEL_LINE.match(line)
        if m and m.group(1) == "From":
            h = Header(lines[i].start, lines[i].end, {"From": (m.group(2) or "").strip()})
            k = i + 1
            last = "From"
            while k < len(lines) and k <= i + 12:
                nxt = lines[k].text
                lm = _LABEL_LINE.match(nxt)
                if lm and lm.group(1) != "From" and lm.group(1).capitalize() not in h.fields:
                    last = lm.group(1).capitalize()
                    h.fields[last] = (lm.group(2) or "").strip()
                    h.end = lines[k].end
                elif nxt.strip() and last in ("To", "Cc") and not lm and (";" in nxt or "@" in nxt) and \
                        len(nxt.strip()) < 200:
                    h.fields[last] += " " + nxt.strip()   # wrapped recipient list
                    h.end = lines[k].end
                elif nxt.strip():
                    break
                k += 1
            if len(h.fields) >= 2 and any(x in h.fields for x in ("Sent", "Date", "To", "Subject")):
                headers.append(h)
                i = k
                continue
        i += 1
    return headers
