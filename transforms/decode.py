"""Bytes -> text, with every repair logged.

Rules (in order):
1. A byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a BOM is recognised by
   its NUL pattern.
2. Valid UTF-8 is UTF-8. A UTF-8 file cut in the middle of a character loses the partial character
   (`truncated_utf8_tail`, and the document is marked partial).
3. Bytes that are not valid UTF-8: when the rest of the file has real UTF-8 sequences the file is
   *mixed*, and each invalid byte is read as Windows-1252 (`mixed_encoding`); otherwise the whole
   file is ISO-8859-1 (Cablegate's text files: the ¶ is byte 0xB6), or Windows-1252 when it uses
   the 0x80-0x9F range, which ISO-8859-1 leaves to control codes.
4. NUL bytes and other C0/C1 control characters are removed (`nul_removed`, `control_removed`);
   CR LF and lone CR become LF (`newline`, logged once per document); form feeds (pdftotext page
   breaks) become LF (`form_feed`).

charset-normalizer was tried first and rejected as the primary detector: on short cables it
guesses exotic code pages for plain ISO-8859-1 text, and the corpus only ever uses UTF-8,
ISO-8859-1 and Windows-1252, which the rules above tell apart exactly and in linear time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .records import Repair
from .repairs import RepairLog

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_C1_CP1252_BYTES = re.compile(rb"[\x80-\x9f]")
_SURROGATE = re.compile(r"[\udc80-\udcff]+")
_NUL = re.compile(r"\x00+")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]+")


class DecodeError(ValueError):
    """The bytes are not text (binary data); the message is one line for the ledger."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repairs: list[Repair] = field(default_factory=list)
    is_truncated: bool = False


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_raw(data: bytes, log: RepairLog) -> tuple[str, str, bool]:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            base = enc.replace("-sig", "")
            text = body.decode(base, errors="replace")
            if "\ufffd" in text:
                log.add("invalid_bytes_replaced", text.index("\ufffd"), "?", "\ufffd")
            return text, enc, False
    enc16 = _looks_utf16(data)
    if enc16:
        return data.decode(enc16, errors="replace"), enc16, False
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as err:
        first_error = err
    # A file cut inside a multi-byte character: everything before the cut is valid UTF-8.
    if first_error.reason == "unexpected end of data" and first_error.start >= len(data) - 3:
        text = data[:first_error.start].decode("utf-8")
        log.add("truncated_utf8_tail", len(text), data[first_error.start:].hex(), "")
        return text, "utf-8", True
    if _UTF8_MULTIBYTE.search(data):
        text = data.decode("utf-8", errors="surrogateescape")

        def fix(m: re.Match[str]) -> str:
            raw = m.group(0).encode("utf-8", errors="surrogateescape")
            new = raw.decode("cp1252", errors="replace")
            log.add("mixed_encoding", m.start(), raw.hex(), new)
            return new

        return _SURROGATE.sub(fix, text), "utf-8+cp1252", False
    if _C1_CP1252_BYTES.search(data):
        return data.decode("cp1252", errors="replace"), "cp1252", False
    return data.decode("iso-8859-1"), "iso-8859-1", False


#: control characters other than tab, line feed, form feed, carriage return and NUL; and U+FFFD
_BINARY_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\ufffd]+")


def _binary_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(map(len, _BINARY_CHARS.findall(sample)))
    return bad / len(sample)


#: every byte but the ASCII control characters `_CONTROL` removes
_NOT_ASCII_CONTROL = bytes(c for c in range(256) if not (1 <= c <= 8 or c == 11 or 14 <= c <= 31 or c == 127))


def _has_control(text: str) -> bool:
    """`_CONTROL.search(text)`, with ASCII text checked by deleting every other byte (C speed)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _NOT_ASCII_CONTROL))
    return _CONTROL.search(text) is not None


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data` to text with normalized line ends. Raises `DecodeError` for binary data."""
    log = RepairLog()
    text, encoding, truncated = _decode_raw(data, log)
    if text and text.count("\x00") > 0.9 * len(text):
        raise DecodeError("binary content: the file is almost all NUL bytes")
    if _binary_share(text) > 0.10:
        raise DecodeError(f"binary content: {_binary_share(text):.0%} of the first characters are "
                          f"control or undecodable bytes (decoded as {encoding})")
    if "\x00" in text:
        for m in _NUL.finditer(text):
            log.add("nul_removed", m.start(), "\\x00" * min(len(m.group(0)), 8), "")
        text = _NUL.sub("", text)
    if "\r" in text:
        first = text.index("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        log.add("newline", first, "\\r\\n", "\\n")
    if "\f" in text:
        for m in re.finditer(r"\f", text):
            log.add("form_feed", m.start(), "\\f", "\\n")
        text = text.replace("\f", "\n")
    if _has_control(text):
        def drop(m: re.Match[str]) -> str:
            log.add("control_removed", m.start(), m.group(0).encode("unicode_escape").decode(), "")
            return ""
        text = _CONTROL.sub(drop, text)
    return Decoded(text, encoding, log.finish(), truncated)
