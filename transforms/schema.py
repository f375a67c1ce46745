"""Every warehouse table, declared once.

A `Table` lists its `Column`s: name, Arrow type, nullability, meaning, allowed values and an
example. The Parquet writer (`Table.arrow_schema`), the Great Expectations suites
(`expectations/`), the data dictionary (`warehouse/README.md`) and the test fixtures all derive
from these declarations, so a column name is spelled as a string literal here and nowhere else
(code refers to columns through the record dataclasses in `transforms.records`, whose field names
are checked against these declarations by a test).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

# ---------------------------------------------------------------------------------------------
# Controlled vocabularies
# ---------------------------------------------------------------------------------------------
DOC_TYPES = ("cable", "email", "other")
#: The six classification values of cables.csv, plus the FOIA email marking values.
CLASSIFICATIONS = (
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
)
SOURCE_FORMATS = (
    "cable_text",   # plain text cable (with or without teletype routing), OCR'd extracts
    "cable_html",   # WikiLeaks cable page (2010 build or 2011 release)
    "cables_csv",   # one row of a cables.csv dump
    "cable_pdf",    # PDF of a cable with a text layer
    "email_text",   # pdftotext output of a FOIA email release
    "email_pdf",    # PDF of a FOIA email with a text layer
    "text",         # readable text that is neither a cable nor an email
)
FILE_FORMATS = SOURCE_FORMATS + ("zip", "pdf", "html", "csv", "binary", "empty", "unknown")
DOC_KINDS = ("cable", "email", "schedule", "call_sheet", "memo", "clipping", "other")
PARAGRAPH_SECTIONS = (
    "header", "summary", "body", "comment", "signature",   # cables
    "stamp", "quoted",                                      # emails (also header/body/signature)
)
ENTITY_TYPES = (
    "PERSON", "ORG", "LOCATION", "TAG", "EMAIL", "DATE", "PERCENT", "NUMBER", "REFERENCE",
)
LEDGER_STATUSES = ("loaded", "quarantined", "failed", "unchanged", "deleted", "skipped")
#: What came of a source file the last time it was read (`files.status`).
FILE_OUTCOMES = ("loaded", "quarantined", "failed")
RUN_STATUSES = ("running", "completed", "failed")
#: What a source is to its document (`sources.role`): the primary gives the text, paragraphs and
#: entities; a merged source is another copy of the same document that may give other fields.
SOURCE_ROLES = ("primary", "merged")
#: Kinds of `links` (see `transforms.links`).
LINK_TYPES = ("reference", "mention", "subject", "shared_entity")
#: `year` partition value for documents whose source does not support a year.
UNKNOWN_YEAR = "unknown"

# ---------------------------------------------------------------------------------------------
# Reusable Arrow types
# ---------------------------------------------------------------------------------------------
REPAIR = pa.struct([
    ("kind", pa.string()),      # e.g. pilcrow_ocr, hyphen_join, nul_removed, markup_removed
    ("offset", pa.int64()),     # position in the text as it stood when this repair ran
    ("before", pa.string()),
    ("after", pa.string()),
])
ADDRESSEE = pa.struct([          # email sender / recipient
    ("name", pa.string()),
    ("address", pa.string()),    # repaired where the repair is unambiguous
    ("raw", pa.string()),        # exactly as found
])
RECIPIENT = pa.struct([          # cable TO / INFO line
    ("name", pa.string()),       # e.g. "SECSTATE WASHDC"
    ("routing", pa.string()),    # routing indicator, e.g. "RUEHC"
    ("precedence", pa.string()), # IMMEDIATE, PRIORITY, ROUTINE, FLASH, NIACT IMMEDIATE
])
CONFLICT = pa.struct([           # text and metadata disagree: keep both
    ("field", pa.string()),
    ("text_value", pa.string()),
    ("metadata_value", pa.string()),
    ("metadata_source", pa.string()),
])
MESSAGE = pa.struct([            # one message of an email reply chain
    ("message_index", pa.int16()),
    ("message_hash", pa.string()),
    ("sender", ADDRESSEE),
    ("to", pa.list_(ADDRESSEE)),
    ("cc", pa.list_(ADDRESSEE)),
    ("sent", pa.timestamp("us")),
    ("subject", pa.string()),
    ("char_start", pa.int32()),         # the message's span in documents.text
    ("char_end", pa.int32()),
    ("attachments", pa.list_(pa.string())),   # file names on the Attachments: line
])
DIFFERENCE = pa.struct([         # a field where one source says otherwise than its document
    ("field", pa.string()),
    ("value", pa.string()),      # this source's value, as text
    ("chosen", pa.string()),     # the document's value, as text
])
STR_LIST = pa.list_(pa.string())
PROVENANCE = pa.map_(pa.string(), pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None
    example: str = ""
    unique: bool = False

    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    partition_by: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    derived: str = ""           # how the table is built (for the data dictionary)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([c.field() for c in self.columns])

    @property
    def file_schema(self) -> pa.Schema:
        """Schema of the Parquet files: hive partition columns live in the path, not the file."""
        return pa.schema([c.field() for c in self.columns if c.name not in self.partition_by])

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _doc_keys() -> tuple[Column, ...]:
    return (
        Column("doc_id", pa.string(), "Document id. Cables: canonical WikiLeaks id (`06PARIS5734`); "
               "an id whose year the source does not give has `XX` in place of the year "
               "(`XXALMATY4123`). Emails: FOIA document number (`C05739545`).",
               nullable=False, example="06PARIS5734"),
        Column("doc_type", pa.string(), "Kind of record; hive partition key.", nullable=False,
               allowed=DOC_TYPES, example="cable"),
        Column("year", pa.string(), "Year the document was written, as four digits, or `unknown` "
               "when no source supports one (never guessed); hive partition key.",
               nullable=False, example="2006"),
    )


DOCUMENTS = Table(
    name="documents",
    description="One row per document (a cable or an email release document).",
    partition_by=("doc_type", "year"),
    key=("doc_id",),
    derived="Parsed from each source by `transforms.documents`; the copies of one document (the "
            "same cable as a WikiLeaks page, a cables.csv row, a PDF) are merged into one row by the "
            "rules of `transforms.merge` (see `sources` and the merge rules below).",
    columns=_doc_keys() + (
        Column("doc_kind", pa.string(), "What the document is: `cable`, `email`, or for FOIA "
               "documents without an email header `schedule`, `call_sheet`, `memo`, `clipping`, "
               "`other`.", nullable=False, allowed=DOC_KINDS, example="cable"),
        Column("source_format", pa.string(), "Format of the primary source (the one the text, "
               "paragraphs and entities were taken from; every source is in `sources`).",
               nullable=False, allowed=SOURCE_FORMATS, example="cable_text"),
        Column("source_path", pa.string(), "Primary source file (archive members as "
               "`archive.zip::member`, cables.csv rows as `file.csv#row<N>`).",
               nullable=False, example="seeds/003_259b67ba70043451.txt"),
        Column("source_sha256", pa.string(), "sha256 of the primary source file's bytes.", nullable=False,
               example="7efee9df8d283547b25ddd64d7fcbea5140862a05312266175715ca3f043848b"),
        Column("n_sources", pa.int16(), "How many sources (files, pages, rows) were merged into this "
               "document (rows in `sources`).", nullable=False, example="1"),
        Column("date", pa.timestamp("us", tz="UTC"), "When the document was written, in UTC, "
               "where the source gives a time zone (cable DTG lines are Zulu time). Null for "
               "emails, whose header time zone is unknown: see `sent`.", example="2006-08-25 17:16:00+00:00"),
        Column("date_source", pa.string(), "Which source gave `date`/`doc_date`: `dtg`, "
               "`metadata_html`, `metadata_csv`, `text`, `email_sent`.", example="dtg"),
        Column("doc_date", pa.date32(), "Calendar date of the document (any doc_type).",
               example="2006-08-25"),
        Column("subject", pa.string(), "SUBJECT line of a cable, Subject of an email's top message.",
               example="AMBASSADOR'S VISIT TO SEVILLE, SOCIALIST HEARTLAND"),
        Column("classification", pa.string(), "Classification marking, in the vocabulary of "
               "cables.csv; emails carry their release marking (`UNCLASSIFIED`). Cables: the value of "
               "the metadata (WikiLeaks page, cables.csv row) when the source has one, else read from "
               "the banner and its caveat lines (`UNCLAS` + `SENSITIVE` -> `UNCLASSIFIED//FOR OFFICIAL "
               "USE ONLY`); a banner that says otherwise is kept in `conflicts`.",
               allowed=CLASSIFICATIONS, example="CONFIDENTIAL"),
        Column("handling", STR_LIST, "Handling caveats seen in the banner (`SBU`, `NOFORN`, "
               "`SIPDIS`, `EXDIS`, ...).", example="[SIPDIS, SENSITIVE]"),
        # --- cables -------------------------------------------------------------------------
        Column("origin", pa.string(), "Cable origin in the vocabulary of cables.csv "
               "(`Embassy Paris`, `Secretary of State`, `Mission USOSCE`).", example="Embassy Paris"),
        Column("tags", STR_LIST, "TAGS codes in order, duplicates dropped.",
               example="[PREL, KZ, KDEM]"),
        Column("references", STR_LIST, "Canonical ids of the cables referenced in the REF block "
               "(a cited id without a year takes the cable's own year; `XX` when that is unknown too; "
               "never the cable itself). When the text has no REF block, the metadata's list in "
               "canonical form.", example="[06STATE139361]"),
        Column("signer", pa.string(), "Signature (last line of a cable).", example="Rosenblatt"),
        Column("recipients", pa.list_(RECIPIENT), "TO addressees with precedence.",
               example="[{name: SECSTATE WASHDC, routing: RUEHC, precedence: PRIORITY}]"),
        Column("info_recipients", pa.list_(RECIPIENT), "INFO addressees with precedence.",
               example="[{name: AMEMBASSY ASTANA, routing: RUEHAST, precedence: PRIORITY}]"),
        Column("classified_by", pa.string(), "Name from the `Classified By:` line, titles removed.",
               example="Josiah Rosenblatt"),
        Column("reasons", pa.string(), "Classification reasons (E.O. 12958 sections).",
               example="1.5 (b) and (d)"),
        Column("declassify_on", pa.date32(), "DECL date from the E.O. line.", example="2019-06-01"),
        # --- emails -------------------------------------------------------------------------
        Column("case_number", pa.string(), "FOIA case number from the release stamp (the value most "
               "of the stamp's copies on the pages agree on).",
               example="F-2015-04841"),
        Column("release_date", pa.date32(), "Date on the release stamp.", example="2015-05-13"),
        Column("release", pa.string(), "Release decision.", allowed=("RELEASE IN FULL", "RELEASE IN PART"),
               example="RELEASE IN PART"),
        Column("foia_exemptions", STR_LIST, "FOIA exemptions claimed anywhere in the release (after "
               "`RELEASE IN PART` and in the right margin), one entry per exemption in statute order: "
               "`B5`, `B6`, `B7(A)`; B1 carries the E.O. 13526 sec. 1.4 reasons (`B1,1.4(B),1.4(D)`), "
               "B3 the statute when printed (`B3 INA`).", example="[B1,1.4(D), B5, B6]"),
        Column("classification_stamps", STR_LIST, "Classification/declassification stamps printed "
               "on the release, one line each (`Classified by DAS, A/GIS, DoS on 06/30/2015 — Class: "
               "CONFIDENTIAL — Reason: 1.4(B), 1.4(D) — Declassify on: 07/25/2024`); one in the body is "
               "removed from `text` (logged).",
               example="[Classified by DAS, A/GIS, DoS on 01/29/2016 — Class: CONFIDENTIAL — Reason: 1.4(B), 1.4(D) — Declassify on: 03/25/2027]"),
        Column("sender", ADDRESSEE, "From of the top message (of a memo without an email header: "
               "its From). `address` is repaired only where unambiguous (OCR'd `@`, `mailto:`, brackets, "
               "spaces, a known domain or address within OCR distance); `raw` is as printed.",
               example="{name: Bums, William J, address: BurnsWi@state.gov, raw: Bums, William J <BurnsWi@state.gov>}"),
        Column("to", pa.list_(ADDRESSEE), "To of the top message.",
               example="[{name: H, address: null, raw: H}]"),
        Column("cc", pa.list_(ADDRESSEE), "Cc of the top message.",
               example="[{name: Sullivan, Jacob J, address: SullivanJJ@state.gov, raw: ...}]"),
        Column("sent", pa.timestamp("us"), "Sent of the top message, as printed. The header's "
               "time zone is unknown (the sender's Outlook settings), so this timestamp is naive.",
               example="2012-12-20 07:44:00"),
        Column("messages", pa.list_(MESSAGE), "The messages of the reply chain, top first, each "
               "with its own header fields and span. `message_hash` is the same for every copy of a "
               "message (top of one release, quoted in another): sent to the minute + the first 12 "
               "letters/digits of the body (the subject without Re:/Fw: fills in for a shorter body), "
               "after OCR folding (lower case, 1/l/i/j, 0/o, rn/m, y/v alike) and dropping all else.",
               example="[{message_index: 0, message_hash: 08e17b800145e255c7c9, sender: {...}, sent: 2012-12-20 07:44, subject: Re: Thank you so much, char_start: 507, char_end: 922, ...}]"),
        # --- all ----------------------------------------------------------------------------
        Column("is_partial", pa.bool_(), "The source holds only part of the document "
               "(an extract, a truncated file, a page missing), or part of it was not understood "
               "(emails: no release stamp, an unreadable release decision or Sent line; see `flags`).",
               nullable=False, example="false"),
        Column("text", pa.string(), "Cleaned full text; paragraph offsets point into it.",
               nullable=False,
               example="R 021258Z JAN 88 / FM AMEMBASSY BAGHDAD / ... (line ends as in the source)"),
        Column("n_chars", pa.int32(), "Length of `text`.", nullable=False, example="2324"),
        Column("n_paragraphs", pa.int32(), "Number of rows in `paragraphs` for this document.",
               nullable=False, example="9"),
        Column("encoding", pa.string(), "Encoding the source bytes were decoded from.",
               example="iso-8859-1"),
        Column("repairs", pa.list_(REPAIR), "Every change made to the text while cleaning it.",
               example="[{kind: crlf_normalized, offset: 0, before: CR LF, after: LF}]"),
        Column("flags", STR_LIST, "Things an analyst should know (`metadata_conflict`, "
               "`unknown_year`, `suspect_spelling:SENSTITUE`, ...).",
               example="[metadata_conflict, doc_id_conflict:88BAGHDAD28]"),
        Column("conflicts", pa.list_(CONFLICT), "Fields where the text and the metadata disagree.",
               example="[{field: doc_id, text_value: 88STATE68250, metadata_value: 88BAGHDAD28, metadata_source: metadata_html}]"),
        Column("provenance", PROVENANCE, "For each field, the rule or metadata source that gave it.",
               example="{date: dtg, classification: metadata_csv, signer: last_line}"),
        Column("parser_version", pa.string(), "Version of the parsers that produced the row.",
               nullable=False, example="0.3.0"),
        Column("run_id", pa.string(), "Run that loaded the row.", nullable=False,
               example="20261125T163355Z-b3d3e2"),
    ),
)

PARAGRAPHS = Table(
    name="paragraphs",
    description="One row per paragraph (or unnumbered header/signature block) of a document.",
    partition_by=("doc_type", "year"),
    key=("doc_id", "para_index"),
    derived="Segmented from `documents.text`: `text == documents.text[char_start:char_end]`.",
    columns=_doc_keys() + (
        Column("para_index", pa.int32(), "Position of the paragraph in the document, from 0.",
               nullable=False, example="3"),
        Column("para_id", pa.string(), "Stable id `<doc_id>.<para_index>`.", nullable=False,
               unique=True, example="06PARIS5734.3"),
        Column("para_number", pa.int32(), "The document's own paragraph number (¶3 → 3).", example="3"),
        Column("marking", pa.string(), "Paragraph classification marking as printed "
               "(`C`, `S`, `SBU`, `U`, `S/NF`, ...).", example="C"),
        Column("section", pa.string(), "Part of the document. Emails: `stamp` (the first page's "
               "release stamp), `header` (a message's header block), `body` (the top message's own "
               "text, or the text of a document without a header), `quoted` (earlier messages quoted "
               "or forwarded below it), `signature` (sign-off, mobile-client line, automatic footer).",
               nullable=False,
               allowed=PARAGRAPH_SECTIONS, example="body"),
        Column("message_index", pa.int16(), "Emails: which message of the chain (0 = top).", example="0"),
        Column("char_start", pa.int32(), "Start offset in `documents.text`.", nullable=False, example="1723"),
        Column("char_end", pa.int32(), "End offset (exclusive) in `documents.text`.", nullable=False,
               example="1855"),
        Column("text", pa.string(), "Paragraph text.", nullable=False,
               example="3.  INDIVIDUAL TAKING CALL SAID IT WAS FROM ..."),
        Column("run_id", pa.string(), "Run that loaded the row.", nullable=False,
               example="20261125T163355Z-b3d3e2"),
    ),
)

ENTITIES = Table(
    name="entities",
    description="One row per entity mention in a paragraph.",
    partition_by=("doc_type", "year"),
    key=("doc_id", "para_index", "char_start", "char_end", "entity_type"),
    derived="Extracted from `paragraphs.text` by rules and gazetteers (`transforms/entities`): "
            "`text == paragraphs.text[char_start:char_end]`.",
    columns=_doc_keys() + (
        Column("para_index", pa.int32(), "Paragraph (see `paragraphs.para_index`).", nullable=False,
               example="2"),
        Column("entity_type", pa.string(), "Entity type.", nullable=False, allowed=ENTITY_TYPES,
               example="PERSON"),
        Column("text", pa.string(), "Exact surface string in the paragraph.", nullable=False, example="IRAN"),
        Column("normalized", pa.string(), "One form per entity across the corpus: a person's "
               "canonical name (`Nursultan Nazarbayev`, no title), ISO 3166 alpha-2 code for "
               "countries (`KZ`), the geonames name for cities (`Kyiv`), canonical cable id "
               "(`06STATE139361`), ISO 8601 date (`2006-08-25`; `--11-15` when the document's year "
               "is unknown; ranges as `a/b`), the TAG code, `70%`, a plain number (`28000`, "
               "`USD 22000000000`), a lower-case e-mail address.", nullable=False, example="IR"),
        Column("subtype", pa.string(), "Finer kind. TAG: geographic/subject/program/organization/"
               "other; LOCATION: country/city/region; ORG: office/party/ministry/agency/acronym ...; "
               "PERSON: `title:<title>` when a title stood before the name (`title:Ambassador`), "
               "`role` for a role standing for one officer (`A/Political Counselor`), `addressee`; "
               "DATE: date/datetime/month/year/dtg/date_range/year_range; NUMBER: cardinal/money/range.",
               example="country"),
        Column("char_start", pa.int32(), "Start offset in the paragraph text.", nullable=False,
               example="214"),
        Column("char_end", pa.int32(), "End offset (exclusive) in the paragraph text.", nullable=False,
               example="218"),
        Column("method", pa.string(), "Rule or gazetteer that found it.", nullable=False,
               example="gazetteer:places"),
        Column("merge_rule", pa.string(), "Rules that mapped the surface onto `normalized`, "
               "`;`-separated, if any: `ocr:q->g` (read q, meant g), `variant:edit1`, "
               "`translit:<rule>`, `gazetteer:persons_variant`, `doc:surname` (a surname alone "
               "taken as the document's full name), `gazetteer:surname`, `corpus:surname`, "
               "`geonames:alternate_name`.", example="ocr:q->g"),
        Column("confidence", pa.float32(), "0..1.", nullable=False, example="0.9"),
        Column("run_id", pa.string(), "Run that loaded the row.", nullable=False,
               example="20261125T163355Z-b3d3e2"),
    ),
)

LEDGER = Table(
    name="ledger",
    description="One row per input file (archive members count as files) per run.",
    key=("run_id", "path"),
    derived="Written by the ingest flow for every file it discovered, whatever happened to it.",
    columns=(
        Column("run_id", pa.string(), "Run.", nullable=False, example="20261125T163355Z-b3d3e2"),
        Column("path", pa.string(), "Input file; archive members as `archive.zip::member`.",
               nullable=False, example="corpus/cables/html_wl2010/04BOGOTA8900.html"),
        Column("parent", pa.string(), "Archive the file came from, if any.", example="archive.zip"),
        Column("sha256", pa.string(), "sha256 of the bytes (null when unreadable).",
               example="7efee9df8d283547b25ddd64d7fcbea5140862a05312266175715ca3f043848b"),
        Column("bytes", pa.int64(), "Size in bytes.", nullable=False, example="44105"),
        Column("format", pa.string(), "Detected format.", nullable=False, allowed=FILE_FORMATS),
        Column("status", pa.string(), "What happened.", nullable=False, allowed=LEDGER_STATUSES),
        Column("error", pa.string(), "One-line reason when status is not `loaded`/`unchanged`.",
               example="empty file (no bytes, or only white space)"),
        Column("doc_ids", STR_LIST, "Documents taken from the file.", nullable=False,
               example="[04BOGOTA8900]"),
        Column("n_docs", pa.int32(), "len(doc_ids).", nullable=False, example="1"),
        Column("parser_version", pa.string(), "Parser version used.", nullable=False, example="0.3.0"),
        Column("seconds", pa.float32(), "Time spent on the file (share of its batch).", example="0.012"),
    ),
)


FILES = Table(
    name="files",
    description="One row per source file the warehouse holds documents or outcomes for: the present "
                "state of each input, where `ledger` is its history.",
    key=("path",),
    derived="Kept by the commit of every run: a file that was read gets its new row, an unchanged "
            "file keeps its row. The incremental loader skips a file when its `bytes` and `mtime_ns` "
            "(fast path) or its `sha256` are those of this row and `parser_version` is current.",
    columns=(
        Column("path", pa.string(), "Input file; archive members as `archive.zip::member`.",
               nullable=False, example="corpus/cables/html_wl2010/04BRUSSELS1868.html"),
        Column("parent", pa.string(), "Archive the file came from, if any.", example="archive.zip"),
        Column("sha256", pa.string(), "sha256 of the bytes last read.", nullable=False,
               example="7efee9df8d283547b25ddd64d7fcbea5140862a05312266175715ca3f043848b"),
        Column("bytes", pa.int64(), "Size in bytes when last seen.", nullable=False, example="45302"),
        Column("mtime_ns", pa.int64(), "Modification time (ns since the epoch) seen when the run "
               "discovered the file; null for archive members.", example="1795616385385053579"),
        Column("format", pa.string(), "Detected format.", nullable=False, allowed=FILE_FORMATS),
        Column("status", pa.string(), "What came of the file when it was last read.",
               nullable=False, allowed=FILE_OUTCOMES),
        Column("error", pa.string(), "One-line reason, as in the ledger.",
               example="doc_id 88BAGHDAD28 is also given by ... kept apart as 88BAGHDAD28~aa31e941"),
        Column("doc_ids", STR_LIST, "Documents in the warehouse the file is a source of (as the "
               "primary or a merged source, see `sources`).", nullable=False, example="[04BRUSSELS1868]"),
        Column("n_docs", pa.int32(), "len(doc_ids).", nullable=False, example="1"),
        Column("parser_version", pa.string(), "Parser version the file was read with.",
               nullable=False, example="0.3.0"),
        Column("run_id", pa.string(), "Run that last read the file.", nullable=False,
               example="20261125T163355Z-b3d3e2"),
        Column("missing", pa.bool_(), "The last run over the file's folder did not find it; its "
               "documents are kept until a run with `--prune`.", nullable=False, example="false"),
    ),
)

QUARANTINE = Table(
    name="quarantine",
    description="Rows and inputs kept out of the clean tables, with the reason.",
    key=("run_id", "table", "key", "expectation"),
    derived="Failing rows of the GX suites and inputs that could not be read or parsed.",
    columns=(
        Column("run_id", pa.string(), "Run.", nullable=False, example="20261125T163355Z-b3d3e2"),
        Column("table", pa.string(), "Table the row was meant for (`input` for whole files).",
               nullable=False, example="documents"),
        Column("key", pa.string(), "Row key (`doc_id`, `doc_id.para_index`, or file path).",
               nullable=False, example="65TASHKENT5802"),
        Column("doc_id", pa.string(), "Document the row belongs to, when known.", example="65TASHKENT5802"),
        Column("source_path", pa.string(), "Input file.", example="in/future.txt"),
        Column("stage", pa.string(), "Stage that refused it (read, decode, parse, validate, commit).",
               nullable=False, example="validate"),
        Column("expectation", pa.string(), "Expectation or check that failed.", nullable=False,
               example="doc_date_not_future"),
        Column("column", pa.string(), "Column checked, when there is one.", example="doc_date"),
        Column("observed", pa.string(), "Offending value (truncated to 200 characters).",
               example="2065-06-01"),
        Column("reason", pa.string(), "One-line explanation.", nullable=False,
               example="documents 65TASHKENT5802: doc_date is in the future (saw 2065-06-01)"),
    ),
)

RUNS = Table(
    name="runs",
    description="One row per ingest run: what came in, what went out, how long it took.",
    key=("run_id",),
    derived="Written by the ingest flow when the run commits, with the run's summary (the quality "
            "report's trend charts read it).",
    columns=(
        Column("run_id", pa.string(), "Run id (UTC start time + random suffix).", nullable=False,
               example="20261125T163355Z-b3d3e2"),
        Column("started_at", pa.timestamp("us", tz="UTC"), "Start.", nullable=False,
               example="2026-11-25 16:33:55+00:00"),
        Column("finished_at", pa.timestamp("us", tz="UTC"), "End.", example="2026-11-25 16:34:08+00:00"),
        Column("status", pa.string(), "Outcome.", nullable=False, allowed=RUN_STATUSES),
        Column("sources", STR_LIST, "Paths given to the run.", nullable=False,
               example="[/work/shared/corpus]"),
        Column("parser_version", pa.string(), "Parser version.", nullable=False, example="0.3.0"),
        Column("files_seen", pa.int64(), "Input files discovered.", nullable=False, example="325"),
        Column("files_loaded", pa.int64(), "Files with status loaded.", nullable=False, example="324"),
        Column("files_quarantined", pa.int64(), "Files with status quarantined.", nullable=False,
               example="0"),
        Column("files_failed", pa.int64(), "Files with status failed.", nullable=False, example="0"),
        Column("files_unchanged", pa.int64(), "Files skipped as unchanged.", nullable=False, example="0"),
        Column("docs_written", pa.int64(), "Documents written by the run.", nullable=False, example="598"),
        Column("rows_quarantined", pa.int64(), "Quarantine rows written by the run.", nullable=False,
               example="0"),
        Column("seconds", pa.float64(), "Wall time of the run.", example="13.8"),
        Column("summary", pa.string(), "JSON: stage timings, per-table rows, expectation results, "
               "coverage and repair counts (read by the quality report's trend charts).",
               example="{run_id: ..., files: {loaded: 324}, stage_seconds: {...}, ...}"),
    ),
)

SOURCES = Table(
    name="sources",
    description="One row per source of a document: every file, page, cables.csv row or PDF that gave "
                "it, with the fields where it says otherwise than the document.",
    partition_by=("doc_type", "year"),
    key=("doc_id", "source_path"),
    derived="Written with the documents by the merge (`transforms.merge`, rules in the table below): "
            "the sources that give one doc_id and hold the same text (`similarity`) become one "
            "document; the first of them by rank is the `primary`. Kept in step with `documents` by "
            "every run: a new, changed or deleted source re-merges its document from all its sources.",
    columns=_doc_keys() + (
        Column("claimed_id", pa.string(), "The doc_id the source itself gives. Equal to `doc_id`, "
               "except for a source whose text is another document's than the one that kept the id: "
               "its document is `<claimed_id>~<8 hex digits of its text's sha256>`, and both documents "
               "carry the flag `doc_id_conflict:<other id>`.", nullable=False, example="88BAGHDAD28"),
        Column("source_path", pa.string(), "Source file (archive members as `archive.zip::member`, "
               "cables.csv rows as `file.csv#row<N>`).", nullable=False,
               example="corpus/cables/csv/cables_csv_slice_dev.csv#row23"),
        Column("source_format", pa.string(), "Format of the source.", nullable=False,
               allowed=SOURCE_FORMATS, example="cables_csv"),
        Column("source_sha256", pa.string(), "sha256 of the source file's bytes.", nullable=False,
               example="7efee9df8d283547b25ddd64d7fcbea5140862a05312266175715ca3f043848b"),
        Column("role", pa.string(), "`primary`: the text, paragraphs, entities and every field it "
               "fills come from it; `merged`: another copy of the same document.", nullable=False,
               allowed=SOURCE_ROLES, example="primary"),
        Column("rank", pa.int16(), "Position in the merge order (0 = primary): complete texts "
               "first, then by format (cables.csv row, text, WikiLeaks page, PDF), then the longer "
               "text.", nullable=False, example="1"),
        Column("similarity", pa.float32(), "Share of the shorter body's word 3-grams found in the "
               "other, between this source and the primary (1 for the primary): bodies are compared, "
               "not headers, which another text filed under the same id shares. 0.5 or above: one "
               "document.", nullable=False, example="0.98"),
        Column("is_partial", pa.bool_(), "This source holds only part of the document.",
               nullable=False, example="false"),
        Column("n_chars", pa.int32(), "Length of this source's cleaned text.", nullable=False,
               example="2324"),
        Column("gave", STR_LIST, "Fields of the document taken from this source although it is not "
               "the primary (the primary gives every other field).", nullable=False,
               example="[date, classification]"),
        Column("differs", STR_LIST, "Fields where this source's value differs from the document's "
               "(a source that says nothing about a field does not differ). `text` when its words "
               "differ from the primary's (a redacted or cut copy, PDF noise).", nullable=False,
               example="[date, text]"),
        Column("differences", pa.list_(DIFFERENCE), "The values behind `differs`: the field, this "
               "source's value and the document's, as text (cut at 200 characters).",
               nullable=False,
               example="[{field: date, value: 2004-06-09T09:00:00+00:00, chosen: 2004-06-09T09:16:00+00:00}]"),
        Column("run_id", pa.string(), "Run that merged the document.", nullable=False,
               example="20261125T163355Z-b3d3e2"),
    ),
)

MESSAGES = Table(
    name="messages",
    description="One row per distinct email message (a reply chain quoted in several releases "
                "counts once), with its thread and the documents it appears in.",
    key=("message_hash", "thread_id"),
    derived="Rebuilt at each commit that changes documents, from `documents.messages` of every "
            "email (`transforms.threads`). Two documents belong to one thread when they share a "
            "dated message; `thread_id` is the `message_hash` of the thread's oldest dated message. "
            "An undated message (`H wrote:`) joins nothing across documents: its hash (body start "
            "only) is too weak.",
    columns=(
        Column("message_hash", pa.string(), "`documents.messages.message_hash`: the same for every "
               "copy of the message (sent minute + OCR-folded start of the body).", nullable=False,
               example="1dd9a870a809c5eeecb4"),
        Column("thread_id", pa.string(), "The thread (the connected documents that share messages): "
               "the `message_hash` of its oldest dated message.", nullable=False,
               example="1dd9a870a809c5eeecb4"),
        Column("sent", pa.timestamp("us"), "Sent, as printed (naive: the header's time zone is "
               "unknown).", example="2009-09-06 12:09:44"),
        Column("sender", pa.string(), "Sender's name as printed (else the address).", example="H"),
        Column("sender_address", pa.string(), "Sender's e-mail address, when printed.",
               example="hrod17@clintonemail.com"),
        Column("subject", pa.string(), "Subject as printed in the copy it is taken from.",
               example="Health care"),
        Column("doc_ids", STR_LIST, "Documents the message appears in (top message or quoted), "
               "sorted.", nullable=False, example="[C05764579, C05764580]"),
        Column("n_documents", pa.int32(), "len(doc_ids).", nullable=False, example="2"),
        Column("top_in", STR_LIST, "Documents whose top message it is.", nullable=False,
               example="[C05764579]"),
        Column("thread_size", pa.int32(), "Distinct messages in the thread.", nullable=False, example="5"),
    ),
)

LINKS = Table(
    name="links",
    description="One row per link from a document to another: references, mentions, quoted "
                "subjects and shared rare entities.",
    key=("src_doc_id", "link_type", "dst_doc_id"),
    derived="Rebuilt at each commit that changes documents (`transforms.links`): `reference` from "
            "`documents.references`; `mention` from cable ids written in a text (`REFERENCE` "
            "entities of cables, the same pattern in emails) that are not references; `subject` when "
            "an email quotes a cable's subject (25 characters or more, a subject of one cable "
            "only); `shared_entity` between documents that share PERSON/ORG entities found in at "
            "most 10 documents, the 10 strongest links per document (weight: sum of log(N/df)).",
    columns=(
        Column("src_doc_id", pa.string(), "Document the link starts from.", nullable=False,
               example="04ISTANBUL1459"),
        Column("src_doc_type", pa.string(), "Its doc_type.", nullable=False, allowed=DOC_TYPES),
        Column("link_type", pa.string(), "Kind of link.", nullable=False, allowed=LINK_TYPES,
               example="reference"),
        Column("dst_doc_id", pa.string(), "Document the link points to (a canonical cable id, also "
               "when that cable is not in the warehouse).", nullable=False, example="06STATE139361"),
        Column("dst_doc_type", pa.string(), "Its doc_type; null when it is not in the warehouse.",
               allowed=DOC_TYPES),
        Column("resolved", pa.bool_(), "The target is in the warehouse.", nullable=False, example="true"),
        Column("via", pa.string(), "The evidence: the id as written, the quoted subject, the shared "
               "entities (`; `-separated, up to 3).", example="Kremlin; Dmitry Medvedev; Vladimir Putin"),
        Column("para_index", pa.int32(), "Paragraph of the source document holding the evidence "
               "(mentions).", example="4"),
        Column("weight", pa.float32(), "1 for references, mentions and subjects; for shared "
               "entities the sum of log(N/df) over the shared entities (N documents, df documents "
               "holding the entity).", nullable=False, example="14.6"),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (DOCUMENTS, PARAGRAPHS, ENTITIES, SOURCES, LEDGER, QUARANTINE,
                                                 RUNS, FILES, MESSAGES, LINKS)}
