"""Copies of one document staged in one run (see `flows.warehouse.merge`).

The first copy of a doc_id in a run is staged under its id; every further copy as
`<doc_id>\\x00<n>`, so the paragraphs and entities of two copies never mix before the merge.
Small and dependency-free: the batch worker imports it.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: `<doc_id>\x00<n>`: a further copy of a document staged in one run (never committed).
COPY_SEP = "\x00"


def claimed(doc_id: str) -> str:
    """The id a staged copy claims (`D\\x003` -> `D`)."""
    return doc_id.split(COPY_SEP, 1)[0]


def copy_id(doc_id: str, n: int) -> str:
    return f"{claimed(doc_id)}{COPY_SEP}{n}"


def rename_ids(t: pa.Table, mapping: dict[str, str]) -> pa.Table:
    """`t` with the doc_ids in `mapping` replaced."""
    if not mapping or t.num_rows == 0:
        return t
    col = t.column("doc_id")
    idx = pc.index_in(col, value_set=pa.array(list(mapping), pa.string()))
    new = pc.if_else(pc.is_null(idx), col, pc.take(pa.array(list(mapping.values()), pa.string()), idx))
    i = t.schema.get_field_index("doc_id")
    return t.set_column(i, t.schema.field(i), new)
