"""Typed records -> Arrow tables, column by column, following `transforms.schema`.

A column's values are read with one `attrgetter` mapped over the records. Nested values (lists of
dataclasses, maps) go through a function built once per Arrow type: a struct from a dataclass
becomes a tuple in the struct's field order, a map from a dict its (key, value) pairs. Arrow reads
both as it reads dicts, and it is several times cheaper than walking `dataclasses.fields` for
every value.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

import pyarrow as pa

from .schema import Table


def _needs_plain(t: pa.DataType) -> bool:
    return pa.types.is_struct(t) or pa.types.is_map(t) or (
        (pa.types.is_list(t) or pa.types.is_large_list(t)) and _needs_plain(t.value_type))


def _identity(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=256)
def _converter(t: pa.DataType) -> Callable[[Any], Any]:
    """value -> what `pa.array(..., type=t)` takes, for nested types; the identity otherwise."""
    if not _needs_plain(t):
        return _identity
    if pa.types.is_struct(t):
        names = [t.field(i).name for i in range(t.num_fields)]
        subs = [_converter(t.field(i).type) for i in range(t.num_fields)]
        get = attrgetter(*names) if len(names) > 1 else (lambda v, g=attrgetter(names[0]): (g(v),))
        plain = all(s is _identity for s in subs)

        def struct(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dict):
                return list(value.items())
            try:
                got = get(value)
            except AttributeError:        # a record without one of the struct's fields: by name
                return {n: s(getattr(value, n, None)) for n, s in zip(names, subs)}
            return got if plain else tuple(s(x) for s, x in zip(subs, got))
        return struct
    if pa.types.is_map(t):
        sub = _converter(t.item_type)

        def mapping(value: Any) -> Any:
            if isinstance(value, dict):
                return [(k, sub(v)) for k, v in value.items()] if sub is not _identity else list(value.items())
            return value
        return mapping
    sub = _converter(t.value_type)

    def listing(value: Any) -> Any:
        return None if value is None else [sub(v) for v in value]
    return listing


def to_arrow(records: Sequence[Any], table: Table, *, with_partitions: bool = True) -> pa.Table:
    """Build an Arrow table for `table` from records whose attributes are the column names."""
    schema = table.arrow_schema if with_partitions else table.file_schema
    arrays = []
    for f in schema:
        values = list(map(attrgetter(f.name), records))
        conv = _converter(f.type)
        if conv is not _identity:
            values = [conv(v) for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def empty(table: Table) -> pa.Table:
    return table.arrow_schema.empty_table()
