"""Arrow rows -> typed records: the inverse of `transforms.tables.to_arrow`.

`pa.Table.to_pylist()` gives dicts; nested structs come back as dicts, maps as lists of
(key, value) pairs. `records(table, cls)` rebuilds the dataclasses of `transforms.records` from
them, nested ones included, so stages that read rows back (the merge reads staged documents) work
on the same typed records as the parsers.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

import pyarrow as pa


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if origin is dict:
        return dict(value)
    if dataclasses.is_dataclass(tp):
        return record(tp, value)
    return value


def record(cls: type, row: dict) -> Any:
    """One record of `cls` from a row dict; keys the row lacks take the field's default."""
    hints = _hints(cls)
    return cls(**{f.name: _convert(hints[f.name], row[f.name]) for f in dataclasses.fields(cls) if f.name in row})


def records(table: pa.Table, cls: type) -> list[Any]:
    return [record(cls, r) for r in table.to_pylist()]
