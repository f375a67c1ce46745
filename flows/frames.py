"""Arrow tables -> pandas DataFrames with the dtypes an analyst expects.

- `year` (the partition column) is a nullable integer (`Int16`): the `unknown` partition is `<NA>`,
  never a guessed year; `doc_type` and every other string column are plain strings;
- lists are Python lists, structs dicts, maps dicts (not NumPy arrays or lists of pairs);
- integers that may be missing are pandas' nullable integers (`Int32`, ...), not floats;
- timestamps keep their time zone where the data has one (`documents.date` is UTC); `sent` is
  naive because an email header's time zone is unknown; calendar dates are `datetime64` at midnight.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

from transforms.schema import UNKNOWN_YEAR

_NULLABLE_INT = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                 pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
                 pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype()}


def _plain(value):
    """Arrow's Python values with maps as dicts, all the way down."""
    if isinstance(value, list):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return {k: _plain(v) for k, v in value}
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _nested(t: pa.DataType) -> bool:
    return pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t) or pa.types.is_map(t)


def _series(name: str, arr: pa.ChunkedArray, nullable: bool) -> pd.Series:
    t = arr.type
    if name == "year" and pa.types.is_string(t):
        values = [None if v in (None, UNKNOWN_YEAR) else int(v) for v in arr.to_pylist()]
        return pd.Series(values, dtype=pd.Int16Dtype(), name=name)
    if pa.types.is_map(t):
        return pd.Series([None if v is None else {k: _plain(x) for k, x in v} for v in arr.to_pylist()],
                         dtype=object, name=name)
    if _nested(t):
        return pd.Series([_plain(v) for v in arr.to_pylist()], dtype=object, name=name)
    if pa.types.is_integer(t) and (nullable or arr.null_count):
        return pd.Series(arr.to_pandas(types_mapper=_NULLABLE_INT.get), name=name)
    if pa.types.is_boolean(t) and arr.null_count:
        return pd.Series(arr.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get), name=name)
    if pa.types.is_date(t):
        return pd.Series(arr.to_pandas(date_as_object=False), name=name)
    return pd.Series(arr.to_pandas(), name=name)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """`table` as a DataFrame with the dtypes described in the module doc."""
    cols = {f.name: _series(f.name, table.column(f.name), f.nullable) for f in table.schema}
    return pd.DataFrame(cols, index=pd.RangeIndex(table.num_rows))
