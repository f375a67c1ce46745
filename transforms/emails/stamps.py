"""Release stamps and page furniture of State Department FOIA releases.

Two stamp layouts occur: the multi-line block (`UNCLASSIFIED` / `U.S. Department of State` /
`Case No. F-2015-04841` / `Doc No. C05739545` / `Date: 05/13/2015`, often with the Benghazi
committee notice beside it) and the one-line form (`UNCLASSIFIED U.S. Department of State Case No.
F-2014-20439 Doc No. C05767313 Date: 10/30/2015`). Both repeat on every page.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..repairs import RepairLog

_CASE = re.compile(r"Case No\.?\s*(F-\d{4}-\d{4,6})")
_DOC = re.compile(r"Doc No\.?\s*(C\d{8})")
_DATE = re.compile(r"Date:\s*(\d{2})/(\d{2})/(\d{4})")
_RELEASE = re.compile(r"RELEASE\s+IN\s*(?:\n[ \t]*(?:Date:[^\n]*\n[ \t]*)?)?\s*(FULL|PART)\b")
_EXEMPTION = re.compile(r"\b(B[1-9](?:\s?\((?:[A-F]|[1-9])\))?(?:\s?,\s?1\.4\s?\([A-H]\))*)|\b(1\.4\s?\([A-H]\))")
# Lines that are page furniture wherever they occur (matched on the stripped line).
_FURNITURE = re.compile(
    r"^(?:UNCLASSIFIED(?:\s+U\.S\. Department of State.*Doc No\.\s*C\d{8}.*)?"
    r"(?:\s+STATE DEPT\. - PRODUCED TO HOUSE SELECT BENGHAZI COMM\.)?"
    r"|U\.S\. Department of State(?:\s+SUBJECT TO AGREEMENT.*)?"
    r"|Case No\.\s*F-\d{4}-\d+(?:\s+.*)?"
    r"|Doc No\.\s*C\d{8}(?:\s+STATE DEPT\..*)?"
    r"|Date:\s*\d{2}/\d{2}/\d{4}(?:\s+SUBJECT TO AGREEMENT.*)?"
    r"|STATE DEPT\. - PRODUCED TO HOUSE SELECT BENGHAZI COMM\."
    r"|SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS\. NO FOIA WAIVER\.(?:\s+STATE-\w+)?"
    r"|STATE-[0-9A-Z]{8,12})$")


@dataclass(slots=True)
class Stamp:
    case_number: str | None = None
    doc_number: str | None = None
    release_date: dt.date | None = None
    release: str | None = None
    exemptions: list[str] = field(default_factory=list)
    stamp_end: int = 0          # end of the first stamp block (offset in the text)


def normalize_exemption(code: str) -> str:
    return re.sub(r"\s+", "", code.upper())


def parse_stamp(text: str) -> Stamp:
    s = Stamp()
    head = text[:4000]
    if m := _CASE.search(text):
        s.case_number = m.group(1)
    if m := _DOC.search(text):
        s.doc_number = m.group(1)
    if m := _DATE.search(text):
        try:
            s.release_date = dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        except ValueError:
            pass
    if m := _RELEASE.search(head):
        s.release = f"RELEASE IN {m.group(1)}"
        s.stamp_end = m.end()
    codes: list[str] = []
    # exemption codes: next to the RELEASE line, alone on a line, or in the right margin
    for m in re.finditer(r"(?m)(?:RELEASE\s+IN\s+(?:FULL|PART)|^|\s{3,})[ \t]*((?:B\d(?:\([A-F1-9]\))?|1\.4\s?\([A-H]\))"
                         r"(?:[ \t,]+(?:B\d(?:\([A-F1-9]\))?|1\.4\s?\([A-H]\)))*)[ \t]*$", text):
        for e in _EXEMPTION.finditer(m.group(1)):
            code = normalize_exemption(e.group(0))
            if code not in codes:
                codes.append(code)
    s.exemptions = codes
    return s


def remove_furniture(text: str, keep_until: int, log: RepairLog) -> str:
    """Remove page stamps and furniture lines after `keep_until` (the first stamp block stays),
    logging each removal."""
    out: list[str] = [text[:keep_until]]
    pos = keep_until
    for m in re.finditer(r"[^\n]*\n?", text[keep_until:]):
        line = m.group(0)
        if not line:
            break
        stripped = line.strip()
        if stripped and _FURNITURE.match(stripped):
            log.add("page_stamp_removed", keep_until + m.start(), stripped, "")
            line = "\n" if line.endswith("\n") else ""
        out.append(line)
        pos += len(m.group(0))
    return "".join(out)
