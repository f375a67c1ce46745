"""What the entity rules may know about the document a paragraph comes from."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocContext:
    """`year`/`date` resolve dates without a year ("November 15"); `references` resolve "reftel"
    and "REF B"; `doc_id` drops a cable's references to itself; `signer` confirms signature lines."""
    year: int | None = None
    tags: tuple[str, ...] = ()
    date: dt.date | None = None
    doc_id: str | None = None
    references: tuple[str, ...] = ()
    signer: str | None = None
    doc_type: str | None = None


def context_of(doc) -> DocContext:
    """The DocContext of a `records.Document`."""
    year = int(doc.year) if str(doc.year).isdigit() else None
    date = doc.doc_date or (doc.sent.date() if getattr(doc, "sent", None) else None)
    return DocContext(year=year, tags=tuple(doc.tags), date=date, doc_id=doc.doc_id,
                      references=tuple(doc.references), signer=doc.signer, doc_type=doc.doc_type)
