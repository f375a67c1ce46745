"""One document from several sources: which copies are the same document, and the best value of
each field.

    merge(candidates, run_id) -> Merged: documents (with their paragraphs and entities), one
                                 `Source` row per candidate, and a note per source that kept
                                 its own document

The candidates are every parsed source that gives one doc_id: the same cable as a WikiLeaks page
(the 2010 build is redacted or edited, the 2011 release is sometimes cut short), a cables.csv row
(the unredacted original with the State Department's metadata), a text file, a PDF (extraction
noise). Rules, in order:

1. **Same document?** Two texts are one document when at least `SAME_DOCUMENT` of the word
   3-grams of the shorter body (the paragraphs after the header) are in the other (`similarity`).
   Redaction, a cut page, PDF page furniture or an added line leave most 3-grams in place;
   another text under the same id shares at most its header (88BAGHDAD28: the 2010 page shows a
   2009 STATE cable under the 1988 Baghdad cable's routing lines: 0.00, where every true pair of
   the dev corpus is 0.90 or more). A different doc_type is always another document.
2. **Rank** (`rank_key`): complete texts before partial ones, then by format (`FORMAT_RANK`),
   then the longer text (an unredacted or uncut copy), then the path (a stable tie-break). The
   first is the **primary**: the text, paragraphs, entities, repairs and message spans come from
   it together, since their offsets point into its text.
3. **Fields** follow `RULES` (printed in the data dictionary): the DTG date over metadata dates,
   the metadata's classification and origin over the banner, any other field from the first
   source by rank that fills it.
4. **Different documents are never merged**: each group of copies is a document. The group with
   the best-ranked source keeps the doc_id; another gets `<doc_id>~<first 8 hex of its text's
   sha256>` (stable whatever the order the sources arrive in), and both carry the flag
   `doc_id_conflict:<the other id>`. Nothing is dropped.

Everything here is pure: records in, records out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from .records import Difference, Document, ParsedDocument, Source
from .schema import UNKNOWN_YEAR

#: Share of the shorter text's word 3-grams that must be in the other text for two sources to be
#: one document (see the module doc for the figures it sits between).
SAME_DOCUMENT = 0.5
#: Words per shingle.
SHINGLE = 3
#: Paragraph sections that are not the body: the same across different texts under one id.
HEADER_SECTIONS = ("header", "stamp")
#: Below this many body 3-grams (about a sentence), whole texts are compared instead.
MIN_BODY_SHINGLES = 10
#: Separator of a conflicting copy's doc_id: `88BAGHDAD28~1a2b3c4d`.
VARIANT_SEP = "~"

#: Best source format first. A cables.csv row is the unredacted text with the State Department
#: record's metadata; a text file (Cablegate full text, an extract) is unredacted but has no
#: metadata; a WikiLeaks page may be the redacted 2010 build; a PDF's text layer has page furniture.
#: A FOIA release's text file is the pdftotext output of the PDF, so it ranks first.
FORMAT_RANK = {"cables_csv": 0, "cable_text": 1, "cable_html": 2, "cable_pdf": 3,
               "email_text": 0, "email_pdf": 1, "text": 4}
#: Where a date came from, best first: the DTG line is UTC to the minute; cables.csv dates are to
#: the minute; the WikiLeaks page's to the hour (04MADRID2164: page 09:00, cables.csv 09:16).
DATE_SOURCE_RANK = {"dtg": 0, "metadata_csv": 1, "metadata_html": 2, "email_sent": 3, "text": 4}

#: field -> (rule, how): `best_date`, `metadata_first` and `first_filled` are the functions `_rule_*`
#: below; `primary`, `year_of_date`, `primary_flags`, `primary_provenance` and `count` are applied in
#: `_merge_group`. Printed in the data dictionary (`transforms.dictionary`).
RULES: dict[str, tuple[str, str]] = {
    "text": ("primary", ("The primary's text, with its paragraphs, entities, `n_chars`, `encoding`, "
                         "`repairs`, `is_partial`, `conflicts`, `doc_kind`, `messages` and source "
                         "columns: offsets and spans point into that one text.")),
    "date": ("best_date", ("`date`, `date_source` and `doc_date` together from the source whose "
                           "date is best: DTG line, then cables.csv, then WikiLeaks page, then "
                           "email Sent, then a date in the text; ties by rank.")),
    "year": ("year_of_date", ("The year of the chosen `doc_date`; else the first known year by "
                              "rank; else `unknown`.")),
    "classification": ("metadata_first", ("From a source whose metadata gives it (the State "
                                          "Department's record: cables.csv, then the WikiLeaks "
                                          "page), else from the first source by rank.")),
    "origin": ("metadata_first", "As `classification`."),
    "subject": ("first_filled", "First source by rank that fills it (the 2010 pages edited some)."),
    "handling": ("first_filled", "First source by rank that fills it."),
    "tags": ("first_filled", "First source by rank that fills it."),
    "references": ("first_filled", "First source by rank that fills it."),
    "signer": ("first_filled", "First source by rank that fills it (a cut page has none)."),
    "recipients": ("first_filled", "First source by rank that fills it."),
    "info_recipients": ("first_filled", "First source by rank that fills it."),
    "classified_by": ("first_filled", "First source by rank that fills it."),
    "reasons": ("first_filled", "First source by rank that fills it."),
    "declassify_on": ("first_filled", "First source by rank that fills it."),
    "case_number": ("first_filled", "First source by rank that fills it."),
    "release_date": ("first_filled", "First source by rank that fills it."),
    "release": ("first_filled", "First source by rank that fills it."),
    "foia_exemptions": ("first_filled", "First source by rank that fills it."),
    "classification_stamps": ("first_filled", "First source by rank that fills it."),
    "sender": ("first_filled", "First source by rank that fills it."),
    "to": ("first_filled", "First source by rank that fills it."),
    "cc": ("first_filled", "First source by rank that fills it."),
    "sent": ("first_filled", "First source by rank that fills it."),
    "flags": ("primary_flags", ("The primary's, without `unknown_year` once a source gives the "
                                "year, plus `doc_id_conflict:<id>` when another text claims the id.")),
    "provenance": ("primary_provenance", ("The primary's; a field taken from another source says "
                                          "`<rule> via <format>`.")),
    "n_sources": ("count", "The number of sources merged."),
}
#: Fields that go with the text (rule `primary`).
PRIMARY_FIELDS = ("text", "n_chars", "n_paragraphs", "encoding", "repairs", "is_partial", "conflicts",
                  "doc_kind", "messages", "source_format", "source_path", "source_sha256")
_DATE_FIELDS = ("date", "date_source", "doc_date")
#: Fields compared between a source and its document (`sources.differs`).
COMPARED = ("date", "doc_date", "year", *(f for f, (rule, _) in RULES.items()
                                           if rule in ("metadata_first", "first_filled")))
_WORD = re.compile(r"[^\W_]+")


@dataclass(slots=True)
class Merged:
    documents: list[ParsedDocument]
    sources: list[Source]
    notes: dict[str, str] = field(default_factory=dict)   # source_path -> one line (sources kept apart)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> frozenset[int]:
    """The text's word 3-grams (hashed; lower case, letters and digits only)."""
    w = words(text)
    if len(w) < SHINGLE:
        return frozenset([hash(tuple(w))]) if w else frozenset()
    return frozenset(hash(tuple(w[i:i + SHINGLE])) for i in range(len(w) - SHINGLE + 1))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    body: frozenset[int]         # 3-grams of the paragraphs after the header (and a release's stamp)
    whole: frozenset[int]        # 3-grams of the whole text


