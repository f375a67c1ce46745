"""Links between documents (table `links`), four kinds:

- `reference`: a cable's references (`documents.references`: its REF block, else the metadata's
  list), to the canonical id of the cited cable;
- `mention`: a cable id written in a text but not among its references: `REFERENCE` entities of
  cables that resolve to a canonical id (`STATE 223177` in a body; not a bare `REFTEL`), and the
  same form in an email's paragraphs (`09 STATE 12345`, `10KABUL1234`) when `canonical_reference`
  knows the station;
- `subject`: an email paragraph quotes a cable's subject. Only subjects that say something are
  looked for: `MIN_SUBJECT_CHARS` characters or more, `MIN_SUBJECT_WORDS` words or more, and the
  subject of one cable only (`SCENESETTER FOR ...` formulas are not evidence);
- `shared_entity`: two documents name the same rare PERSON or ORG. An entity in more than
  `RARE_DF` documents says little about a pair (the Secretary, the Department) and would add
  df^2 links; each shared entity adds log(N/df) to the pair's weight, and each document keeps its
  `PER_DOC` strongest partners, so the table grows linearly with the corpus.

A link whose target is in the warehouse is `resolved`. Everything here is pure.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick

from .cables.ids import canonical_reference, split_id
from .records import Link

#: Shared entities: entities found in at most this many documents link them.
RARE_DF = 10
#: Shared entities: the strongest links kept per document.
PER_DOC = 10
MIN_SUBJECT_CHARS = 25
MIN_SUBJECT_WORDS = 4
#: A cable id as written in running text: year, station, serial (`09 STATE 12345`, `10KABUL1234`).
_ID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(\d{2}) ?([A-Z]{3,25}) ?(\d{1,7})(?![A-Za-z0-9])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class DocRef:
    doc_id: str
    doc_type: str
    references: list[str]
    subject: str | None


@dataclass(slots=True)
class Mention:
    """An entity of a document: a REFERENCE (for mentions) or a PERSON/ORG (for shared entities)."""
    doc_id: str
    doc_type: str
    entity_type: str
    normalized: str
    para_index: int
    text: str


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


class _Links:
    def __init__(self, docs: list[DocRef]) -> None:
        self.types = {d.doc_id: d.doc_type for d in docs}
        self.rows: dict[tuple[str, str, str], Link] = {}

    def add(self, src: str, link_type: str, dst: str, via: str | None, para: int | None = None,
            weight: float = 1.0) -> None:
        key = (src, link_type, dst)
        if src == dst or key in self.rows:
            return
        self.rows[key] = Link(src, self.types[src], link_type, dst, self.types.get(dst), dst in self.types,
                              via, para, weight)


def cable_ids_in(text: str) -> list[tuple[str, str]]:
    """(canonical id, as written) of the cable ids in a running text."""
    out = []
    for m in _ID_IN_TEXT.finditer(text):
        cid = canonical_reference(f"{m.group(1)}{m.group(2)}{m.group(3)}")
        if cid:
            out.append((cid, m.group(0)))
    return out


def _subjects(docs: list[DocRef]) -> dict[str, str]:
    """Normalized subject -> the one cable that has it (distinctive subjects only)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        if d.doc_type == "cable" and d.subject:
            s = _norm(d.subject)
            if len(s) >= MIN_SUBJECT_CHARS and len(s.split()) >= MIN_SUBJECT_WORDS:
                owners[s].add(d.doc_id)
    return {s: next(iter(ids)) for s, ids in owners.items() if len(ids) == 1}


def _shared(links: _Links, named: list[Mention], n_docs: int) -> None:
    docs_of: dict[str, set[str]] = defaultdict(set)
    for m in named:
        docs_of[m.normalized].add(m.doc_id)
    score: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    via: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for name, ids in docs_of.items():
        if not 2 <= len(ids) <= RARE_DF:
            continue
        idf = math.log(n_docs / len(ids))
        for a in ids:
            for b in ids:
                if a != b:
                    score[a][b] += idf
                    via[(a, b)].append((-idf, name))
    for a in sorted(score):
        best = sorted(score[a].items(), key=lambda kv: (-kv[1], kv[0]))[:PER_DOC]
        for b, w in best:
            names = "; ".join(n for _, n in sorted(via[(a, b)])[:3])
            links.add(a, "shared_entity", b, names, None, round(w, 4))


def build_links(docs: list[DocRef], references: list[Mention], named: list[Mention],
                email_paragraphs: list[tuple[str, int, str]]) -> list[Link]:
    """All links of a warehouse. `references`: REFERENCE entities of cables; `named`: PERSON and
    ORG entities; `email_paragraphs`: (doc_id, para_index, text) of the emails."""
    links = _Links(docs)
    for d in docs:
        for ref in d.references:
            links.add(d.doc_id, "reference", ref, ref)
    cited = {(d.doc_id, r) for d in docs for r in d.references}
    for m in references:
        if m.doc_type == "cable" and split_id(m.normalized) and (m.doc_id, m.normalized) not in cited:
            links.add(m.doc_id, "mention", m.normalized, m.text, m.para_index)
    subjects = _subjects(docs)
    automaton = ahocorasick.Automaton()
    for s, owner in subjects.items():
        automaton.add_word(f" {s} ", (s, owner))
    if subjects:
        automaton.make_automaton()
    for doc_id, para, text in email_paragraphs:
        for cid, written in cable_ids_in(text):
            links.add(doc_id, "mention", cid, written, para)
        if subjects:
            for _, (s, owner) in automaton.iter(f" {_norm(text)} "):
                links.add(doc_id, "subject", owner, s, para)
    _shared(links, named, len(docs))
    return sorted(links.rows.values(), key=lambda x: (x.src_doc_id, x.link_type, -x.weight, x.dst_doc_id))
