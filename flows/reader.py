"""Reading the warehouse for analysts: one committed snapshot as pandas DataFrames (`load`, with
filters on any column, `year` as an integer) or through DuckDB (`sql`). The public face is the
`pouch` package (`pouch.load`, `pouch.sql`, `pouch.connect`); `pouch sql` uses it too.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Self

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from transforms.schema import TABLES, UNKNOWN_YEAR

from .frames import to_pandas
from .sql import connect as _duckdb
from .sql import pin
from .warehouse.store import Snapshot, read_table

Filters = Mapping[str, Any] | Iterable[tuple[str, str, Any]] | None
_OPS = {"=": "__eq__", "==": "__eq__", "!=": "__ne__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


def _default_root() -> Path:
    return Path(os.environ.get("POUCH_WAREHOUSE", "warehouse"))


def _condition(table: str, column: str, op: str, value: Any) -> ds.Expression:
    """One filter term. `year` takes integers (it is stored as a partition string; None or NA is
    the `unknown` partition), compared as numbers."""
    if column not in TABLES[table].names:
        raise KeyError(f"{table} has no column {column!r}")
    field = ds.field(column)
    is_year = column == "year" and "year" in TABLES[table].partition_by
    if op in ("in", "not in"):
        values = [(UNKNOWN_YEAR if v is None or v is pd.NA else str(int(v))) if is_year else v for v in value]
        expr = field.isin(pa.array(values))
        return ~expr if op == "not in" else expr
    if op not in _OPS:
        raise ValueError(f"unknown filter operator {op!r} (use one of {', '.join([*_OPS, 'in', 'not in'])})")
    if is_year:
        if value is None or value is pd.NA:
            return getattr(field, _OPS[op])(UNKNOWN_YEAR)
        cond = getattr(field, _OPS[op])(f"{int(value):04d}")
        # four-digit strings compare as their numbers do; `unknown` is no number: only `!=` keeps it
        return cond if op == "!=" else cond & (field != UNKNOWN_YEAR)
    return getattr(field, _OPS[op])(value)


def _expression(table: str, filters: Filters) -> ds.Expression | None:
    if not filters:
        return None
    terms = []
    if isinstance(filters, Mapping):
        for column, value in filters.items():
            many = isinstance(value, list | tuple | set | frozenset)
            terms.append(_condition(table, column, "in" if many else "=", list(value) if many else value))
    else:
        terms = [_condition(table, c, op, v) for c, op, v in filters]
    expr = terms[0]
    for t in terms[1:]:
        expr = expr & t
    return expr


class Warehouse:
    """One committed snapshot of a warehouse, for pandas and SQL."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else _default_root()
        self.snapshot: Snapshot = pin(self.root)
        self._con = None

    def load(self, table: str, filters: Filters = None, columns: list[str] | None = None) -> pd.DataFrame:
        """A table as a DataFrame. `filters`: `{"doc_type": "cable", "year": [2004, 2005]}` (a list
        means any of), or `[("year", ">=", 2000), ("n_sources", ">", 1)]` (all must hold)."""
        if table not in TABLES:
            raise KeyError(f"no table {table!r}; tables: {', '.join(TABLES)}")
        data = read_table(self.snapshot, table, columns, _expression(table, filters))
        return to_pandas(data)

    def sql(self, query: str) -> pd.DataFrame:
        """A DuckDB query over the snapshot's tables (views), as a DataFrame."""
        return to_pandas(self.duckdb().sql(query).to_arrow_table())

    def duckdb(self):
        """The DuckDB connection with the views (made on first use)."""
        if self._con is None:
            self._con = _duckdb(self.snapshot)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(warehouse: Path | str | None = None) -> Warehouse:
    return Warehouse(warehouse)


def load(table: str, filters: Filters = None, columns: list[str] | None = None,
         warehouse: Path | str | None = None) -> pd.DataFrame:
    """`table` of the warehouse's current snapshot as a DataFrame (see `Warehouse.load`)."""
    return Warehouse(warehouse).load(table, filters, columns)


def sql(query: str, warehouse: Path | str | None = None) -> pd.DataFrame:
    """Run a DuckDB query over the warehouse's current snapshot (see `Warehouse.sql`)."""
    with Warehouse(warehouse) as wh:
        return wh.sql(query)


def tables() -> list[str]:
    return list(TABLES)