def fingerprint(parsed: ParsedDocument) -> Fingerprint:
    body = " ".join(p.text for p in parsed.paragraphs if p.section not in HEADER_SECTIONS)
    return Fingerprint(shingles(body), shingles(parsed.document.text))


def _containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the other (1.0 for two empty texts)."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & big) / len(small)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """How much of the shorter text is in the other: over the bodies, since a header (routing
    lines, TAGS, SUBJECT) is the same in another text filed under the same id (88BAGHDAD28); over
    the whole texts when a body is too short to tell (a WikiLeaks 2011 page cut after SUBJECT)."""
    if len(a.body) >= MIN_BODY_SHINGLES and len(b.body) >= MIN_BODY_SHINGLES:
        return _containment(a.body, b.body)
    return _containment(a.whole, b.whole)


def rank_key(doc: Document) -> tuple:
    return (doc.is_partial, FORMAT_RANK.get(doc.source_format, 9), -doc.n_chars, doc.source_path)


def _filled(value) -> bool:
    return value is not None and value != [] and value != "" and value != {}


def _from_metadata(doc: Document, name: str) -> bool:
    return doc.provenance.get(name, "").startswith("metadata")


def _rule_best_date(docs: list[Document]) -> int | None:
    dated = [i for i, d in enumerate(docs) if d.doc_date is not None or d.date is not None]
    return min(dated, key=lambda i: (DATE_SOURCE_RANK.get(docs[i].date_source or "", 9), i)) if dated else None


def _rule_metadata_first(docs: list[Document], name: str) -> int | None:
    filled = [i for i, d in enumerate(docs) if _filled(getattr(d, name))]
    return min(filled, key=lambda i: (not _from_metadata(docs[i], name), i)) if filled else None


def _rule_first_filled(docs: list[Document], name: str) -> int | None:
    return next((i for i, d in enumerate(docs) if _filled(getattr(d, name))), None)


def _show(value) -> str | None:
    """A field value as one line of text (for `sources.differences`)."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(_show(v) or "" for v in value)[:200]
    if dataclasses.is_dataclass(value):
        name = getattr(value, "name", None) or getattr(value, "raw", None)
        return str(name)[:200]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)[:200]


