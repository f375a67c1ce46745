"""A cable source -> `Document` + paragraph spans: fields from the text, reconciled with metadata.

Reconciliation (the text and the metadata of an HTML page or a cables.csv row):
- doc_id: WikiLeaks' reference id when the source has one, repaired when it is malformed
  (`ids.repair_id`); else the id built from the banner; else the file name when it is a cable id
  with the banner's station and serial (it then also supplies the year); else the file name.
- date: the DTG line (Zulu time) when present, else the metadata's `Created`.
- classification: the metadata's value (the archive's record) when present, else the banner's.
- origin: the station table (cables.csv vocabulary) for the station of the doc_id, else the
  metadata, else the FM line.
- references: the REF block; the metadata's list only when the text has no REF block.
Wherever the text and the metadata disagree both are kept (`conflicts`) and the row is flagged
`metadata_conflict`; `provenance` names the source of every field.
"""
from __future__ import annotations

from ..records import Conflict, Document, SourceText
from ..repairs import RepairLog
from ..segments import Span
from ..sources.pdf_text import fix_cable_layout
from ..version import PARSER_VERSION
from .clean import clean_cable_text
from .fields import normalize_classification
from .ids import canonical_reference, repair_id, split_id
from .paragraphs import segment_cable, signer_from
from .parse import parse_cable
from .references import parse_references
from .stations import origin_of


def doc_year(year: int | None) -> str:
    from ..schema import UNKNOWN_YEAR
    return f"{year:04d}" if year else UNKNOWN_YEAR


def _id_from_name(name: str | None, station: str | None, serial: int | None) -> str | None:
    """A file named after the cable (`00ATHENS1501.txt`) whose station and serial match the banner."""
    if not name or not station:
        return None
    fixed, _ = repair_id(name)
    parts = split_id(fixed)
    if parts and parts[0] != "XX" and parts[1] == station and parts[2] == serial:
        return fixed
    return None


def build_cable(src: SourceText, run_id: str) -> tuple[Document, list[Span]]:
    log = RepairLog(src.repairs)
    text = src.text
    if src.format == "cable_pdf":
        text = fix_cable_layout(text, log)
    text = clean_cable_text(text, log)
    meta = src.meta
    meta_year = meta.created.year if meta and meta.created else None
    c = parse_cable(text, year=meta_year)
    prov = dict(c.provenance)
    conflicts: list[Conflict] = []
    flags = list(c.flags)
    source = meta.source if meta else ""

    def disagree(name: str, text_value, meta_value) -> None:
        if text_value not in (None, [], "") and meta_value not in (None, [], "") and text_value != meta_value:
            conflicts.append(Conflict(name, str(text_value), str(meta_value), source))

    # --- doc_id ---------------------------------------------------------------------------------
    doc_id = c.doc_id
    year = c.year
    if meta and meta.doc_id:
        fixed, kinds = repair_id(meta.doc_id)
        if kinds:
            flags.append("doc_id_repaired:" + "+".join(kinds))
            conflicts.append(Conflict("doc_id", fixed, meta.doc_id, source))
        disagree("doc_id", c.doc_id, fixed)
        doc_id, prov["doc_id"] = fixed, source + ("+repaired" if kinds else "")
    elif doc_id and doc_id.startswith("XX"):
        named = _id_from_name(src.name_hint, c.station, c.serial)
        if named:
            doc_id, prov["doc_id"] = named, "file_name+banner"
            year = year or _year_of_id(named)
            flags.append("year_from_file_name")
            if "references" in c.provenance:               # cited ids without a year take this one
                c.references = parse_references(text, year, doc_id)
    elif doc_id:
        fixed, kinds = repair_id(doc_id)
        if kinds:
            flags.append("doc_id_repaired:" + "+".join(kinds))
            doc_id = fixed
    if not doc_id:
        doc_id = repair_id(src.name_hint)[0] if src.name_hint else "unknown"
        prov["doc_id"] = "file_name"
        flags.append("doc_id_from_file_name")

    # --- date -----------------------------------------------------------------------------------
    date, date_source = c.date, ("dtg" if c.date else None)
    if meta and meta.created:
        if date is None:
            date, date_source = meta.created, source
            prov["date"] = source
            if any(r.kind == "html_created_minutes_unknown" for r in src.repairs):
                flags.append("date_minutes_unknown")
        elif abs((date - meta.created).total_seconds()) > 86400 * 2:
            conflicts.append(Conflict("date", date.isoformat(), meta.created.isoformat(), source))

    # --- classification, origin, references --------------------------------------------------------
    classification = c.classification
    meta_cls = normalize_classification(meta.classification) if meta and meta.classification else None
    if meta_cls:
        disagree("classification", c.classification, meta_cls)
        classification, prov["classification"] = meta_cls, source
    origin = c.origin
    meta_origin = meta.origin if meta else None
    disagree("origin", c.origin, meta_origin)
    id_parts = split_id(doc_id)
    id_origin = origin_of(id_parts[1]) if id_parts else None
    if id_origin and id_origin != origin:                 # the origin follows the doc_id's station
        origin, prov["origin"] = id_origin, "station_table"
    if origin is None and meta_origin:
        origin, prov["origin"] = meta_origin, source
    references = c.references
    if meta and meta.references is not None:
        if "references" in c.provenance:
            if sorted(references) != sorted(meta.references):
                conflicts.append(Conflict("references", "|".join(references), "|".join(meta.references), source))
        elif meta.references:                             # WikiLeaks' list, in canonical form
            cited = [canonical_reference(r) for r in meta.references]
            references = list(dict.fromkeys(r for r in cited if r and r != doc_id))
            prov["references"] = source

    spans = segment_cable(text, c.header_end)
    signer = signer_from(text, spans)
    if signer:
        prov["signer"] = "last_line"
    if date is not None:
        year = date.year
    if conflicts:
        flags.append("metadata_conflict")
    if year is None:
        flags.append("unknown_year")
    doc = Document(
        doc_id=doc_id, doc_type="cable", year=doc_year(year), doc_kind="cable", source_format=src.format,
        source_path=src.path, source_sha256=src.sha256, text=text, date=date, date_source=date_source,
        doc_date=date.date() if date else None, subject=c.subject, classification=classification,
        handling=c.handling, origin=origin, tags=c.tags, references=references, signer=signer,
        recipients=c.recipients, info_recipients=c.info_recipients, classified_by=c.classified_by,
        reasons=c.reasons, declassify_on=c.declassify_on, is_partial=c.is_partial or src.is_truncated,
        n_chars=len(text), encoding=src.encoding, repairs=log.finish(), flags=flags, conflicts=conflicts,
        provenance=prov, parser_version=PARSER_VERSION, run_id=run_id)
    return doc, spans


def _year_of_id(doc_id: str) -> int | None:
    from .fields import two_digit_year
    parts = split_id(doc_id)
    return two_digit_year(int(parts[0])) if parts and parts[0] != "XX" else None
