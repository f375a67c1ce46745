"""Email header blocks in their pdftotext shapes -> `Header`s with the raw field values.

Shapes handled:

* Outlook blocks, one label per line (`From:`, `Sent:`, `To:`, `Cc:`, `Subject:`, `Attachments:`,
  `Importance:`), in any order (BlackBerry prints `From/To/Sent/Subject`), with OCR'd labels
  (`prom:`, `From;`, `Subject` without its colon; see `data/header_labels.csv`), a value wrapped
  onto the next line (aligned under the value column, or sandwiched between two labels), a `To:`
  repeated once per recipient, a page break inside the block (`clean.py` joins it), `>`/`»` quote
  marks and stray OCR marks (`•Sent:`, `,To:`) in front of the lines; a blank line ends a block;
* the jumbled shape of seed 001: all labels on one line and all values after them
  (`From: Sent: To: Cc:<TAB>Abedin, Huma <abedinh@state.gov> Friday, January 13, 2012 11:50 PM H
  Hanley, Monica R`), split by the shape of each value (an addressee, then a date, then names);
* reply lines: `On Mon, May 4, 2009 at 8:44 AM, H <HDR22@clintonemail.com> wrote:` and `H wrote:`.

A block needs a From line and one of Sent/Date/To/Subject; a `From: Sid` line inside a memo is not
a header. Every pattern is anchored to one line (bounded by the line length) and linear.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..data import data_lines
from ..segments import Line, lines_of
from .dates import DATE_FORMS

#: Labels whose value may be wrapped onto the next line.
_WRAPPING = ("To", "Cc", "Bcc", "Subject", "Attachments")
_QUOTE = re.compile(r"^[ \t]*(?:[>»][ \t]*)+|^[ \t]*[•·,.'`](?=[A-Z][a-z]{1,11}[ \t]*[:;])")
_SEPARATOR = re.compile(r"(?i)^[ \t>»•\-—–_=*]*(?:original message|forwarded message|forwarded by\b.*)"
                        r"[ \t\-—–_=*]*$")
#: Header patterns look at this many characters of a line at most (a line of 100,000 spaces costs
#: the same as a short one).
LINE_WINDOW = 400
_ON_WROTE = re.compile(r"^On[ \t]+(?P<date>.{6,60}?\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[AaPp]\.?[Mm]\.?)?)[ \t]*,?"
                       r"[ \t]+(?P<who>.{1,120}?)[ \t]*wrote:[ \t]*$")
_WHO_WROTE = re.compile(r"^(?P<who>[A-Z][\w.,' -]{0,40}?)[ \t]+wrote:[ \t]*$")
_NAME = re.compile(r"[A-Z][\w'.-]+,\s+[A-Z][\w'.-]+(?:\s+[A-Z]\b\.?)?|[A-Z][\w'.@-]*")


@dataclass(slots=True)
class Header:
    start: int                 # first character of the block (of its separator line, if any)
    end: int                   # end of the last header line
    fields: dict[str, str] = field(default_factory=dict)
    style: str = "block"       # block | jumbled | wrote


@functools.cache
def _label_table() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    variants: dict[str, str] = {}
    for line in data_lines("transforms.emails", "data/header_labels.csv"):
        variant, label = (p.strip() for p in line.split(","))
        variants[variant] = label
    alt = "|".join(sorted(map(re.escape, variants), key=len, reverse=True))
    # `Label: value`, `Label; value`, `Label   value` (colon lost); the value may be empty
    labeled = re.compile(rf"^(?P<label>{alt})(?:[ \t]*[:;][ \t]*|[ \t]+(?=\S)|[ \t]*$)(?P<value>.*)$")
    jumbled = re.compile(rf"^((?:(?:{alt})[ \t]*:[ \t]*){{2,}})(.*)$")
    return variants, labeled, jumbled


def _unquote(text: str) -> tuple[str, int]:
    """(line without leading white space, quote marks and one stray OCR mark (`•Sent:`, `,To:`),
    how many characters were dropped)."""
    text = text[:LINE_WINDOW]
    m = _QUOTE.match(text)
    if m:
        return text[m.end():], m.end()
    stripped = text.lstrip(" \t")
    return stripped, len(text) - len(stripped)


def label_match(line: str) -> tuple[str, str, int] | None:
    """(label, value, column of the value) when `line` is a header label line."""
    return _label_match_unquoted(*_unquote(line))


def _label_match_unquoted(body: str, skip: int) -> tuple[str, str, int] | None:
    """`label_match` of a line already split by `_unquote`."""
    variants, labeled, _ = _label_table()
    m = labeled.match(body)
    if not m:
        return None
    label = variants[m.group("label")]
    value = m.group("value").rstrip(" \t")
    colon = re.match(r"[^ \t:;]*[ \t]*[:;]", body) is not None
    if not colon and not value:
        return None                # a bare `To` is a word, not a label
    return label, value, skip + m.start("value")


def label_of(line: str) -> str | None:
    m = label_match(line)
    return m[0] if m else None


def _has_colon(line: str) -> bool:
    body, _ = _unquote(line)
    return re.match(r"[A-Za-z]{2,12}[ \t]*[:;]", body) is not None


def _split_jumbled(labels: list[str], values: str) -> dict[str, str]:
    """Seed 001's jumbled line: an addressee for From, a date for Sent, names for To and Cc."""
    out: dict[str, str] = {}
    rest = values.strip()
    if "From" in labels:
        m = re.match(r"(.*?>)\s*", rest)
        if not m:
            for rx in DATE_FORMS:
                if (d := rx.search(rest)) and d.start() > 0:
                    m = re.match(r"(.*?)\s+(?=\S)", rest[:d.start()] + " ")
                    break
        if m:
            out["From"], rest = m.group(1).strip(), rest[m.end():].strip()
    if "Sent" in labels:
        for rx in DATE_FORMS:
            if d := rx.search(rest):
                out["Sent"] = d.group(0).strip()
                rest = (rest[:d.start()] + " " + rest[d.end():]).strip()
                break
    names = [n.group(0) for n in _NAME.finditer(rest)]
    remaining = [lab for lab in labels if lab in ("To", "Cc")]
    if remaining and names:
        out[remaining[0]] = names[0]
        if len(remaining) > 1:
            out[remaining[1]] = "; ".join(names[1:])
    return out


