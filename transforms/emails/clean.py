"""The cleaned text of a FOIA email document: what paragraphs, messages and offsets point into.

Steps, each logged in the repair log (offsets are in the text as it stood when the step ran):

1. `markup_removed`: stray mail markup that pdftotext kept (`</abedinh@state.gov>` at a line end,
   `<span ...>`).
2. `html_entity`: numeric and basic named HTML entities (`1&#39;m`) become the character.
3. `tab_in_word`: a tab between two lower-case letters is a pdftotext artifact inside a word
   (`we of\\tffered`): the tab goes, and with it a letter that the ligature wrote on both sides
   (joining `of` and `ffered` would give a triple `f`, which English does not have). Tabs anywhere
   else stay.
4. `classification_stamp_removed`: a classification stamp that stands in the body (the one on the
   first page stays, as part of the stamp block); its text is kept in `classification_stamps`.
5. `exemption_code_removed`: exemption codes in the right margin (`B6`, `B5,B6`, `1.4(D)`) or alone
   on a line, collected for `foia_exemptions`.
6. `page_stamp_removed` / `page_break_joined`: the stamp block repeated on every later page (with
   its committee notice, Bates number and the page number above it). Where the page break fell
   inside a sentence (the line before ends without punctuation and the line after starts in lower
   case) or inside a header block, the text on both sides is joined as one paragraph
   (`page_break_joined`); otherwise a paragraph break stands where the stamp was.
7. `sentence_rejoined`: the same join where no stamp is left to show the page break: a full-width
   line (50+ characters) that ends inside a sentence, blank lines, and a line that goes on in lower
   case (seed 001: `... read on the` / `internet (local press ...`).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..repairs import RepairLog, sub_logged
from ..segments import lines_of
from .headers import label_of
from .stamps import CODES, Stamp, find_class_stamps, line_kind, parse_stamp

_STRAY_MARKUP = re.compile(r"</[\w.+-]+@[\w.-]+>(?=[ \t]*$)|</?(?:span|div|p|br|font|b|i|u)\b[^<>\n]{0,100}>", re.M)
_ENTITY = re.compile(r"&#(?:\d{1,5}|x[0-9a-fA-F]{1,4});|&(?:amp|lt|gt|quot|apos|nbsp);")
# (the tab first, then the letter before it: the engine jumps from tab to tab)
_TAB_IN_WORD = re.compile(r"\t(?<=([a-z])\t)([a-z])(?=([a-z])?)")
# A line holding only exemption codes (its line break goes with it). Found as "a line break, then
# the codes line" (the engine jumps from line break to line break) plus the first line on its own.
_CODE_LINE_BODY = rf"(?P<line>[ \t]*(?P<codes>{CODES})[ \t]*)(?=\n|\Z)"
_CODE_LINE_FIRST = re.compile(_CODE_LINE_BODY)
_CODE_LINE = re.compile(r"\n" + _CODE_LINE_BODY)
_CODE_TAIL = re.compile(rf"[ \t](?<=\S[ \t])[ \t]{{2,}}({CODES})[ \t]*$", re.M)
_PAGE_NUMBER = re.compile(r"^[ \t]{10,}\d{1,3}[ \t]*$")
# A full-width line that stops inside a sentence, blank lines, and the sentence going on in lower
# case: a page break whose stamp was already gone (seed 001: `... read on the` / `internet (local ...`).
_TORN_SENTENCE = re.compile(r"^[ \t>»]*+(?P<line>\S[^\n]{49,}[a-z,])[ \t]*(?P<gap>\n(?:[ \t>»]*\n)+)(?=[ \t>»]*[a-z])", re.M)


@dataclass(slots=True)
class Cleaned:
    text: str
    stamp: Stamp
    margin_codes: list[str] = field(default_factory=list)
    class_stamps: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Edit:
    start: int
    end: int
    after: str
    kind: str


def _apply(text: str, edits: list[_Edit], log: RepairLog) -> str:
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < pos:
            continue                      # overlapping edit: the first one wins
        out.append(text[pos:e.start])
        out.append(e.after)
        log.add(e.kind, e.start, text[e.start:e.end], e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _class_stamp_edits(text: str, keep_until: int) -> tuple[list[_Edit], list[str]]:
    edits, found = [], []
    for cs in find_class_stamps(text):
        found.append(cs.text)
        if cs.start < keep_until:
            continue
        edits.append(_Edit(cs.start, cs.end, "", "classification_stamp_removed"))
        if cs.extra:
            edits.append(_Edit(cs.extra[0], cs.extra[1], "", "classification_stamp_removed"))
    return edits, found


def _code_lines(text: str, keep_until: int) -> list[tuple[int, int, str]]:
    """(start, end, codes) of each codes-only line starting at or after `keep_until`; `end` takes
    the line break after it."""
    out = []
    first = _CODE_LINE_FIRST.match(text) if keep_until == 0 else None
    for m in ([first] if first else []) + list(_CODE_LINE.finditer(text, max(0, keep_until - 1))):
        end = m.end("line")
        out.append((m.start("line"), end + 1 if text.startswith("\n", end) else end, m.group("codes")))
    return out


def _code_edits(text: str, keep_until: int) -> tuple[list[_Edit], list[str]]:
    edits, codes = [], []
    for start, end, found in _code_lines(text, keep_until):
        codes.append(found)
        edits.append(_Edit(start, end, "", "exemption_code_removed"))
    for m in _CODE_TAIL.finditer(text, keep_until):
        codes.append(m.group(1))
        edits.append(_Edit(m.start(), m.end(), "", "exemption_code_removed"))
    return edits, codes


def _joins(before: str, after: str) -> bool:
    """Does the text on both sides of a page break belong to one paragraph?"""
    a, b = before.strip(), after.strip()
    if not a or not b:
        return False
    if re.search(r"[a-z,;\-]$", a) and re.match(r"[a-z]", b):
        return True
    la, lb = label_of(a), label_of(b)
    return la is not None and lb is not None and lb != "From"


def _furniture_edits(text: str, keep_until: int) -> list[_Edit]:
    """Page stamp regions after the first page: runs of stamp lines with a strong piece (case or doc
    number, committee notice, Bates number), the weak pieces next to them (`UNCLASSIFIED`,
    `U.S. Department of State`), the page number printed beside them and the blank lines around."""
    lines = [ln for ln in lines_of(text) if ln.start >= keep_until]
    kinds = [line_kind(ln.text) for ln in lines]
    blank = [k == "blank" for k in kinds]
    furn = [False] * len(lines)
    i = 0
    while i < len(lines):                 # contiguous stamp lines count only with a strong one
        j = i
        while j < len(lines) and kinds[j] in ("strong", "weak"):
            j += 1
        if j > i and any(kinds[k] == "strong" for k in range(i, j)):
            furn[i:j] = [True] * (j - i)
        i = max(j, i + 1)

    def nearest(k: int, step: int) -> int:
        k += step
        while 0 <= k < len(lines) and blank[k]:
            k += step
        return k

    core = list(furn)
    for k, ln in enumerate(lines):
        if _PAGE_NUMBER.match(ln.text) and any(0 <= n < len(lines) and core[n] for n in (nearest(k, -1), nearest(k, 1))):
            furn[k] = True
    edits: list[_Edit] = []
    i = 0
    while i < len(lines):
        if not furn[i]:
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < len(lines) and (furn[j] or blank[j]):
            if furn[j]:
                last = j
            j += 1
        i = j
        if not any(core[first:last + 1]):
            continue
        prev, nxt = nearest(first, -1), nearest(last, 1)
        start = lines[prev].end if prev >= 0 else lines[first].start
        if nxt < len(lines):
            end = lines[nxt].start
            joined = prev >= 0 and _joins(lines[prev].text, lines[nxt].text)
            after = "\n" if joined else ("\n\n" if prev >= 0 else "")
            kind = "page_break_joined" if joined else "page_stamp_removed"
        else:
            end, after, kind = len(text), ("\n" if prev >= 0 else ""), "page_stamp_removed"
        edits.append(_Edit(start, end, after, kind))
    return edits


def _untab(m: re.Match[str]) -> str:
    """`of\tffered` -> `offered`: the tab goes, and so does a letter repeated on both sides of it
    when joining would make it a triple (the PDF's `ff` ligature was written twice)."""
    left, right, after = m.group(1), m.group(2), m.group(3)
    return "" if left == right == after else right


def clean_email_text(text: str, log: RepairLog) -> Cleaned:
    text = sub_logged(_STRAY_MARKUP, "", text, log, "markup_removed")
    text = sub_logged(_ENTITY, lambda m: html.unescape(m.group(0)), text, log, "html_entity")
    text = sub_logged(_TAB_IN_WORD, _untab, text, log, "tab_in_word")
    stamp = parse_stamp(text)
    keep = stamp.region_end
    edits, class_stamps = _class_stamp_edits(text, keep)
    text = _apply(text, edits, log)
    edits, codes = _code_edits(text, keep)
    text = _apply(text, edits, log)
    text = _apply(text, _furniture_edits(text, keep), log)
    edits = [_Edit(m.start("gap"), m.end("gap"), "\n", "sentence_rejoined") for m in _TORN_SENTENCE.finditer(text, keep)
             if label_of(m.group("line")) is None]
    text = _apply(text, edits, log)
    return Cleaned(text, stamp, stamp.codes + codes, class_stamps)
