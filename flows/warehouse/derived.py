"""Tables computed from a whole snapshot at commit time: `messages` (`transforms.threads`) and
`links` (`transforms.links`).

They depend on every document (a thread joins releases, a reference resolves when its target
arrives, an entity is rare or not across the corpus), so a commit that changes documents rebuilds
them from the snapshot it is building, before `_current` moves: a reader never sees them out of
step with the documents. A commit that changes no document (a no-op run, `pouch compact`) links
the previous files, so an unchanged rerun pays nothing for them. They read only a few columns
(messages, references, subjects, email paragraphs, REFERENCE/PERSON/ORG entities).

Memory: both are DuckDB's work, out of core under a memory limit (it spills to a temporary
directory past it), streamed from its result to the Parquet file a row group at a time. Python
does two things SQL does badly: the connected components of the email chains (on integer ids)
and the cable ids and subjects quoted in email paragraphs (read a record batch at a time; only
the paragraphs where a cable id could be when no subject is distinctive enough to look for).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.links import (
    ID_IN_TEXT_PREFILTER,
    is_cable_id,
    links_sql,
    norm_subject,
    subjects_sql,
    text_links,
)
from transforms.schema import LINKS, MESSAGES, TABLES
from transforms.threads import components, copies_sql, edges_sql, messages_sql

from ..sql import table_sql
from .store import ROW_GROUP_ROWS, Snapshot, write_batches

#: DuckDB's memory for the derived tables (it spills to a temporary directory past it).
DUCKDB_MEMORY = "512MB"
#: Columns of the relations `transforms.links.links_sql` reads.
DOC_COLUMNS = ("doc_id", "doc_type", "references", "subject")
ENTITY_COLUMNS = ("doc_id", "doc_type", "entity_type", "normalized", "para_index", "char_start", "text")
TEXT_LINKS = pa.schema([("src", pa.string()), ("link_type", pa.string()), ("dst", pa.string()),
                        ("via", pa.string()), ("para_index", pa.int32()), ("pos", pa.int32())])


def build_derived(building: Path, tables: dict, names: set[str], tag: str) -> dict[str, list[dict]]:
    """Write tables `names` (`messages`, `links`) of the snapshot being built (`tables`: its
    manifest entries so far, every table of documents closed: an empty one has an empty file)
    into it; returns their manifest entries."""
    snap = Snapshot(0, building, {"tables": tables})
    out = {}
    with _duckdb() as con:
        con.execute(f"CREATE VIEW docs AS SELECT {_cols(DOC_COLUMNS + ('messages',))} "
                    f"FROM ({table_sql(snap, 'documents')})")
        con.execute("CREATE VIEW paragraphs AS SELECT doc_id, para_index, text FROM "
                    f"({table_sql(snap, 'paragraphs')}) WHERE doc_type = 'email'")
        con.execute(f"CREATE VIEW entities AS SELECT {_cols(ENTITY_COLUMNS)} FROM "
                    f"({table_sql(snap, 'entities')}) WHERE entity_type IN ('REFERENCE', 'PERSON', 'ORG')")
        for name in sorted(names):
            rel = f"{name}/part-{tag}-0.parquet"
            batches = _messages(con) if name == "messages" else _links(con)
            rows, size = write_batches(TABLES[name].arrow_schema, batches, building / rel)
            out[name] = [{"path": rel, "rows": rows, "bytes": size}]
    return out


def links_table(docs: pa.Table, entities: pa.Table, paragraphs: Iterable[tuple[str, int, str]]) -> pa.Table:
    """`links` of documents and entities in memory (columns `DOC_COLUMNS`, `ENTITY_COLUMNS`) and
    email paragraphs ((doc_id, para_index, text)): the query a commit runs."""
    with _duckdb() as con:
        con.register("docs", docs.select(list(DOC_COLUMNS)))
        con.register("entities", entities.select(list(ENTITY_COLUMNS)))
        con.register("paragraphs", pa.Table.from_pylist(
            [{"doc_id": d, "para_index": i, "text": t} for d, i, t in paragraphs],
            pa.schema([("doc_id", pa.string()), ("para_index", pa.int32()), ("text", pa.string())])))
        return pa.Table.from_batches(list(_links(con)), LINKS.arrow_schema)


def messages_table(docs: pa.Table) -> pa.Table:
    """`messages` of documents in memory (doc_id, doc_type, messages): the query a commit runs."""
    with _duckdb() as con:
        con.register("docs", docs.select(["doc_id", "doc_type", "messages"]))
        return pa.Table.from_batches(list(_messages(con)), MESSAGES.arrow_schema)


def _messages(con: duckdb.DuckDBPyConnection) -> Iterator[pa.RecordBatch]:
    """Batches of the `messages` table, sorted, from the connection's `docs`."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE copies AS {copies_sql('docs')}")
    n = con.sql("SELECT coalesce(max(node) + 1, 0) FROM copies").fetchall()[0][0]
    edges = con.sql(edges_sql("copies")).to_arrow_table()
    labels = components(n, edges.column("a").to_pylist(), edges.column("b").to_pylist())
    del edges
    con.register("labels", pa.table({"node": pa.array(range(n), pa.int64()), "comp": pa.array(labels, pa.int64())}))
    del labels
    for batch in con.sql(messages_sql("copies", "labels")).to_arrow_reader(ROW_GROUP_ROWS):
        yield batch.cast(MESSAGES.arrow_schema)


