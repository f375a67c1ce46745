"""Entities of one document: every rule per paragraph, overlaps settled, then one pass over the
whole document for people (a surname found once is a person everywhere in the document; OCR and
spelling variants of it too) and one normalized form per person.

    extract_document(paragraphs, ctx) -> [Entity]     (what the pipeline calls)
    extract_entities(paragraph, ctx)  -> [Entity]     (one paragraph on its own)

Pure and deterministic: no I/O beyond package data, no model. Every row satisfies
`paragraph.text[char_start:char_end] == text`.

Not read for entities: FOIA release stamps (section `stamp`, repeated on every page and kept in
`documents`), and a cable's routing block and classification banner (VZCZC.../FM/TO/INFO lines,
`C O N F I D E N T I A L PARIS 005734`), whose contents are `documents.origin`/`recipients`.
"""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field

from ..records import Entity, Paragraph
from . import gazetteer, orgs, patterns, people
from .context import DocContext
from .lexicon import not_names
from .names import display, variant_match
from .normalize import normalize_people
from .spans import LISTED, SHAPE, Candidate, resolve
from .tags import tags
from .tokens import CapsLines, Token, Words, token_start
from .tokens import words as words_of
from .words import ENGLISH, MAY_MISSPELL, MENTION

_ROUTING_LINE = re.compile(r"^[ \t]*(?:VZCZC|(?:[OPRZ0][ \t]+){0,2}\d{6}Z\b|FM[ \t]|TO[ \t]|INFO[ \t]|DE[ \t]+R[A-Z]{3}|"
                           r"Z[A-Z]{2}[ \t]|[OPRZ]{1,2}[ \t]+R[A-Z]{4}|R[A-Z]{3,6}/|BT[ \t]*$|NNNN|XMT[ \t]|"
                           r"PAGE[ \t]+\d|ACTION[ \t]+[A-Z]{1,5}-\d)")
#: after a routing line, capitals-only lines continue the address list until one of these
_ROUTING_STOP = re.compile(r"^[ \t]*(?:$|SIPDIS|E\.?[ \t]?O\.?[ \t]|TAGS|SUBJECT|REF|CLASSIFIED|Classified|DEPT|"
                           r"DEPARTMENT|[A-Z/ ]+[ \t]FOR[ \t]|FOR[ \t]|PASS[ \t])")
_BANNER = re.compile(r"^[ \t]*(?:UNCLAS(?:SIFIED)?|C[ \t]?O[ \t]?N[ \t]?F[ \t]?I[ \t]?D[ \t]?E[ \t]?N[ \t]?T[ \t]?I[ \t]?A[ \t]?L|"
                     r"S[ \t]?E[ \t]?C[ \t]?R[ \t]?E[ \t]?T|LIMITED[ \t]+OFFICIAL[ \t]+USE)\b[^\n]{0,80}?\b\d{2,8}[ \t]*$")
#: "ASTANA 00000095 002 OF 003": the page header of a cable's later sections, in any paragraph
_SECTION_MARK = re.compile(r"^[ \t]*[A-Z][A-Z .'-]{1,40}[ \t]+\d{3,8}[ \t]+\d{1,3}(?:\.\d{1,2})?[ \t]+OF[ \t]+\d{1,3}[ \t]*$")
#: what every section mark holds ("... 002 OF 003"): a paragraph without it has none
_SECTION_OF = re.compile(r"OF[ \t]+\d")
#: the REF block: its first line, then lines (blank lines between allowed) that look like items
#: ("B. SANAA 2550", "C. C) SINGAPORE 675", "99 PRETORIA 12315", a stray "\u00b6")
_REF_BLOCK = re.compile(r"(?m)^[ \t]*REFS?\b:?[^\n]*(?:\n(?:[ \t]*\n){0,2}[ \t]*(?=[A-Z][.)][ \t]|\u00b6[ \t]*(?:\n|$)|"
                        r"\d{2}[ \t]+[A-Z]|[A-Z]{3,}[ \t]+\d)[^\n]*){0,12}")
_SENTENCE_END = re.compile(r"[.!?:\"\u201d]\s*$|^\s*$")


