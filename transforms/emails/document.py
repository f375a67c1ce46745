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
    """doc_id is the FOIA document number of the release stamp; without a stamp, the `C` + 8 digits
    of the file name, else the file name itself (`provenance["doc_id"]` says which, and a stamp that
    disagrees with the file name is flagged). The year is the top message's Sent year, or for a
    document without a header the year of the date it carries; never the release year."""
    log = RepairLog(src.repairs)
    e = parse_email(src.text, log)
    prov = dict(e.provenance)
    flags = list(e.flags)
    from_name = re.search(r"C\d{8}", src.name_hint or "")
    doc_id = e.doc_number
    if doc_id:
        prov["doc_id"] = "stamp"
        if from_name and from_name.group(0) != doc_id:
            flags.append(f"file_name_differs:{from_name.group(0)}")
    else:
        doc_id = from_name.group(0) if from_name else (src.name_hint or "unknown")
        prov["doc_id"] = "file_name"
        flags.append("doc_id_from_file_name")
    year = e.sent.year if e.sent else (e.doc_date.year if e.doc_date else None)
    if year is None:
        flags.append("unknown_year")
    date_source = "email_sent" if e.sent else ("text" if e.doc_date else None)
    doc = Document(
        doc_id=doc_id, doc_type="email", year=doc_year(year), doc_kind=e.doc_kind, source_format=src.format,
        source_path=src.path, source_sha256=src.sha256, text=e.text, date=None,
        date_source=date_source, doc_date=e.doc_date,
        subject=e.subject, classification=e.classification, case_number=e.case_number,
        release_date=e.release_date, release=e.release, foia_exemptions=e.foia_exemptions,
        classification_stamps=e.classification_stamps, sender=e.sender,
        to=e.to, cc=e.cc, sent=e.sent, messages=e.messages, is_partial=e.is_partial or src.is_truncated,
        n_chars=len(e.text), encoding=src.encoding, repairs=log.finish(), flags=flags, provenance=prov,
        parser_version=PARSER_VERSION, run_id=run_id)
    return doc, e.spans
