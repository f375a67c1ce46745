"""pouch for analysts: the warehouse as pandas DataFrames and SQL, without knowing its layout.

    import pouch
    cables = pouch.load("documents", filters={"doc_type": "cable", "year": [2004, 2005]})
    pouch.sql("SELECT doc_type, count(*) AS n FROM documents GROUP BY doc_type")

    wh = pouch.connect("warehouse")      # one snapshot for every read through `wh`
    docs, srcs = wh.load("documents"), wh.load("sources")

The warehouse is `POUCH_WAREHOUSE` or `./warehouse` unless given. Every `load`/`sql` call (or
every call through one `connect`) reads one committed snapshot, resolved once: a run committing
meanwhile changes nothing for it. Tables: documents, paragraphs, entities, sources, messages,
links, and ledger, quarantine, runs, files; SQL has the view `corpora` too (see `flows.sql`).
Dtypes are described in `flows.frames`; the implementation is `flows.reader`.
"""
from flows.reader import Warehouse, connect, load, sql, tables
from flows.sql import NoWarehouse

__all__ = ["NoWarehouse", "Warehouse", "connect", "load", "sql", "tables"]
