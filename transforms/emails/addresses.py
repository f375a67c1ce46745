"""Sender/recipient strings -> `Addressee(name, address, raw)`.

Addresses are repaired only where the repair is unambiguous: spaces inside `<...>`, a trailing
`>` lost, `mailto:` prefixes, a stray `]`/`)`. The raw form is always kept.
"""
from __future__ import annotations

import re

from ..records import Addressee

_ANGLE = re.compile(r"^(?P<name>.*?)\s*[<\[(](?:mailto:)?\s*(?P<addr>[^<>\[\]()\s]+(?:\s+[^<>\[\]()\s]+)?)\s*[>\])]?\s*$")
_BARE = re.compile(r"^(?:mailto:)?(?P<addr>[\w.'+-]+@[\w-]+(?:\.[\w-]+)+)$")
_EMAIL = re.compile(r"^[\w.'+-]+@[\w-]+(?:\.[\w-]+)+$")


def parse_addressee(raw: str) -> Addressee:
    raw = raw.strip()
    text = raw.strip(" ;,'\"")
    m = _ANGLE.match(text)
    if m and "@" in m.group("addr"):
        addr = re.sub(r"\s+", "", m.group("addr")).strip(".,;")
        name = m.group("name").strip(" \"'") or None
        return Addressee(name, addr if _EMAIL.match(addr) else addr, raw)
    b = _BARE.match(text)
    if b:
        return Addressee(None, b.group("addr"), raw)
    return Addressee(text or None, None, raw)


def split_addressees(value: str) -> list[Addressee]:
    """`Mills, Cheryl D; Abedin, Huma` -> two addressees. Semicolons separate; a comma separates
    only when both sides are not a `Surname, Given` pair."""
    value = value.strip()
    if not value:
        return []
    parts = [p for p in re.split(r";\s*", value) if p.strip()]
    return [parse_addressee(p) for p in parts]
