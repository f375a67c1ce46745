"""One Aho-Corasick automaton over every name list: places, organisations, known people, titles
and role designators. It runs once per paragraph over a lower-cased copy of the text (same length,
so offsets carry over) and each hit is then checked for word boundaries and case.

Case rules (cables are often ALL CAPS, emails never are):
- a surface written without lower-case letters (an acronym: `OSCE`, `MFA`, `US`) matches only as
  written, and not at all on an all-capitals line when it is also an English word (`WHO`, `AID`,
  `US` in "GIVES US");
- any other surface matches as written or in capitals (`Almaty`, `ALMATY`); in capitals on an
  all-capitals line only if it is not also an English word (`NICE`, `MOBILE`), countries excepted;
- titles match as written or in capitals ("President", "PRESIDENT"; never "president", and not
  "Party chairman" for the title "Party Chairman").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ahocorasick
import pycountry

from .compiled import fast_module
from .lexicon import (
    ascii_fold,
    dictionary,
    geonames,
    given_names,
    is_english,
    known_persons,
    lines,
    not_names,
    person_tokens,
    rows,
    surnames,
)
from .words import HYPHENATED, SHORT_FORM

#: the compiled twins of `Hit` and of the automaton loop of `find`, when built (see `compiled`)
_fast = fast_module()

#: Cities with fewer inhabitants are left out unless they are capitals or curated (places.csv):
#: small towns share names with words and people too often.
MIN_CITY_POPULATION = 100_000
#: Other names of a city (geonames alternate names) only for cities this big: smaller ones carry
#: too many odd transliterations.
ALT_NAME_POPULATION = 150_000
#: Above this a city's name is kept even when it is also an English word or a person's name.
BIG_CITY_POPULATION = 1_000_000


#: ASCII capitals -> small letters, byte by byte: in UTF-8 the bytes of other characters are all
#: above 0x7f, so this lowers ASCII letters only, whatever the text holds
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_LOWER_ONE_SPACE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\n\t\r", b"abcdefghijklmnopqrstuvwxyz   ")


def _translate_ascii(text: str, table: bytes) -> str:
    if text.isascii():
        return text.encode("ascii").translate(table).decode("ascii")
    out = text.encode("utf-8", "surrogatepass").translate(table).decode("utf-8", "surrogatepass")
    return out.replace("\u2019", "'").replace("\u2018", "'")


def lower(text: str) -> str:
    """ASCII letters lowered and typographic apostrophes made "'": same length as `text`, so
    offsets carry over (`str.lower` would also lower other letters and may change the length)."""
    return _translate_ascii(text, _ASCII_LOWER)


def lower_one_space(text: str) -> str:
    """`lower(text)` with line breaks and tabs as spaces (same length): what the automaton reads."""
    return _translate_ascii(text, _ASCII_LOWER_ONE_SPACE)


@dataclass(frozen=True, slots=True)
class Entry:
    etype: str            # LOCATION, ORG, PERSON, TITLE, ROLE
    normalized: str
    subtype: str | None
    method: str
    surface: str          # as listed
    acronym: bool         # no lower-case letters in the listed surface
    common_word: bool     # the surface is also an English word
    merge_rule: str | None = None
    surname: bool = False  # PERSON entry that is a known person's surname alone


@dataclass(slots=True)
class Hit:
    """(not frozen: a frozen dataclass costs three times as much to build, and hits are made for
    every name found and never hashed)"""
    start: int
    end: int
    entry: Entry


_PyHit = Hit
if _fast is not None:
    Hit = _fast.Hit                                              # noqa: F811


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = {}
        self.seen: set[tuple[str, str, str]] = set()

    def add(self, surface: str, etype: str, normalized: str, subtype: str | None, method: str,
            merge_rule: str | None = None, surname: bool = False, only_new: bool = False) -> None:
        surface = surface.strip()
        if len(surface) < 2:
            return
        key = lower(surface)
        if only_new and key in self.entries:
            return
        entry = Entry(etype, normalized, subtype, method, surface,
                      acronym=not any(c.islower() for c in surface),
                      common_word=key in dictionary(), merge_rule=merge_rule, surname=surname)
        if (key, etype, surface) not in self.seen:
            self.seen.add((key, etype, surface))
            self.entries.setdefault(key, []).append(entry)


def _countries(b: _Builder) -> None:
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            if "," not in name and "(" not in name:
                # "Netherlands", not "The Netherlands": the article is not part of the name
                b.add(re.sub(r"^The ", "", name), "LOCATION", c.alpha_2, "country", "gazetteer:pycountry")
    for c in geonames().get_countries().values():
        b.add(re.sub(r"^The ", "", c["name"]), "LOCATION", c["iso"], "country", "gazetteer:geonames", only_new=True)


def _places(b: _Builder) -> None:
    for surface, normalized, subtype in rows("places.csv", 3):
        b.add(surface, "LOCATION", normalized, subtype, "gazetteer:places")


def _cities(b: _Builder) -> None:
    gc = geonames()
    capitals = {c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    people = given_names() | surnames()
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    kept = []
    for city in cities:
        pop = city["population"]
        if pop < MIN_CITY_POPULATION and city["name"] not in capitals:
            continue
        name = ascii_fold(city["name"])           # "Plzeň" is written "PLZEN" in cables
        # a capital of a small territory named like a person ("Douglas", "Victoria") is left out
        big = pop >= BIG_CITY_POPULATION or (city["name"] in capitals and pop >= 100_000)
        if pop < MIN_CITY_POPULATION and city["name"] not in capitals:
            continue
        if len(name) < 3 or (len(name) == 3 and pop < 300_000) or not name[:1].isupper():
            continue
        if not big and (lower(name) in dictionary() or lower(name) in not_names()
                        or (name in people and pop < 300_000)):
            continue
        b.add(name, "LOCATION", name, "city", "gazetteer:geonames", only_new=True)
        kept.append(city)
    # other names of the same cities ("Alma-Ata" -> Almaty, "Semipalatinsk" -> Semey), after every
    # main name so that an alternate never hides one
    # an alternate that begins a country's name is a people or language name ("Kazakh")
    country_prefixes = {lower(w)[:k] for c in gc.get_countries().values() for w in c["name"].split()
                        for k in range(4, len(w) + 1)}
    famous = person_tokens()
    for city in kept:
        if city["population"] < ALT_NAME_POPULATION:
            continue
        for alt in city.get("alternatenames", ()):
            # cheap tests first: most alternates are in other scripts or lower case
            if len(alt) < 5 or not alt.isascii() or not alt[0].isupper() or alt.isupper() or alt == city["name"]:
                continue
            low = lower(alt)
            if low in b.entries or low in country_prefixes or alt in people:
                continue
            words = alt.replace("-", " ").split()
            if any(not w[0].isupper() or is_english(lower(w)) or w.capitalize() in famous for w in words):
                continue
            b.add(alt, "LOCATION", ascii_fold(city["name"]), "city", "gazetteer:geonames_alt",
                  merge_rule="geonames:alternate_name", only_new=True)
    # provinces, states, oblasts (ISO 3166-2): "Tamil Nadu", "Minas Gerais", "Khanh Hoa"
    for sub in pycountry.subdivisions:
        name = ascii_fold(sub.name)
        if (len(name) >= 5 and "(" not in name and "," not in name and not is_english(lower(name))
                and lower(name) not in not_names() and name not in people and name[:1].isupper()):
            b.add(name, "LOCATION", name, "region", "gazetteer:iso3166-2", only_new=True)
    for cont in gc.get_continents().values():
        b.add(cont["name"], "LOCATION", cont["name"], "region", "gazetteer:geonames", only_new=True)
    for state in gc.get_us_states().values():
        b.add(state["name"], "LOCATION", state["name"], "region", "gazetteer:geonames", only_new=True)


def _orgs(b: _Builder) -> None:
    for surface, normalized, subtype in rows("orgs.csv", 3):
        b.add(surface, "ORG", normalized, subtype, "gazetteer:orgs")
    for bureau, normalized in rows("offices.csv", 2):
        if len(bureau) >= 3 and "/" not in bureau:
            b.add(bureau, "ORG", bureau, "office", "gazetteer:offices")


def _persons(b: _Builder) -> None:
    for p in known_persons():
        b.add(p.canonical, "PERSON", p.canonical, None, "gazetteer:persons")
        for v in p.variants:
            rule = None if v.split()[-1] == p.canonical.split()[-1] else "gazetteer:persons_variant"
            b.add(v, "PERSON", p.canonical, None, "gazetteer:persons", merge_rule=rule, surname=" " not in v)
        if p.surname_alone:
            b.add(p.canonical.split()[-1], "PERSON", p.canonical, None, "gazetteer:persons", surname=True)


def _titles(b: _Builder) -> None:
    titles = lines("titles.txt")
    mods = lines("modifiers.txt")
    for line in titles:
        t, _, full = line.partition("|")
        full = full or t
        b.add(t, "TITLE", full, None, "title")
        for m in mods:
            b.add(f"{m} {t}", "TITLE", f"{m} {full}", None, "title")
    for surface, normalized in rows("roles.csv", 2):
        b.add(surface, "ROLE", normalized, "role", "rule:role")


#: Keys of this many letters or fewer are looked up word by word instead of in the automaton:
#: as substrings they occur inside most words ("ec" in "election") and cost more than they find.
SHORT_KEY = 4


def _short(key: str) -> bool:
    return len(key) <= SHORT_KEY and key.isalpha()


@functools.cache
def automaton() -> ahocorasick.Automaton:
    b = _builder()
    a = ahocorasick.Automaton()
    for key, entries in b.entries.items():
        if _short(key):
            continue
        value = tuple(entries)
        for variant in _spacings(key):
            a.add_word(variant, (len(variant), value))
    a.make_automaton()
    return a


def _spacings(key: str) -> list[str]:
    """A multi-word key as written with one or two spaces in each gap: a name broken over a line
    in a cable ends the first line with a space ("SAUDI \nARABIA", read as "saudi  arabia" once
    line breaks count as spaces). Keys of more than four words keep single spaces."""
    words = key.split(" ")
    if len(words) == 1 or len(words) > 5:
        return [key]
    out = [words[0]]
    for w in words[1:]:
        out = [o + sep + w for o in out for sep in (" ", "  ")]
    return out


@functools.cache
def short_keys() -> dict[str, tuple[Entry, ...]]:
    return {key: tuple(entries) for key, entries in _builder().entries.items() if _short(key)}


@functools.cache
def short_forms() -> frozenset[str]:
    """Every way a short key can be written and still pass `case_ok`: as listed, in capitals
    (titles, and capitals of any other name: the key with its ASCII letters raised). A word not
    in this set cannot hit a short key, whatever the line."""
    out: set[str] = set()
    for key, entries in short_keys().items():
        up = key.translate(_ASCII_UPPER)
        if up == up.upper():
            out.add(up)
        for e in entries:
            out.update((e.surface, e.surface.upper()))
    return frozenset(out)


_ASCII_UPPER = str.maketrans({chr(c): chr(c - 32) for c in range(97, 123)})


@functools.cache
def _builder() -> _Builder:
    b = _Builder()
    # order matters where only_new is used: curated lists first, then package lists
    _places(b)
    _orgs(b)
    _persons(b)
    _titles(b)
    _countries(b)
    _cities(b)
    return b


def _bounded(text: str, start: int, end: int) -> bool:
    if start > 0:
        prev = text[start - 1]
        if prev.isalnum() or prev in "@_" or (prev == "." and start > 1 and text[start - 2].isalnum()):
            return False
    if end < len(text):
        nxt = text[end]
        if nxt.isalnum() or nxt in "@_":
            return False
        if nxt == "." and end + 1 < len(text) and text[end + 1].isalnum():
            return False   # inside a dotted name: "state.gov", "U.S.-Kazakh"
    return True


def case_ok(found: str, entry: Entry, caps_line: bool) -> bool:
    if entry.etype == "TITLE":
        return found == entry.surface or found == entry.surface.upper()
    if entry.acronym:
        # an acronym that is also a word ("WHO", "AID") is not one on an all-capitals line;
        # role and title words ("AMBASSADOR") are meant as words anyway
        return found == entry.surface and not (caps_line and entry.common_word and entry.etype in ("ORG", "LOCATION"))
    if found == entry.surface:
        return True
    if found == found.upper():
        if entry.common_word and caps_line and entry.subtype != "country":
            return False
        return caps_line or len(found) >= 4
    return False


def _case_without_line(found: str, entry: Entry) -> bool | None:
    """`case_ok(found, entry, caps_line)` when it is the same for either `caps_line`, else None:
    the line's case is looked up (`CapsLines`) only for the hits it decides."""
    if entry.etype == "TITLE":
        return found == entry.surface or found == entry.surface.upper()
    if entry.acronym:
        if found != entry.surface:
            return False
        return None if entry.common_word and entry.etype in ("ORG", "LOCATION") else True
    if found == entry.surface:
        return True
    if found != found.upper():
        return False
    if entry.common_word and entry.subtype != "country":
        return None if len(found) >= 4 else False         # not on a capitals line
    return True if len(found) >= 4 else None               # on a capitals line


