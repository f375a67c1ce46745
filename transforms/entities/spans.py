"""Candidate spans and how overlapping candidates are settled.

Every rule proposes `Candidate`s; `resolve` keeps a set of non-overlapping ones. A candidate's
`tier` says how much its evidence is worth: 3 for fixed formats (TAGS line, e-mail address, cable
reference, date, percentage), 2 for list and title evidence (gazetteers, "Ambassador X", e-mail
header names), 1 for name shapes and bare numbers. A higher tier wins; within a tier the longer
span wins ("Embassy Astana" over "Astana"), then the earlier one, then the preferred method.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass

from .compiled import fast_module

FORMAT, LISTED, SHAPE = 3, 2, 1


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    etype: str
    normalized: str
    method: str
    confidence: float
    tier: int
    subtype: str | None = None
    merge_rule: str | None = None
    rank: int = 0           # lower wins among equal spans of equal tier


_START = operator.attrgetter("start")


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Greedy non-overlapping selection; result in text order."""
    if not cands:
        return []
    # most sets have no overlap (further mentions added to a paragraph's entities): then every
    # candidate is kept, in text order, and the greedy pass has nothing to decide
    order = sorted(cands, key=_START)
    end = -1
    for c in order:
        if c.start < end or c.end <= c.start:
            break
        end = c.end
    else:
        return order
    order = sorted(cands, key=lambda c: (-c.tier, -(c.end - c.start), c.start, c.rank))
    covered = bytearray(max(c.end for c in cands) + 1)
    out: list[Candidate] = []
    for c in order:
        if c.end <= c.start or 1 in covered[c.start:c.end]:
            continue
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        out.append(c)
    out.sort(key=lambda c: c.start)
    return out


#: the compiled twins of `Candidate` and `resolve`, when built (see `compiled`)
_fast = fast_module()
_PyCandidate, _py_resolve = Candidate, resolve
if _fast is not None:
    Candidate = _fast.Candidate                                  # noqa: F811
    resolve = _fast.resolve                                      # noqa: F811


def free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(start < e and s < end for s, e in spans)
