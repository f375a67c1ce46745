"""Run the suites on a batch, name the failing rows, and split clean rows from quarantined ones.

A document fails as a whole: when any of its rows (document, paragraph or entity) fails a
critical expectation, the document, its paragraphs and its entities all stay out of the clean
tables (no orphans), and every failing row is written to quarantine with the rule, the column and
the value seen. Statistical rules (severity `warning`, see `expectations.suites`) only count:
their failing rows are kept and named in the run summary as examples. A check that fails for the
whole batch (a column missing, an expectation that raised) keeps the whole batch out: nothing in it
can be trusted.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from transforms.records import QuarantineEntry
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS

from .frames import KEYS, frames
from .suites import TYPES_RULE, rule_of, suites, type_problems

logging.getLogger("great_expectations").setLevel(logging.ERROR)

#: Failing keys kept per expectation and batch as examples for the report.
EXAMPLES = 5
#: Key of a quarantine row that stands for the whole batch.
WHOLE_BATCH = "*"


@dataclass(slots=True)
class ExpectationStat:
    suite: str
    expectation: str            # the rule name (unique in its suite)
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int
    examples: list[str] = field(default_factory=list)
    severity: str = "critical"


@dataclass(slots=True)
class ValidationOutcome:
    documents: pa.Table
    paragraphs: pa.Table
    entities: pa.Table
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    bad_doc_ids: set[str] = field(default_factory=set)
    stats: list[ExpectationStat] = field(default_factory=list)


#: Expectation -> its configuration, for the duration of one `batch.validate` (see `_config_memo`)
_CONFIG_MEMO: contextvars.ContextVar[dict[int, tuple] | None] = contextvars.ContextVar("pouch_gx_config_memo",
                                                                                     default=None)


@functools.cache
def _memoize_configurations() -> None:
    """GX 1.24 rebuilds an expectation's `configuration` (a pydantic `dict()` and a new
    ExpectationConfiguration) every time it is read, some 70 times per expectation and batch:
    about a third of the fixed cost of validating a batch. Inside `_config_memo` the property
    returns the first one built for that expectation object; outside it (any other GX use) it
    behaves as before. The configuration is derived from the expectation's fields, which
    validation does not change. Installed once, for the pinned GX version only."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation
    original = Expectation.__dict__.get("configuration")
    if gx.__version__ != "1.24.1" or not isinstance(original, property):
        return

    def configuration(self):
        memo = _CONFIG_MEMO.get()
        if memo is None:
            return original.fget(self)
        hit = memo.get(id(self))
        if hit is None or hit[0] is not self:      # the object is held, so its id is not reused
            hit = memo[id(self)] = (self, original.fget(self))
        return hit[1]

    Expectation.configuration = property(configuration, doc=original.__doc__)


@functools.cache
def _skip_fingerprints() -> None:
    """GX 1.24 fingerprints every data frame it is handed (pandas' hash of every cell, then md5)
    for a batch marker that pouch never reads: ~0.08 s of CPU a batch of 1,000 documents, ~2 % of
    a worker's time. It skips frames of `HASH_THRESHOLD` bytes or more; a threshold of 0 skips
    them all. Set once, for the pinned GX version only."""
    import great_expectations as gx
    from great_expectations.execution_engine import pandas_execution_engine
    if gx.__version__ == "1.24.1" and hasattr(pandas_execution_engine, "HASH_THRESHOLD"):
        pandas_execution_engine.HASH_THRESHOLD = 0


@contextlib.contextmanager
def _config_memo():
    _memoize_configurations()
    token = _CONFIG_MEMO.set({})
    try:
        yield
    finally:
        _CONFIG_MEMO.reset(token)


@functools.cache
def _batch_definition(table: str):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    # GX pins this child logger to INFO ("Created temporary directory ... for ephemeral docs site")
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    _skip_fingerprints()
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_pandas(f"pouch_{table}")
    asset = source.add_dataframe_asset(table)
    return asset.add_batch_definition_whole_dataframe(f"{table}_batch")


def checked_column(kwargs: dict) -> str | None:
    """The column(s) an expectation checks, as one string."""
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if "column_list" in kwargs:
        return ",".join(kwargs["column_list"])
    return None


def observed_value(row: dict, kwargs: dict) -> str | None:
    """What the failing row holds in the checked column(s): `saw` in the quarantine."""
    if "column" in kwargs:
        value = row.get(kwargs["column"])
        return None if value is None else str(value)
    if "column_A" in kwargs:
        return ", ".join(f"{c}={row.get(c)}" for c in (kwargs["column_A"], kwargs["column_B"]))
    return None


def _one_line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _forget(batch) -> None:
    """GX's execution engine keeps the last batch it loaded (the whole frame) until the next one
    replaces it: in a worker, the previous batch's frames (~30 MB for 1,000 documents) stayed alive
    between batches and next to the new ones while those were validated. Let them go now."""
    manager = batch.data.execution_engine.batch_manager
    manager.batch_data_cache.clear()
    manager.reset_batch_cache()


