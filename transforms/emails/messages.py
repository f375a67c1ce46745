"""Reply chains: header blocks -> `Message`s (top first) and the paragraph spans of each message.

Sections: `header` (the header block, with its `Original Message` line), `body` (the top message's
own text), `quoted` (the text of every earlier message quoted or forwarded below it),
`signature` (a sign-off name block, a mobile client's `Sent from my BlackBerry` line, an automatic
distribution footer). Paragraphs are the blank-line separated blocks of a message (a line holding
only `>` quote marks counts as blank), a bullet (`•`) opening its own paragraph.
"""
from __future__ import annotations

import functools
import hashlib
import re

from ..data import data_lines
from ..records import Message
from ..segments import Span, trim
from .addresses import parse_addressee, skeleton, split_addressees
from .dates import parse_sent
from .headers import Header

_BLANKISH = re.compile(r"\n(?:[ \t>»]*\n)+")
_QUOTE = re.compile(r"^[ \t]*(?:[>»][ \t]*)+", re.M)
_BULLET = re.compile(r"\n(?=[ \t>»]*[•■▪●][ \t])")
_PREFIX = re.compile(r"^(?:\s*(?:re|fw|fwd|fvv)\s*[:;.]\s*)+", re.I)
#: How many letters and digits of a message's body count for its hash. Copies of one message in
#: different documents were OCR'd separately: in the dev corpus their first 12 characters agree
#: (`thanks jeffrey p/feltnnan`, `... my way to &#39;s / gt#39;s wedding`) where longer prefixes
#: do not.
HASH_BODY_CHARS = 12


@functools.cache
def _cues() -> dict[str, re.Pattern[str]]:
    out: dict[str, list[str]] = {}
    for line in data_lines("transforms.emails", "data/signature_cues.tsv"):
        cue, rx = line.split("\t", 1)
        out.setdefault(cue, []).append(rx)
    return {k: re.compile("|".join(f"(?:{r})" for r in v), re.I) for k, v in out.items()}


def clean_value(value: str | None) -> str | None:
    """A header value as one line: white space runs (redaction gaps, wraps) become one space."""
    if value is None:
        return None
    v = re.sub(r"\s+", " ", value).strip()
    return v or None


def message_hash(sent, subject: str | None, body: str) -> str:
    """Content hash of one message, the same for every copy of it (the top message of one
    document, quoted in another), so that an analyst can count each message once.

    What counts: `sent` to the minute (Outlook prints no seconds, BlackBerry does), and the first
    `HASH_BODY_CHARS` letters and digits of the body; when the body has fewer (`Fyi`, an empty
    forward), the subject without its `Re:`/`Fw:` prefixes fills up to that length. Body and subject
    are first folded to their OCR skeleton (`addresses.skeleton`: lower case, 1/l/i/j -> i,
    0 -> o, rn -> m, ...) and everything but letters and digits is dropped, so quote marks, line
    wraps, page furniture, redaction gaps, case and the common OCR slips do not change the hash.
    The sender does not count: one sender is printed in too many forms (`H`,
    `H <hrod17@clintonemail.com>`, `H [mailto:HDR22@clintonemail.com]`), and neither does the rest
    of the subject, which OCR mangles differently in each copy (`Fw: Myer+` / `Fw: Ubyan`).
    Two different messages collide only if they were sent in the same minute and open with the
    same twelve characters."""
    when = sent.strftime("%Y-%m-%d %H:%M") if sent else ""
    key = _body_key(body[:4000])
    if len(key) < HASH_BODY_CHARS:
        subj = re.sub(r"[^a-z0-9]", "", skeleton(_PREFIX.sub("", subject or "")))
        key = f"{key}|{subj[:HASH_BODY_CHARS - len(key)]}"
    return hashlib.blake2b(f"{when}|{key}".encode(), digest_size=10).hexdigest()


def _body_key(text: str) -> str:
    """The first `HASH_BODY_CHARS` letters and digits of `text`'s skeleton without quote marks,
    read from a prefix that ends after a line break and is long enough (every step is line-local,
    so a prefix gives the same leading characters as the whole) instead of the whole text."""
    n = 256
    while n < len(text):
        nl = text.find("\n", n)
        if nl < 0:
            break
        key = re.sub(r"[^a-z0-9]", "", skeleton(_QUOTE.sub("", text[:nl + 1])))
        if len(key) >= HASH_BODY_CHARS:
            return key[:HASH_BODY_CHARS]
        n = 2 * (nl + 1)
    return re.sub(r"[^a-z0-9]", "", skeleton(_QUOTE.sub("", text)))[:HASH_BODY_CHARS]


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    cuts = [(m.start(), m.end()) for m in _BLANKISH.finditer(text, start, end)]
    cuts += [(m.start(), m.start()) for m in _BULLET.finditer(text, start, end)]
    for s, e in sorted(cuts) + [(end, end)]:
        a, b = trim(text, pos, s)
        if b > a and not re.fullmatch(r"[\s>»]*", text[a:b]):
            out.append((a, b))
        pos = max(pos, e)
    return out


