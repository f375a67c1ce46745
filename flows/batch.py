"""The work of one batch, run inside a worker process (or in-process for small runs).

read+decode -> parse -> paragraphs -> entities -> validate -> Arrow tables. Each stage is timed; the
slowest documents per stage are kept for the benchmark. No Prefect here: this module must import
fast in worker processes and run under a plain process pool or a Dask worker alike.
"""
from __future__ import annotations

import heapq
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import pyarrow as pa

from expectations.gate import INPUT_CHECK
from transforms.documents import (SourceFailure, add_entities, make_paragraphs, open_csv_stream, open_source,
                                  parse_fields)
from transforms.records import LedgerEntry, QuarantineEntry, SourceText
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
from transforms.tables import empty
from transforms.version import PARSER_VERSION

from .config import Limits
from .csv_parts import range_chunks
from .executors import release_memory
from .layers import LayeredTables, Parsed
from .read import STREAM_CSV_BYTES, Blob, expand_zip, file_chunks, read_bytes, sha256, sha256_file
from .warehouse import copies

if TYPE_CHECKING:
    from .handoff import Parked

STAGES = ("read", "decode", "parse", "paragraphs", "entities", "validate", "tables")


@dataclass(slots=True)
class WorkItem:
    path: str
    size: int
    known_sha: str | None = None      # sha256 already loaded with this parser version
    # a part of a big cables.csv (`flows.csv_parts`): bytes [start, end), first row, the file's sha256
    start: int = 0
    end: int | None = None
    first_row: int = 0
    sha256: str | None = None
    # a re-read for the merge (`flows.warehouse.merge`): only these sources (`f.csv#row3`,
    # `a.zip::m.txt`, the path itself) are parsed; nothing is validated or recorded in the ledger
    only: frozenset[str] | None = None

    @property
    def is_part(self) -> bool:
        return self.end is not None


class BatchStat(NamedTuple):
    """One expectation's result on one batch (`expectations.validate.ExpectationStat` as plain data:
    the flow process reads batch results without importing Great Expectations, ~135 MB and 3 s)."""
    suite: str
    expectation: str
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int
    examples: list[str]
    severity: str


@dataclass(slots=True)
class BatchResult:
    ledger: list[LedgerEntry]
    documents: pa.Table
    paragraphs: pa.Table
    entities: pa.Table
    quarantine: list[QuarantineEntry]
    stats: list[BatchStat]
    stage_seconds: dict[str, float]
    input_bytes: int
    slowest: dict[str, list[tuple[float, str]]]           # wall seconds
    slowest_cpu: dict[str, list[tuple[float, str]]]       # CPU seconds of the document (see `_Clock`)
    repairs: dict[str, int] = field(default_factory=dict)
    #: per part of a big cables.csv: path -> (rows read, rows refused, first refusal, its format);
    #: the flow merges the parts of a file into its one ledger row
    csv_rows: dict[str, tuple[int, int, str | None, str | None]] = field(default_factory=dict)
    #: on its way from a worker process: the three tables are in files (`flows.handoff`), not here
    parked: Parked | None = None


class _Clock:
    """Seconds per stage, and the five slowest documents of each stage twice: by wall-clock
    seconds and by this thread's CPU seconds. On a busy machine (more busy processes than cores)
    a document's wall time includes the time the process waited for a core; its CPU time is what
    the document itself cost, the measure for "no document may take more than 50 ms"."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.slow: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.slow_cpu: dict[str, list[tuple[float, str]]] = defaultdict(list)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def doc(self, stage: str, since: tuple[float, float], key: str) -> tuple[float, float]:
        """One document's time in `stage` since `since` (a `now()`); returns the time now."""
        t = now()
        wall = t[0] - since[0]
        self.seconds[stage] += wall
        _keep_top(self.slow[stage], (wall, key))
        _keep_top(self.slow_cpu[stage], (t[1] - since[1], key))
        return t


def now() -> tuple[float, float]:
    """(wall-clock, this thread's CPU) seconds."""
    return time.perf_counter(), time.thread_time()


def _keep_top(heap: list[tuple[float, str]], item: tuple[float, str], n: int = 5) -> None:
    if len(heap) < n:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


