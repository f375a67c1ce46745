"""Tables computed from a whole snapshot at commit time: `messages` (`transforms.threads`) and
`links` (`transforms.links`).

They depend on every document (a thread joins releases, a reference resolves when its target
arrives, an entity is rare or not across the corpus), so a commit that changes documents rebuilds
them from the snapshot it is building, before `_current` moves: a reader never sees them out of
step with the documents. A commit that changes no document (a no-op run, `pouch compact`) links
the previous files, so an unchanged rerun pays nothing for them. They read only a few columns
(messages, references, subjects, email paragraphs, PERSON/ORG/REFERENCE entities).

Memory: the entities are far too many to hold as Python objects at a million documents (~30 GB),
so DuckDB reduces them first, out of core under a memory limit: the first mention of each cable
id per document, and the (name, document) pairs of the rare names only (what `transforms.links`
uses of them); email paragraphs are streamed batch by batch.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.links import RARE_DF, DocRef, Mention, build_links
from transforms.records import Addressee, Message
from transforms.schema import LINKS, MESSAGES
from transforms.tables import to_arrow
from transforms.threads import thread_messages

from ..sql import table_sql
from .store import Snapshot, read_batches, read_table

#: DuckDB's memory for the entity reductions (it spills to a temporary directory past it).
DUCKDB_MEMORY = "1GB"


def build_derived(building: Path, tables: dict, names: set[str]) -> dict[str, pa.Table]:
    """Tables `names` (`messages`, `links`) of the snapshot being built (`tables`: its manifest
    entries so far)."""
    snap = Snapshot(0, building, {"tables": tables})
    columns = ["doc_id", "doc_type"] + (["messages"] if "messages" in names else []) + (
        ["references", "subject"] if "links" in names else [])
    flt = ds.field("doc_type") == "email" if names == {"messages"} else None
    docs = read_table(snap, "documents", columns, flt)
    out = {}
    if "messages" in names:
        out["messages"] = _messages(docs)
    if "links" in names:
        out["links"] = _links(snap, docs)
    return out


def _messages(docs: pa.Table) -> pa.Table:
    emails = docs.filter(pc.equal(docs.column("doc_type"), "email"))
    chains = [(doc_id, [_message(m) for m in messages]) for doc_id, messages in
              zip(emails.column("doc_id").to_pylist(), emails.column("messages").to_pylist()) if messages]
    return to_arrow(thread_messages(chains), MESSAGES)


def _message(m: dict) -> Message:
    """The fields of a message that threads use (recipients are not: they cost more than the rest)."""
    sender = m["sender"]
    return Message(m["message_index"], m["message_hash"], sender and Addressee(**sender), [], [], m["sent"],
                   m["subject"], m["char_start"], m["char_end"])


def _links(snap: Snapshot, docs: pa.Table) -> pa.Table:
    refs = [DocRef(*r) for r in zip(*(docs.column(c).to_pylist() for c in ("doc_id", "doc_type", "references",
                                                                        "subject")))]
    for d in refs:
        d.references = d.references or []
    cited, named = _mentions(snap)
    return to_arrow(build_links(refs, cited, named, _email_paragraphs(snap)), LINKS)


def _mentions(snap: Snapshot) -> tuple[list[Mention], list[Mention]]:
    """The REFERENCE entities of cables (the first of each id per document: the one a link keeps)
    and the PERSON/ORG (name, document) pairs of names in 2..RARE_DF documents (the only ones
    `transforms.links` counts), reduced by DuckDB from the entity files."""
    if not snap.files("entities"):
        return [], []
    with tempfile.TemporaryDirectory(prefix="pouch-links-") as tmp:
        con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "temp_directory": tmp, "threads": 2})
        try:
            con.execute(f"CREATE VIEW e AS {table_sql(snap, 'entities')}")
            cited = con.execute("""
                SELECT doc_id, 'cable', 'REFERENCE', normalized,
                       arg_min(para_index, para_index::BIGINT * 100000000 + char_start),
                       arg_min(text, para_index::BIGINT * 100000000 + char_start)
                FROM e WHERE entity_type = 'REFERENCE' AND doc_type = 'cable'
                GROUP BY doc_id, normalized""").fetchall()
            named = con.execute("""
                SELECT doc_id, normalized FROM (SELECT DISTINCT normalized, doc_id FROM e
                                                WHERE entity_type IN ('PERSON', 'ORG'))
                QUALIFY count(*) OVER (PARTITION BY normalized) BETWEEN 2 AND ?""", [RARE_DF]).fetchall()
        finally:
            con.close()
    return [Mention(*r) for r in cited], [Mention(d, "", "NAME", n, 0, n) for d, n in named]


def _email_paragraphs(snap: Snapshot) -> Iterator[tuple[str, int, str]]:
    """(doc_id, para_index, text) of every email paragraph, a record batch at a time."""
    columns = ["doc_id", "para_index", "text"]
    for batch in read_batches(snap, "paragraphs", columns, ds.field("doc_type") == "email"):
        yield from zip(*(batch.column(c).to_pylist() for c in columns))
