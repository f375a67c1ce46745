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
import contextlib
import datetime as dt
import json
import multiprocessing as mp
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from expectations import profile
from expectations.gate import gate_message
from transforms.records import LedgerEntry, QuarantineEntry
from transforms.schema import DOCUMENTS, ENTITIES, LEDGER, PARAGRAPHS, QUARANTINE, RUNS
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from .batch import STAGES, BatchResult, WorkItem, run_batch
from .config import Limits, Settings
from .discover import FileRef, discover
from .warehouse.commit import StagedRun, commit, patch_staged
from .warehouse.faults import checkpoint
from .warehouse.incremental import Changes, Plan, Resolution, load_state, make_plan
from .warehouse.lock import writer_lock
from .warehouse.store import Layout, current_snapshot, recover, write_parquet
from .warehouse.writer import StagingWriter, WrittenFile


class QualityGateFailed(RuntimeError):
    """Too many documents failed validation: nothing was committed."""


#: I/O tasks retry with exponential backoff (1, 2, 4 s, jittered); the CPU-bound batch task does not:
#: its failures are per file, recorded in the ledger, and a retry would give the same result.
#: No task caches its result (NO_CACHE): the warehouse's `files` table is the cache, keyed on path,
#: sha256 and parser version, and it is committed with the data. A Prefect result cache would be a
#: second one outside the commit, able to disagree with the warehouse (a killed run, --full-refresh,
#: a deleted warehouse), and would hold the batches' DataFrames, whose rows carry their run's id.
IO_RETRIES = {"retries": 3, "retry_delay_seconds": exponential_backoff(backoff_factor=1), "retry_jitter_factor": 0.5}


# ------------------------------------------------------------------------------------------------
# tasks
# ------------------------------------------------------------------------------------------------
@task(name="discover", cache_policy=NO_CACHE, **IO_RETRIES)
def discover_files(sources: list[str]) -> list[FileRef]:
    return discover([Path(s) for s in sources])


@task(name="plan", cache_policy=NO_CACHE, **IO_RETRIES)
def plan_run(files: list[FileRef], settings: Settings) -> Plan:
    """Decide what to read (see `flows.warehouse.incremental`): unchanged files are skipped by
    size+mtime or by content hash (checked in the batch), missing files are reported (and their
    documents removed with --prune)."""
    previous = load_state(current_snapshot(Layout(settings.warehouse)))
    return make_plan(files, previous, settings.run_id, [Path(s).absolute().as_posix() for s in settings.sources],
                     full_refresh=settings.full_refresh, trust_stat=settings.trust_stat)


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
        self.staging = staging
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
        self.changes = Changes(plan, self.run_id, settings.prune)

    def add_ledger(self, entries: list[LedgerEntry]) -> None:
        self._write_ledger(self.changes.note_ledger(entries))

    def _write_ledger(self, entries: list[LedgerEntry]) -> None:
        if not entries:
            return
        for e in entries:
            self.ledger_status[e.status] += 1
            self.ledger_by_format[e.format][e.status] += 1
        self.writers["ledger"].write(to_arrow(entries, LEDGER))

    def add_quarantine(self, entries: list[QuarantineEntry]) -> None:
        if not entries:
            return
        self.changes.note_quarantine(entries)
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
            acc = self.expectations.setdefault((st.suite, st.expectation, st.column), [0, 0, 0, []])
            acc[0] += st.element_count
            acc[1] += st.unexpected_count
            acc[2] += 0 if st.success else 1
            acc[3].extend(st.examples[:5 - len(acc[3])])       # failing keys, for the report
        profile.merge_counts(self.coverage, profile.coverage_counts(docs))
        profile.merge_counts(self.entities, profile.entity_counts(ents))
        for name, t in (("documents", docs), ("paragraphs", paras), ("entities", ents)):
            profile.merge_counts(self.partitions[name], profile.partition_counts(t))
        profile.merge_counts(self.repairs, r.repairs)

    def settle(self) -> Resolution:
        """Settle the run against the warehouse: documents another file already provides are
        refused, rows of missing files and held unchanged files are written."""
        res = self.changes.resolve(self.seen)
        self.add_quarantine(res.quarantine)
        self.docs_written -= len(res.delete_staged)
        self.docs_refused += len(res.delete_staged)
        for fmt in res.requarantined:
            self.ledger_status["loaded"] -= 1
            self.ledger_status["quarantined"] += 1
            self.ledger_by_format[fmt]["loaded"] -= 1
            self.ledger_by_format[fmt]["quarantined"] += 1
        self._write_ledger(self.changes.release_held() + res.ledger)
        return res

    def stage(self, res: Resolution, runs_row: dict) -> StagedRun:
        """Close the staging files and describe the commit."""
        self.writers["runs"].write(to_arrow([_Row(runs_row)], RUNS))
        files = {name: w.close() for name, w in self.writers.items()}
        if res.ledger_patch:
            files["ledger"] = patch_staged(self.staging / "ledger", files["ledger"],
                                           lambda t: _patch_ledger(t, self.run_id, res.ledger_patch))
        replace: tuple[str, ...] = ()
        state = self.changes.state_table()
        if state is not None:
            name = f"part-{self.run_id}-0.parquet"
            write_parquet(state, self.staging / "files" / name)
            files["files"] = [WrittenFile(name, state.num_rows)]
            replace = ("files",)
        return StagedRun(self.run_id, self.staging, files, res.delete_existing, res.delete_staged, replace)