def _collect_block(lines: list[Line], i: int) -> tuple[Header, int]:
    """Read the block whose From line is `lines[i]`; returns it and the index after it."""
    label, value, col = label_match(lines[i].text)  # type: ignore[misc]
    h = Header(lines[i].start, lines[i].end, {"From": value})
    last, last_col = "From", col
    k = i + 1
    while k < len(lines) and k <= i + 30:
        text = lines[k].text
        body, _ = _unquote(text)
        if not body.strip():
            break                   # a page break inside a block was joined when the stamp went
        lm = label_match(text)
        if lm and lm[0] == "From":
            break
        if lm and (lm[0] not in h.fields or lm[0] in ("To", "Cc")):
            lab, val, vcol = lm
            if lab in h.fields and h.fields[lab]:
                h.fields[lab] = f"{h.fields[lab]}; {val}" if val else h.fields[lab]
            else:
                h.fields[lab] = val
            last, last_col = lab, vcol
            h.end = lines[k].end
            k += 1
            continue
        if lm:
            break                   # a label seen twice: the next block starts
        if last in _WRAPPING and _continues(lines, k, last_col, h.fields.get(last, "")):
            stripped = body.strip()
            if last in ("To", "Cc", "Bcc") and h.fields[last] and not re.match(r"[<\[(]", stripped) \
                    and not h.fields[last].rstrip().endswith((";", ",")):
                h.fields[last] = f"{h.fields[last]}; {stripped}"
            else:
                h.fields[last] = f"{h.fields[last]} {stripped}".strip()
            h.end = lines[k].end
            k += 1
            continue
        break
    return h, k


def _continues(lines: list[Line], k: int, value_col: int, value: str) -> bool:
    """Is `lines[k]` the wrapped rest of the previous label's value?"""
    text = lines[k].text
    indent = len(text) - len(text.lstrip(" \t"))
    if value and value_col >= 15 and indent >= value_col - 2:
        return True                # layout mode: aligned under the value column
    nxt = lines[k + 1].text if k + 1 < len(lines) else ""
    if (lm := label_match(nxt)) and lm[0] != "From" and _has_colon(nxt):
        return True                # sandwiched between two labels
    body = _unquote(text)[0].strip()
    return bool(value) and (body.startswith("<") or ";" in body) and len(body) < 200


def _wrote(lines: list[Line], i: int, body: str | None = None) -> tuple[Header, int] | None:
    """`body` is `_unquote(lines[i].text)[0]` when the caller has it."""
    if body is None:
        body, _ = _unquote(lines[i].text)
    if "wrote:" not in body and "On " not in body:
        return None                # neither pattern can match (cheap test first)
    body = body.strip()
    end_line = i
    if body.startswith("On ") and "wrote:" not in body and i + 1 < len(lines):
        nxt = _unquote(lines[i + 1].text)[0].strip()
        if nxt.endswith("wrote:") and len(nxt) < 120:
            body, end_line = f"{body} {nxt}", i + 1
    m = _ON_WROTE.match(body)
    if m:
        fields = {"From": m.group("who"), "Sent": m.group("date")}
    elif (m := _WHO_WROTE.match(body)):
        fields = {"From": m.group("who")}
    else:
        return None
    return Header(lines[i].start, lines[end_line].end, fields, "wrote"), end_line + 1


def _separator_start(lines: list[Line], i: int) -> int | None:
    """Start of an `Original Message` line standing just above the header at `lines[i]`."""
    k = i - 1
    seen = 0
    while k >= 0 and seen < 3:
        body = _unquote(lines[k].text)[0]
        if body.strip():
            return lines[k].start if _SEPARATOR.match(body) else None
        seen += 1
        k -= 1
    return None


def find_headers(text: str, start: int = 0) -> list[Header]:
    """Every header block of `text` after `start`, in order."""
    _, _, jumbled = _label_table()
    lines = [ln for ln in lines_of(text) if ln.start >= start]
    headers: list[Header] = []
    i = 0
    while i < len(lines):
        body, skip = _unquote(lines[i].text)
        j = jumbled.match(body)
        if j and label_of(body) == "From":
            labels = [_label_table()[0][x] for x in re.findall(r"[A-Za-z]+", j.group(1))
                      if x in _label_table()[0]]
            h = Header(lines[i].start, lines[i].end, _split_jumbled(labels, j.group(2)), "jumbled")
            k = i + 1
            while k < len(lines) and (lm := label_match(lines[k].text)) and lm[0] != "From":
                h.fields[lm[0]] = lm[1]
                h.end = lines[k].end
                k += 1
            headers.append(h)
            i = k
            continue
        lm = _label_match_unquoted(body, skip)
        if lm and lm[0] == "From":
            h, k = _collect_block(lines, i)
            if any(x in h.fields for x in ("Sent", "Date", "To", "Subject")):
                sep = _separator_start(lines, i)
                if sep is not None:
                    h.start = sep
                headers.append(h)
                i = k
                continue
        w = _wrote(lines, i, body)
        if w:
            headers.append(w[0])
            i = w[1]
            continue
        i += 1
    return headers

