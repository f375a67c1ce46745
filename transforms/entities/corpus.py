"""One normalized form per person across the corpus: a pure function over the entities of many
documents, for the flow to call when it commits a run (the per-document pass is in normalize.py).

    person_map(counts)          -> {normalized: (canonical, rule)}   (from value counts only)
    merge_people(entities)      -> entities with PERSON `normalized`/`merge_rule` rewritten

Rules, in order:
1. spellings with the same transliteration key are one person ("Nazarbaev"/"Nazarbayev",
   "Ahmedinejad"/"Ahmadinejad" stay apart: they differ by more than the folding rules); the most
   frequent spelling wins, ties to the longer, then alphabetical (`corpus:translit`);
2. a surname alone becomes the one full name with that surname in the corpus, when the surname is
   not a common surname, given name or English word ("Zhumagulov" -> "Bakhytzhan Zhumagulov";
   "Brown", "Jeffrey" stay) (`corpus:surname`).

`person_map` needs only (normalized, count) pairs, so the warehouse can feed it from a GROUP BY
over the entities table and apply the mapping in SQL or Arrow without loading the rows.
"""
from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ..records import Entity
from .lexicon import given_names, is_english, surnames
from .names import key, key_rule


def person_map(counts: Mapping[str, int]) -> dict[str, tuple[str, str]]:
    """normalized name -> (canonical name, rule) for every name that changes."""
    out: dict[str, tuple[str, str]] = {}
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        by_key[key(name)].append(name)
    canon: dict[str, str] = {}
    for names in by_key.values():
        best = max(names, key=lambda n: (counts[n], len(n), n))
        for n in names:
            canon[n] = best
            if n != best:
                out[n] = (best, f"corpus:{key_rule(n, best) or 'translit'}")
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    for n in set(canon.values()):
        if " " in n:
            full_by_surname[n.split()[-1].lower()].add(n)
    for n, c in canon.items():
        if " " in c:
            continue
        fulls = full_by_surname.get(c.lower())
        common = c.capitalize() in surnames() or c.capitalize() in given_names() or is_english(c.lower())
        if fulls and len(fulls) == 1 and not common:
            out[n] = (next(iter(fulls)), "corpus:surname" if n == c else f"{out[n][1]};corpus:surname")
    return out


def merge_people(entities: Iterable[Entity]) -> list[Entity]:
    """The entities, PERSON rows rewritten by `person_map` over their own counts (new records;
    the input is not changed)."""
    ents = list(entities)
    counts = Counter(e.normalized for e in ents if e.entity_type == "PERSON" and e.subtype not in ("role", "addressee"))
    mapping = person_map(counts)
    out = []
    for e in ents:
        hit = mapping.get(e.normalized) if e.entity_type == "PERSON" and e.subtype not in ("role", "addressee") else None
        if hit:
            rule = hit[1] if not e.merge_rule else f"{e.merge_rule};{hit[1]}"
            e = dataclasses.replace(e, normalized=hit[0], merge_rule=rule)
        out.append(e)
    return out