def _masked(p: Paragraph, ctx: DocContext) -> list[tuple[int, int]]:
    """Routing block, banner and section page headers of a cable paragraph."""
    if ctx.doc_type != "cable":
        return []
    header = p.section == "header"
    if not header and not _SECTION_OF.search(p.text):     # outside the header only section marks count
        return []
    out = []
    pos = 0
    routing = False
    for line in p.text.split("\n"):
        end = pos + len(line)
        if _SECTION_MARK.match(line) or header and _BANNER.match(line):
            out.append((pos, end))
            routing = False
        elif header and _ROUTING_LINE.match(line):
            out.append((pos, end))
            routing = True
        elif routing and not _ROUTING_STOP.match(line) and not any(c.islower() for c in line):
            out.append((pos, end))
        else:
            routing = False
        pos = end + 1
    return out


@dataclass(slots=True)
class _Para:
    para: Paragraph
    words: Words
    low: str                  # gazetteer.lower_one_space(para.text)
    chosen: list[Candidate]
    masked: list[tuple[int, int]]
    caps: CapsLines


@dataclass(slots=True)
class _DocState:
    letters: dict[str, str] = field(default_factory=dict)   # REF letter -> cable id


def _gazetteer_candidates(hits: list[gazetteer.Hit]) -> list[Candidate]:
    out = []
    for h in hits:
        e = h.entry
        if e.etype in ("LOCATION", "ORG"):
            conf = 0.9 if e.method != "gazetteer:geonames_alt" else 0.75
            out.append(Candidate(h.start, h.end, e.etype, e.normalized, e.method, conf, LISTED,
                                 subtype=e.subtype, merge_rule=e.merge_rule, rank=1))
        elif e.etype == "PERSON":
            out.append(Candidate(h.start, h.end, "PERSON", e.normalized, e.method, 0.85 if e.surname else 0.9,
                                 LISTED, merge_rule=e.merge_rule, rank=2))
    return out


