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

import contextlib
import datetime as dt
import itertools
import json
import os
import resource
import shutil
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from expectations import profile
from expectations.gate import INPUT_CHECK, gate_message
from transforms.records import LedgerEntry, QuarantineEntry
from transforms.schema import DOCUMENTS, ENTITIES, FILES, LEDGER, PARAGRAPHS, QUARANTINE, RUNS, SOURCES
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from .batch import STAGES, BatchResult, WorkItem, run_batch
from .config import BATCH_BYTES, BATCH_FILES, CSV_SPLIT_BYTES, Limits, Settings, default_workers
from .csv_parts import CsvSplit, split_csv
from .discover import discover_table
from .executors import LocalProcesses, executor, hand_over, lookup, release_memory, take
from .handoff import FOLDER as HANDOFF_FOLDER
from .handoff import run_batch_parked, unpark
from .trace import traced
from .warehouse.commit import StagedRun, commit, patch_staged
from .warehouse.faults import checkpoint
from .warehouse.incremental import Changes, Items, Plan, load_state, make_plan
from .warehouse.merge import Merger, MergeOutcome, patch_ledger
from .warehouse.lock import writer_lock
from .warehouse.store import Layout, current_snapshot, recover, write_batches
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
def discover_files(sources: list[str], run_id: str) -> int:
    """The files under `sources`, handed over to `plan` (a list of a million files kept by Prefect
    for the whole run would be ~250 MB, see `flows.executors`); returns how many."""
    files = discover_table([Path(s) for s in sources])
    hand_over(run_id, ("files",), files)
    return files.num_rows


#: Where a run keeps its per-file state (`flows.warehouse.spill`), in its staging directory.
STATE_DIR = "_state"


@task(name="plan", cache_policy=NO_CACHE, **IO_RETRIES)
def plan_run(settings: Settings) -> Plan:
    """Decide what to read (see `flows.warehouse.incremental`): unchanged files are skipped by
    size+mtime or by content hash (checked in the batch), missing files are reported (and their
    documents removed with --prune)."""
    files: pa.Table = take(settings.run_id, ("files",))
    layout = Layout(settings.warehouse)
    state_dir = layout.staging / settings.run_id / STATE_DIR        # dropped with the staging
    previous = load_state(current_snapshot(layout), state_dir)
    plan = make_plan(files, previous, settings.run_id, [Path(s).absolute().as_posix() for s in settings.sources],
                     full_refresh=settings.full_refresh, trust_stat=settings.trust_stat, state_dir=state_dir)
    del files, previous
    plan.evict()
    release_memory()            # the plan's transient columns (hash tables over a million paths)
    return plan


#: Threads of the flow's task runner: each batch task waits in one for its batch (see `_run_batches`).
TASK_THREADS = 64


@task(name="process-batch", cache_policy=NO_CACHE, task_run_name="batch-{index}")
def process_batch(index: int, files: int, run_id: str, limits: Limits, executor_key: str,
                  handoff: str | None = None) -> dict:
    """read+decode -> parse -> paragraphs -> entities -> validate, for one batch of files, on the
    run's executor (`flows.executors`: this process, local worker processes or a Dask cluster).
    The files come and the result goes through `hand_over`/`take` (not through Prefect, which
    would keep them all); the task returns what the UI shows. Local worker processes leave the
    batch's tables in files under `handoff` (`flows.handoff`) instead of pickling them."""
    items: list[WorkItem] = take(executor_key, ("items", index))
    ex = lookup(executor_key)
    if handoff and ex.kind == LocalProcesses.kind:
        result: BatchResult = unpark(ex.submit(run_batch_parked, handoff, items, run_id, limits).result())
    else:
        result = ex.submit(run_batch, items, run_id, limits).result()
    hand_over(executor_key, ("result", index), result)
    return {"files": files, "documents": result.documents.num_rows, "input_bytes": result.input_bytes}


@task(name="split-csv", cache_policy=NO_CACHE, task_run_name="split-{name}")
def split_big_csv(path: str, name: str, part_bytes: int, part_rows: int, limits: Limits,
                  executor_key: str | None) -> CsvSplit:
    """Hash a big cables.csv and cut it into parts read in parallel (`flows.csv_parts`), each the
    size of a batch (bytes or rows)."""
    return lookup(executor_key).submit(split_csv, path, part_bytes, limits.max_csv_bytes, part_rows).result()


#: A batch is not made smaller than this to even out the workers' load (validation costs ~0.5 s a batch).
MIN_BALANCED_FILES = 200


