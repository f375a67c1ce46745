"""`parse_email`: a FOIA email release (pdftotext output) -> fields, messages and paragraph spans."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from ..records import Addressee, Message
from ..repairs import RepairLog, sub_logged
from ..segments import Span, blocks, lines_of
from .addresses import parse_addressee, split_addressees
from .headers import Header, find_headers, parse_sent
from .stamps import _FURNITURE, parse_stamp, remove_furniture

_STRAY_MARKUP = re.compile(r"</?[\w.+-]+@[\w.-]+>(?=\s*$)|</?(?:span|div|p|br|font|b|i|u)\b[^<>\n]{0,100}>", re.M)
_RELEASE_OR_CODES = re.compile(r"^(?:RELEASE\s+IN(?:\s+(?:FULL|PART))?|FULL|PART)?(?:[ \t,]*(?:B\d(?:\([A-F1-9]\))?|"
                               r"1\.4\s?\([A-H]\)))*[ \t]*$")
_ORIGINAL = re.compile(r"(?im)^[ \t-]*(?:-{2,}[ \t]*)?Original Message[ \t-]*$|^[ \t]*-{3,}[ \t]*Forwarded message")
_SIGNATURE = re.compile(r"(?i)\A(?:Sent from my \w+|Sent via \w+|Sent using)")
_KIND_RULES = (
    ("call_sheet", re.compile(r"(?i)call sheet|purpose of call|\bcall (?:to|with)\b.*\n.*talking points")),
    ("schedule", re.compile(r"(?im)\bschedule\b|^\s*\d{1,2}:\d{2}\s*(?:am|pm)\b.*\n(?:.*\n){0,3}\s*\d{1,2}:\d{2}\s*(?:am|pm)\b")),
    ("memo", re.compile(r"(?im)\bmemorandum\b|^\s*(?:For|To):\s.*\n\s*From:\s.*\n\s*(?:Re|Subject):")),
    ("clipping", re.compile(r"(?i)\bBy [A-Z][a-z]+ [A-Z][a-z]+\b|\b(?:New York Times|Washington Post|Reuters|Associated Press|"
                            r"The Guardian|Wall Street Journal|Politico|Bloomberg)\b")),
)


@dataclass(slots=True)
class Email:
    doc_number: str | None = None
    case_number: str | None = None
    release_date: dt.date | None = None
    release: str | None = None
    foia_exemptions: list[str] = field(default_factory=list)
    classification: str | None = None
    doc_kind: str = "other"
    sender: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    cc: list[Addressee] = field(default_factory=list)
    sent: dt.datetime | None = None
    subject: str | None = None
    messages: list[Message] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    text: str = ""
    is_partial: bool = False
    flags: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


def _stamp_region_end(text: str) -> int:
    end = 0
    for line in lines_of(text):
        s = line.text.strip()
        if not s or _FURNITURE.match(s) or _RELEASE_OR_CODES.match(s) or re.fullmatch(
                r"UNCLASSIFIED.*(?:RELEASE IN|Doc No\.).*", s):
            if s:
                end = line.end
            continue
        break
    return end


def message_hash(sender: Addressee | None, sent: dt.datetime | None, subject: str | None, body: str) -> str:
    """Content hash of one message: the same quoted email in different documents gets the same
    hash. Whitespace, case and page furniture do not count; only the first 2,000 body characters
    do (a quoted copy is often cut short)."""
    who = (sender.address or sender.name or "").lower() if sender else ""
    who = re.sub(r"[^a-z0-9@]", "", who)
    when = sent.strftime("%Y-%m-%d %H:%M") if sent else ""
    subj = re.sub(r"^(?:(?:re|fw|fwd)\s*:\s*)+", "", (subject or "").lower())
    subj = re.sub(r"\W+", "", subj)
    norm = re.sub(r"\W+", "", body.lower())[:2000]
    return hashlib.blake2b(f"{who}|{when}|{subj}|{norm}".encode(), digest_size=10).hexdigest()


def doc_kind_of(text: str) -> str:
    for kind, rx in _KIND_RULES:
        if rx.search(text[:6000]):
            return kind
    return "other"


def _header_message(h: Header, index: int, body: str, end: int) -> Message:
    f = h.fields
    sender = parse_addressee(f["From"]) if f.get("From") else None
    sent = parse_sent(f.get("Sent") or f.get("Date"))
    subject = f.get("Subject") or None
    return Message(index, message_hash(sender, sent, subject, body), sender, split_addressees(f.get("To", "")),
                   split_addressees(f.get("Cc", "")), sent, subject, h.start, end)


def parse_email(text: str, log: RepairLog | None = None) -> Email:
    """Parse a FOIA email document. `text` is the decoded pdftotext output; the returned `text`
    is the cleaned text (repeated page stamps removed) that the spans and messages point into.
    Repairs go to `log`. Never raises on odd input: what cannot be found stays empty."""
    log = log if log is not None else RepairLog()
    e = Email()
    prov = e.provenance
    text = sub_logged(_STRAY_MARKUP, "", text, log, "markup_removed")
    stamp = parse_stamp(text)
    e.doc_number, e.case_number, e.release_date = stamp.doc_number, stamp.case_number, stamp.release_date
    e.release, e.foia_exemptions = stamp.release, stamp.exemptions
    for name in ("doc_number", "case_number", "release_date", "release"):
        if getattr(e, name):
            prov[name] = "stamp"
    if re.search(r"(?m)^\s*UNCLASSIFIED\b", text[:3000]):
        e.classification = "UNCLASSIFIED"
        prov["classification"] = "stamp"
    region = _stamp_region_end(text)
    text = remove_furniture(text, region, log)
    e.text = text
    spans: list[Span] = []
    if region:
        spans.append(Span(0, region, "stamp"))
    headers = find_headers(text)
    if not headers:
        e.doc_kind = doc_kind_of(text)
        prov["doc_kind"] = "no_header:rules"
        for s, t in blocks(text, region):
            spans.append(Span(s, t, "body"))
        e.spans = spans
        return e
    e.doc_kind = "email"
    for s, t in blocks(text, region, headers[0].start):
        spans.append(Span(s, t, "body"))
    for k, h in enumerate(headers):
        end = headers[k + 1].start if k + 1 < len(headers) else len(text)
        original = _ORIGINAL.search(text, h.end, end)
        body_end = original.start() if original else end
        body = text[h.end:body_end]
        e.messages.append(_header_message(h, k, body, end))
        spans.append(Span(h.start, h.end, "header", message_index=k))
        for s, t in blocks(text, h.end, end):
            section = "body" if k == 0 else "quoted"
            if _SIGNATURE.match(text[s:t]):
                section = "signature"
            spans.append(Span(s, t, section, message_index=k))
    top = e.messages[0]
    e.sender, e.to, e.cc, e.sent, e.subject = top.sender, top.to, top.cc, top.sent, top.subject
    for name in ("sender", "sent", "subject"):
        if getattr(e, name):
            prov[name] = "header" + ("_jumbled" if headers[0].jumbled else "")
    if headers[0].jumbled:
        e.flags.append("jumbled_header")
    e.spans = spans
    return e
