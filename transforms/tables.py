"""Typed records -> Arrow tables, column by column, following `transforms.schema`."""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from .schema import Table


def _plain(value: Any) -> Any:
    """Nested dataclasses -> dicts (Arrow builds structs from dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return list(value.items())   # Arrow map type takes (key, value) pairs
    return value


def _needs_plain(t: pa.DataType) -> bool:
    return pa.types.is_struct(t) or pa.types.is_map(t) or (
        (pa.types.is_list(t) or pa.types.is_large_list(t)) and _needs_plain(t.value_type))


def to_arrow(records: Sequence[Any], table: Table, *, with_partitions: bool = True) -> pa.Table:
    """Build an Arrow table for `table` from records whose attributes are the column names."""
    schema = table.arrow_schema if with_partitions else table.file_schema
    arrays = []
    for f in schema:
        values = [getattr(r, f.name) for r in records]
        if _needs_plain(f.type):
            values = [_plain(v) for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def empty(table: Table) -> pa.Table:
    return table.arrow_schema.empty_table()
