"""SQL over the warehouse: a DuckDB connection whose views are the tables of one snapshot.

Every table is a view over exactly the Parquet files that the snapshot's manifest lists, so a
query never mixes two commits, however long it runs (snapshots stay on disk for `KEEP_SNAPSHOTS`
commits). Partition columns come back as in `pouch.load`: `doc_type` a string, `year` an integer,
NULL for the `unknown` partition. Timestamps are shown in UTC. Besides the tables there is
`corpora`: per doc_type, how many documents and sources, the date range, and the share of
documents with each field filled (`<field>_filled`, 0..1).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from transforms.schema import TABLES, UNKNOWN_YEAR

from .warehouse.store import Layout, Snapshot, current_snapshot

#: Fields whose coverage `corpora` shows (the fields analysts filter on first).
CORPORA_FIELDS = ("date", "subject", "classification", "origin", "tags", "references", "signer",
                  "sender", "sent", "messages", "case_number")


class NoWarehouse(FileNotFoundError):
    """No committed snapshot at the given path."""


def pin(root: Path | str) -> Snapshot:
    """The warehouse's current snapshot, resolved once: everything read through it is one commit."""
    snap = current_snapshot(Layout(Path(root).absolute()))
    if snap is None:
        raise NoWarehouse(f"no committed warehouse at {root} (run `pouch ingest ... --warehouse {root}` first)")
    return snap


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def table_sql(snap: Snapshot, name: str) -> str:
    """SELECT over the files of one table of the snapshot, columns in schema order."""
    table = TABLES[name]
    files = [snap.path / f["path"] for f in snap.files(name)]
    cols = []
    for c in table.names:
        if c == "year" and "year" in table.partition_by:
            cols.append(f"TRY_CAST(NULLIF(year, '{UNKNOWN_YEAR}') AS INTEGER) AS year")
        else:
            cols.append(f'"{c}"')
    options = "union_by_name = true"
    if table.partition_by and not any(f.get("empty") for f in snap.files(name)):
        types = ", ".join(f"'{c}': 'VARCHAR'" for c in table.partition_by)
        options += f", hive_partitioning = true, hive_types = {{{types}}}"
    source = f"read_parquet([{', '.join(_quote(p) for p in files)}], {options})"
    return f"SELECT {', '.join(cols)} FROM {source}"


def _filled(column: str, sql_type: str) -> str:
    if sql_type == "list":
        return f"coalesce(len(\"{column}\"), 0) > 0"
    if sql_type == "string":
        return f"coalesce(\"{column}\", '') <> ''"
    return f"\"{column}\" IS NOT NULL"


def corpora_sql() -> str:
    docs = TABLES["documents"]
    shares = []
    for name in CORPORA_FIELDS:
        t = docs.column(name).type
        kind = "list" if str(t).startswith("list") else "string" if str(t) == "string" else "other"
        shares.append(f"round(avg(CASE WHEN {_filled(name, kind)} THEN 1 ELSE 0 END), 3) AS {name}_filled")
    return ("SELECT doc_type, count(*) AS documents, sum(n_sources) AS sources, "
            "count(*) FILTER (WHERE n_sources > 1) AS merged, min(doc_date) AS first_date, "
            "max(doc_date) AS last_date, count(*) FILTER (WHERE year IS NULL) AS unknown_year, "
            + ", ".join(shares) + " FROM documents GROUP BY doc_type ORDER BY doc_type")


def connect(snap: Snapshot) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of `snap`, and `corpora`."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name in TABLES:
        if snap.files(name):
            con.execute(f'CREATE VIEW "{name}" AS {table_sql(snap, name)}')
    con.execute(f"CREATE VIEW corpora AS {corpora_sql()}")
    return con


def render(df: pd.DataFrame, max_rows: int = 100, width: int = 60) -> str:
    """A result as plain text columns (the same on every terminal: the README shows it)."""
    if df.empty:
        return "(no rows)" if len(df.columns) else "(no result)"
    shown = df.head(max_rows).copy()
    for c in shown.columns:                   # SQL's word for a missing value, whatever the dtype
        missing = shown[c].isna()
        if missing.any():
            shown[c] = shown[c].astype(object).where(~missing, "NULL")
    text = shown.to_string(index=False, max_colwidth=width)
    more = len(df) - len(shown)
    return text + (f"\n({more} more rows: use --max-rows or --out)" if more > 0 else "")


def write(con: duckdb.DuckDBPyConnection, query: str, out: Path) -> int:
    """Write the query's result to a .csv or .parquet file; returns the row count."""
    fmt = {".csv": "csv", ".parquet": "parquet"}.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"--out must end in .csv or .parquet, not {out.name!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    body = query.strip().rstrip(";")
    con.execute(f"COPY ({body}) TO {_quote(out.absolute())} (FORMAT {fmt})")
    return con.execute(f"SELECT count(*) FROM ({body})").fetchone()[0]