def _add_case_checked(out: list[Hit], found: str, start: int, end: int, entries: tuple[Entry, ...], caps_at) -> None:
    """A hit for each of `entries` that `found` (at `start`) passes `case_ok` for; whether the line
    is in capitals is asked only when the verdict depends on it, once."""
    caps = None
    for entry in entries:
        if found == entry.surface and (entry.etype == "TITLE" or not entry.acronym):
            out.append(Hit(start, end, entry))            # as listed: `case_ok` without the line
            continue
        ok = _case_without_line(found, entry)
        if ok is None:
            if caps is None:
                caps = caps_at(start)
            ok = case_ok(found, entry, caps)
        if ok:
            out.append(Hit(start, end, entry))


def find(text: str, caps_at, low: str | None = None, words=None) -> list[Hit]:
    """Every bounded, case-checked hit in `text`. `caps_at(offset)` tells whether the line holding
    `offset` is written in capitals; `low` is `lower_one_space(text)` and `words` its
    `tokens.words`, when the caller has them. Names may be broken across lines ("SAUDI \nARABIA";
    see `_spacings`)."""
    low = low if low is not None else lower_one_space(text)
    if words is None:
        from .tokens import words as words_of
        words = words_of(text)
    out: list[Hit] = []
    # short keys, word by word: only words that can be written like one (`short_forms`), and the
    # hyphen-joined parts of longer words ("Iran-Iraq")
    sel = words.having(SHORT_FORM | HYPHENATED)
    if sel:
        forms = short_forms()
        short = short_keys()
        toks = words.toks
        for i in sel:
            t = toks[i]
            if len(t.text) <= SHORT_KEY:
                if t.text not in forms:
                    continue
                parts = ((t.start, t.end),)
            elif "-" in t.text:                                # "Iran-Iraq", "U.S.-Kazakh" parts
                parts, pos = [], t.start
                for piece in t.text.split("-"):
                    if len(piece) <= SHORT_KEY and piece in forms:
                        parts.append((pos, pos + len(piece)))
                    pos += len(piece) + 1
            else:
                continue
            for s, e in parts:
                entries = short.get(low[s:e])
                if entries and _bounded(text, s, e):
                    _add_case_checked(out, text[s:e], s, e, entries, caps_at)
    if _fast is not None:
        return _fast.automaton_hits(text, low, automaton(), out, _case_without_line, case_ok, caps_at)
    n = len(text)
    for end_idx, (length, entries) in automaton().iter(low):
        start, end = end_idx - length + 1, end_idx + 1
        # _bounded, inline: this runs for every raw hit
        if start > 0:
            prev = text[start - 1]
            if prev.isalnum() or prev in "@_" or (prev == "." and start > 1 and text[start - 2].isalnum()):
                continue
        if end < n:
            nxt = text[end]
            if nxt.isalnum() or nxt in "@_" or (nxt == "." and end + 1 < n and text[end + 1].isalnum()):
                continue
        found = text[start:end]
        if "\n" in found or "\t" in found:
            found = " ".join(found.split())
        _add_case_checked(out, found, start, end, entries, caps_at)
    return out