def _patch_ledger(t: pa.Table, run_id: str, patch: dict[str, tuple[set[str], str]]) -> pa.Table:
    """The run's ledger rows with the documents refused at commit taken out."""
    rows = t.to_pylist()
    for r in rows:
        hit = patch.get(r["path"]) if r["run_id"] == run_id else None
        if hit:
            ids, msg = hit
            r["doc_ids"] = [d for d in r["doc_ids"] if d not in ids]
            r["n_docs"] = len(r["doc_ids"])
            r["error"] = r["error"] or msg
            if not r["doc_ids"] and r["status"] == "loaded":
                r["status"] = "quarantined"
    return pa.Table.from_pylist(rows, schema=t.schema)


@task(name="commit", cache_policy=NO_CACHE, **IO_RETRIES)
def commit_run(layout: Layout, staged: StagedRun) -> dict:
    """Build the next snapshot and swap it in (idempotent: a retry after a commit that got through
    returns that snapshot)."""
    snap = commit(layout, staged)
    return {"snapshot": snap.id, "path": str(snap.path),
            "rows": {k: v["rows"] for k, v in snap.manifest["tables"].items()}}


class _Row:
    """Attribute access over a dict, for `to_arrow`."""

    def __init__(self, d: dict) -> None:
        self.__dict__.update(d)


@task(name="report", cache_policy=NO_CACHE, **IO_RETRIES)
def write_report(layout: Layout, run_id: str) -> str | None:
    from .report import build_report
    return str(build_report(layout, run_id))


# ------------------------------------------------------------------------------------------------
# the flow
# ------------------------------------------------------------------------------------------------
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 2), validate_parameters=False)
def ingest(sources: list[str], warehouse: str = "warehouse", full_refresh: bool = False, prune: bool = False,
           workers: int | None = None, batch_files: int = 1000, wait_seconds: float = 0.0,
           write_report_html: bool = True, quarantine_threshold: float = 0.5, rehash: bool = False) -> dict:
    """Ingest files, folders and .zip archives into the warehouse; returns the run summary."""
    # normalized (no `..`) but not resolved: the ledger names files the way the user reaches them
    settings = Settings(warehouse=Path(os.path.abspath(warehouse)), sources=tuple(Path(os.path.abspath(s)) for s in sources),
                        workers=workers or os.cpu_count() or 1, batch_files=batch_files, full_refresh=full_refresh,
                        prune=prune, quarantine_threshold=quarantine_threshold, write_report=write_report_html,
                        trust_stat=not rehash)
    return run_ingest(settings, wait_seconds)


