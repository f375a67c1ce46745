"""Run the suites on a batch, name the failing rows, and split clean rows from quarantined ones.

A document fails as a whole: when any of its rows (document, paragraph or entity) fails an
expectation, the document, its paragraphs and its entities all stay out of the clean tables (no
orphans), and every failing row is written to quarantine with the expectation and the value seen.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from transforms.records import QuarantineEntry

from .frames import KEYS, documents_frame, entities_frame, paragraphs_frame
from .suites import suites

logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass(slots=True)
class ExpectationStat:
    suite: str
    expectation: str
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int


@dataclass(slots=True)
class ValidationOutcome:
    documents: pa.Table
    paragraphs: pa.Table
    entities: pa.Table
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    bad_doc_ids: set[str] = field(default_factory=set)
    stats: list[ExpectationStat] = field(default_factory=list)


@functools.cache
def _batch_definition(table: str):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    source = ctx.data_sources.add_pandas(f"pouch_{table}")
    asset = source.add_dataframe_asset(table)
    return asset.add_batch_definition_whole_dataframe(f"{table}_batch")


def _describe(cfg: dict) -> tuple[str, str | None]:
    kwargs = cfg.get("kwargs", {})
    column = kwargs.get("column") or (
        f"{kwargs['column_A']},{kwargs['column_B']}" if "column_A" in kwargs else
        ",".join(kwargs["column_list"]) if "column_list" in kwargs else None)
    return cfg.get("type", "expectation"), column


def run_suite(table: str, frame, run_id: str, source_of: dict[str, str]) -> tuple[list[QuarantineEntry], list[ExpectationStat]]:
    if frame is None or len(frame) == 0:
        return [], []
    batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": frame})
    keys = KEYS[table]
    result = batch.validate(suites()[table], result_format={
        "result_format": "COMPLETE", "unexpected_index_column_names": keys,
        "partial_unexpected_count": 0, "include_unexpected_rows": False})
    entries: list[QuarantineEntry] = []
    stats: list[ExpectationStat] = []
    for r in result.results:
        cfg = r.expectation_config.to_json_dict()
        etype, column = _describe(cfg)
        res = r.result or {}
        unexpected = res.get("unexpected_index_list") or []
        stats.append(ExpectationStat(table, etype, column, bool(r.success), int(res.get("element_count") or len(frame)),
                                     int(res.get("unexpected_count") or len(unexpected))))
        if r.success:
            continue
        if not unexpected and r.exception_info and r.exception_info.get("raised_exception"):
            msg = str(r.exception_info.get("exception_message", ""))[:200]
            entries.append(QuarantineEntry(run_id, table, "*", "validate", etype, f"expectation could not run: {msg}",
                                           column=column))
            continue
        for row in unexpected:
            doc_id = str(row.get("doc_id"))
            key = ".".join(str(row.get(k)) for k in keys)
            observed = {k: v for k, v in row.items() if k not in keys}
            observed_s = str(next(iter(observed.values()))) if len(observed) == 1 else str(observed) if observed else None
            entries.append(QuarantineEntry(
                run_id, table, key, "validate", etype,
                f"{table} row {key} fails {etype}" + (f" on {column}" if column else "")
                + (f": saw {observed_s[:80]!s}" if observed_s else ""),
                doc_id=doc_id, source_path=source_of.get(doc_id), column=column,
                observed=observed_s[:200] if observed_s else None))
    return entries, stats


def _drop(table: pa.Table, bad: set[str]) -> pa.Table:
    if not bad or table.num_rows == 0:
        return table
    mask = pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(bad), pa.string())))
    return table.filter(mask)


def validate_batch(docs: pa.Table, paras: pa.Table, ents: pa.Table, run_id: str) -> ValidationOutcome:
    """Validate one batch of the three tables; returns clean tables, quarantine rows and stats."""
    if docs.num_rows == 0 and paras.num_rows == 0 and ents.num_rows == 0:
        return ValidationOutcome(docs, paras, ents)
    source_of = dict(zip(docs.column("doc_id").to_pylist(), docs.column("source_path").to_pylist()))
    frames = {
        "documents": documents_frame(docs, paras),
        "paragraphs": paragraphs_frame(paras, docs),
        "entities": entities_frame(ents, paras),
    }
    out = ValidationOutcome(docs, paras, ents)
    for name, frame in frames.items():
        entries, stats = run_suite(name, frame, run_id, source_of)
        out.quarantine.extend(entries)
        out.stats.extend(stats)
    out.bad_doc_ids = {q.doc_id for q in out.quarantine if q.doc_id and q.doc_id != "None"}
    if any(q.key == "*" for q in out.quarantine):      # an expectation that could not run: nothing is trusted
        out.bad_doc_ids |= set(source_of)
    out.documents, out.paragraphs, out.entities = (_drop(t, out.bad_doc_ids) for t in (docs, paras, ents))
    return out
