"""`parse_email`: a FOIA email release (pdftotext output) -> fields, messages and paragraph spans."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..records import Addressee, Message
from ..repairs import RepairLog
from ..segments import Span
from .clean import clean_email_text
from .headers import find_headers
from .kinds import headerless_fields
from .messages import segment_messages
from .stamps import normalize_exemptions


@dataclass(slots=True)
class Email:
    doc_number: str | None = None
    case_number: str | None = None
    release_date: dt.date | None = None
    release: str | None = None
    foia_exemptions: list[str] = field(default_factory=list)
    classification: str | None = None
    classification_stamps: list[str] = field(default_factory=list)
    doc_kind: str = "other"
    sender: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    cc: list[Addressee] = field(default_factory=list)
    sent: dt.datetime | None = None
    doc_date: dt.date | None = None
    subject: str | None = None
    messages: list[Message] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    text: str = ""
    is_partial: bool = False
    flags: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


#: Flags that mean part of the document was not understood (the document is then `is_partial`).
PARTIAL_FLAGS = ("release_unreadable", "sent_unreadable", "stamp_missing")


def parse_email(text: str, log: RepairLog | None = None) -> Email:
    """Parse a FOIA email document. `text` is the decoded pdftotext output; the returned `text`
    is the cleaned text (repeated page stamps, margin exemption codes and body classification stamps
    removed) that the spans and messages point into. Repairs go to `log`. Never raises on odd
    input: what cannot be found stays empty and is flagged."""
    log = log if log is not None else RepairLog()
    e = Email()
    prov = e.provenance
    cleaned = clean_email_text(text, log)
    text = e.text = cleaned.text
    stamp = cleaned.stamp
    e.doc_number, e.case_number, e.release_date = stamp.doc_number, stamp.case_number, stamp.release_date
    e.release = stamp.release
    e.foia_exemptions = normalize_exemptions(cleaned.margin_codes)
    e.classification_stamps = cleaned.class_stamps
    e.flags.extend(stamp.flags)
    for name in ("doc_number", "case_number", "release_date", "release"):
        if getattr(e, name):
            prov[name] = "stamp"
    if e.foia_exemptions:
        prov["foia_exemptions"] = "stamp+margin"
    if not (e.doc_number or e.case_number):
        e.flags.append("stamp_missing")
    elif e.release is None:
        e.flags.append("release_unreadable")
    if re.search(r"(?m)^\s*UNCLASSIFIED\b", text[:3000]):
        e.classification = "UNCLASSIFIED"
        prov["classification"] = "stamp"
    if stamp.region_end:
        e.spans.append(Span(0, stamp.region_end, "stamp"))
    headers = find_headers(text, stamp.region_end)
    if not headers:
        h = headerless_fields(text, stamp.region_end)
        e.doc_kind, e.subject, e.doc_date, e.sender, e.to = h.kind, h.subject, h.doc_date, h.sender, h.to
        prov.update(h.provenance)
        prov["doc_kind"] = "no_header:rules"
        _, spans = segment_messages(text, [], stamp.region_end)
        e.spans.extend(spans)
        return _finish(e)
    e.doc_kind = "email"
    e.messages, spans = segment_messages(text, headers, stamp.region_end)
    e.spans.extend(spans)
    top = e.messages[0]
    e.sender, e.to, e.cc, e.sent, e.subject = top.sender, top.to, top.cc, top.sent, top.subject
    e.doc_date = e.sent.date() if e.sent else None
    source = "header_jumbled" if headers[0].style == "jumbled" else "header"
    for name in ("sender", "sent", "subject"):
        if getattr(e, name):
            prov[name] = source
    if headers[0].style == "jumbled":
        e.flags.append("jumbled_header")
    for h, m in zip(headers, e.messages, strict=True):
        if (h.fields.get("Sent") or h.fields.get("Date") or "").strip() and m.sent is None:
            e.flags.append("sent_unreadable")
            break
    return _finish(e)


def _finish(e: Email) -> Email:
    e.is_partial = any(f in PARTIAL_FLAGS for f in e.flags)
    return e
