"""What kind of file is this? Magic bytes first, then a look at the text.

`sniff_bytes` answers for containers (zip, pdf, binary images, empty files); `sniff_text` tells
cables, emails and WikiLeaks pages apart once the bytes are text. Both look only at a bounded
prefix, so a 1 GB file costs the same as a small one.
"""
from __future__ import annotations

import re

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),      # empty archive
    (b"PK\x07\x08", "zip"),
    (b"\x89PNG\r\n\x1a\n", "binary"),
    (b"\xff\xd8\xff", "binary"),  # JPEG
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),      # gzip
    (b"BZh", "binary"),
    (b"\x7fELF", "binary"),
    (b"MZ", "binary"),
    (b"7z\xbc\xaf\x27\x1c", "binary"),
    (b"Rar!", "binary"),
)

SNIFF_CHARS = 64 * 1024

_CSV_ROW = re.compile(r'\A\s*"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}","')
_HTML = re.compile(r"<(?:!doctype\s+html|html[\s>])", re.I)
_WL_PAGE = re.compile(r"Cable Viewer|<table class=['\"]cable['\"]", re.I)
_EMAIL_MARKS = (
    re.compile(r"\bDoc No\. ?C\d{7,8}\b"),
    re.compile(r"\bCase No\. ?F-\d{4}-\d+"),
    re.compile(r"\bRELEASE IN (?:FULL|PART)\b"),
    re.compile(r"^\s*From:\s", re.M),
    re.compile(r"^\s*Sent:\s", re.M),
    re.compile(r"U\.S\. Department of State"),
)
_CABLE_MARKS = (
    re.compile(r"^VZCZC", re.M),
    re.compile(r"^\s*TAGS:?\s", re.M),
    re.compile(r"E\.\s?O\.\s?1[0-9]{4}"),
    re.compile(r"^\s*SUBJECT:", re.M),
    re.compile(r"^\s*(?:FM|TO|INFO)\s+[A-Z]", re.M),
    re.compile(r"^\s*(?:UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|UNCLASSIFIED)"
               r"(?:\s+(?:SECTION \d+ OF \d+|E F T O|SENSITIVE))?\s+[A-Z][A-Z .]+\s0*\d{2,7}\b", re.M),
    re.compile(r"\u00b6\s?\d|\\P\}?\d"),
)


def sniff_bytes(name: str, head: bytes) -> str | None:
    """Container format from magic bytes, or None when the bytes may be text."""
    if not head.strip():
        return "empty"
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    return None


def sniff_text(name: str, text: str) -> str:
    """Format of a decoded text: one of cable_html, html, cables_csv, csv, email_text,
    cable_text, text, empty."""
    head = text[:SNIFF_CHARS]
    if not head.strip():
        return "empty"
    if _HTML.search(head[:4096]):
        return "cable_html" if _WL_PAGE.search(head) or _WL_PAGE.search(text[-SNIFF_CHARS:]) else "html"
    if _CSV_ROW.match(head):
        return "cables_csv"
    email = sum(1 for rx in _EMAIL_MARKS if rx.search(head))
    cable = sum(1 for rx in _CABLE_MARKS if rx.search(head))
    if email >= 2 and email >= cable:
        return "email_text"
    if cable >= 2:
        return "cable_text"
    if email >= 1:
        return "email_text"
    if name.lower().endswith(".csv"):
        return "csv"
    return "text"
