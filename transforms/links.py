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

A link whose target is in the warehouse is `resolved`. A document never links to itself, and a
(source, kind, target) triple is one row: the first evidence found (in paragraph order) is kept.

The rules are written twice over on purpose, in the form each part runs best at a million
documents: what needs every document (references, cable mentions, subjects that belong to one
cable, shared entities) is SQL over the warehouse's columns (`links_sql`, run by DuckDB out of
core), and what reads running text (cable ids and quoted subjects in email paragraphs) is Python
over streamed paragraphs (`text_links`). Everything here is pure: text in, text or rows out.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import ahocorasick

from .cables.ids import canonical_reference, split_id

#: Shared entities: entities found in at most this many documents link them.
RARE_DF = 10
#: Shared entities: the strongest links kept per document.
PER_DOC = 10
#: Shared entities: the entities named in `via` (strongest first).
VIA_NAMES = 3
MIN_SUBJECT_CHARS = 25
MIN_SUBJECT_WORDS = 4
#: A cable id as written in running text: year, station, serial (`09 STATE 12345`, `10KABUL1234`).
_ID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(\d{2}) ?([A-Z]{3,25}) ?(\d{1,7})(?![A-Za-z0-9])")
_NON_WORD = re.compile(r"[^a-z0-9]+")

#: A cable id in running text could start here (`_ID_IN_TEXT` without its look-arounds, for a
#: SQL engine's RE2: paragraphs without it need not be read when no subject is looked for).
ID_IN_TEXT_PREFILTER = "[0-9]{2} ?[A-Z]{3,25} ?[0-9]"

#: A row of `text_links`: (src_doc_id, link_type, dst_doc_id, via, para_index, position in the paragraph).
TextLink = tuple[str, str, str, str, int, int]


def norm_subject(text: str | None) -> str | None:
    """A subject or paragraph as compared: lower case, runs of other characters as one space."""
    return None if text is None else _NON_WORD.sub(" ", text.lower()).strip()


def is_cable_id(value: str | None) -> bool:
    """A canonical cable id (`05PARIS100`), not a bare `reftel` or `ref:B`."""
    return value is not None and split_id(value) is not None


def cable_ids_in(text: str) -> list[tuple[str, str]]:
    """(canonical id, as written) of the cable ids in a running text."""
    return [(cid, written) for cid, written, _ in _cable_ids_at(text)]


def _cable_ids_at(text: str) -> Iterator[tuple[str, str, int]]:
    for m in _ID_IN_TEXT.finditer(text):
        cid = canonical_reference(f"{m.group(1)}{m.group(2)}{m.group(3)}")
        if cid:
            yield cid, m.group(0), m.start()


def text_links(paragraphs: Iterable[tuple[str, int, str]], subjects: dict[str, str]) -> Iterator[TextLink]:
    """`mention` and `subject` evidence in email paragraphs ((doc_id, para_index, text), any
    order); `subjects`: normalized subject -> the one cable that has it. Every find is a row: the
    query keeps the first of each (document, kind, target)."""
    automaton = ahocorasick.Automaton()
    for s, owner in subjects.items():
        automaton.add_word(f" {s} ", (s, owner))
    if subjects:
        automaton.make_automaton()
    for doc_id, para, text in paragraphs:
        for cid, written, at in _cable_ids_at(text):
            yield doc_id, "mention", cid, written, para, at
        if subjects:
            for end, (s, owner) in automaton.iter(f" {norm_subject(text)} "):
                yield doc_id, "subject", owner, s, para, end


def subjects_sql(docs: str) -> str:
    """Normalized subject -> owner, for the subjects that say something and belong to one cable.
    `docs` has doc_id, doc_type, subject; `norm_subject` is a function of the connection."""
    return f"""
        SELECT s, any_value(doc_id) AS doc_id FROM (
            SELECT DISTINCT norm_subject(subject) AS s, doc_id FROM {docs}
            WHERE doc_type = 'cable' AND subject IS NOT NULL)
        WHERE length(s) >= {MIN_SUBJECT_CHARS} AND len(string_split(s, ' ')) >= {MIN_SUBJECT_WORDS}
        GROUP BY s HAVING count(*) = 1"""


def links_sql(docs: str, entities: str, text: str) -> str:
    """The `links` table, sorted, from three relations of the connection: `docs` (doc_id,
    doc_type, references, subject: every document), `entities` (doc_id, doc_type, entity_type,
    normalized, para_index, char_start, text: at least the REFERENCE, PERSON and ORG entities) and
    `text` (the rows of `text_links`: the first find of each (document, kind, target) is kept).
    `is_cable_id` is a function of the connection."""
    return f"""
    WITH d AS (SELECT doc_id, doc_type FROM {docs}),
    n AS (SELECT count(*)::DOUBLE AS n FROM d),
    refs AS (
        SELECT DISTINCT doc_id AS src, unnest("references") AS dst FROM {docs} WHERE len("references") > 0),
    cited AS (
        SELECT doc_id AS src, normalized AS dst,
               arg_min(text, para_index::BIGINT * 100000000 + char_start) AS via,
               arg_min(para_index, para_index::BIGINT * 100000000 + char_start) AS para_index
        FROM {entities} WHERE entity_type = 'REFERENCE' AND doc_type = 'cable'
        GROUP BY doc_id, normalized),
    rare AS (
        SELECT normalized, doc_id, count(*) OVER (PARTITION BY normalized) AS df
        FROM (SELECT DISTINCT normalized, doc_id FROM {entities} WHERE entity_type IN ('PERSON', 'ORG'))
        QUALIFY df BETWEEN 2 AND {RARE_DF}),
    scored AS (
        SELECT a.doc_id AS src, b.doc_id AS dst, sum(ln((SELECT n FROM n) / a.df)) AS w,
               list(a.normalized ORDER BY a.df, a.normalized) AS names
        FROM rare a JOIN rare b ON a.normalized = b.normalized AND a.doc_id <> b.doc_id
        GROUP BY a.doc_id, b.doc_id),
    shared AS (
        SELECT src, dst, w, names FROM scored
        QUALIFY row_number() OVER (PARTITION BY src ORDER BY round(w, 9) DESC, dst) <= {PER_DOC}),
    rows AS (
        SELECT src, 'reference' AS link_type, dst, dst AS via, NULL::INTEGER AS para_index, 1.0::DOUBLE AS weight
        FROM refs
        UNION ALL
        SELECT c.src, 'mention', c.dst, c.via, c.para_index, 1.0 FROM cited c
        WHERE is_cable_id(c.dst) AND NOT EXISTS (SELECT 1 FROM refs r WHERE r.src = c.src AND r.dst = c.dst)
        UNION ALL
        SELECT src, link_type, dst, arg_min(via, para_index::BIGINT * 100000000 + pos),
               min(para_index), 1.0
        FROM {text} GROUP BY src, link_type, dst
        UNION ALL
        SELECT src, 'shared_entity', dst, array_to_string(names[1:{VIA_NAMES}], '; '), NULL, round(w, 4)
        FROM shared)
    SELECT r.src AS src_doc_id, s.doc_type AS src_doc_type, r.link_type, r.dst AS dst_doc_id,
           t.doc_type AS dst_doc_type, t.doc_id IS NOT NULL AS resolved, r.via,
           r.para_index::INTEGER AS para_index, r.weight::FLOAT AS weight
    FROM rows r JOIN d s ON s.doc_id = r.src LEFT JOIN d t ON t.doc_id = r.dst
    WHERE r.src <> r.dst
    ORDER BY src_doc_id, link_type, r.weight DESC, dst_doc_id"""
