"""Validation frames: the scalar columns of each table plus the helper columns that turn
cross-table rules into row-level ones (see `expectations.suites`), trimmed at the end to the
columns some rule reads and the key (`suites.columns_read`).

A helper column that explains a problem holds a short description of it, and null when the row is
fine (`offsets_problem`, `malformed_references`): the quarantine then shows what was wrong, not
just `False`.
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS, TABLES, UNKNOWN_YEAR, Table

from .suites import (
    HELPER_COLUMNS,
    NORMALIZED_PATTERNS,
    REFERENCE_PATTERN,
    columns_read,
    scalar_columns,
    type_label,
)

#: Columns that name a failing row in each table: the table key declared in the schema.
KEYS = {t.name: list(t.key) for t in (DOCUMENTS, PARAGRAPHS, ENTITIES)}
_REFERENCE = re.compile(REFERENCE_PATTERN)


def _scalars(table: Table, arrow: pa.Table) -> pd.DataFrame:
    return arrow.select([n for n in scalar_columns(table) if n in arrow.column_names]).to_pandas()


def _lengths(arrow: pa.Table, column: str = "text") -> list[int]:
    return pc.utf8_length(arrow.column(column)).to_pylist() if arrow.num_rows else []


def _malformed(refs: list[str] | None) -> str | None:
    bad = [r for r in refs or () if not _REFERENCE.match(r)]
    return "; ".join(bad)[:200] if bad else None


def _year_vs_date(year: str, date) -> str | None:
    if year == UNKNOWN_YEAR or date is None or pd.isna(date) or str(date.year) == year:
        return None
    return f"year {year}, doc_date {date}"


def _numbers_out_of_order(paras: pa.Table) -> dict[str, str]:
    """doc_id -> where its own paragraph numbers first fail to increase (`5 after 7 at para 4`)."""
    if paras.num_rows == 0:
        return {}
    df = paras.select(["doc_id", "para_index", "para_number"]).to_pandas().dropna(subset=["para_number"])
    df = df.sort_values(["doc_id", "para_index"], kind="stable")
    prev = df.groupby("doc_id", sort=False)["para_number"].shift()
    bad = df[prev.notna() & (df["para_number"] <= prev)]
    bad = bad.assign(prev=prev[bad.index]).drop_duplicates("doc_id")
    return {d: f"{int(n)} after {int(p)} at para {int(i)}"
            for d, n, p, i in zip(bad["doc_id"], bad["para_number"], bad["prev"], bad["para_index"])}


def _only(rows: pd.Series, values: pd.Series) -> pd.Series:
    """`values` where `rows` is true, null elsewhere (a statistical rule counts only its rows)."""
    return values.astype("object").where(rows, None)


def documents_frame(docs: pa.Table, paras: pa.Table) -> pd.DataFrame:
    df = _scalars(DOCUMENTS, docs)
    df["typed_doc_id"] = df["doc_type"].astype(str) + ":" + df["doc_id"].astype(str)
    counts = paras.column("doc_id").to_pandas().value_counts() if paras.num_rows else pd.Series(dtype="int64")
    df["paragraph_count"] = df["doc_id"].map(counts).fillna(0).astype("int64")
    df["text_length"] = pd.Series(_lengths(docs), index=df.index, dtype="int64")
    df["malformed_references"] = pd.Series([_malformed(r) for r in docs.column("references").to_pylist()],
                                           index=df.index, dtype="object")
    df["year_vs_date"] = pd.Series([_year_vs_date(y, d) for y, d in zip(df["year"], df["doc_date"])],
                                   index=df.index, dtype="object")
    cable, email = df["doc_type"] == "cable", df["doc_kind"] == "email"
    df["cable_has_subject"] = _only(cable, df["subject"].notna())
    df["cable_has_date"] = _only(cable, df["date"].notna())
    df["email_has_sent"] = _only(email, df["sent"].notna())
    df["paragraph_numbers_out_of_order"] = df["doc_id"].map(_numbers_out_of_order(paras)).astype("object")
    return df


def paragraphs_frame(paras: pa.Table, docs: pa.Table) -> pd.DataFrame:
    df = _scalars(PARAGRAPHS, paras)
    texts = dict(zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist()))
    keys = paras.column("doc_id").to_pylist()
    df["doc_present"] = pd.Series([k in texts for k in keys], index=df.index, dtype=bool)
    df["offsets_problem"] = pd.Series(_offsets_problems(texts, keys, paras, "document"), index=df.index, dtype="object")
    df["expected_para_id"] = df["doc_id"].astype(str) + "." + df["para_index"].astype(str)
    df["position"] = (df.groupby("doc_id")["para_index"].rank(method="first") - 1).astype("int64") if len(df) \
        else pd.Series(dtype="int64")
    return df


def _offsets_problems(outer: dict, keys: list, rows: pa.Table, what: str) -> list[str | None]:
    """For each row: why its `text` is not `outer[key][char_start:char_end]`, or None when it is
    (or when the containing row is missing: the presence rule reports that)."""
    out: list[str | None] = []
    for key, start, end, text in zip(keys, rows.column("char_start").to_pylist(), rows.column("char_end").to_pylist(),
                                     rows.column("text").to_pylist()):
        whole = outer.get(key)
        if whole is None or text is None or start is None or end is None or whole[start:end] == text:
            out.append(None)
        elif end > len(whole):
            out.append(f"char_end {end} is past the end of the {what} ({len(whole)} characters)")
        else:
            out.append(f"text differs from the {what}'s text[{start}:{end}]: {whole[start:end][:40]!r}")
    return out


def entities_frame(ents: pa.Table, paras: pa.Table) -> pd.DataFrame:
    df = _scalars(ENTITIES, ents)
    texts = dict(zip(zip(paras.column("doc_id").to_pylist(), paras.column("para_index").to_pylist()),
                     paras.column("text").to_pylist()))
    keys = list(zip(ents.column("doc_id").to_pylist(), ents.column("para_index").to_pylist()))
    df["paragraph_present"] = pd.Series([k in texts for k in keys], index=df.index, dtype=bool)
    df["offsets_problem"] = pd.Series(_offsets_problems(texts, keys, ents, "paragraph"), index=df.index, dtype="object")
    # `<type>:<normalized>` (or `<type>/<subtype>:...`) for the types that have a canonical form
    typed = pd.Series(None, index=df.index, dtype="object")
    for etype, subtype in NORMALIZED_PATTERNS:
        rows = (df["entity_type"] == etype) & ((df["subtype"] == subtype) if subtype else True)
        typed[rows] = type_label(etype, subtype) + ":" + df.loc[rows, "normalized"].astype(str)
    df["typed_normalized"] = typed
    return df


def frames(docs: pa.Table, paras: pa.Table, ents: pa.Table) -> dict[str, pd.DataFrame]:
    """The three validation frames of a batch, columns as the suites expect them: those some rule
    reads, and the key. The others (a cable's subject, signer ...) served the helper columns at
    most; GX copies every column of a frame for each rule that filters its rows, so they go
    (documents: 38 columns -> 27, ~12 % of that suite's time)."""
    out = {"documents": documents_frame(docs, paras), "paragraphs": paragraphs_frame(paras, docs),
           "entities": entities_frame(ents, paras)}
    for name, df in out.items():
        missing = [c for c in HELPER_COLUMNS[name] if c not in df.columns]
        assert not missing, f"{name} frame lacks {missing}"
    # a column missing from the batch stays missing: its rules then refuse the batch as a whole
    return {name: df[[c for c in columns_read(TABLES[name]) if c in df.columns]] for name, df in out.items()}
