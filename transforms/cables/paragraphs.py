"""Cable paragraphs: split on the cable's own numbering, keep numbers and markings.

A paragraph starts at a line that begins with its number (`¶1.`, `1.`, `¶ 1.`, `1.(U)`) or, for
extracts that lost their numbers, with a marking (`(SBU) ...`). Numbers must rise (a skip of up
to three is allowed for a paragraph lost to a page break), so a list `1.` `2.` inside paragraph 7
is not taken for paragraphs. Blocks without a number continue the paragraph before them (seed
003 ¶2 runs over a blank line).

Rows: the header (everything up to the end of the SUBJECT/REF/Classified By lines) is one
`header` row; unnumbered blocks between the header and the first numbered paragraph are rows of
their own; short trailing lines (the signer, `NNNN`, the classification footer, web-site
boilerplate) are `signature` rows. Sections: `summary` for a paragraph that starts with
`Summary`/`BEGIN SUMMARY` (and every row up to `END SUMMARY`), `comment` likewise for
`Comment`/`BEGIN COMMENT`, else `body`. A cable with no numbered paragraphs is split on blank lines.
"""
from __future__ import annotations

import re

from ..segments import Span, blocks, trim
from .fields import capitalize_name

# (C), (SBU), (S/NF), (S//NF), (C/REL LIBYA), (S/NF/NC/ORCON): a level, then up to four caveats
MARKING = r"(?:(?:TS|S|C|U|SBU|FOUO|LOU)(?:/{1,2}[A-Z]{2,8}(?:[ ,]{1,2}[A-Z]{2,12}){0,3}){0,4}|NF)"
_START = re.compile(
    r"(?m)^[ \t]*(?:(?P<pil>\u00b6[ \t]?)?(?P<num>\d{1,3})\.(?:[ \t]+(?=\S)|(?=\())|(?=\(" + MARKING + r"\)))"
    r"(?:\((?P<mark>" + MARKING + r")\)|(?P<badmark>" + MARKING + r"\)))?")
_SUMMARY = re.compile(r"\A(?:\(\w{1,6}\)\s*)?(?:BEGIN\s+)?(?:SUMMARY|Summary)\b")
_COMMENT = re.compile(r"\A(?:\(\w{1,6}\)\s*)?(?:BEGIN\s+)?(?:COMMENT|Comment)\b")
_BEGIN_SUMMARY = re.compile(r"\A(?:\(\w{1,6}\)\s*)?BEGIN\s+SUMMARY\b", re.IGNORECASE)
_BEGIN_COMMENT = re.compile(r"\A(?:\(\w{1,6}\)\s*)?BEGIN\s+COMMENT\b", re.IGNORECASE)
_END_SUMMARY = re.compile(r"\bEND\s+(?:OF\s+)?SUMMARY\b", re.IGNORECASE)
_END_COMMENT = re.compile(r"\bEND\s+(?:OF\s+)?COMMENT\b", re.IGNORECASE)
# a name line (`ROSENBLATT`, `Van Voorst`, `J. SMITH`); a word ending in `.` or `,` is the wrapped end
# of a sentence (`CONTACTS.` in 00ABUDHABI5893), not a signature
_SIGNATURE_LINE = re.compile(r"\A(?:[A-Z][A-Za-z'.-]{0,29}[A-Za-z](?:[ \t]+[A-Z][A-Za-z'.-]{0,29}[A-Za-z]){0,2}|NNNN|BT|#\d+)\Z")
_NOT_SIGNER = {"NNNN", "BT", "UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET", "SENSITIVE", "NOFORN", "SIPDIS",
               "LIMITED OFFICIAL USE", "END", "END TEXT", "END COMMENT", "END SUMMARY", "TEXT", "BEGIN TEXT",
               "SECTION", "NOTE", "END NOTE", "THANKS", "REGARDS", "QUOTE", "UNQUOTE", "END QUOTE"}
_BOILERPLATE = re.compile(r"(?i)^(?:Please visit|Visit [A-Z].*(?:Classified|SIPRNET)|\[?https?://|NNNN|BT\s*$|>\s*$|"
                          # footer of WikiLeaks partial extracts: `2001VATICA05288 - Classification: CONFIDENTIAL`
                          r"\d{4}[A-Z]{2,12}\d{3,7}\s+-\s+(?:Classification:\s*)?[A-Z/ ]{4,40}$|"
                          r"END OF MESSAGE|(?:UNCLASSIFIED|CONFIDENTIAL|SECRET)\s*$|"
                          r"C O N F I D E N T I A L\s*$|S E C R E T\s*$)")
#: Only this much of a cable's end is looked at for signature lines.
TAIL = 2_000


