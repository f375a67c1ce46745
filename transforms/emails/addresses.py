"""Sender/recipient strings -> `Addressee(name, address, raw)`.

`raw` is always the value exactly as found. `address` is repaired only where the repair is
unambiguous, in this order:

1. structure: the `mailto:` prefix and its OCR forms (`mallto:`, `ma i lto:`, `lmailto:`) go, as do
   the brackets around the address and their OCR forms (`[`, `(`, `<`, a closing `]`/`)`/`>` read as
   `j`, `i` or `a` after the top-level domain), white space inside the address
   (`<Sullivan11@state.gov >`), quotes and trailing dots; `©` is an OCR'd `@`; a comma inside the
   domain is an OCR'd dot (`state,gov`).
2. domain: a domain that is not in `data/email_domains.txt` is replaced by the one known domain
   within the OCR tolerance (`state.goy` -> `state.gov`, `armed-servic,essenate.govi` ->
   `armed-services.senate.gov`); two candidates, or none, leave it as found.
3. known address: when the whole address has the same OCR skeleton (`skeleton`) as exactly one
   address of `data/known_addresses.txt`, it becomes that address (`Sullivan11@state.gov` ->
   `SullivanJJ@state.gov`, `HDR22@c1intonemai1.com` -> `HDR22@clintonemail.com`).

Anything that still is not `local@domain.tld` (an address cut by a redaction: `jake.sullivan`,
`<preines`) is not an address: it is kept as the name when no name was given, and `address` is None.
"""
from __future__ import annotations

import functools
import re

from rapidfuzz.distance import Levenshtein

from ..data import data_lines
from ..records import Addressee

_MAILTO = re.compile(r"(?i)[\[(<{lj]?\s*(?:m|rn)\s*a\s*[il1]\s*[il1]\s*t\s*o\s*[:;.]?\s*")
_VALID = re.compile(r"^[\w.'+-]+@[\w-]+(?:\.[\w-]+)+$")
# An address-like token: something@something, or (no @) a token that ends in a known TLD.
_AT_TOKEN = re.compile(r"[^\s<>\[\]()'\"`;]*[@©][^\s<>\[\]()'\"`;]*")
_OPEN = re.compile(r"[<\[(]")
_CONFUSABLE = str.maketrans({"1": "i", "l": "i", "j": "i", "|": "i", "!": "i", "0": "o", "y": "v", "©": "@"})


def skeleton(text: str) -> str:
    """OCR skeleton of an address: lower case, characters that OCR confuses folded together
    (1/l/j/|/! -> i, 0 -> o, y -> v, rn -> m, vv -> w, © -> @)."""
    s = text.lower().replace("rn", "m").replace("vv", "w")
    return s.translate(_CONFUSABLE)


@functools.cache
def _known_domains() -> tuple[str, ...]:
    return data_lines("transforms.emails", "data/email_domains.txt")


