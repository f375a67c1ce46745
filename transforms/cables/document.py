"""A cable source -> `Document` + paragraph spans (fields from the text, reconciled with metadata)."""
from __future__ import annotations

from ..records import Conflict, Document, SourceText
from ..repairs import RepairLog
from ..segments import Span
from ..version import PARSER_VERSION
from .clean import clean_cable_text
from .fields import normalize_classification
from .paragraphs import segment_cable, signer_from
from .parse import parse_cable


def doc_year(year: int | None) -> str:
    from ..schema import UNKNOWN_YEAR
    return f"{year:04d}" if year else UNKNOWN_YEAR


def build_cable(src: SourceText, run_id: str) -> tuple[Document, list[Span]]:
    log = RepairLog(src.repairs)
    text = clean_cable_text(src.text, log)
    meta = src.meta
    meta_year = meta.created.year if meta and meta.created else None
    c = parse_cable(text, year=meta_year)
    prov = dict(c.provenance)
    conflicts: list[Conflict] = []
    flags = list(c.flags)

    def reconcile(name: str, text_value, meta_value, source: str):
        if text_value is not None and meta_value is not None and text_value != meta_value:
            conflicts.append(Conflict(name, str(text_value), str(meta_value), source))
        if text_value is None and meta_value is not None:
            prov[name] = source
            return meta_value
        return text_value

    doc_id = c.doc_id
    if meta and meta.doc_id:
        if doc_id and doc_id != meta.doc_id:
            conflicts.append(Conflict("doc_id", doc_id, meta.doc_id, meta.source))
        doc_id, prov["doc_id"] = meta.doc_id, meta.source   # WikiLeaks' own id is canonical
    if not doc_id:
        doc_id = src.name_hint or "unknown"
        prov["doc_id"] = "file_name"
        flags.append("doc_id_from_file_name")
    date, date_source = c.date, ("dtg" if c.date else None)
    if meta and meta.created:
        if date is None:
            date, date_source = meta.created, meta.source
        elif abs((date - meta.created).total_seconds()) > 86400 * 2:
            conflicts.append(Conflict("date", date.isoformat(), meta.created.isoformat(), meta.source))
    meta_cls = normalize_classification(meta.classification) if meta and meta.classification else None
    classification = reconcile("classification", c.classification, meta_cls, meta.source if meta else "")
    origin = reconcile("origin", c.origin, meta.origin if meta else None, meta.source if meta else "")
    references = c.references
    if meta and meta.references is not None and not references and meta.references:
        references, prov["references"] = list(meta.references), meta.source
    spans = segment_cable(text, c.header_end)
    signer = signer_from(text, spans)
    if signer:
        prov["signer"] = "last_line"
    year = date.year if date else None
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