def variant_id(doc_id: str, text: str) -> str:
    """The id of a different text filed under `doc_id`: stable, whatever order sources arrive in."""
    return f"{doc_id}{VARIANT_SEP}{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def clusters(docs: list[Document], prints: list[Fingerprint]) -> list[list[int]]:
    """Indexes of `docs` grouped into documents, best group first, each group in rank order
    (`docs` must be in rank order). A copy joins the first group whose primary it matches."""
    out: list[list[int]] = []
    for i, d in enumerate(docs):
        for group in out:
            p = group[0]
            if docs[p].doc_type == d.doc_type and similarity(prints[p], prints[i]) >= SAME_DOCUMENT:
                group.append(i)
                break
        else:
            out.append([i])
    return out


def _merge_group(docs: list[Document], sims: list[float], doc_id: str, run_id: str
                 ) -> tuple[Document, list[Source]]:
    primary = docs[0]
    winner: dict[str, int] = {}
    out = dataclasses.replace(primary, doc_id=doc_id, run_id=run_id, n_sources=len(docs),
                              flags=list(primary.flags), provenance=dict(primary.provenance))
    best = _rule_best_date(docs)
    if best is not None:
        for name in _DATE_FIELDS:
            setattr(out, name, getattr(docs[best], name))
            winner[name] = best
    if out.doc_date is not None:
        out.year = str(out.doc_date.year)
    else:
        out.year = next((d.year for d in docs if d.year != UNKNOWN_YEAR), UNKNOWN_YEAR)
    winner["year"] = next((i for i, d in enumerate(docs) if d.year == out.year), 0)
    for name, (rule, _) in RULES.items():
        if rule == "metadata_first":
            i = _rule_metadata_first(docs, name)
        elif rule == "first_filled":
            i = _rule_first_filled(docs, name)
        else:
            continue
        if i is not None:
            setattr(out, name, getattr(docs[i], name))
            winner[name] = i
    for name, i in winner.items():
        if i and name not in ("year", "date_source", "doc_date") and getattr(docs[i], name) != getattr(primary, name):
            out.provenance[name] = f"{docs[i].provenance.get(name, 'value')} via {docs[i].source_format}"
    if out.year != UNKNOWN_YEAR:
        out.flags = [f for f in out.flags if f != "unknown_year"]
    primary_words = words(primary.text)
    sources = []
    for rank, (d, sim) in enumerate(zip(docs, sims)):
        diffs = [Difference(name, _show(getattr(d, name)), _show(getattr(out, name))) for name in COMPARED
                 if _filled(getattr(d, name)) and getattr(d, name) != getattr(out, name)]
        if rank and words(d.text) != primary_words:
            diffs.append(Difference("text", f"{d.n_chars} characters, similarity {sim:.2f}",
                                    f"{primary.n_chars} characters"))
        gave = sorted(name for name, i in winner.items()
                      if i == rank and rank and getattr(d, name) != getattr(primary, name))
        sources.append(Source(doc_id, out.doc_type, out.year, d.doc_id, d.source_path, d.source_format,
                              d.source_sha256, "merged" if rank else "primary", rank, round(sim, 4),
                              d.is_partial, d.n_chars, gave, [x.field for x in diffs], diffs, run_id))
    return out, sources


def _rekey(p: ParsedDocument, doc: Document) -> ParsedDocument:
    """The primary's paragraphs and entities under the merged document's id, type and year."""
    paras = [dataclasses.replace(x, doc_id=doc.doc_id, doc_type=doc.doc_type, year=doc.year,
                                 para_id=f"{doc.doc_id}.{x.para_index}", run_id=doc.run_id) for x in p.paragraphs]
    ents = [dataclasses.replace(x, doc_id=doc.doc_id, doc_type=doc.doc_type, year=doc.year, run_id=doc.run_id)
            for x in p.entities]
    return ParsedDocument(doc, paras, ents)


def merge(candidates: list[ParsedDocument], run_id: str) -> Merged:
    """Merge the candidates of one doc_id (see the module doc). The candidates' `doc_id` is the id
    they claim; all must claim the same one."""
    ordered = sorted(candidates, key=lambda p: rank_key(p.document))
    docs = [p.document for p in ordered]
    prints = [fingerprint(p) for p in ordered]
    groups = clusters(docs, prints)
    claimed = docs[0].doc_id
    ids = [claimed] + [variant_id(claimed, docs[g[0]].text) for g in groups[1:]]
    result = Merged([], [])
    for n, group in enumerate(groups):
        members = [docs[i] for i in group]
        sims = [1.0] + [similarity(prints[group[0]], prints[i]) for i in group[1:]]
        doc, sources = _merge_group(members, sims, ids[n], run_id)
        others = [x for x in ids if x != ids[n]]
        doc.flags += [f"doc_id_conflict:{x}" for x in others]
        result.documents.append(_rekey(ordered[group[0]], doc))
        result.sources += sources
        if n:
            best = similarity(prints[groups[0][0]], prints[group[0]])
            for d in members:
                result.notes[d.source_path] = (
                    f"doc_id {claimed} is also given by {docs[0].source_path} with another text "
                    f"(similarity {best:.2f}): this copy is kept apart as {ids[n]}")
    return result
