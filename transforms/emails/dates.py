"""Header dates as printed (`Sent:`/`Date:` lines, `On ... wrote:`), OCR slips included.

Forms: Outlook `Wednesday, September 12, 2012 10:16 AM`, BlackBerry `Sat May 02 17:45:57 2009`,
RFC 2822 `Mon, 28 Feb 2011 08:37:23 +0000`, Gmail `Mon, May 4, 2009 at 8:44 AM`, Apple
`Sep 15, 2009, at 2:39 PM`. OCR slips that are repaired because only one reading exists: a year
glued to the hour (`201111:08 AM` is `2011 11:08 AM`: years are four digits), a day glued to the hour
(`Wed Oct 2806:37:17 2009`), a month name with a letter lost or a space inside (`Se tember`,
`Janua`), a truncated weekday (`Wednesda`). A time with a lost digit (`02: 4 PM`) or a garbled
line (`MoiiSeoOL1601142009`) gives None: a wrong timestamp is worse than none.

The result is naive: the header's time zone is not known (a trailing `Eastern Standard Time` or
`+0000` is ignored, since the other messages of the chain carry none).
"""
from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_AMPM = r"(?P<ap>[AaPp]\.?\s?[Mm]\.?)"
_TIME = rf"(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))?(?:\s*{_AMPM})?"
DATE_FORMS = (
    # Outlook / Gmail / Apple: [Weekday,] Month Day[,] Year[,] [at] H:MM [AM]
    re.compile(rf"(?:(?P<wd>[A-Za-z]{{3,10}})\.?,?\s+)?(?P<mon>[A-Za-z](?:[A-Za-z]|\s(?=[a-z])){{1,11}})\.?\s+"
               rf"(?P<day>\d{{1,2}}),?\s*(?P<year>(?:19|20)\d{{2}}),?\s+(?:at\s+)?{_TIME}"),
    # BlackBerry: Wkd Mon DD HH:MM:SS YYYY
    re.compile(rf"(?P<wd>[A-Za-z]{{3}})\s+(?P<mon>[A-Za-z]{{3,9}})\s+(?P<day>\d{{1,2}})\s+{_TIME}\s+(?P<year>(?:19|20)\d{{2}})"),
    # RFC 2822: [Wkd,] DD Mon YYYY HH:MM[:SS]
    re.compile(rf"(?:(?P<wd>[A-Za-z]{{3}}),\s+)?(?P<day>\d{{1,2}})\s+(?P<mon>[A-Za-z]{{3,9}})\s+(?P<year>(?:19|20)\d{{2}})\s+{_TIME}"),
)
_GLUED_YEAR = re.compile(r"\b((?:19|20)\d{2})(\d{1,2}:\d{2})")
_GLUED_DAY = re.compile(r"(?<=[A-Za-z]{3} )(\d{2})(\d{2}:\d{2}:\d{2})\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def month_number(token: str) -> int | None:
    """`September`, `Sep`, `Se tember`, `Janua` -> month number; None when no single month fits."""
    t = re.sub(r"[^a-z]", "", token.lower())
    if len(t) < 3:
        return None
    for i, name in enumerate(_MONTHS):
        if t == name or t == name[:3] or (t == "sept" and i == 8):
            return i + 1
    prefixes = [i for i, name in enumerate(_MONTHS) if name.startswith(t)]
    if len(prefixes) == 1 and len(t) >= 4:
        return prefixes[0] + 1
    best = process.extract(t, _MONTHS, scorer=Levenshtein.distance, limit=2)
    if best and best[0][1] <= 2 and len(t) >= 5 and (len(best) < 2 or best[1][1] > best[0][1]):
        return _MONTHS.index(best[0][0]) + 1
    return None


def _weekday_ok(token: str | None, value: dt.datetime) -> bool:
    if not token:
        return True
    t = token.lower()
    if len(t) < 3:
        return True
    return _WEEKDAYS[value.weekday()].startswith(t[:3])


def parse_sent(value: str | None) -> dt.datetime | None:
    """A header date -> naive datetime, or None when the text does not give one reading."""
    if not value:
        return None
    v = _GLUED_YEAR.sub(r"\1 \2", value[:200])
    v = _GLUED_DAY.sub(r"\1 \2", v)
    for rx in DATE_FORMS:
        m = rx.search(v)
        if not m:
            continue
        month = month_number(m.group("mon"))
        if month is None:
            continue
        hour, minute = int(m.group("h")), int(m.group("mi"))
        ap = (m.group("ap") or "").lower().replace(".", "").replace(" ", "")
        if ap:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ap.startswith("p") else 0)
        try:
            out = dt.datetime(int(m.group("year")), month, int(m.group("day")), hour, minute,
                              int(m.group("s") or 0))
        except ValueError:
            continue
        wd = m.group("wd")
        if wd and month_number(wd) is None and not _weekday_ok(wd, out):
            continue
        return out
    return None
