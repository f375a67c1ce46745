"""One normalized form per person, within a document (here) and across the corpus (`corpus.py`).

Within a document, in this order:
1. a name that is a known person's name or listed variant (persons.csv) becomes the canonical
   form ("Nazarbaev" -> "Nursultan Nazarbayev"); a transliteration variant of one too
   (`translit:...`);
2. a surname alone becomes the document's one full name with that surname ("Zhumagulov" ->
   "Bakhytzhan Zhumagulov", rule `doc:surname`), else a known person's canonical name when that
   surname alone is safe to read as them (`gazetteer:surname`);
3. full names that differ only by transliteration take the document's most frequent spelling.
`merge_rule` lists every rule applied, `;`-separated, after any OCR rule found on the way.
"""
from __future__ import annotations

import functools
from collections import Counter

from .lexicon import known_persons
from .names import VariantIndex, fold, key, key_rule, variant_match
from .spans import Candidate

#: person candidates that are not names (roles, addressee codes, account aliases) keep their form
_NOT_NAMES = ("role", "addressee")


@functools.cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    full: dict[str, str] = {}
    keyed: dict[str, str] = {}
    alone: dict[str, str] = {}
    for p in known_persons():
        for name in (p.canonical, *p.variants):
            full.setdefault(fold(name), p.canonical)
            keyed.setdefault(key(name), p.canonical)
        if p.surname_alone:
            for name in (p.canonical, *p.variants):
                alone.setdefault(fold(name.split()[-1]), p.canonical)
                alone.setdefault(key(name.split()[-1]), p.canonical)
    return full, keyed, alone


@functools.cache
def _gazetteer_surnames() -> VariantIndex:
    """Spelling variants of the surnames that stand alone for a known person."""
    _, _, alone = _gazetteer()
    return VariantIndex({k: k for k in alone if " " not in k and len(k) >= 6})


def _add_rule(c: Candidate, rule: str | None) -> None:
    if rule:
        c.merge_rule = rule if not c.merge_rule else f"{c.merge_rule};{rule}"


def _canonical_full(c: Candidate) -> None:
    full, keyed, _ = _gazetteer()
    name = c.normalized
    f = fold(name)
    if f in full:
        if full[f] != name and fold(full[f]).split()[-1] != f.split()[-1]:
            _add_rule(c, key_rule(name, full[f]) or "gazetteer:persons_variant")
        c.normalized = full[f]
    elif key(name) in keyed:
        target = keyed[key(name)]
        _add_rule(c, key_rule(name, target) or "gazetteer:persons_variant")
        c.normalized = target


def normalize_people(paras: list[tuple[str, list[Candidate]]]) -> None:
    """Rewrite PERSON candidates' `normalized`/`merge_rule` in place (see module doc)."""
    people = [c for _, cands in paras for c in cands
              if c.etype == "PERSON" and c.subtype not in _NOT_NAMES and c.method != "rule:email_alias"]
    for c in people:
        if " " in c.normalized:
            _canonical_full(c)
    # the document's full names by surname (folded and transliteration key)
    by_surname: dict[str, set[str]] = {}
    for c in people:
        if " " in c.normalized:
            last = c.normalized.split()[-1]
            by_surname.setdefault(fold(last), set()).add(c.normalized)
            by_surname.setdefault("k:" + key(last), set()).add(c.normalized)
    _, _, alone = _gazetteer()
    by_given: dict[str, set[str]] = {}
    for c in people:
        words = c.normalized.split()
        if len(words) >= 2:
            by_given.setdefault(words[0].lower(), set()).add(c.normalized)
    index: dict[str, str] | None = None
    full: dict[str, str] = {}
    for c in people:
        if " " in c.normalized:
            continue
        name = c.normalized
        same = by_surname.get(fold(name))
        if same and len(same) == 1:
            c.normalized = next(iter(same))
            _add_rule(c, "doc:surname")
            continue
        similar = by_surname.get("k:" + key(name))
        if similar and len(similar) == 1:
            target = next(iter(similar))
            _add_rule(c, key_rule(name, target.split()[-1]))
            _add_rule(c, "doc:surname")
            c.normalized = target
            continue
        if index is None:
            full = {next(iter(v)).split()[-1].lower(): next(iter(v))
                    for k, v in by_surname.items() if not k.startswith("k:") and len(v) == 1}
            index = {k: k for k in full}
        hit = variant_match(index, name) if len(name) >= 5 else None
        if hit:
            target, rule = full[hit[0]], hit[1]
            _add_rule(c, rule)
            _add_rule(c, "doc:surname")
            c.normalized = target
            continue
        first = by_given.get(name.lower()) if len(name) >= 4 else None
        if first and len(first) == 1 and not alone.get(fold(name)):
            c.normalized = next(iter(first))              # "BASHAR" -> "Bashar al-Asad"
            _add_rule(c, "doc:given_name")
            continue
        target = alone.get(fold(name)) or alone.get(key(name))
        if not target and len(name) >= 7:
            hit = _gazetteer_surnames().match(name)    # "Nazerbayev" -> Nursultan Nazarbayev
            if hit:
                target = alone[fold(hit[0])]
                _add_rule(c, hit[1])
        if target:
            if fold(target.split()[-1]) != fold(name):
                _add_rule(c, key_rule(name, target.split()[-1]) or "gazetteer:persons_variant")
            _add_rule(c, "gazetteer:surname")
            c.normalized = target
    # one spelling per transliteration key within the document
    groups: dict[str, Counter[str]] = {}
    for c in people:
        k = key(c.normalized)
        forms = groups.get(k)
        if forms is None:                     # (not setdefault: it would build a Counter per name)
            forms = groups[k] = Counter()
        forms[c.normalized] += 1
    for c in people:
        forms = groups[key(c.normalized)]
        if len(forms) > 1:
            best = max(forms, key=lambda n: (forms[n], len(n), n))
            if best != c.normalized:
                _add_rule(c, key_rule(c.normalized, best))
                c.normalized = best
