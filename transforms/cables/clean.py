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

import re

from ..repairs import RepairLog, sub_logged

_MARKUP = re.compile(r"</?(?:u|b|i|em|strong|span|br|p|font)\b[^<>\n]{0,200}>", re.IGNORECASE)
_LATEX_PILCROW = re.compile(r"\$\\underline\{\\P\}\s*(\d{1,3})\s*\$|\$\\P\s*(\d{1,3})\s*\$|\\P\{?\}?\s*(\d{1,3})")
_BULLET = re.compile(r"(?m)^[ \t]*[-\u2013\u2022][ \t]+(?=(?:\u00b6\s?\d{1,3}\.|\d{1,3}\.\s+\(|\([A-Z/]{1,5}\)))")
_PARA_START = re.compile(r"(?m)^[ \t]*(\u00b6\s?)?(\d{1,3})\.(?=\s+\(|\s+[A-Z])")
_HYPHEN_GLUE = re.compile(r"\b([a-z]+)-([a-z]+)\b")


def _fix_pilcrow_digits(text: str, log: RepairLog) -> str:
    """Paragraph numbers like `14.` that are `¶4.` misread: the leading 1 is a ¶ when the rest
    continues the numbering of the previous paragraph and the number itself would not."""
    out: list[str] = []
    pos = 0
    last = 0
    for m in _PARA_START.finditer(text):
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
    compounds = {m.group(0).lower() for m in re.finditer(r"\b[a-z]+(?:-[a-z]+){2,}\b", text, re.IGNORECASE)}
    if not compounds:
        return text
    glued = {}
    for c in compounds:
        parts = c.split("-")
        for i in range(len(parts) - 1):
            glued["-".join(parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:])] = c
    if not glued:
        return text

    def fix(m: re.Match[str]) -> str:
        found = m.group(0)
        full = glued.get(found.lower())
        if full is None:
            return found
        return full.upper() if found.isupper() else full

    return sub_logged(_HYPHEN_GLUE, fix, text, log, "ocr_hyphen_join")


def clean_cable_text(text: str, log: RepairLog) -> str:
    """Apply the cable repairs to `text`, logging each into `log`."""
    text = sub_logged(_MARKUP, "", text, log, "markup_removed")
    text = sub_logged(_LATEX_PILCROW, lambda m: "\u00b6" + next(g for g in m.groups() if g), text, log,
                      "pilcrow_latex")
    text = sub_logged(_BULLET, "", text, log, "ocr_bullet")
    text = _fix_pilcrow_digits(text, log)
    text = _join_split_compounds(text, log)
    return text