def _number_ok(num: int, last: int) -> bool:
    # numbered paragraphs increase; allow a skip (a paragraph lost to a page break) but not a
    # jump back, so list items `1.` `2.` inside a paragraph 7 are not taken for paragraphs.
    return (last == 0 and num <= 3) or last < num <= last + 3


def _comes_later(found: list[re.Match[str]], i: int, wanted: int, look: int = 12) -> bool:
    """Does a paragraph numbered `wanted` start among the next `look` candidates after `found[i]`?"""
    return any(m.group("num") and int(m.group("num")) == wanted for m in found[i + 1:i + 1 + look])


def _signature_spans(text: str, start: int, end: int) -> tuple[int, list[Span]]:
    """Peel signature/boilerplate lines off the end of `text[start:end]`."""
    sig: list[Span] = []
    cut = end
    start = max(start, end - TAIL)
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


#: A signer glued to the end of the last paragraph by the WikiLeaks 2010 pages, which reflow
#: paragraphs into one line: `... End Comment and Action Request. DRUCKER` (04BOGOTA8900).
_GLUED_SIGNER = re.compile(r"(?<=[.!?\"')])[ \t]+([A-Z][A-Z'-]{2,30}(?:[ \t][A-Z][A-Z'-]{2,30})?|Mc[A-Z][a-z]{2,20})[ \t]*\Z")


def _glued_signature(text: str, start: int, end: int) -> Span | None:
    tail = text[max(start, end - 400):end]
    m = _GLUED_SIGNER.search(tail.rstrip())
    if not m or sum(ch.islower() for ch in tail) < 20 or m.group(1).upper() in _NOT_SIGNER:
        return None
    s = max(start, end - 400) + m.start(1)
    return Span(s, s + len(m.group(1)), "signature")


_FUNCTION_WORDS = {"THIS", "THE", "AND", "OF", "TO", "IN", "FOR", "IS", "WILL", "WE", "ARE", "NOT", "ALL", "ON", "AT"}


def _signer_name(line: str) -> str | None:
    line = line.strip()
    upper = line.upper()
    if (upper in _NOT_SIGNER or upper.startswith("END ") or re.fullmatch(r"N{2,5}", upper)
            or not _SIGNATURE_LINE.match(line) or line.startswith("#")):
        return None
    words = line.split()
    if any(w.upper() in _FUNCTION_WORDS for w in words):  # `CONDEMN THIS ACTION`: a sentence, not a name
        return None
    if len(words) == 2 and words[0] == words[1]:          # `BRUSH BRUSH` (09BELGRADE765 page)
        words = words[:1]
    return " ".join(capitalize_name(w) if w.isupper() else w for w in words)


def signer_from(text: str, spans: list[Span]) -> str | None:
    """The signer: the last signature row that is a name (`ROSENBLATT` -> `Rosenblatt`)."""
    for span in reversed(spans):
        if span.section != "signature":
            continue
        name = _signer_name(text[span.start:span.end])
        if name:
            return name
    return None


def signer_of(text: str, start: int = 0) -> str | None:
    """The signer of a cable text whose header ends at `start` (None for a header fragment)."""
    if start >= len(text.rstrip()):
        return None
    cut, sig = _signature_spans(text, start, len(text))
    name = signer_from(text, sig)
    if name is None:
        glued = _glued_signature(text, start, trim(text, start, cut)[1])
        name = _signer_name(text[glued.start:glued.end]) if glued else None
    return name


_HEADING = re.compile(r"\A[-=\s]*(?:BEGIN\s+)?(?P<h>SUMMARY|Summary|COMMENT|Comment)[-=:\s]*\Z")


class _Sections:
    """Section of each row in reading order: BEGIN SUMMARY ... END SUMMARY spans rows, and a
    heading row (`-------\nSUMMARY\n-------`) gives its section to the row after it."""

    def __init__(self) -> None:
        self.open: str | None = None
        self.next: str | None = None

    def of(self, body: str) -> str:
        body = body.lstrip()
        heading = _HEADING.match(body)
        if heading:
            if _BEGIN_SUMMARY.match(body) or _BEGIN_COMMENT.match(body):
                self.open = heading.group("h").lower()     # BEGIN COMMENT ... END COMMENT
            else:
                self.next = heading.group("h").lower()
            return heading.group("h").lower()
        if self.next:
            section, self.next = self.next, None
            return section
        if self.open:
            section = self.open
            if (self.open == "summary" and _END_SUMMARY.search(body)) or (
                    self.open == "comment" and _END_COMMENT.search(body)):
                self.open = None
            return section
        if _SUMMARY.match(body):
            if _BEGIN_SUMMARY.match(body) and not _END_SUMMARY.search(body):
                self.open = "summary"
            return "summary"
        if _COMMENT.match(body):
            if _BEGIN_COMMENT.match(body) and not _END_COMMENT.search(body):
                self.open = "comment"
            return "comment"
        return "body"


