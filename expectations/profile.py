"""Run statistics that the quality report shows: field coverage, entity counts, partitions."""
from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from transforms.schema import DOCUMENTS

#: Columns whose coverage is reported (filled = not null and not an empty list/string).
COVERAGE_SKIP = {"doc_id", "doc_type", "year", "text", "n_chars", "n_paragraphs", "parser_version", "run_id",
                 "source_path", "source_sha256", "source_format", "n_sources", "is_partial", "doc_kind"}


def coverage_counts(docs: pa.Table) -> dict[str, dict[str, int]]:
    """{doc_type: {column: documents with the column filled, "_n": documents}}."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if docs.num_rows == 0:
        return {}
    types = docs.column("doc_type")
    for dtype in pc.unique(types).to_pylist():
        sub = docs.filter(pc.equal(types, dtype))
        counts = out[dtype]
        counts["_n"] += sub.num_rows
        for col in DOCUMENTS.columns:
            if col.name in COVERAGE_SKIP or col.name not in sub.column_names:
                continue
            arr = sub.column(col.name)
            valid = pc.is_valid(arr)
            if pa.types.is_map(arr.type):
                # a map's entry count is its keys list's length (nulls are handled by `valid`)
                arr = pa.chunked_array([pa.ListArray.from_arrays(c.offsets, c.keys) for c in arr.chunks])
            if pa.types.is_list(arr.type):
                valid = pc.and_(valid, pc.greater(pc.fill_null(pc.list_value_length(arr), 0), 0))
            elif pa.types.is_string(arr.type):
                valid = pc.and_(valid, pc.greater(pc.fill_null(pc.utf8_length(arr), 0), 0))
            counts[col.name] += int(pc.sum(valid).as_py() or 0)
    return {k: dict(v) for k, v in out.items()}


def entity_counts(ents: pa.Table) -> dict[str, int]:
    if ents.num_rows == 0:
        return {}
    vc = pc.value_counts(ents.column("entity_type"))
    return {v["values"]: v["counts"] for v in vc.to_pylist()}


def partition_counts(table: pa.Table, columns=("doc_type", "year")) -> dict[str, int]:
    if table.num_rows == 0:
        return {}
    grouped = table.select(list(columns)).group_by(list(columns)).aggregate([([], "count_all")])
    return {"/".join(f"{c}={r[c]}" for c in columns): r["count_all"] for r in grouped.to_pylist()}


def merge_counts(into: dict, more: dict, sign: int = 1) -> dict:
    """Add (sign=-1: subtract) nested count dicts."""
    for k, v in more.items():
        if isinstance(v, dict):
            merge_counts(into.setdefault(k, {}), v, sign)
        else:
            into[k] = into.get(k, 0) + sign * v
    return into


def count(values) -> dict[str, int]:
    return dict(Counter(values))