@functools.cache
def _known_addresses() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for a in data_lines("transforms.emails", "data/known_addresses.txt"):
        out.setdefault(skeleton(a), []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def _repair_domain(domain: str) -> str:
    """The known domain this OCR'd domain stands for, when exactly one is close enough."""
    d = domain.lower().strip(".")
    if d in _known_domains():
        return d
    # a closing bracket read as a letter after the TLD: `state.govi`, `clintonemail.cornj`
    trimmed = re.sub(r"(?<=\.(?:gov|com|edu|net|org|mil))[ija\]>)}]$", "", d)
    trimmed = re.sub(r"(?<=\.corn)[ija\]>)}]$", "", trimmed)
    if trimmed in _known_domains():
        return trimmed
    sk = skeleton(trimmed)
    scored = sorted((Levenshtein.distance(sk, skeleton(k)), k) for k in _known_domains())
    best, candidate = scored[0]
    tolerance = max(1, round(len(sk) * 0.2))
    second = scored[1][0] if len(scored) > 1 else 99
    if best <= tolerance and second > best + 1:
        return candidate
    return domain


def repair_address(text: str) -> str | None:
    """A repaired `local@domain` or None when `text` holds no complete address."""
    core = text.strip(" \t'\"`.,;:<>[](){}")
    if re.search(r"\S\s+\S", core):
        # white space inside an address stands for a lost character (`'Jilot LC@state. ov'`) as
        # often as for nothing: only a known address that fits with one character per gap will do
        rx = re.compile(re.sub(r"\\\s+|\s+", ".", re.escape(skeleton(core))))
        hits = {a for k, v in _known_addresses().items() if rx.fullmatch(k) for a in v}
        return hits.pop() if len(hits) == 1 else None
    s = core.replace("©", "@")
    s = s.strip("'\"`.,;:<>[](){}")
    if s.count("@") != 1:
        return _known_without_at(s)
    local, domain = s.split("@")
    local = local.lstrip("<[({")
    domain = domain.replace(",", ".")
    domain = re.sub(r"[\]>)}]+$", "", domain)
    if not local or not domain.strip("."):
        return None
    domain = _repair_domain(domain)
    if "." not in domain.strip("."):
        return None
    addr = f"{local}@{domain}"
    if _VALID.match(addr) and addr.lower() in _known_lower():
        return addr                      # already right (case is the sender's, not a repair)
    known = _known_addresses().get(skeleton(addr), ())
    if len(known) == 1:
        return known[0]
    if len(local) > 3 and local[0] in "e(<[{lI|i":
        # `ehrod17@...`, `eabedinh@...`: a `<` or `'` read as a letter before a known address
        known = _known_addresses().get(skeleton(addr[1:]), ())
        if len(known) == 1:
            return known[0]
    return addr if _VALID.match(addr) else None


@functools.cache
def _known_lower() -> frozenset[str]:
    return frozenset(a.lower() for a in data_lines("transforms.emails", "data/known_addresses.txt"))


def _known_without_at(s: str) -> str | None:
    """`Sullivaniiestate.gov` (the @ read as a letter), `HanleyMRstate.gov` (the @ lost): repaired
    only when exactly one known address fits, with the character in front of a known domain read
    as the @ or with an @ put back in front of it."""
    low = s.lower()
    hits = set()
    for domain in _known_domains():
        if low.endswith(domain) and len(low) > len(domain) + 2:
            for local in (s[:len(s) - len(domain) - 1], s[:len(s) - len(domain)]):
                hits.update(_known_addresses().get(skeleton(f"{local}@{domain}"), ()))
    return hits.pop() if len(hits) == 1 else None


def _address_part(text: str) -> tuple[str, str] | None:
    """Split `Name <addr>` / `Name [mailto:addr]` / `'addr'` / `Name addr` into (name, address text)."""
    m = _MAILTO.search(text)
    if m:
        return text[:m.start()], text[m.end():]
    if "<" in text:
        i = text.rindex("<")
        return text[:i], text[i + 1:]
    for o in _OPEN.finditer(text):
        if "@" in text[o.end():] or "©" in text[o.end():]:
            return text[:o.start()], text[o.end():]
    if text[:1] in "'\"`" and re.search(r"[@©]", text):
        return "", text                  # a quoted address: white space inside it is an OCR slip
    t = _AT_TOKEN.search(text)
    if t:
        return text[:t.start()], text[t.start():]
    return None


def parse_addressee(raw: str) -> Addressee:
    """One sender or recipient as printed (`Abedin, Huma <abedinh@state.gov>`, `'millscd@state.gov'`,
    `H [mailto:HDR22@clintonemail.com]`, `Jake Sullivan <jake.sullivan`)."""
    raw = raw.strip()
    text = raw.strip(" ;,")
    name: str | None = text.strip(" '\"`") or None
    address = None
    part = _address_part(text)
    if part is not None:
        before, inside = part
        address = repair_address(inside)
        candidate_name = before.strip(" '\"`,;")
        if address is not None or candidate_name:
            name = candidate_name or None
        if address is None and name is None:
            name = inside.strip(" '\"`<>[]().,;") or None
        if name and address and name.strip("'\"` ").lower() == address.lower():
            name = None                  # `OpsNewsTicker@state.gov <OpsNewsTicker@state.gov>`
    elif "@" not in text and "." in text and (addr := _known_without_at(text.strip(" '\"`"))):
        name, address = None, addr
    if name is not None:
        name = re.sub(r"\s+", " ", name)
    return Addressee(name, address, raw)


def split_addressees(value: str) -> list[Addressee]:
    """A To/Cc value -> addressees. Semicolons separate; so does a run of five or more spaces, which
    is where a redaction or a lost separator sits in the printout (`'cheryl.mills      'millscd@state.gov'`).
    Commas never separate: `Sullivan, Jacob J` is one person."""
    value = value.strip()
    if not value:
        return []
    parts = [p for p in re.split(r";|[ \t]{5,}", value) if p.strip(" ;,'\"`")]
    return [parse_addressee(p) for p in parts]