def run_suite(table: str, frame, run_id: str, source_of: dict[str, str]) -> tuple[list[QuarantineEntry], list[ExpectationStat]]:
    if frame is None or len(frame) == 0:
        return [], []
    batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": frame})
    keys = KEYS[table]
    try:
        with _config_memo():
            result = batch.validate(suites()[table], result_format={
                "result_format": "COMPLETE", "unexpected_index_column_names": keys,
                "partial_unexpected_count": 0, "include_unexpected_rows": False})
    finally:
        _forget(batch)
    entries: list[QuarantineEntry] = []
    stats: list[ExpectationStat] = []
    for r in result.results:
        cfg = r.expectation_config.to_json_dict()
        rule, kwargs = rule_of(cfg), cfg.get("kwargs", {})
        message = (cfg.get("meta") or {}).get("message") or rule
        severity = str(cfg.get("severity") or "critical")
        column = checked_column(kwargs)
        res = r.result or {}
        unexpected = res.get("unexpected_index_list") or []
        # rows the rule looked at: nulls are skipped by every check but not-null (and by `mostly`)
        checked = int(res.get("element_count") or len(frame)) - int(res.get("missing_count") or 0)
        stat = ExpectationStat(table, rule, column, bool(r.success), checked,
                               int(res.get("unexpected_count") or len(unexpected) or (0 if r.success else 1)),
                               [".".join(str(row.get(k)) for k in keys) for row in unexpected[:EXAMPLES]], severity)
        stats.append(stat)
        if r.success or severity != "critical":
            continue
        if not unexpected:              # a table-level check failed, or the expectation raised
            info = r.exception_info or {}
            why = (f"could not run: {info.get('exception_message')}" if info.get("raised_exception")
                   else f"saw {res.get('observed_value')}")
            entries.append(QuarantineEntry(run_id, table, WHOLE_BATCH, "validate", rule,
                                           _one_line(f"{message} ({why}); the whole batch is refused", 300),
                                           column=column, observed=_one_line(why, 200)))
            continue
        for row in unexpected:
            doc_id = row.get("doc_id")
            key = ".".join(str(row.get(k)) for k in keys)
            seen = observed_value(row, kwargs)
            entries.append(QuarantineEntry(
                run_id, table, key, "validate", rule,
                _one_line(f"{table} {key}: {message}" + (f" (saw {seen})" if seen is not None else ""), 300),
                doc_id=None if doc_id is None else str(doc_id), source_path=source_of.get(doc_id), column=column,
                observed=None if seen is None else seen[:200]))
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
    out = ValidationOutcome(docs, paras, ents)
    for table, arrow in ((DOCUMENTS, docs), (PARAGRAPHS, paras), (ENTITIES, ents)):
        problems = type_problems(table, arrow)
        out.stats.append(ExpectationStat(table.name, TYPES_RULE, None, not problems, len(table.columns), len(problems),
                                         problems[:EXAMPLES]))
        if problems:
            why = _one_line("; ".join(problems), 200)
            out.quarantine.append(QuarantineEntry(run_id, table.name, WHOLE_BATCH, "validate", TYPES_RULE,
                                                  _one_line(f"column types differ from the schema ({why}); "
                                                            "the whole batch is refused", 300), observed=why))
    for name, frame in frames(docs, paras, ents).items():
        entries, stats = run_suite(name, frame, run_id, source_of)
        out.quarantine.extend(entries)
        out.stats.extend(stats)
    out.bad_doc_ids = {q.doc_id for q in out.quarantine if q.doc_id}
    if any(q.key == WHOLE_BATCH for q in out.quarantine):
        out.bad_doc_ids |= set(source_of)
    out.documents, out.paragraphs, out.entities = (_drop(t, out.bad_doc_ids) for t in (docs, paras, ents))
    return out


def refusal_reasons(entries: list[QuarantineEntry]) -> dict[tuple[str, str | None], str]:
    """(doc_id, source_path) -> one line saying why the document was kept out: the first failing
    row's reason, then the other rules it broke (the ledger's `error`)."""
    first: dict[tuple[str, str | None], str] = {}
    others: dict[tuple[str, str | None], list[str]] = {}
    for q in entries:
        if not q.doc_id:
            continue
        key = (q.doc_id, q.source_path)
        if key not in first:
            first[key], others[key] = q.reason, []
        elif q.expectation not in others[key] and q.expectation not in first[key]:
            others[key].append(q.expectation)
    return {k: _one_line(v + (f"; also {', '.join(others[k])}" if others[k] else ""), 300) for k, v in first.items()}


def batch_refusal(entries: list[QuarantineEntry]) -> str | None:
    """The reason of a check that refused the whole batch, if one did."""
    return next((q.reason for q in entries if q.key == WHOLE_BATCH), None)