def run_ingest(settings: Settings, wait_seconds: float = 0.0) -> dict:
    log = get_run_logger()
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    layout = Layout(settings.warehouse)
    layout.ensure()
    with writer_lock(layout.lock_file, settings.run_id, wait_seconds, on_wait=log.warning), \
            _staging_dropped_on_error(layout.staging / settings.run_id):
        recovered = recover(layout)
        if recovered:
            log.warning("an earlier run was interrupted; removed what it left: %s", ", ".join(recovered))
        files = discover_files(sources=[str(s) for s in settings.sources])
        plan = plan_run(files, settings)
        staging = layout.staging / settings.run_id
        acc = _Accumulator(settings, plan, staging)
        acc.add_ledger(plan.ledger)
        n_batches = _run_batches(acc, plan.items, settings)
        again = acc.changes.reconsider(set(acc.seen))
        if again:       # files refused as duplicates of documents that are now gone
            n_batches += _run_batches(acc, again, settings, first=n_batches)
        gate = gate_message(acc.docs_refused, acc.docs_written + acc.docs_refused, settings.quarantine_threshold,
                            acc.quarantine_reasons)
        if gate:
            raise QualityGateFailed(gate)
        resolution = acc.settle()
        summary = _summary(acc, settings, started, time.perf_counter() - t0, len(files), n_batches)
        summary["recovered"] = recovered
        runs_row = _runs_row(settings, acc, started, summary)
        staged = acc.stage(resolution, runs_row)
        checkpoint("before-commit", layout.root)
        committed = commit_run(layout, staged)
        summary["snapshot"] = committed
        summary["seconds_total"] = round(time.perf_counter() - t0, 3)
    if settings.write_report:
        summary["report"] = write_report(layout, settings.run_id)
    _publish_artifacts(summary)
    log.info("run %s: %s", settings.run_id, json.dumps(summary["files"]))
    return summary


@contextlib.contextmanager
def _staging_dropped_on_error(staging: Path) -> Iterator[None]:
    """A run that fails (quality gate, an error) deletes its staging files before it lets go of the
    lock; only a killed run leaves them, for the next run's `recover`."""
    try:
        yield
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _run_batches(acc: _Accumulator, items: list[WorkItem], settings: Settings, first: int = 0) -> int:
    """Run `items` as batch tasks (in a process pool when there are several), feeding the results
    to `acc` as they finish; returns the number of batches."""
    batches = _batches(items, settings.batch_files, settings.batch_bytes)
    pool_key = None
    if settings.workers > 1 and len(batches) > 1:
        pool_key = settings.run_id
        _POOLS[pool_key] = _make_pool(min(settings.workers, len(batches)))
    try:
        window = max(2, 2 * settings.workers)
        pending = []
        for i, b in enumerate(batches, start=first):
            pending.append(process_batch.submit(i, b, settings.run_id, settings.limits, pool_key))
            if len(pending) >= window:
                acc.add_batch(pending.pop(0).result())
                checkpoint("staged", settings.warehouse)
        for fut in pending:
            acc.add_batch(fut.result())
            checkpoint("staged", settings.warehouse)
    finally:
        if pool_key:
            _POOLS.pop(pool_key).shutdown(wait=True, cancel_futures=True)
    return len(batches)


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
                          "failed_batches": v[2], "examples": v[3]} for k, v in sorted(acc.expectations.items(), key=lambda kv: kv[0])],
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

        from expectations.report import artifact_tables
        rows, md = artifact_tables(summary)
        create_table_artifact(key="ingest-files", table=rows,
                              description=f"Files by format and status, run {summary['run_id']}")
        create_markdown_artifact(key="ingest-summary", markdown=md, description=f"Run {summary['run_id']}")
    except Exception as err:  # artifacts are a convenience; a run never fails for them
        get_run_logger().debug("artifacts not published: %s", err)
