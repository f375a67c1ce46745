"""The cable's TAGS line -> one TAG entity per tag, with its kind.

Kinds follow cablemap's `tag_kind`: a listed code has its listed kind (tags.csv: subject or
organization); otherwise two letters are geographic (`KZ`, `FR`; the State Department's country
codes, which are FIPS-like: `SF` is South Africa), four letters starting with K are programs
(`KDEM`, `KIRF`), and anything else (`Press Summaries`, `USEU BRUSSELS`, a person tag) is
`other`. The line may use commas or only spaces, carry a stray period ("PHUM. SF"), and wrap onto
the next line after a trailing comma.
"""
from __future__ import annotations

import functools
import re

from .lexicon import rows
from .spans import FORMAT, Candidate

_TAGS_LABEL = re.compile(r"(?m)(?:^|[ \t])TAGS\b:?[ \t]*")
_ITEM_SPLIT_COMMA = re.compile(r"[^,\n]+")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9'&/_-]*")
#: a line after the TAGS line that starts another header field ends the TAGS
_NEXT_FIELD = re.compile(r"^[ \t]*(?:SUBJECT|SUBJ|REF|REFS|E\.\s?O\.|EO\b|CLASSIFIED|Classified|SIPDIS|\(|\u00b6|\d+\.)")


@functools.cache
def vocabulary() -> dict[str, str]:
    return {code.upper(): kind for code, kind, _note in rows("tags.csv", 3)}


def tag_kind(code: str) -> str:
    c = code.upper()
    kind = vocabulary().get(c)
    if kind:
        return kind
    if len(c) == 2 and c.isalpha():
        return "geographic"
    if len(c) == 4 and c[0] == "K" and c.isalpha():
        return "program"
    return "other"


def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e


def tags(text: str) -> list[Candidate]:
    m = _TAGS_LABEL.search(text)
    if not m:
        return []
    start = m.end()
    end = _line_end(text, start)
    # wrapped TAGS: the line ends with a comma, or the next line holds only codes
    while end < len(text) and end - start < 400:
        nxt_end = _line_end(text, end + 1)
        nxt = text[end + 1:nxt_end]
        if not nxt.strip() or _NEXT_FIELD.match(nxt):
            break
        if text[start:end].rstrip().endswith(",") or re.fullmatch(r"[ \t]*(?:[A-Z]{2,6}[ \t,]*)+", nxt):
            end = nxt_end
        else:
            break
    region = text[start:end]
    out: list[Candidate] = []
    if "," in region:
        for item in _ITEM_SPLIT_COMMA.finditer(region):
            raw = item.group(0)
            s = start + item.start() + (len(raw) - len(raw.lstrip()))
            e = start + item.end() - (len(raw) - len(raw.rstrip()))
            value = text[s:e].rstrip(". ")
            e = s + len(value)
            if not value:
                continue
            # "PHUM. SF": a period typed for a comma
            parts = re.split(r"\.[ \t]+", value)
            if len(parts) > 1 and all(re.fullmatch(r"[A-Z]{2,6}", p) for p in parts):
                pos = s
                for p in parts:
                    ps = text.index(p, pos, e)
                    out.append(_tag(ps, ps + len(p), p))
                    pos = ps + len(p)
            elif re.fullmatch(r"[A-Z][A-Z0-9'&/_-]*", value):
                out.append(_tag(s, e, value))
            elif value.isupper() and " " in value and all(tag_kind(w) != "other" for w in value.split()):
                for cm in _CODE.finditer(value):   # "PTER PINS TU" inside a comma list
                    out.append(_tag(s + cm.start(), s + cm.end(), cm.group(0)))
            else:
                out.append(_tag(s, e, value))
    else:
        for cm in _CODE.finditer(region):
            out.append(_tag(start + cm.start(), start + cm.end(), cm.group(0)))
    return out


def _tag(s: int, e: int, value: str) -> Candidate:
    norm = re.sub(r"\s+", " ", value).strip()
    kind = tag_kind(norm)
    if kind != "other":
        norm = norm.upper()
    return Candidate(s, e, "TAG", norm, "rule:tags_line", 1.0 if kind != "other" else 0.9, FORMAT, subtype=kind)
