"""A FOIA email source -> `Document` + paragraph spans."""
from __future__ import annotations

import re

from ..cables.document import doc_year
from ..records import Document, SourceText
from ..repairs import RepairLog
from ..segments import Span
from ..version import PARSER_VERSION
from .parse import parse_email


def build_email(src: SourceText, run_id: str) -> tuple[Document, list[Span]]:
    log = RepairLog(src.repairs)
    e = parse_email(src.text, log)
    prov = dict(e.provenance)
    flags = list(e.flags)
    doc_id = e.doc_number
    if doc_id:
        prov["doc_id"] = "stamp"
    else:
        m = re.search(r"C\d{8}", src.name_hint or "")
        doc_id = m.group(0) if m else (src.name_hint or "unknown")
        prov["doc_id"] = "file_name"
        flags.append("doc_id_from_file_name")
    year = e.sent.year if e.sent else None
    if year is None:
        flags.append("unknown_year")
    doc = Document(
        doc_id=doc_id, doc_type="email", year=doc_year(year), doc_kind=e.doc_kind, source_format=src.format,
        source_path=src.path, source_sha256=src.sha256, text=e.text, date=None,
        date_source="email_sent" if e.sent else None, doc_date=e.sent.date() if e.sent else None,
        subject=e.subject, classification=e.classification, case_number=e.case_number,
        release_date=e.release_date, release=e.release, foia_exemptions=e.foia_exemptions, sender=e.sender,
        to=e.to, cc=e.cc, sent=e.sent, messages=e.messages, is_partial=e.is_partial or src.is_truncated,
        n_chars=len(e.text), encoding=src.encoding, repairs=log.finish(), flags=flags, provenance=prov,
        parser_version=PARSER_VERSION, run_id=run_id)
    return doc, e.spans
