"""Typed records that flow between the stages. Field names equal the column names declared in
`transforms.schema` (a test keeps them in step), so converting to Arrow is mechanical.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class Repair:
    """One change made to a text: `before` became `after` at `offset` (in the text as it stood
    when the repair ran)."""
    kind: str
    offset: int
    before: str
    after: str


@dataclass(slots=True)
class Addressee:
    name: str | None
    address: str | None
    raw: str


@dataclass(slots=True)
class Recipient:
    name: str
    routing: str | None = None
    precedence: str | None = None


@dataclass(slots=True)
class Conflict:
    field: str
    text_value: str | None
    metadata_value: str | None
    metadata_source: str


@dataclass(slots=True)
class Message:
    message_index: int
    message_hash: str
    sender: Addressee | None
    to: list[Addressee]
    cc: list[Addressee]
    sent: dt.datetime | None
    subject: str | None
    char_start: int
    char_end: int
    attachments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SourceMeta:
    """Metadata that came with a source next to its text (HTML table, cables.csv columns)."""
    source: str                      # metadata_html | metadata_csv
    doc_id: str | None = None
    created: dt.datetime | None = None   # UTC
    released: dt.datetime | None = None
    classification: str | None = None
    origin: str | None = None
    references: list[str] | None = None
    row_id: str | None = None


@dataclass(slots=True)
class SourceText:
    """One document's text as taken out of its container (file, HTML page, CSV row, PDF),
    decoded, with what the container said about it."""
    path: str                        # input file (archive members as `a.zip::member`)
    sha256: str
    format: str                      # one of schema.SOURCE_FORMATS
    text: str
    encoding: str | None = None
    repairs: list[Repair] = field(default_factory=list)
    meta: SourceMeta | None = None
    name_hint: str | None = None     # file stem, used for ids when the text has none
    is_truncated: bool = False


@dataclass(slots=True)
class Document:
    doc_id: str
    doc_type: str
    year: str
    doc_kind: str
    source_format: str
    source_path: str
    source_sha256: str
    text: str
    n_sources: int = 1
    date: dt.datetime | None = None
    date_source: str | None = None
    doc_date: dt.date | None = None
    subject: str | None = None
    classification: str | None = None
    handling: list[str] = field(default_factory=list)
    origin: str | None = None
    tags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    signer: str | None = None
    recipients: list[Recipient] = field(default_factory=list)
    info_recipients: list[Recipient] = field(default_factory=list)
    classified_by: str | None = None
    reasons: str | None = None
    declassify_on: dt.date | None = None
    case_number: str | None = None
    release_date: dt.date | None = None
    release: str | None = None
    foia_exemptions: list[str] = field(default_factory=list)
    classification_stamps: list[str] = field(default_factory=list)
    sender: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    cc: list[Addressee] = field(default_factory=list)
    sent: dt.datetime | None = None
    messages: list[Message] = field(default_factory=list)
    is_partial: bool = False
    n_chars: int = 0
    n_paragraphs: int = 0
    encoding: str | None = None
    repairs: list[Repair] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    parser_version: str = ""
    run_id: str = ""


@dataclass(slots=True)
class Paragraph:
    doc_id: str
    doc_type: str
    year: str
    para_index: int
    para_id: str
    section: str
    char_start: int
    char_end: int
    text: str
    para_number: int | None = None
    marking: str | None = None
    message_index: int | None = None
    run_id: str = ""


@dataclass(slots=True)
class Entity:
    doc_id: str
    doc_type: str
    year: str
    para_index: int
    entity_type: str
    text: str
    normalized: str
    char_start: int
    char_end: int
    method: str
    confidence: float
    subtype: str | None = None
    merge_rule: str | None = None
    run_id: str = ""


@dataclass(slots=True)
class ParsedDocument:
    """A document with its paragraphs and entities: the unit the later stages pass around."""
    document: Document
    paragraphs: list[Paragraph] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


@dataclass(slots=True)
class LedgerEntry:
    run_id: str
    path: str
    bytes: int
    format: str
    status: str
    parser_version: str
    parent: str | None = None
    sha256: str | None = None
    error: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    n_docs: int = 0
    seconds: float | None = None


@dataclass(slots=True)
class FileState:
    """The present state of one source file (table `files`)."""
    path: str
    sha256: str
    bytes: int
    format: str
    status: str
    parser_version: str
    run_id: str
    parent: str | None = None
    mtime_ns: int | None = None
    error: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    n_docs: int = 0
    missing: bool = False


@dataclass(slots=True)
class QuarantineEntry:
    run_id: str
    table: str
    key: str
    stage: str
    expectation: str
    reason: str
    doc_id: str | None = None
    source_path: str | None = None
    column: str | None = None
    observed: str | None = None


@dataclass(slots=True)
class Difference:
    """A field where one source says otherwise than its document (values as text)."""
    field: str
    value: str | None
    chosen: str | None


@dataclass(slots=True)
class Source:
    """One source of a document (table `sources`)."""
    doc_id: str
    doc_type: str
    year: str
    claimed_id: str
    source_path: str
    source_format: str
    source_sha256: str
    role: str
    rank: int
    similarity: float
    is_partial: bool
    n_chars: int
    gave: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    run_id: str = ""


@dataclass(slots=True)
class ThreadMessage:
    """One distinct email message with its thread (table `messages`)."""
    message_hash: str
    thread_id: str
    sent: dt.datetime | None
    sender: str | None
    sender_address: str | None
    subject: str | None
    doc_ids: list[str]
    n_documents: int
    top_in: list[str]
    thread_size: int


@dataclass(slots=True)
class Link:
    """A link from one document to another (table `links`)."""
    src_doc_id: str
    src_doc_type: str
    link_type: str
    dst_doc_id: str
    dst_doc_type: str | None
    resolved: bool
    via: str | None
    para_index: int | None
    weight: float