def _links(con: duckdb.DuckDBPyConnection) -> Iterator[pa.RecordBatch]:
    """Batches of the `links` table, sorted, from the connection's `docs`, `entities` and
    `paragraphs` (doc_id, para_index, text of the emails)."""
    subjects = dict(con.sql(subjects_sql("docs")).fetchall())
    con.register("text_links", _text_links_table(text_links(_email_paragraphs(con, bool(subjects)), subjects)))
    del subjects
    reader = con.sql(links_sql("docs", "entities", "text_links")).to_arrow_reader(ROW_GROUP_ROWS)
    for batch in reader:
        yield batch.cast(LINKS.arrow_schema)


def _email_paragraphs(con: duckdb.DuckDBPyConnection, every: bool) -> Iterator[tuple[str, int, str]]:
    """(doc_id, para_index, text) of the email paragraphs, a record batch at a time: all of them
    when subjects are looked for, else only those where a cable id could be."""
    where = "" if every else f" WHERE regexp_matches(text, '{ID_IN_TEXT_PREFILTER}')"
    for batch in con.sql(f"SELECT doc_id, para_index, text FROM paragraphs{where}").to_arrow_reader(16_384):
        yield from zip(*(batch.column(c).to_pylist() for c in ("doc_id", "para_index", "text")))


def _text_links_table(rows: Iterator[tuple]) -> pa.Table:
    chunks, chunk = [], []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROW_GROUP_ROWS:
            chunks.append(pa.Table.from_pylist([dict(zip(TEXT_LINKS.names, r)) for r in chunk], TEXT_LINKS))
            chunk = []
    chunks.append(pa.Table.from_pylist([dict(zip(TEXT_LINKS.names, r)) for r in chunk], TEXT_LINKS))
    return pa.concat_tables(chunks)


class _duckdb:
    """A DuckDB connection with a memory limit, a private spill directory and the functions that
    `transforms.links`' SQL calls. Results are read through `con.sql(...)`: with DuckDB 2.0,
    `execute(...).to_arrow_reader()` copies every row first, and an `execute(...)` result read
    with `fetchone()` leaves the connection busy for the next query."""

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.tmp = tempfile.TemporaryDirectory(prefix="pouch-links-")
        self.con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "temp_directory": self.tmp.name,
                                          "threads": max(2, os.cpu_count() or 1),
                                          "preserve_insertion_order": False})
        self.con.create_function("norm_subject", norm_subject, ["VARCHAR"], "VARCHAR")
        self.con.create_function("is_cable_id", is_cable_id, ["VARCHAR"], "BOOLEAN")
        return self.con

    def __exit__(self, *exc) -> None:
        self.con.close()
        self.tmp.cleanup()


def _cols(names: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in names)
