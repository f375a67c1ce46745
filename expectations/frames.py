"""Validation frames: the scalar columns of each table plus the helper columns that turn
cross-table rules into row-level ones (see `expectations.suites`)."""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS, Table

from .suites import REFERENCE_PATTERN

KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
        "entities": ["doc_id", "para_index", "char_start", "entity_type"]}


def _scalar_columns(table: Table, arrow: pa.Table) -> pd.DataFrame:
    names = [c.name for c in table.columns
             if not (pa.types.is_list(c.type) or pa.types.is_struct(c.type) or pa.types.is_map(c.type))
             and c.name in arrow.column_names]
    return arrow.select(names).to_pandas()


def documents_frame(docs: pa.Table, paras: pa.Table) -> pd.DataFrame:
    df = _scalar_columns(DOCUMENTS, docs)
    counts = pd.Series(paras.column("doc_id").to_pandas()).value_counts() if paras.num_rows else pd.Series(dtype="int64")
    df["paragraph_count"] = df["doc_id"].map(counts).fillna(0).astype("int64")
    df["n_paragraphs"] = df["n_paragraphs"].astype("int64")
    rx = re.compile(REFERENCE_PATTERN)
    refs = docs.column("references").to_pylist()
    df["references_well_formed"] = [all(rx.match(r) for r in (rs or ())) for rs in refs]
    years = df["year"].astype(str)
    date_years = pd.to_datetime(df["doc_date"]).dt.year
    df["year_matches_date"] = (years == "unknown") | date_years.isna() | (years == date_years.astype("Int64").astype(str))
    df["year_matches_date"] = df["year_matches_date"].astype(bool)
    return df


def paragraphs_frame(paras: pa.Table, docs: pa.Table) -> pd.DataFrame:
    df = _scalar_columns(PARAGRAPHS, paras)
    n_chars = dict(zip(docs.column("doc_id").to_pylist(), docs.column("n_chars").to_pylist()))
    doc_len = df["doc_id"].map(n_chars).astype("float64")
    df["doc_present"] = doc_len.notna()
    lengths = pc.utf8_length(paras.column("text")).to_pandas() if paras.num_rows else pd.Series(dtype="int64")
    df["offsets_in_document"] = ((df["char_end"] <= doc_len.fillna(-1)) &
                                 ((df["char_end"] - df["char_start"]) == lengths.values)).astype(bool)
    return df


def entities_frame(ents: pa.Table, paras: pa.Table) -> pd.DataFrame:
    df = _scalar_columns(ENTITIES, ents)
    keys = pd.MultiIndex.from_arrays([paras.column("doc_id").to_pandas(), paras.column("para_index").to_pandas()])
    para_len = pd.Series(pc.utf8_length(paras.column("text")).to_pandas().values if paras.num_rows else [],
                         index=keys, dtype="float64")
    para_len = para_len[~para_len.index.duplicated()]
    lookup = pd.MultiIndex.from_arrays([df["doc_id"], df["para_index"]])
    plen = para_len.reindex(lookup).to_numpy() if len(df) else []
    df["paragraph_present"] = ~pd.isna(plen) if len(df) else pd.Series(dtype=bool)
    lengths = pc.utf8_length(ents.column("text")).to_pandas() if ents.num_rows else pd.Series(dtype="int64")
    if len(df):
        df["offsets_in_paragraph"] = ((df["char_end"].to_numpy() <= pd.Series(plen).fillna(-1).to_numpy()) &
                                      ((df["char_end"] - df["char_start"]).to_numpy() == lengths.to_numpy()))
    else:
        df["offsets_in_paragraph"] = pd.Series(dtype=bool)
    return df