def _lines_in(text: str, s: int, e: int) -> list[tuple[int, str]]:
    """(start offset, line without quote marks and outer white space) for each line of text[s:e]."""
    out = []
    pos = s
    for raw in text[s:e].split("\n"):
        out.append((pos, _QUOTE.sub("", raw).strip()))
        pos += len(raw) + 1
    return out


def _signature_start(text: str, blocks: list[tuple[int, int]], sender_name: str | None) -> int | None:
    """Where the signature of a message starts (an offset inside one of its last blocks), or None."""
    if not blocks:
        return None
    cues = _cues()
    # a mobile client's line or an automatic footer, in one of the last two blocks
    for s, e in blocks[-2:]:
        for ls, line in _lines_in(text, s, e):
            if cues["device"].search(line) or cues["footer"].search(line):
                return ls
    lines = _lines_in(text, *blocks[-1])
    # a valediction line followed by one to three short name lines
    for n, (_, line) in enumerate(lines):
        rest = lines[n + 1:]
        if cues["valediction"].match(line) and 1 <= len(rest) <= 3 and \
                all(0 < len(x) <= 40 and not re.search(r"[.?!:]$", x) for _, x in rest):
            return rest[0][0]
    # a short name block after a block that ends with a valediction (`Best,` / blank / `AM`);
    # what follows it (an ISP's advertisement) belongs to the signature too
    for n in range(max(1, len(blocks) - 3), len(blocks)):
        name_lines = _lines_in(text, *blocks[n])
        if 1 <= len(name_lines) <= 3 and _name_like(name_lines[0][1], sender_name, single_word=True) \
                and cues["valediction"].search(_lines_in(text, *blocks[n - 1])[-1][1]):
            return name_lines[0][0]
    # a name block: a short name line with title/contact lines under it
    if 2 <= len(lines) <= 8 and all(len(x) <= 70 for _, x in lines) and _name_like(lines[0][1], sender_name) \
            and any(cues["title"].search(x) for _, x in lines[1:]):
        return lines[0][0]
    return None


def _name_like(line: str, sender_name: str | None, single_word: bool = False) -> bool:
    words = line.split()
    if not 1 <= len(words) <= 4 or re.search(r"[.?!:;]$", line):
        return False
    if not all(w[:1].isupper() for w in words if w[0].isalpha()):
        return False
    if sender_name:
        tokens = {t.lower() for t in re.findall(r"[A-Za-z]{2,}", sender_name)}
        if tokens & {w.lower().strip(".,") for w in words}:
            return True
    return len(words) >= 2 or (single_word and len(line) <= 20)


def _message(h: Header, index: int, body: str, end: int) -> Message:
    f = h.fields
    sender = parse_addressee(f["From"]) if clean_value(f.get("From")) else None
    sent = parse_sent(f.get("Sent") or f.get("Date"))
    subject = clean_value(f.get("Subject"))
    attachments = [a.strip() for a in re.split(r";", clean_value(f.get("Attachments")) or "") if a.strip()]
    return Message(index, message_hash(sent, subject, body), sender, split_addressees(f.get("To", "")),
                   split_addressees(f.get("Cc", "")), sent, subject, h.start, end, attachments)


def segment_messages(text: str, headers: list[Header], body_start: int) -> tuple[list[Message], list[Span]]:
    """Messages (top first) and the spans of their headers, bodies, quoted text and signatures.
    Text between the stamp block and the first header is the top message's body."""
    messages: list[Message] = []
    spans: list[Span] = []
    lead = _blocks(text, body_start, headers[0].start if headers else len(text))
    for s, e in lead:
        spans.append(Span(s, e, "body", message_index=0 if headers else None))
    for k, h in enumerate(headers):
        end = headers[k + 1].start if k + 1 < len(headers) else len(text)
        blocks = _blocks(text, h.end, end)
        msg = _message(h, k, text[h.end:end], end)
        messages.append(msg)
        spans.append(Span(h.start, h.end, "header", message_index=k))
        sig = _signature_start(text, blocks, msg.sender.name if msg.sender else None)
        section = "body" if k == 0 else "quoted"
        for s, e in blocks:
            if sig is not None and s <= sig < e and sig > s:
                spans.append(Span(s, sig, section, message_index=k))
                spans.append(Span(sig, e, "signature", message_index=k))
            elif sig is not None and s >= sig:
                spans.append(Span(s, e, "signature", message_index=k))
            else:
                spans.append(Span(s, e, section, message_index=k))
    if messages and lead:
        messages[0].char_start = lead[0][0]      # the top message's span covers its text above the header
    return messages, spans