def segment_cable(text: str, body_start: int = 0) -> list[Span]:
    """Spans of `text` (the cleaned cable). `body_start` is where the header ends (after the
    SUBJECT/REF/Classified By lines), so header lines like `1. ` in a REF list are not taken for
    paragraphs."""
    starts: list[re.Match[str]] = []
    last = 0
    found = list(_START.finditer(text, body_start))
    for i, m in enumerate(found):
        num = int(m.group("num")) if m.group("num") else None
        if num is not None:
            if not _number_ok(num, last):
                continue
            if num > last + 1 and _comes_later(found, i, last + 1):
                continue          # `4.` at a line start inside ¶1 (02TEGUCIGALPA3023): ¶2 follows later
            last = num
        elif (not m.group("mark") and not m.group("badmark")) or last > 0:
            continue  # an unnumbered marked line after numbering began continues its paragraph
        starts.append(m)
    cut, sig = _signature_spans(text, starts[-1].end() if starts else body_start, len(text))
    if starts and signer_from(text, sig) is None:
        glued = _glued_signature(text, starts[-1].end(), trim(text, starts[-1].end(), cut)[1])
        if glued is not None:
            cut = glued.start
            sig.insert(0, glued)
    sections = _Sections()
    spans: list[Span] = [Span(0, body_start, "header")] if body_start > 0 else []
    first = starts[0].start() if starts else cut
    for s, e in blocks(text, body_start, max(body_start, first)):
        spans.append(Span(s, e, sections.of(text[s:e])))
    inferred = 0
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else cut
        s, e = trim(text, m.start(), max(end, m.start()))
        num = int(m.group("num")) if m.group("num") else None
        if num is None:
            inferred += 1
            num = inferred  # unnumbered but marked paragraphs at the start: seed 000 ¶1, ¶2
        else:
            inferred = num
        mark = m.group("mark") or m.group("badmark")  # malformed `C)` kept as printed
        heading = _trailing_heading(text, m.end(), e) if i + 1 < len(starts) else None
        if heading is not None:
            spans.append(Span(s, trim(text, s, heading)[1], sections.of(text[m.end():heading]), num, mark))
            spans.append(Span(heading, e, sections.of(text[heading:e])))
        else:
            spans.append(Span(s, e, sections.of(text[m.end():e]), num, mark))
    _drop_bad_inferred(spans, starts)
    return spans + sig


#: A heading after the last blank line of a paragraph belongs to the next one: `GROWING CONCERN`
#: underlined with dashes (09PARIS1007), `-------\nCOMMENT\n-------`, `BEGIN COMMENT`.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING_TEXT = re.compile(r"\A(?:[-=]{3,}[ \t-]*\n[ \t]*)?[A-Za-z][^\n.;,!?\"')]{0,70}[A-Za-z]"
                           r"(?:[ \t]*\n[ \t]*[-=]{3,}[ \t-]*)?\Z")


def _trailing_heading(text: str, start: int, end: int) -> int | None:
    """Start of a heading block that ends the paragraph text[start:end], or None."""
    last = None
    for m in _BLANK_LINE.finditer(text, start, end):
        last = m
    if last is None:
        return None
    block = text[last.end():end].strip()
    if not block or not _HEADING_TEXT.match(block) or block.count("\n") > 2:
        return None
    words = re.sub(r"[-=]", " ", block).split()
    if not words or len(words) > 8 or not words[0][0].isupper():
        return None
    return last.end() + (len(text[last.end():end]) - len(text[last.end():end].lstrip()))


def _drop_bad_inferred(spans: list[Span], starts: list[re.Match[str]]) -> None:
    """Numbers inferred for unnumbered marked paragraphs stand only when the cable's own
    numbering goes on from them (seed 000: two lost numbers, then ¶3). A marked line before a
    real `1.` (`(U) CLASSIFIED BY ...` in 00GABORONE5265) keeps no number."""
    numbered = [sp for sp in spans if sp.number is not None]
    inferred = [i for i, m in enumerate(starts) if not m.group("num")]
    if not inferred:
        return
    real = [int(m.group("num")) for m in starts if m.group("num")]
    last_inferred = numbered[inferred[-1]].number if inferred[-1] < len(numbered) else None
    if real and last_inferred is not None and real[0] != last_inferred + 1:
        for i in inferred:
            numbered[i].number = None
