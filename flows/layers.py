"""A batch's rows as Arrow tables, made as its documents are parsed, in layers of copies.

Copies of one doc_id in a batch (a WikiLeaks page and a cables.csv row of one cable) go to layers
of their own (first copies, second copies, ...): validation keys every check on doc_id. Each
layer's records become Arrow rows `chunk` documents at a time and are let go, so a batch never
holds all its documents as Python objects at once (1,000 generated documents: ~45 MB of records,
against ~20 MB of Arrow rows). What the batch still needs of a document afterwards, for the
ledger, is a `Parsed`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from transforms.records import LedgerEntry, ParsedDocument
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
from transforms.tables import to_arrow

#: Documents turned into Arrow rows at a time.
CHUNK = 100


@dataclass(slots=True)
class Parsed:
    """A parsed document once its rows are Arrow: enough to fill its file's ledger row."""
    doc_id: str
    source_path: str
    repairs: list[str]                    # kinds of the repairs made to its text
    entry: LedgerEntry                    # its file's ledger row
    kept: bool = False                    # passed validation


@dataclass
class LayeredTables:
    """Fed with parsed documents in batch order (`add`); gives each layer's three tables (`layers`)."""
    timed: Callable[[str, float], None] = lambda stage, seconds: None
    chunk: int = CHUNK
    _copies: dict[str, int] = field(default_factory=dict)
    _pending: list[list[ParsedDocument]] = field(default_factory=list)
    _done: list[list[tuple[pa.Table, pa.Table, pa.Table]]] = field(default_factory=list)
    _docs: list[list[Parsed]] = field(default_factory=list)

    def add(self, p: ParsedDocument, entry: LedgerEntry) -> Parsed:
        doc = p.document
        n = self._copies.get(doc.doc_id, 0)
        self._copies[doc.doc_id] = n + 1
        if n == len(self._pending):
            self._pending.append([])
            self._done.append([])
            self._docs.append([])
        kept = Parsed(doc.doc_id, doc.source_path, [r.kind for r in doc.repairs], entry)
        self._docs[n].append(kept)
        self._pending[n].append(p)
        if len(self._pending[n]) >= self.chunk:
            self._flush(n)
        return kept

    def _flush(self, n: int) -> None:
        layer = self._pending[n]
        if not layer:
            return
        t = time.perf_counter()
        self._done[n].append((to_arrow([p.document for p in layer], DOCUMENTS),
                              to_arrow([x for p in layer for x in p.paragraphs], PARAGRAPHS),
                              to_arrow([x for p in layer for x in p.entities], ENTITIES)))
        self._pending[n] = []
        self.timed("tables", time.perf_counter() - t)

    def layers(self) -> Iterator[tuple[int, list[Parsed], tuple[pa.Table, pa.Table, pa.Table]]]:
        """(layer number, its documents, its documents/paragraphs/entities tables), each layer's
        tables let go once handed out."""
        for n in range(len(self._pending)):
            self._flush(n)
            parts, self._done[n] = self._done[n], []
            # one chunk per column: validation (pandas, GX) runs ~25 % slower on chunked columns
            tables = tuple(pa.concat_tables([p[i] for p in parts]).combine_chunks() for i in range(3))
            del parts
            yield n, self._docs[n], tables