def _blobs(item: WorkItem, limits: Limits, clock: _Clock) -> list[Blob]:
    if item.is_part:              # hashed when the file was cut into parts
        return [Blob(item.path, None, item.size, sha256=item.sha256, stream=item.path)]
    t = time.perf_counter()
    if item.path.lower().endswith(".csv") and item.size > STREAM_CSV_BYTES:   # a big cables.csv: never whole
        try:
            digest, size = sha256_file(item.path, limits.max_csv_bytes)
        except (OSError, ValueError) as err:
            clock.add("read", time.perf_counter() - t)
            msg = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            return [Blob(item.path, None, item.size, error=f"cannot read file: {msg}")]
        clock.add("read", time.perf_counter() - t)
        return [Blob(item.path, None, size, sha256=digest, stream=item.path)]
    try:
        data = read_bytes(item.path, limits.max_csv_bytes if item.path.lower().endswith(".csv") else limits.max_file_bytes)
    except (OSError, ValueError) as err:
        clock.add("read", time.perf_counter() - t)
        msg = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return [Blob(item.path, None, item.size, error=f"cannot read file: {msg}")]
    digest = sha256(data)
    blobs = [Blob(item.path, None, len(data), data, digest)]
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        if item.known_sha == digest:
            clock.add("read", time.perf_counter() - t)
            return blobs
        blobs[0].fmt = "zip"
        members = list(expand_zip(item.path, data, limits))
        if members and members[0].path == item.path:      # the archive itself was refused: one row, failed
            members[0].sha256 = digest
            blobs = members[:1]
        elif not members:
            blobs[0].skip = "empty archive: no files in it"
        else:
            blobs.extend(members)
    clock.add("read", time.perf_counter() - t)
    return blobs


