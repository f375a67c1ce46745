"""Cable-specific text cleaning: markup left by converters and OCR damage, every change logged.

Seed 000 (an OCR'd extract) shows the forms handled here:
- `<u>PGOV KDEM KZ</u>`: HTML markup from the extract's converter -> removed (`markup_removed`).
- `- $\\underline{\\P}3$.`: the ¶ rendered as LaTeX -> `¶3.` (`pilcrow_latex`).
- `- 14.` ... `- 17.` after ¶3: OCR read the ¶ as the digit 1 -> `¶4.` (`pilcrow_ocr_digit`); only
  when the digits after the 1 continue the paragraph sequence, so a real paragraph 14 survives.
- `- (SBU)`, `- ¶3.`: a bullet dash the OCR put before paragraph starts -> removed (`ocr_bullet`).
- `door-todoor` where the same document also writes `door-to-door` -> the written-out form
  (`ocr_hyphen_join`). Words are never rewritten from a dictionary: `SENSTITUE` stays as found.
"""
from __future__ import annotations

import itertools
import re

from ..repairs import RepairLog, sub_logged

_MARKUP = re.compile(r"</?(?:u|b|i|em|strong|span|br|p|font)\b[^<>\n]{0,200}>", re.IGNORECASE)
_LATEX_PILCROW = re.compile(r"\$\\underline\{\\P\}\s*(\d{1,3})\s*\$|\$\\P\s*(\d{1,3})\s*\$|\\P\{?\}?\s*(\d{1,3})")
_BULLET_BODY = r"([ \t]*[-\u2013\u2022][ \t]+)(?=(?:\u00b6\s?\d{1,3}\.|\d{1,3}\.\s+\(|\([A-Z/]{1,5}\)))"
#: a bullet at the start of a line: on the first line, or after a line break (the engine jumps
#: from line break to line break instead of testing `^` at every character)
_BULLET_FIRST = re.compile(_BULLET_BODY)
_BULLET = re.compile(r"\n" + _BULLET_BODY)
_PARA_START_BODY = r"[ \t]*(\u00b6\s?)?(\d{1,3})\.(?=\s+\(|\s+[A-Z])"
#: a paragraph number at the start of a line: the first line, or after a line break
_PARA_START_FIRST = re.compile(_PARA_START_BODY)
_PARA_START = re.compile(r"\n" + _PARA_START_BODY)
_HYPHEN_GLUE = re.compile(r"\b([a-z]+)-([a-z]+)\b")
_COMPOUND = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b", re.IGNORECASE)
_INNER_WORD = re.compile(r"-[a-z]+-", re.IGNORECASE)


def _fix_pilcrow_digits(text: str, log: RepairLog) -> str:
    """Paragraph numbers like `14.` that are `¶4.` misread: the leading 1 is a ¶ when the rest
    continues the numbering of the previous paragraph and the number itself would not."""
    out: list[str] = []
    pos = 0
    last = 0
    first = _PARA_START_FIRST.match(text)
    for m in itertools.chain([first] if first else [], _PARA_START.finditer(text)):
        number = int(m.group(2))
        if m.group(1) is None and len(m.group(2)) >= 2 and m.group(2)[0] == "1":
            rest = int(m.group(2)[1:])
            if last and rest == last + 1 and number != last + 1:
                start = m.start(2)
                out.append(text[pos:start])
                out.append(f"\u00b6{rest}")
                log.add("pilcrow_ocr_digit", start, m.group(2), f"\u00b6{rest}")
                pos = m.end(2)
                last = rest
                continue
        last = number
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _join_split_compounds(text: str, log: RepairLog) -> str:
    """`door-todoor` -> `door-to-door` when the document itself spells the compound out."""
    # a compound holds "-word-": looking for that first (a literal "-" the engine can jump to)
    # spares the case-blind word scan of the whole text in most cables
    # ...and only the lines holding one are scanned for compounds (none spans a line break)
    lines = set()
    for m in _INNER_WORD.finditer(text):
        end = text.find("\n", m.end())
        lines.add((text.rfind("\n", 0, m.start()) + 1, len(text) if end < 0 else end))
    if not lines:
        return text
    compounds = {c.group(0).lower() for s, e in sorted(lines) for c in _COMPOUND.finditer(text[s:e])}
    if not compounds:
        return text
    glued = {}
    for c in compounds:
        parts = c.split("-")
        for i in range(len(parts) - 1):
            glued["-".join(parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:])] = c
    if not any(g in text for g in glued):
        return text                # no glued form is written: nothing to replace

    def fix(m: re.Match[str]) -> str:
        found = m.group(0)
        full = glued.get(found.lower())
        if full is None:
            return found
        return full.upper() if found.isupper() else full

    return sub_logged(_HYPHEN_GLUE, fix, text, log, "ocr_hyphen_join")


def _remove_bullets(text: str, log: RepairLog) -> str:
    """Drop the bullet dash before paragraph starts (`- (SBU)`, `- \u00b63.`), logged."""
    first = _BULLET_FIRST.match(text)
    spans = [first.span(1)] if first else []
    spans += [m.span(1) for m in _BULLET.finditer(text)]
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for s, e in spans:
        out.append(text[pos:s])
        log.add("ocr_bullet", s, text[s:e], "")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def clean_cable_text(text: str, log: RepairLog) -> str:
    """Apply the cable repairs to `text`, logging each into `log`."""
    text = sub_logged(_MARKUP, "", text, log, "markup_removed")
    if "\\" in text:                 # every LaTeX form has its backslash
        text = sub_logged(_LATEX_PILCROW, lambda m: "\u00b6" + next(g for g in m.groups() if g), text, log,
                          "pilcrow_latex")
    text = _remove_bullets(text, log)
    text = _fix_pilcrow_digits(text, log)
    text = _join_split_compounds(text, log)
    return text
