"""The `ingest` Prefect flow: discover -> plan -> process batches -> commit -> report.

Each batch task runs the stage functions of `flows.batch` (read+decode, parse, paragraphs,
entities, validate) on hundreds of files at once, in a worker process; the flow process writes
the clean rows to staging as batches finish and commits once at the end. Why the stages are
functions inside one batch task rather than a Prefect task each: a task runs in the process that
holds its inputs, so a task per stage would ship every batch's records between processes five
times; measured here, a Prefect task in a process pool costs ~90 ms and a nested one ~5 ms,
while the stages of a 1,000-document batch take seconds. Stage times are reported per run
(summary, report, Prefect artifact) instead.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import multiprocessing as mp
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from expectations import profile
from transforms.records import LedgerEntry, QuarantineEntry
from transforms.schema import DOCUMENTS, ENTITIES, LEDGER, PARAGRAPHS, QUARANTINE, RUNS
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from .batch import STAGES, BatchResult, WorkItem, run_batch
from .config import Limits, Settings
from .discover import FileRef, discover
from .warehouse.commit import StagedRun, commit
from .warehouse.lock import writer_lock
from .warehouse.store import Layout, current_snapshot, read_table, recover
from .warehouse.writer import StagingWriter


class QualityGateFailed(RuntimeError):
    """Too many documents failed validation: nothing was committed."""


@dataclass
class Plan:
    items: list[WorkItem]
    ledger: list[LedgerEntry]                      # rows decided without reading (errors, skips, deletions)
    previous: dict[str, dict]                      # path -> latest ledger row of the last snapshot
    existing_sources: dict[str, str]               # doc_id -> source_path of the current documents
    delete_doc_ids: set[str] = field(default_factory=set)


# ------------------------------------------------------------------------------------------------
# tasks
# ------------------------------------------------------------------------------------------------
@task(name="discover", retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def discover_files(sources: list[str]) -> list[FileRef]:
    return discover([Path(s) for s in sources])


def _previous_ledger(snapshot) -> dict[str, dict]:
    led = read_table(snapshot, "ledger", columns=["run_id", "path", "parent", "sha256", "status", "doc_ids",
                                                  "parser_version", "error", "format", "bytes"])
    latest: dict[str, dict] = {}
    for row in led.sort_by("run_id").to_pylist():
        latest[row["path"]] = row
    return latest


@task(name="plan", cache_policy=NO_CACHE)
def plan_run(files: list[FileRef], settings: Settings) -> Plan:
    """Decide what to read: unchanged files are skipped by content hash (checked in the batch),
    deleted files are reported (and their documents removed with --prune)."""
    layout = Layout(settings.warehouse)
    snap = current_snapshot(layout)
    previous = _previous_ledger(snap)
    docs = read_table(snap, "documents", columns=["doc_id", "source_path"])
    existing = dict(zip(docs.column("doc_id").to_pylist(), docs.column("source_path").to_pylist()))
    items: list[WorkItem] = []
    ledger: list[LedgerEntry] = []
    seen = set()
    for f in files:
        seen.add(f.path)
        if f.error:
            ledger.append(LedgerEntry(settings.run_id, f.path, f.size, "unknown", "failed", PARSER_VERSION, error=f.error))
        elif f.skip:
            ledger.append(LedgerEntry(settings.run_id, f.path, f.size, "unknown", "skipped", PARSER_VERSION, error=f.skip))
        else:
            prev = previous.get(f.path)
            known = None
            if (prev and not settings.full_refresh and prev["parser_version"] == PARSER_VERSION
                    and prev["status"] in ("loaded", "unchanged")):
                known = prev["sha256"]
            items.append(WorkItem(f.path, f.size, known))
    plan = Plan(items, ledger, previous, existing)
    roots = [Path(s).absolute().as_posix() for s in settings.sources]
    for path, prev in previous.items():
        if path in seen or prev["parent"] or prev["status"] == "deleted":
            continue
        if not any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots):
            continue
        ids = list(prev["doc_ids"] or []) + [d for p in previous.values() if p["parent"] == path for d in p["doc_ids"] or []]
        ledger.append(LedgerEntry(settings.run_id, path, prev["bytes"] or 0, prev["format"] or "unknown", "deleted",
                                  PARSER_VERSION, sha256=prev["sha256"],
                                  error="source file no longer exists" + ("; its documents were removed (--prune)"
                                                                          if settings.prune else "; documents kept (use --prune)"),
                                  doc_ids=[] if settings.prune else ids, n_docs=0 if settings.prune else len(ids)))
        if settings.prune:
            plan.delete_doc_ids.update(ids)
    return plan


_POOLS: dict[str, cf.Executor] = {}


@task(name="process-batch", cache_policy=NO_CACHE, task_run_name="batch-{index}")
def process_batch(index: int, items: list[WorkItem], run_id: str, limits: Limits, pool_key: str | None) -> BatchResult:
    """read+decode -> parse -> paragraphs -> entities -> validate, for one batch of files."""
    pool = _POOLS.get(pool_key) if pool_key else None
    if pool is None:
        return run_batch(items, run_id, limits)
    return pool.submit(run_batch, items, run_id, limits).result()


def _make_pool(workers: int) -> cf.Executor:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["flows.batch"])
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _batches(items: list[WorkItem], max_files: int, max_bytes: int) -> list[list[WorkItem]]:
    out: list[list[WorkItem]] = []
    cur: list[WorkItem] = []
    size = 0
    for it in items:
        if cur and (len(cur) >= max_files or size + it.size > max_bytes):
            out.append(cur)
            cur, size = [], 0
        cur.append(it)
        size += it.size
    if cur:
        out.append(cur)
    return out


class _Accumulator:
    """Everything the flow process gathers from finished batches, written to staging as it comes."""

    def __init__(self, settings: Settings, plan: Plan, staging: Path) -> None:
        self.settings = settings
        self.plan = plan
        self.run_id = settings.run_id
        self.writers = {t.name: StagingWriter(t, staging / t.name, self.run_id)
                        for t in (DOCUMENTS, PARAGRAPHS, ENTITIES, LEDGER, QUARANTINE, RUNS)}
        self.seen: dict[str, str] = {}
        self.ledger_status: dict[str, int] = defaultdict(int)
        self.ledger_by_format: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.stage_seconds = {s: 0.0 for s in STAGES}
        self.slowest: dict[str, list] = defaultdict(list)
        self.expectations: dict[tuple, list[int]] = {}
        self.coverage: dict = {}
        self.entities: dict = {}
        self.partitions: dict = {"documents": {}, "paragraphs": {}, "entities": {}}
        self.repairs: dict = {}
        self.quarantine_rows = 0
        self.quarantine_reasons: dict[str, list] = {}
        self.docs_written = 0
        self.docs_refused = 0
        self.input_bytes = 0
        self.changed_paths: set[str] = set()
        self.run_docs: dict[str, str] = {}

    def add_ledger(self, entries: list[LedgerEntry]) -> None:
        for e in entries:
            prev = self.plan.previous.get(e.path)
            if e.status == "unchanged" and prev:
                e.doc_ids, e.n_docs, e.format = list(prev["doc_ids"] or []), len(prev["doc_ids"] or []), prev["format"]
                if e.format == "zip":      # the members of an unchanged archive are unchanged too
                    members = [LedgerEntry(self.run_id, p, r["bytes"] or 0, r["format"], "unchanged", PARSER_VERSION,
                                           e.path, r["sha256"], r["error"], list(r["doc_ids"] or []),
                                           len(r["doc_ids"] or [])) for p, r in self.plan.previous.items()
                               if r["parent"] == e.path and r["status"] != "deleted"]
                    self.add_ledger(members)
            elif prev and e.status != "deleted":
                self.changed_paths.add(e.path)
            self.ledger_status[e.status] += 1
            self.ledger_by_format[e.format][e.status] += 1
        self.writers["ledger"].write(to_arrow(entries, LEDGER))

    def add_quarantine(self, entries: list[QuarantineEntry]) -> None:
        if not entries:
            return
        self.quarantine_rows += len(entries)
        for q in entries:
            bucket = self.quarantine_reasons.setdefault(q.expectation, [0, []])
            bucket[0] += 1
            if len(bucket[1]) < 5:
                bucket[1].append(q.key)
        self.writers["quarantine"].write(to_arrow(entries, QUARANTINE))

    def add_batch(self, r: BatchResult) -> None:
        docs, paras, ents = r.documents, r.paragraphs, r.entities
        # the same doc_id from two batches of this run: the first one stays
        ids = docs.column("doc_id").to_pylist()
        paths = docs.column("source_path").to_pylist()
        dup = [i for i, d in enumerate(ids) if d in self.seen]
        extra_q: list[QuarantineEntry] = []
        if dup:
            drop = pa.array([ids[i] for i in dup], pa.string())
            docs, paras, ents = (t.filter(pc.invert(pc.is_in(t.column("doc_id"), value_set=drop)))
                                 for t in (docs, paras, ents))
            by_path = {e.path: e for e in r.ledger}
            for i in dup:
                msg = f"duplicate doc_id {ids[i]}: already loaded from {self.seen[ids[i]]} in this run"
                extra_q.append(QuarantineEntry(self.run_id, "documents", ids[i], "commit", "unique_doc_id", msg,
                                               doc_id=ids[i], source_path=paths[i], column="doc_id", observed=ids[i]))
                e = by_path.get(paths[i].split("#row")[0])
                if e is not None and ids[i] in e.doc_ids:
                    e.doc_ids.remove(ids[i])
                    e.n_docs = len(e.doc_ids)
                    e.error = e.error or msg
                    if not e.doc_ids:
                        e.status = "quarantined"
        for d, p in zip(docs.column("doc_id").to_pylist(), docs.column("source_path").to_pylist()):
            self.seen[d] = p
        self.add_ledger(r.ledger)
        self.add_quarantine(r.quarantine + extra_q)
        self.docs_refused += len({q.doc_id for q in r.quarantine + extra_q if q.doc_id})
        self.writers["documents"].write(docs)
        self.writers["paragraphs"].write(paras)
        self.writers["entities"].write(ents)
        self.docs_written += docs.num_rows
        self.input_bytes += r.input_bytes
        for s, v in r.stage_seconds.items():
            self.stage_seconds[s] = self.stage_seconds.get(s, 0.0) + v
        for s, v in r.slowest.items():
            self.slowest[s] = sorted(self.slowest[s] + [list(x) for x in v], reverse=True)[:5]
        for st in r.stats:
            acc = self.expectations.setdefault((st.suite, st.expectation, st.column), [0, 0, 0])
            acc[0] += st.element_count
            acc[1] += st.unexpected_count
            acc[2] += 0 if st.success else 1
        profile.merge_counts(self.coverage, profile.coverage_counts(docs))
        profile.merge_counts(self.entities, profile.entity_counts(ents))
        for name, t in (("documents", docs), ("paragraphs", paras), ("entities", ents)):
            profile.merge_counts(self.partitions[name], profile.partition_counts(t))
        profile.merge_counts(self.repairs, r.repairs)


@task(name="commit", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=2)
def commit_run(acc: _Accumulator, layout: Layout, staging: Path, runs_row: dict) -> dict:
    acc.writers["runs"].write(to_arrow([_Row(runs_row)], RUNS))
    files = {name: w.close() for name, w in acc.writers.items()}
    delete = set(acc.plan.delete_doc_ids)
    for path in acc.changed_paths:
        prev = acc.plan.previous.get(path)
        if prev:
            delete.update(prev["doc_ids"] or [])
            delete.update(d for p in acc.plan.previous.values() if p["parent"] == path for d in p["doc_ids"] or [])
    snap = commit(layout, StagedRun(acc.run_id, staging, files, delete))
    return {"snapshot": snap.id, "path": str(snap.path),
            "rows": {k: v["rows"] for k, v in snap.manifest["tables"].items()}}


class _Row:
    """Attribute access over a dict, for `to_arrow`."""

    def __init__(self, d: dict) -> None:
        self.__dict__.update(d)


@task(name="report", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=2)
def write_report(layout: Layout, run_id: str) -> str | None:
    from .report import build_report
    return str(build_report(layout, run_id))


# ------------------------------------------------------------------------------------------------
# the flow
# ------------------------------------------------------------------------------------------------
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 2), validate_parameters=False)
def ingest(sources: list[str], warehouse: str = "warehouse", full_refresh: bool = False, prune: bool = False,
           workers: int | None = None, batch_files: int = 1000, wait_seconds: float = 0.0,
           write_report_html: bool = True, quarantine_threshold: float = 0.5) -> dict:
    """Ingest files, folders and .zip archives into the warehouse; returns the run summary."""
    settings = Settings(warehouse=Path(warehouse).absolute(), sources=tuple(Path(s) for s in sources),
                        workers=workers or os.cpu_count() or 1, batch_files=batch_files, full_refresh=full_refresh,
                        prune=prune, quarantine_threshold=quarantine_threshold, write_report=write_report_html)
    return run_ingest(settings, wait_seconds)


def run_ingest(settings: Settings, wait_seconds: float = 0.0) -> dict:
    log = get_run_logger()
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    layout = Layout(settings.warehouse)
    layout.ensure()
    with writer_lock(layout.lock_file, settings.run_id, wait_seconds):
        recover(layout)
        files = discover_files(sources=[str(s) for s in settings.sources])
        plan = plan_run(files, settings)
        staging = layout.staging / settings.run_id
        acc = _Accumulator(settings, plan, staging)
        acc.add_ledger(plan.ledger)
        batches = _batches(plan.items, settings.batch_files, settings.batch_bytes)
        pool_key = None
        if settings.workers > 1 and len(batches) > 1:
            pool_key = settings.run_id
            _POOLS[pool_key] = _make_pool(min(settings.workers, len(batches)))
        try:
            window = max(2, 2 * settings.workers)
            pending = []
            for i, b in enumerate(batches):
                pending.append(process_batch.submit(i, b, settings.run_id, settings.limits, pool_key))
                if len(pending) >= window:
                    acc.add_batch(pending.pop(0).result())
            for fut in pending:
                acc.add_batch(fut.result())
        finally:
            if pool_key:
                _POOLS.pop(pool_key).shutdown(wait=True, cancel_futures=True)
        parsed = acc.docs_written + acc.docs_refused
        if parsed and acc.docs_refused / parsed > settings.quarantine_threshold:
            raise QualityGateFailed(
                f"{acc.docs_refused} of {parsed} documents failed validation "
                f"({acc.docs_refused / parsed:.0%} > threshold {settings.quarantine_threshold:.0%}); nothing was committed. "
                f"Top reasons: " + "; ".join(f"{k} x{v[0]}" for k, v in
                                             sorted(acc.quarantine_reasons.items(), key=lambda kv: -kv[1][0])[:3]))
        summary = _summary(acc, settings, started, time.perf_counter() - t0, len(files), len(batches))
        runs_row = _runs_row(settings, acc, started, summary)
        committed = commit_run(acc, layout, staging, runs_row)
        summary["snapshot"] = committed
        summary["seconds_total"] = round(time.perf_counter() - t0, 3)
    if settings.write_report:
        summary["report"] = write_report(layout, settings.run_id)
    _publish_artifacts(summary)
    log.info("run %s: %s", settings.run_id, json.dumps(summary["files"]))
    return summary


def _summary(acc: _Accumulator, settings: Settings, started, seconds: float, n_files: int, n_batches: int) -> dict:
    return {
        "run_id": settings.run_id,
        "started_at": started.isoformat(),
        "warehouse": str(settings.warehouse),
        "sources": [str(s) for s in settings.sources],
        "parser_version": PARSER_VERSION,
        "files": dict(acc.ledger_status),
        "files_by_format": {k: dict(v) for k, v in acc.ledger_by_format.items()},
        "files_discovered": n_files,
        "batches": n_batches,
        "workers": settings.workers,
        "docs_written": acc.docs_written,
        "docs_refused": acc.docs_refused,
        "input_bytes": acc.input_bytes,
        "rows_written": {k: w.rows for k, w in acc.writers.items() if k != "runs"},
        "partitions": acc.partitions,
        "quarantine_rows": acc.quarantine_rows,
        "quarantine_reasons": acc.quarantine_reasons,
        "expectations": [{"suite": k[0], "expectation": k[1], "column": k[2], "elements": v[0], "unexpected": v[1],
                          "failed_batches": v[2]} for k, v in sorted(acc.expectations.items(), key=lambda kv: kv[0])],
        "coverage": acc.coverage,
        "entities": acc.entities,
        "repairs": acc.repairs,
        "stage_seconds": {k: round(v, 3) for k, v in acc.stage_seconds.items()},
        "slowest": acc.slowest,
        "seconds_before_commit": round(seconds, 3),
    }


def _runs_row(settings: Settings, acc: _Accumulator, started, summary: dict) -> dict:
    st = acc.ledger_status
    return {
        "run_id": settings.run_id, "started_at": started, "finished_at": dt.datetime.now(dt.UTC),
        "status": "completed", "sources": [str(s) for s in settings.sources], "parser_version": PARSER_VERSION,
        "files_seen": sum(st.values()), "files_loaded": st.get("loaded", 0), "files_quarantined": st.get("quarantined", 0),
        "files_failed": st.get("failed", 0), "files_unchanged": st.get("unchanged", 0),
        "docs_written": acc.docs_written, "rows_quarantined": acc.quarantine_rows,
        "seconds": summary["seconds_before_commit"], "summary": json.dumps(summary, default=str),
    }


def _publish_artifacts(summary: dict) -> None:
    """Run summary as Prefect artifacts (shown in the UI when a server records the run)."""
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact
        rows = [{"status": k, "files": v} for k, v in sorted(summary["files"].items())]
        create_table_artifact(key="ingest-files", table=rows, description=f"Files by status, run {summary['run_id']}")
        md = [f"# pouch run `{summary['run_id']}`", "",
              f"- documents written: **{summary['docs_written']}**, refused: {summary['docs_refused']}",
              f"- quarantine rows: {summary['quarantine_rows']}",
              f"- report: `{summary.get('report')}`", "", "| stage | seconds |", "|---|---|"]
        md += [f"| {k} | {v} |" for k, v in summary["stage_seconds"].items()]
        create_markdown_artifact(key="ingest-summary", markdown="\n".join(md))
    except Exception as err:  # artifacts are a convenience; a run never fails for them
        get_run_logger().debug("artifacts not published: %s", err)
