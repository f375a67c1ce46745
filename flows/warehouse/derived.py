"""Tables computed from a whole snapshot at commit time: `messages` (`transforms.threads`) and
`links` (`transforms.links`).

They depend on every document (a thread joins releases, a reference resolves when its target
arrives, an entity is rare or not across the corpus), so a commit that changes documents rebuilds
them from the snapshot it is building, before `_current` moves: a reader never sees them out of
step with the documents. A commit that changes no document (a no-op run, `pouch compact`) links
the previous files, so an unchanged rerun pays nothing for them. They read only a few columns
(messages, references, subjects, email paragraphs, PERSON/ORG/REFERENCE entities).
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from transforms.links import DocRef, Mention, build_links
from transforms.records import Addressee, Message
from transforms.schema import LINKS, MESSAGES
from transforms.tables import to_arrow
from transforms.threads import thread_messages

from .store import Snapshot, read_table


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
    ents = read_table(snap, "entities", ["doc_id", "doc_type", "entity_type", "normalized", "para_index", "text"],
                      ds.field("entity_type").isin(["PERSON", "ORG", "REFERENCE"]))
    mentions = [Mention(*r) for r in zip(*(ents.column(c).to_pylist() for c in ents.column_names))]
    paras = read_table(snap, "paragraphs", ["doc_id", "para_index", "text"], ds.field("doc_type") == "email")
    email_paragraphs = list(zip(*(paras.column(c).to_pylist() for c in ("doc_id", "para_index", "text"))))
    cited = [m for m in mentions if m.entity_type == "REFERENCE"]
    named = [m for m in mentions if m.entity_type != "REFERENCE"]
    return to_arrow(build_links(refs, cited, named, email_paragraphs), LINKS)