def run_batch(items: list[WorkItem], run_id: str, limits: Limits = Limits()) -> BatchResult:
    # imported here, in the worker: the flow process imports this module for its types only
    from expectations.validate import ValidationOutcome, batch_refusal, refusal_reasons, validate_batch

    from . import warm  # noqa: F401  (once per process: builds the lazy caches before any stage clock runs,
    #                     so no document is charged for them; a forkserver worker has them already)
    clock = _Clock()
    ledger: list[LedgerEntry] = []
    quarantine: list[QuarantineEntry] = []
    tables = LayeredTables(clock.add)               # Arrow rows as documents are parsed, in layers of copies
    parsed: list[Parsed] = []                        # in batch order
    csv_rows: dict[str, tuple[int, int, str | None, str | None]] = {}
    input_bytes = 0

    def fail(blob: Blob, fmt: str, stage: str, message: str) -> None:
        ledger.append(LedgerEntry(run_id, blob.path, blob.size, fmt, "failed", PARSER_VERSION, blob.parent,
                                  blob.sha256, message))
        quarantine.append(QuarantineEntry(run_id, "input", blob.path, stage, INPUT_CHECK, message,
                                          source_path=blob.path))

    for item in items:
        blobs = _blobs(item, limits, clock)
        for blob in blobs:
            input_bytes += blob.size if blob.data is not None or blob.stream else 0
            if blob.skip:
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, blob.fmt or "unknown", "skipped", PARSER_VERSION,
                                          blob.parent, blob.sha256, blob.skip))
                continue
            if blob.error:
                fail(blob, blob.fmt or "unknown", "read", blob.error)
                continue
            if item.only is not None and blob.parent and blob.path not in {w.split("#row")[0] for w in item.only}:
                continue                                  # a re-read: not a wanted member
            if blob.parent is None and item.known_sha is not None and item.known_sha == blob.sha256:
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, blob.fmt or "unknown", "unchanged",
                                          PARSER_VERSION, None, blob.sha256))
                break                                     # an unchanged archive: its members are too
            if blob.fmt == "zip":                         # the archive itself; members follow
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, "zip", "loaded", PARSER_VERSION, None,
                                          blob.sha256))
                continue
            # a byte-identical copy of another file is read too: it is one more source of the same
            # documents (merged), whichever batch or run it comes in
            entry = LedgerEntry(run_id, blob.path, blob.size, "unknown", "loaded", PARSER_VERSION, blob.parent,
                                blob.sha256)
            since = now()
            sources: list[SourceText] = []
            failures: list[SourceFailure] = []
            if item.is_part:
                opened = open_csv_stream(blob.path, range_chunks(blob.path, item.start, item.end), blob.sha256,
                                         item.first_row)
            elif blob.stream:
                opened = open_csv_stream(blob.path, file_chunks(blob.stream), blob.sha256)
            else:
                opened = open_source(blob.path, blob.data, blob.sha256)
            for s in opened:              # timed per document (a cables.csv yields one per row)
                since = clock.doc("decode", since, s.path)
                (sources if isinstance(s, SourceText) else failures).append(s)
            clock.add("decode", time.perf_counter() - since[0])
            blob.data = None
            if sources:
                entry.format = sources[0].format
            elif failures:
                entry.format = failures[0].format
            if item.is_part:              # the flow decides the file's status once all its parts are in
                csv_rows[blob.path] = (len(sources), len(failures), failures[0].message if failures else None,
                                       failures[0].format if failures else None)
            if failures and not sources and not item.is_part:
                f0 = failures[0]
                more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
                fail(blob, f0.format, f0.stage, f0.message + more)
                for f in failures[1:]:
                    quarantine.append(QuarantineEntry(run_id, "input", f.path, f.stage, INPUT_CHECK, f.message,
                                                      source_path=blob.path))
                continue
            for f in failures:                            # some rows of a CSV failed: the rest load
                quarantine.append(QuarantineEntry(run_id, "input", f.path, f.stage, INPUT_CHECK, f.message,
                                                  source_path=blob.path))
            if failures:
                entry.error = f"{len(failures)} of {len(failures) + len(sources)} rows refused: {failures[0].message}"
            ledger.append(entry)
            for src in sources:
                if item.only is not None and src.path not in item.only:
                    continue                              # a re-read: not a wanted row
                t = now()
                try:
                    doc, spans = parse_fields(src, run_id)
                except Exception as err:  # a parser bug must not lose the batch: quarantine the document
                    msg = f"parser error: {type(err).__name__}: {err}".splitlines()[0][:300]
                    quarantine.append(QuarantineEntry(run_id, "documents", src.path, "parse", "parse_without_error", msg,
                                                      source_path=blob.path))
                    entry.error = msg
                    clock.doc("parse", t, src.path)
                    continue
                t = clock.doc("parse", t, src.path)
                p = make_paragraphs(doc, spans)
                t = clock.doc("paragraphs", t, src.path)
                add_entities(p)
                clock.doc("entities", t, src.path)
                parsed.append(tables.add(p, entry))
    # copies of one doc_id (a page and a CSV row of one cable) are validated in layers of their own
    # and staged as `<doc_id>\x00<n>` for the merge; re-reads are not validated again (same bytes,
    # same parser: they passed when they were loaded)
    reread = bool(items) and all(it.only is not None for it in items)
    out_tables: list[tuple[pa.Table, pa.Table, pa.Table]] = []
    stats: list[BatchStat] = []
    for n, layer, (docs, paras, ents) in tables.layers():
        t = time.perf_counter()
        outcome = ValidationOutcome(docs, paras, ents) if reread else validate_batch(docs, paras, ents, run_id)
        clock.add("validate", time.perf_counter() - t)
        quarantine.extend(outcome.quarantine)
        stats.extend(BatchStat(st.suite, st.expectation, st.column, st.success, st.element_count,
                               st.unexpected_count, list(st.examples), st.severity) for st in outcome.stats)
        for d in layer:
            d.kept = d.doc_id not in outcome.bad_doc_ids
        rename = {d.doc_id: copies.copy_id(d.doc_id, n) for d in layer} if n else {}
        out_tables.append(tuple(copies.rename_ids(x, rename)
                                for x in (outcome.documents, outcome.paragraphs, outcome.entities)))
    reasons = refusal_reasons(quarantine)
    whole_batch = batch_refusal(quarantine) or "refused by validation"
    for d in parsed:
        if d.kept:
            d.entry.doc_ids.append(d.doc_id)
        else:
            d.entry.error = d.entry.error or reasons.get((d.doc_id, d.source_path), whole_batch)
    for entry in {id(d.entry): d.entry for d in parsed}.values():
        if not entry.doc_ids and entry.status == "loaded":
            entry.status = "quarantined"
    for e in ledger:
        e.n_docs = len(e.doc_ids)
    repairs = Counter(kind for d in parsed if d.kept for kind in d.repairs)
    docs, paras, ents = ((pa.concat_tables([t[i] for t in out_tables]) if out_tables else empty(table))
                         for i, table in enumerate((DOCUMENTS, PARAGRAPHS, ENTITIES)))
    del tables, out_tables
    # What the batch freed goes back to the system before the result goes to the flow process: a
    # worker's heap otherwise stays at its largest batch's high-water mark between batches
    # (measured in one process, 6 batches of 1,000: ~480 MiB RSS flat with this, 500 -> 540 and
    # growing without)
    release_memory()
    return BatchResult(ledger, docs, paras, ents, quarantine, stats,
                       {s: clock.seconds.get(s, 0.0) for s in STAGES}, input_bytes,
                       {k: sorted(v, reverse=True) for k, v in clock.slow.items()},
                       {k: sorted(v, reverse=True) for k, v in clock.slow_cpu.items()}, dict(repairs), csv_rows)