def balanced_files(n_files: int, max_files: int, workers: int) -> int:
    """Files per batch: at most `max_files`, and as many batches as a multiple of `workers`, so
    that no worker is left alone with the last batch (5,000 files on 2 workers: 6 batches of 834,
    not 5 of 1,000 and a last round on one core)."""
    if workers <= 1 or n_files <= MIN_BALANCED_FILES:
        return max_files
    batches = -(-n_files // max_files)
    batches = -(-batches // workers) * workers
    return max(min(max_files, -(-n_files // batches)), min(max_files, MIN_BALANCED_FILES))


def _batches(items: Iterable[WorkItem], max_files: int, max_bytes: int) -> Iterator[list[WorkItem]]:
    """The items in batches of at most `max_files` files and `max_bytes` bytes, made as they are asked for."""
    cur: list[WorkItem] = []
    size = 0
    for it in items:
        if cur and (len(cur) >= max_files or size + it.size > max_bytes or it.is_part):
            yield cur
            cur, size = [], 0
        cur.append(it)
        size += it.size
    if cur:
        yield cur


@dataclass
class _CsvFile:
    """A big cables.csv read in parts: its one ledger row is made when its last part is in, the
    way `run_batch` makes it for a file read whole."""
    entry: LedgerEntry
    parts_left: int
    rows: int = 0
    refused: int = 0
    first_refusal: str | None = None
    refusal_format: str | None = None
    error: str | None = None

    def add(self, part: LedgerEntry, counts: tuple[int, int, str | None, str | None]) -> LedgerEntry | None:
        self.entry.doc_ids.extend(part.doc_ids)
        self.error = self.error or part.error
        rows, refused, msg, fmt = counts
        self.rows += rows
        self.refused += refused
        if self.first_refusal is None and msg:
            self.first_refusal, self.refusal_format = msg, fmt
        self.parts_left -= 1
        return self._finish() if self.parts_left == 0 else None

    def _finish(self) -> LedgerEntry:
        e = self.entry
        if not self.rows and self.refused:
            more = f" (and {self.refused - 1} more)" if self.refused > 1 else ""
            e.status, e.format, e.error = "failed", self.refusal_format or e.format, f"{self.first_refusal}{more}"
        else:
            e.status = "loaded" if e.doc_ids else "quarantined"
            e.error = (f"{self.refused} of {self.refused + self.rows} rows refused: {self.first_refusal}"
                       if self.refused else self.error)
        e.n_docs = len(e.doc_ids)
        return e


class _Accumulator:
    """Everything the flow process gathers from finished batches, written to staging as it comes."""

    def __init__(self, settings: Settings, plan: Plan, staging: Path) -> None:
        self.settings = settings
        self.plan = plan
        self.run_id = settings.run_id
        self.staging = staging
        self.writers = {t.name: StagingWriter(t, staging / t.name, self.run_id)
                        for t in (DOCUMENTS, PARAGRAPHS, ENTITIES, SOURCES, LEDGER, QUARANTINE, RUNS)}
        self.ledger_status: dict[str, int] = defaultdict(int)
        self.ledger_by_format: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.stage_seconds = {s: 0.0 for s in STAGES}
        self.slowest: dict[str, list] = defaultdict(list)         # wall seconds
        self.slowest_cpu: dict[str, list] = defaultdict(list)     # CPU seconds (see `flows.batch._Clock`)
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
        self.merger = Merger(plan, self.changes, current_snapshot(Layout(settings.warehouse)), self.run_id, staging)
        self.rereading = False          # batches of sources read again for the merge (no ledger rows)
        self.merge_counts: dict[str, int] = {}
        self.csv_files: dict[str, _CsvFile] = {}
        self.seconds: dict[str, float] = defaultdict(float)     # the flow process's own time, by step
        self.executor: dict | None = None                        # where the batches ran

    def evict(self) -> None:
        """Hand the run's mapped per-file state back to the operating system (`flows.warehouse.spill`)."""
        self.plan.evict()
        self.changes.evict()

    def release(self) -> None:
        """Let go of the per-file state once staged: the plan (Prefect holds it for the whole run as
        a task result), the changes and the merge's bookkeeping."""
        self.plan.release(everything=True)
        self.changes = self.merger = None

    def add_split(self, item: WorkItem, split: CsvSplit) -> list[WorkItem]:
        """A big cables.csv was cut (`flows.csv_parts`): its parts to read, or its ledger row
        when it is unreadable or unchanged."""
        if split.error:
            self.add_ledger([LedgerEntry(self.run_id, item.path, item.size, "cables_csv", "failed", PARSER_VERSION,
                                         None, None, split.error)])
            self.add_quarantine([QuarantineEntry(self.run_id, "input", item.path, "read", INPUT_CHECK, split.error,
                                                 source_path=item.path)])
            return []
        if item.known_sha is not None and item.known_sha == split.sha256:
            self.add_ledger([LedgerEntry(self.run_id, item.path, split.size, "unknown", "unchanged", PARSER_VERSION,
                                         None, split.sha256)])
            return []
        self.csv_files[item.path] = _CsvFile(LedgerEntry(self.run_id, item.path, split.size, "cables_csv", "loaded",
                                                         PARSER_VERSION, None, split.sha256), len(split.parts))
        return [WorkItem(item.path, p.end - p.start, None, p.start, p.end, p.first_row, split.sha256)
                for p in split.parts]

    def _merge_parts(self, r: BatchResult) -> list[LedgerEntry]:
        """The batch's ledger rows, parts of big CSVs folded into their file's row (one part a batch)."""
        if not r.csv_rows:
            return r.ledger
        out = []
        for e in r.ledger:
            f = self.csv_files.get(e.path) if e.path in r.csv_rows else None
            if f is None:
                out.append(e)
            elif (done := f.add(e, r.csv_rows[e.path])) is not None:
                del self.csv_files[e.path]
                out.append(done)
        return out

    def add_ledger(self, entries: list[LedgerEntry]) -> None:
        """Record and write the ledger rows of files the run read (a batch's)."""
        self._write_ledger(self.changes.note_ledger(entries))

    def add_ledger_rows(self, rows: pa.Table) -> None:
        """Write ledger rows decided without reading (`Plan.ledger_slices`), counted by status and format."""
        counts = rows.group_by(["status", "format"]).aggregate([("path", "count")]).to_pylist()
        for c in counts:
            self.ledger_status[c["status"]] += c["path_count"]
            self.ledger_by_format[c["format"]][c["status"]] += c["path_count"]
        self.writers["ledger"].write(rows)

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
        self.quarantine_rows += len(entries)
        for q in entries:
            bucket = self.quarantine_reasons.setdefault(q.expectation, [0, []])
            bucket[0] += 1
            if len(bucket[1]) < 5:
                bucket[1].append(q.key)
        self.writers["quarantine"].write(to_arrow(entries, QUARANTINE))

    def add_batch(self, r: BatchResult) -> None:
        # every copy of a document is staged (later copies under a run-unique id) for the merge
        docs, paras, ents, sources = self.merger.adopt(r.documents, r.paragraphs, r.entities)
        for name, t in (("documents", docs), ("paragraphs", paras), ("entities", ents), ("sources", sources)):
            self.writers[name].write(t)
        # counted as staged; the merge takes its copies out again and its documents in (`settle`)
        profile.merge_counts(self.coverage, profile.coverage_counts(docs))
        profile.merge_counts(self.entities, profile.entity_counts(ents))
        if self.rereading:      # the files are recorded `unchanged`; only their copies count
            for st, v in r.stage_seconds.items():
                self.stage_seconds[st] = self.stage_seconds.get(st, 0.0) + v
            return
        self.add_ledger(self._merge_parts(r))
        self.evict()             # the few pages of per-file state the ledger rows looked up
        self.add_quarantine(r.quarantine)
        self.docs_refused += len({q.doc_id for q in r.quarantine if q.doc_id})
        self.docs_written += docs.num_rows
        self.input_bytes += r.input_bytes
        for s, v in r.stage_seconds.items():
            self.stage_seconds[s] = self.stage_seconds.get(s, 0.0) + v
        for top, new in ((self.slowest, r.slowest), (self.slowest_cpu, r.slowest_cpu)):
            for s, v in new.items():
                top[s] = sorted(top[s] + [list(x) for x in v], reverse=True)[:5]
        for st in r.stats:
            acc = self.expectations.setdefault((st.suite, st.expectation, st.column), [0, 0, 0, []])
            acc[0] += st.element_count
            acc[1] += st.unexpected_count
            acc[2] += 0 if st.success else 1
            acc[3].extend(st.examples[:5 - len(acc[3])])       # failing keys, for the report
        profile.merge_counts(self.repairs, r.repairs)         # per input read: each copy was repaired

    def settle(self) -> MergeOutcome:
        """Merge the copies of every document the run read or touched (`flows.warehouse.merge`)
        and write the ledger rows of files that are gone."""
        raw = {name: self.writers[name].close() for name in ("documents", "paragraphs", "entities")}
        res = self.merger.finish(raw)
        self.docs_written = res.documents
        self.partitions = res.partitions        # rows as written: copies of a document counted once
        for counts, sign in ((res.minus, -1), (res.plus, 1)):    # the same for coverage and entities
            profile.merge_counts(self.coverage, counts.get("coverage", {}), sign)
            profile.merge_counts(self.entities, counts.get("entities", {}), sign)
        self.merge_counts = {"documents_merged": res.merged, "copies_kept_apart": res.kept_apart}
        self._write_ledger(res.ledger)
        self.evict()
        return res

    def stage(self, res: MergeOutcome, runs_row: dict) -> StagedRun:
        """Close the staging files and describe the commit."""
        self.writers["runs"].write(to_arrow([_Row(runs_row)], RUNS))
        files = {name: w.close() for name, w in self.writers.items()}
        for name, merged in res.files.items():
            files[name] = files.get(name, []) + merged
        if res.ledger_patch:
            files["ledger"] = patch_staged(self.staging / "ledger", files["ledger"],
                                           lambda t: patch_ledger(t, self.run_id, res.ledger_patch))
        replace: tuple[str, ...] = ()
        state = self.changes.state_pieces()
        if state is not None:
            name = f"part-{self.run_id}-0.parquet"
            rows, _ = write_batches(FILES.arrow_schema, state, self.staging / "files" / name)
            files["files"] = [WrittenFile(name, rows)]
            replace = ("files",)
        return StagedRun(self.run_id, self.staging, files, res.delete_existing, res.delete_staged, replace,
                         delete_partitions=res.delete_partitions)


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
@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS), validate_parameters=False)
def ingest(sources: list[str], warehouse: str = "warehouse", full_refresh: bool = False, prune: bool = False,
           workers: int | None = None, batch_files: int | None = None, wait_seconds: float = 0.0,
           write_report_html: bool = True, quarantine_threshold: float = 0.5, rehash: bool = False,
           dask_address: str | None = None, batch_bytes: int | None = None) -> dict:
    """Ingest files, folders and .zip archives into the warehouse; returns the run summary."""
    # normalized (no `..`) but not resolved: the ledger names files the way the user reaches them
    settings = Settings(warehouse=Path(os.path.abspath(warehouse)), sources=tuple(Path(os.path.abspath(s)) for s in sources),
                        workers=workers or default_workers(), batch_files=batch_files or BATCH_FILES,
                        batch_bytes=batch_bytes or BATCH_BYTES, full_refresh=full_refresh, prune=prune,
                        quarantine_threshold=quarantine_threshold, write_report=write_report_html,
                        trust_stat=not rehash, dask_address=dask_address or None)
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
        step = _Steps()
        with step("discover"):
            n_files = discover_files(sources=[str(s) for s in settings.sources], run_id=settings.run_id)
        with step("plan"):
            plan = plan_run(settings)
        staging = layout.staging / settings.run_id
        acc = _Accumulator(settings, plan, staging)
        for rows in plan.ledger_slices(settings.run_id):
            acc.add_ledger_rows(rows)
        plan.release()             # written; the plan lives on (the merge asks it about files)
        acc.evict()
        release_memory()
        with step("batches"):
            n_batches = _run_batches(acc, plan.items, settings)       # empties plan.items (see there)
            again = acc.merger.rereads()
            if again:       # unchanged sources of documents this run touches: read again for the merge
                acc.rereading = True
                n_batches += _run_batches(acc, again, settings, first=n_batches)
                acc.rereading = False
        gate = gate_message(acc.docs_refused, acc.docs_written + acc.docs_refused, settings.quarantine_threshold,
                            acc.quarantine_reasons)
        if gate:
            raise QualityGateFailed(gate)
        with step("settle"):
            resolution = acc.settle()
        summary = _summary(acc, settings, started, time.perf_counter() - t0, n_files, n_batches)
        summary["recovered"] = recovered
        runs_row = _runs_row(settings, acc, started, summary)
        with step("close staging"):
            staged = acc.stage(resolution, runs_row)
        acc.release()          # the commit needs none of the per-file state
        del resolution
        release_memory()
        checkpoint("before-commit", layout.root)
        with step("commit"):
            committed = commit_run(layout, staged)
        summary["snapshot"] = committed
        summary["seconds_total"] = round(time.perf_counter() - t0, 3)
    if settings.write_report:
        with step("report"):
            summary["report"] = write_report(layout, settings.run_id)
    summary["seconds_report"] = round(step.seconds.get("report", 0.0), 3)
    summary["executor"] = acc.executor
    summary["flow_peak_rss_mib"] = step.peak_mib
    summary["flow_peak_arrow_mib"] = step.arrow_peak_mib
    summary["flow_seconds"] = {**{k: round(v, 3) for k, v in step.seconds.items()},
                               **{k: round(v, 3) for k, v in acc.seconds.items()}}
    _publish_artifacts(summary)
    log.info("run %s: %s", settings.run_id, json.dumps(summary["files"]))
    return summary


class _Steps:
    """Wall seconds of the flow's steps, and the flow process's peak RSS (MiB) when each ended, for
    the summary (`flow_seconds`, `flow_peak_rss_mib`): the step where the peak grows is the one
    that holds the memory."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mib: dict[str, int] = {}
        self.arrow_peak_mib: dict[str, int] = {}      # of it, the high-water mark of Arrow's allocator

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            with traced("step", step=name):
                yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t
            self.peak_mib[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10     # KiB on Linux
            self.arrow_peak_mib[name] = pa.default_memory_pool().max_memory() >> 20


@contextlib.contextmanager
def _staging_dropped_on_error(staging: Path) -> Iterator[None]:
    """A run that fails (quality gate, an error) deletes its staging files before it lets go of the
    lock; only a killed run leaves them, for the next run's `recover`."""
    try:
        yield
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextlib.contextmanager
def _removed(folder: Path) -> Iterator[None]:
    """`folder` is gone afterwards, whatever happened (a failed run drops its whole staging too)."""
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_batches(acc: _Accumulator, items: Items | list[WorkItem], settings: Settings, first: int = 0) -> int:
    """Run `items` as batch tasks on the run's executor, feeding the results to `acc` in the order
    the batches were made (so the run's outcome does not depend on which worker is faster); a big
    cables.csv is first cut into parts, each a batch. At most `window` batches are in flight: enough
    to keep every worker busy while the flow process writes the results of the previous ones, few
    enough to bound what waits in memory. Batches are made as they are sent (the items of a million
    files never all exist as objects) and let go when done; `items` is emptied at the end. Returns
    the number of batches."""
    big = [it for it in items if _is_big_csv(it, settings)]
    jobs: deque = deque([("split", it) for it in big])
    slots = 1 if settings.dask_address else settings.workers      # a cluster's size is known once it is open
    batches = _batches((it for it in items if not _is_big_csv(it, settings)),
                       balanced_files(len(items) - len(big), settings.batch_files, slots), settings.batch_bytes)
    jobs.extend(("batch", b) for b in itertools.islice(batches, settings.workers + 1))   # enough to size the pool
    n_big = len(big)
    del big
    n = first
    if not jobs:
        items.clear()
        return 0
    handoff = acc.staging / HANDOFF_FOLDER       # local workers' tables on their way (`flows.handoff`)
    with executor(settings, len(jobs) + n_big) as key, _removed(handoff):
        ex = lookup(key)
        acc.executor = {"kind": ex.kind, "slots": ex.slots}
        window = 1 if ex.slots == 1 else min(2 * ex.slots, TASK_THREADS)
        pending: deque = deque()
        while True:
            while len(pending) < window:
                if not jobs:                    # the next batch, made now
                    batch = next(batches, None)
                    if batch is None:
                        break
                    jobs.append(("batch", batch))
                kind, job = jobs.popleft()
                if kind == "split":
                    fut = split_big_csv.submit(job.path, Path(job.path).name, settings.batch_bytes, settings.batch_files,
                                               settings.limits, key)
                else:
                    hand_over(key, ("items", n), job)
                    fut = process_batch.submit(n, len(job), settings.run_id, settings.limits, key, str(handoff))
                    job = n
                    n += 1
                pending.append((kind, job, fut))
            if not pending:
                break
            kind, job, fut = pending.popleft()
            t = time.perf_counter()
            result = fut.result() if kind == "split" else (fut.result(), take(key, ("result", job)))[1]
            acc.seconds["waiting for batches"] += time.perf_counter() - t
            t = time.perf_counter()
            if kind == "split":
                jobs.extendleft(("batch", [p]) for p in reversed(acc.add_split(job, result)))
            else:
                with traced("take batch", batch=job, documents=result.documents.num_rows):
                    acc.add_batch(result)
                    del result
                    release_memory()
                checkpoint("staged", settings.warehouse)
            acc.seconds["taking batch results"] += time.perf_counter() - t
    items.clear()
    return n - first


def _is_big_csv(item: WorkItem, settings: Settings) -> bool:
    """A cables.csv that may hold more rows than a batch takes (~6 KB a row): cut into parts."""
    return (item.path.lower().endswith(".csv") and item.size > min(settings.batch_bytes, CSV_SPLIT_BYTES)
            and not item.is_part
            and item.only is None)      # a re-read for the merge takes a few rows: streamed, not cut


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
        **acc.merge_counts,
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
        "slowest_cpu": acc.slowest_cpu,
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
