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


class _Mark:
    """A sign of a format: `pattern` found in the text. `needs` are words the pattern cannot match
    without (tested first: a substring test is far cheaper than a regex scan); a pattern that
    starts with `^` (multi-line) is run as "at the start, or after a line break", which lets
    the engine jump from line break to line break instead of trying every character."""

    def __init__(self, pattern: str, *needs: str) -> None:
        self.needs = needs
        if pattern.startswith("^"):
            self.first: re.Pattern[str] | None = re.compile(r"\A" + pattern[1:])
            self.rx = re.compile(r"\n" + pattern[1:])
        else:
            self.first, self.rx = None, re.compile(pattern)

    def __call__(self, text: str) -> bool:
        if self.needs and not any(n in text for n in self.needs):
            return False
        return bool((self.first is not None and self.first.match(text)) or self.rx.search(text))


_EMAIL_MARKS = (
    _Mark(r"\bDoc No\. ?C\d{7,8}\b", "Doc No."),
    _Mark(r"\bCase No\. ?F-\d{4}-\d+", "Case No."),
    _Mark(r"\bRELEASE IN (?:FULL|PART)\b", "RELEASE IN "),
    _Mark(r"^\s*From:\s", "From:"),
    _Mark(r"^\s*Sent:\s", "Sent:"),
    _Mark(r"U\.S\. Department of State", "U.S. Department of State"),
)
_CABLE_MARKS = (
    _Mark(r"^VZCZC", "VZCZC"),
    _Mark(r"^\s*TAGS:?\s", "TAGS"),
    _Mark(r"E\.\s?O\.\s?1[0-9]{4}", "E."),
    _Mark(r"^\s*SUBJECT:", "SUBJECT:"),
    _Mark(r"^\s*(?:FM|TO|INFO)\s+[A-Z]", "FM", "TO", "INFO"),
    _Mark(r"^\s*(?:UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|UNCLASSIFIED)"
          r"(?:\s+(?:SECTION \d+ OF \d+|E F T O|SENSITIVE))?\s+[A-Z][A-Z .]+\s0*\d{2,7}\b",
          "UNCLAS", "C O N F I D E N T I A L", "S E C R E T", "CONFIDENTIAL", "SECRET"),
    _Mark(r"\u00b6\s?\d|\\P\}?\d"),
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
    email = sum(1 for mark in _EMAIL_MARKS if mark(head))
    cable = sum(1 for mark in _CABLE_MARKS if mark(head))
    if email >= 2 and email >= cable:
        return "email_text"
    if cable >= 2:
        return "cable_text"
    if email >= 1:
        return "email_text"
    if name.lower().endswith(".csv"):
        return "csv"
    return "text"