class _Clock:
    """Optional timing of the rule groups (for the benchmark); a no-op when no dict is given."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.t = time.perf_counter() if into is not None else 0.0

    def lap(self, name: str) -> None:
        if self.into is not None:
            now = time.perf_counter()
            self.into[name] = self.into.get(name, 0.0) + now - self.t
            self.t = now


def _no_lap(name: str) -> None:
    """`_Clock.lap` when nothing is timed."""


def paragraph_candidates(p: Paragraph, ctx: DocContext, state: _DocState,
                         clock: dict[str, float] | None = None) -> tuple[list[Candidate], _Para]:
    text = p.text
    lap = _Clock(clock).lap if clock is not None else _no_lap
    caps = CapsLines(text)
    words = words_of(text)
    toks = words.toks
    low = gazetteer.lower_one_space(text)
    masked = _masked(p, ctx)
    header = p.section == "header"
    lap("shared:tokens")
    hits = gazetteer.find(text, caps, low, words)
    lap("shared:gazetteer")
    cands: list[Candidate] = []
    if header:
        cands += tags(text)
    lap("TAG")
    cands += patterns.emails(text)
    lap("EMAIL")
    runs = patterns.digit_runs(text)          # None without the compiled path
    digits = bool(runs) if runs is not None else patterns.has_digit(text)
    cands += patterns.dates(text, ctx, words, digits, runs)
    lap("DATE")
    cands += patterns.figures(text, p.section not in ("header", "stamp", "signature"), digits, runs)
    lap("PERCENT/NUMBER")
    if header:
        for m in _REF_BLOCK.finditer(text):
            block = patterns.references(text[:m.end()], ctx, True, state.letters)
            cands += [c for c in block if c.start >= m.start()]
    cands += patterns.references(text, ctx, False, state.letters, digits, runs)
    lap("REFERENCE")
    cands += _gazetteer_candidates(hits)
    lap("LOCATION/ORG gazetteer")
    cands += orgs.offices(text)
    cands += orgs.embassies(text, hits)
    cands += orgs.institutions(text, words)
    cands += orgs.acronyms(text, hits, caps)
    lap("ORG rules")
    blocked = people.blocked_starts(hits)
    titled, title_ends = people.titled(text, toks, hits, blocked)
    cands += titled
    cands += people.roles(text, hits, title_ends)
    header_lines = people.header_lines(text)
    if header_lines:
        cands += people.email_names(text, header_lines)
        cands += people.email_handles(text, header_lines)
    if header and ctx.doc_type == "cable":
        cands += people.addressees(text, hits)
    if p.section == "signature":
        cands += people.signature(text, words_of(text, every=True).toks)     # it counts the words
    cands += people.by_given_name(text, words, hits, blocked)
    cands += people.by_shape(text, words, hits, caps, blocked)
    lap("PERSON rules")
    if masked:
        cands = [c for c in cands if not any(c.start < e and s < c.end for s, e in masked)]
    return cands, _Para(p, words, low, [], masked, caps)


# --- the document pass for people -------------------------------------------------------------------
_PERSON_SOURCES = ("rule:title+name", "rule:given_name", "rule:name_shape", "rule:email_name", "rule:signature",
                   "gazetteer:persons", "rule:surname_ending")


_POSSESSIVE_END = re.compile(r"['\u2019]s$")


def _sentence_start(text: str, tok: Token) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, tok.start - 3):tok.start]))


def _propagate(paras: list[_Para]) -> None:
    """Mark further mentions of the document's people: the same surname (`propagate:doc`), or a
    spelling one OCR confusion or one edit away from it (`ocr:q->g`, `variant:edit1`)."""
    known: dict[str, str] = {}        # lower-cased surname -> surname as found
    for pp in paras:
        for c in pp.chosen:
            if c.etype == "PERSON" and c.method in _PERSON_SOURCES:
                last = pp.para.text[c.start:c.end].split()[-1]
                last = _POSSESSIVE_END.sub("", last).strip(".,")
                if len(last) >= 3 and last.lower() not in not_names():
                    known.setdefault(last.lower(), last)
    if not known:
        return
    variants: dict[str, tuple[str, str] | None] = {}
    # where the known surnames stand in the ASCII paragraphs `_mentions` searches (the others it
    # reads word by word)
    found = _find_all([pp.low if pp.words.flags & MENTION and pp.para.text.isascii() else "" for pp in paras],
                      known, 1)
    for pp, at in zip(paras, found):
        sel = _mentions(pp, known, at)
        if not sel:
            continue
        text = pp.para.text
        covered = bytearray(len(text))
        for s, e in [(c.start, c.end) for c in pp.chosen] + pp.masked:
            covered[s:e] = b"\x01" * (e - s)
        added = []
        for t in sel:
            if covered[t.start]:
                continue
            if t.text.lower() in known:
                if t.flags & ENGLISH and (t.caps or _sentence_start(text, t)):
                    continue
                added.append(Candidate(t.start, t.end, "PERSON", display([t.text]), "propagate:doc", 0.75, SHAPE))
                continue
            if t.text not in variants:
                variants[t.text] = variant_match(known, t.text)
            hit = variants[t.text]
            if hit:
                added.append(Candidate(t.start, t.end, "PERSON", hit[0], "propagate:variant", 0.65, SHAPE,
                                       merge_rule=hit[1]))
        if added:
            pp.chosen = resolve(pp.chosen + added)


def _find_all(texts: list[str], keys, step: int | None) -> list[list[tuple[int, str]]]:
    """Per text of `texts`, (offset, key) of each occurrence of each of `keys` (non-empty, no NUL)
    in it, key by key in the order of `keys` and each key's in text order; the next search starts
    `step` characters after a hit (None: after its end). One search of the texts joined per key
    and hit costs less than one per key and text: most searches find nothing."""
    joined = "\x00".join(texts)                 # no key spans two texts
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    out: list[list[tuple[int, str]]] = [[] for _ in texts]
    for k in keys:
        i = joined.find(k)
        if i < 0:
            continue
        n = step or len(k)
        while i >= 0:
            j = bisect.bisect_right(starts, i) - 1
            out[j].append((i - starts[j], k))
            i = joined.find(k, i + n)
    return out


def _mentions(pp: _Para, known: dict[str, str], at: list[tuple[int, str]]) -> list[Token]:
    """The words of a paragraph that may be a further mention of a person, in text order: a
    capitalized or capitals word of 3+ letters (`words.MENTION`) that is a known surname (a key of
    `known`), or that may misspell one (`words.MAY_MISSPELL`). `at`: where the keys of `known`
    stand in `pp.low` (see `_find_all`)."""
    words = pp.words
    if not words.flags & MENTION:
        return []
    toks = words.toks
    if not pp.para.text.isascii():           # `low` lowers ASCII letters only: look at every word
        return [t for t in toks if t.flags & MAY_MISSPELL or t.flags & MENTION and t.text.lower() in known]
    # a word that is a known surname starts where the surname stands in the lower-cased text
    sel = words.having(MAY_MISSPELL)
    more = []
    for i, k in at:
        j = bisect.bisect_left(toks, i, key=token_start)
        if j < len(toks) and toks[j].start == i:
            t = toks[j]
            if t.flags & MENTION and not t.flags & MAY_MISSPELL and t.text.lower() == k:
                more.append(j)
    if more:
        sel = sorted(set(sel).union(more))
    return [toks[i] for i in sel]


_DEFINED = re.compile(r"[ \t]*\((?P<a>[A-Z][A-Z0-9&-]{1,9})\)")


def _propagate_orgs(paras: list[_Para]) -> None:
    """An organisation's acronym defined after its name ("SUDANESE PEOPLE'S LIBERATION MOVEMENT
    (SPLM)") or found as an acronym anywhere in the document is an ORG wherever else it stands,
    all-capitals paragraphs included (`propagate:doc`)."""
    acronyms: dict[str, str] = {}
    for pp in paras:
        text = pp.para.text
        for c in pp.chosen:
            if c.etype != "ORG":
                continue
            surface = text[c.start:c.end]
            if surface.isupper() and " " not in surface and 2 <= len(surface) <= 10:
                acronyms.setdefault(surface, c.normalized)
            m = _DEFINED.match(text, c.end)
            if m and " " in surface:
                acronyms.setdefault(m.group("a"), m.group("a"))
    if not acronyms:
        return
    for pp, at in zip(paras, _find_all([pp.para.text for pp in paras], acronyms, None)):
        text = pp.para.text
        added = []
        for i, a in at:
            e = i + len(a)
            if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "/&-")) and \
                    (e == len(text) or not (text[e].isalnum() or text[e] in "/&-")):
                added.append(Candidate(i, e, "ORG", acronyms[a], "propagate:doc", 0.7, SHAPE, subtype="acronym"))
        if added:
            taken = [(c.start, c.end) for c in pp.chosen] + pp.masked
            added = [c for c in added if not any(c.start < e and s < c.end for s, e in taken)]
            pp.chosen = resolve(pp.chosen + added)


_NO_CONTEXT = DocContext()


def extract_document(paragraphs: list[Paragraph], ctx: DocContext = _NO_CONTEXT,
                     clock: dict[str, float] | None = None) -> list[Entity]:
    """`clock`, when given, collects seconds per rule group (for the benchmark)."""
    state = _DocState()
    paras: list[_Para] = []
    for p in paragraphs:
        if p.section == "stamp":
            continue
        cands, pp = paragraph_candidates(p, ctx, state, clock)
        lap = _Clock(clock).lap if clock is not None else _no_lap
        pp.chosen = resolve(cands)
        paras.append(pp)
        lap("shared:resolve")
    lap = _Clock(clock).lap if clock is not None else _no_lap
    _propagate(paras)
    _propagate_orgs(paras)
    normalize_people([(pp.para.text, pp.chosen) for pp in paras])
    lap("document pass (PERSON/ORG)")
    out: list[Entity] = []
    for pp in paras:
        p = pp.para
        for c in pp.chosen:
            out.append(Entity(p.doc_id, p.doc_type, p.year, p.para_index, c.etype, p.text[c.start:c.end],
                              c.normalized, c.start, c.end, c.method, c.confidence, c.subtype, c.merge_rule,
                              p.run_id))
    return out


def extract_entities(para: Paragraph, ctx: DocContext = _NO_CONTEXT) -> list[Entity]:
    """Entities of one paragraph taken on its own (no document pass beyond it)."""
    return extract_document([para], ctx)


__all__ = ["extract_document", "extract_entities", "paragraph_candidates"]
