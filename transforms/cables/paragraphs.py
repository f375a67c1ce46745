"""Cable paragraphs: split on the cable's own numbering, keep numbers and markings.

A paragraph starts at a line that begins with its number (`¶1.`, `1.`, `¶ 1.`) or, for extracts
that lost their numbers, with a marking (`(SBU) ...`). Blocks without either continue the
paragraph before them (seed 003 ¶2 runs over a blank line). Text before the first paragraph is the
`header` row; short trailing lines (the signature, `NNNN`, web-site boilerplate) are `signature`
rows. A cable with no numbered paragraphs is split on blank lines.
"""
from __future__ import annotations

import re

from ..segments import Span, blocks, trim

MARKING = r"(?:TS|S|C|U|SBU|FOUO|LOU|S/NF|C/NF|S//NF|C//NF|U//FOUO|SBU/NF|S/REL[ A-Z/]*|C/REL[ A-Z/]*|NF)"
_START = re.compile(
    r"(?m)^[ \t]*(?:(?P<pil>\u00b6[ \t]?)?(?P<num>\d{1,3})\.[ \t]+(?=\S)|(?=\(" + MARKING + r"\)))"
    r"(?:\((?P<mark>" + MARKING + r")\)|(?P<badmark>" + MARKING + r"\)))?")
_SUMMARY = re.compile(r"\A(?:\(\w+\)\s*)?(?:BEGIN\s+)?SUMMARY\b", re.I)
_COMMENT = re.compile(r"\A(?:\(\w+\)\s*)?(?:BEGIN\s+)?COMMENT\b", re.I)
_SIGNATURE_LINE = re.compile(r"\A(?:[A-Z][A-Za-z'.-]{1,30}(?:[ \t]+[A-Z][A-Za-z'.-]{1,30}){0,2}|NNNN|BT)\Z")
_BOILERPLATE = re.compile(r"(?i)^(?:Please visit|Visit [A-Z].*(?:Classified|SIPRNET)|\[?https?://|NNNN|BT\s*$|"
                          r"END OF MESSAGE)")


def _number_ok(num: int, last: int) -> bool:
    # numbered paragraphs increase; allow a skip (a paragraph lost to a page break) but not a
    # jump back, so list items `1.` `2.` inside a paragraph 7 are not taken for paragraphs.
    return last == 0 or last < num <= last + 3


def _signature_spans(text: str, start: int, end: int) -> tuple[int, list[Span]]:
    """Peel signature/boilerplate lines off the end of `text[start:end]`."""
    sig: list[Span] = []
    cut = end
    lines = list(re.finditer(r"[^\n]+", text[start:end]))
    for m in reversed(lines):
        line = m.group(0).strip()
        ls, le = start + m.start(), start + m.end()
        if not line:
            continue
        if _SIGNATURE_LINE.match(line) or _BOILERPLATE.match(line) or line.startswith("[http"):
            sig.insert(0, Span(ls, le, "signature"))
            cut = ls
            continue
        break
    # boilerplate lines that continue over two lines belong together
    merged: list[Span] = []
    for span in sig:
        if merged and text[merged[-1].end:span.start].count("\n") <= 1 and not _SIGNATURE_LINE.match(
                text[span.start:span.end].strip()):
            merged[-1].end = span.end
        else:
            merged.append(span)
    return cut, merged


def signer_from(text: str, spans: list[Span]) -> str | None:
    for span in reversed(spans):
        if span.section != "signature":
            continue
        line = text[span.start:span.end].strip()
        if line in {"NNNN", "BT"} or not _SIGNATURE_LINE.match(line):
            continue
        return " ".join(w.capitalize() if w.isupper() else w for w in line.split())
    return None


def section_of(text: str) -> str:
    if _SUMMARY.match(text):
        return "summary"
    if _COMMENT.match(text):
        return "comment"
    return "body"


def segment_cable(text: str, body_start: int = 0) -> list[Span]:
    """Spans of `text` (the cleaned cable). `body_start` is where the header ends at the latest
    known point (after SUBJECT/REF/Classified By), so header lines like `1. ` in a REF list are
    not taken for paragraphs."""
    starts: list[re.Match[str]] = []
    last = 0
    for m in _START.finditer(text, body_start):
        num = int(m.group("num")) if m.group("num") else None
        if num is not None:
            if not _number_ok(num, last):
                continue
            last = num
        elif (not m.group("mark") and not m.group("badmark")) or last > 0:
            continue  # an unnumbered marked line after numbering began continues its paragraph
        starts.append(m)
    cut, sig = _signature_spans(text, starts[-1].end() if starts else body_start, len(text))
    spans: list[Span] = []
    if not starts:
        head_end = body_start
        spans.append(Span(0, head_end, "header"))
        for s, e in blocks(text, head_end, cut):
            spans.append(Span(s, e, section_of(text[s:e])))
        return spans + sig
    spans.append(Span(0, starts[0].start(), "header"))
    inferred = 0
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else cut
        s, e = trim(text, m.start(), end)
        num = int(m.group("num")) if m.group("num") else None
        if num is None:
            inferred += 1
            num = inferred  # unnumbered but marked paragraphs at the start: seed 000 ¶1, ¶2
        else:
            inferred = num
        mark = m.group("mark") or m.group("badmark")  # malformed `C)` kept as printed
        body = text[m.end():e]
        spans.append(Span(s, e, section_of(body.lstrip()), num, mark))
    return spans + sig
