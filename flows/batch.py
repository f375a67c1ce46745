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

import pyarrow as pa

from expectations.gate import INPUT_CHECK
from expectations.validate import ExpectationStat, batch_refusal, refusal_reasons, validate_batch
from transforms.documents import (SourceFailure, add_entities, make_paragraphs, open_csv_stream, open_source,
                                  parse_fields)
from transforms.records import LedgerEntry, ParsedDocument, QuarantineEntry, SourceText
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from .config import Limits
from .read import STREAM_CSV_BYTES, Blob, expand_zip, file_chunks, read_bytes, sha256, sha256_file

STAGES = ("read", "decode", "parse", "paragraphs", "entities", "validate", "tables")
#: Which source wins when one batch holds the same doc_id twice (best text first).
FORMAT_PRIORITY = {"cables_csv": 0, "cable_text": 1, "cable_html": 2, "cable_pdf": 3, "email_text": 0,
                   "email_pdf": 1, "text": 9}


@dataclass(slots=True)
class WorkItem:
    path: str
    size: int
    known_sha: str | None = None      # sha256 already loaded with this parser version


@dataclass(slots=True)
class BatchResult:
    ledger: list[LedgerEntry]
    documents: pa.Table
    paragraphs: pa.Table
    entities: pa.Table
    quarantine: list[QuarantineEntry]
    stats: list[ExpectationStat]
    stage_seconds: dict[str, float]
    input_bytes: int
    slowest: dict[str, list[tuple[float, str]]]
    repairs: dict[str, int] = field(default_factory=dict)


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.slow: dict[str, list[tuple[float, str]]] = defaultdict(list)

    def add(self, stage: str, seconds: float, key: str | None = None) -> None:
        self.seconds[stage] += seconds
        if key is not None:
            heap = self.slow[stage]
            item = (seconds, key)
            if len(heap) < 5:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)


def _blobs(item: WorkItem, limits: Limits, clock: _Clock) -> list[Blob]:
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
    clock = _Clock()
    ledger: list[LedgerEntry] = []
    quarantine: list[QuarantineEntry] = []
    parsed: list[ParsedDocument] = []
    doc_entry: dict[int, LedgerEntry] = {}           # id(parsed doc) -> its file's ledger entry
    first_copy: dict[str, str] = {}                  # sha256 -> first path with those bytes
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
            if blob.parent is None and item.known_sha is not None and item.known_sha == blob.sha256:
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, blob.fmt or "unknown", "unchanged",
                                          PARSER_VERSION, None, blob.sha256))
                first_copy.setdefault(blob.sha256, blob.path)
                break                                     # an unchanged archive: its members are too
            if blob.fmt == "zip":                         # the archive itself; members follow
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, "zip", "loaded", PARSER_VERSION, None,
                                          blob.sha256))
                continue
            if blob.sha256 in first_copy:                 # the same bytes twice: read once, say where
                ledger.append(LedgerEntry(run_id, blob.path, blob.size, "unknown", "skipped", PARSER_VERSION,
                                          blob.parent, blob.sha256, f"identical to {first_copy[blob.sha256]} "
                                          "(same bytes): read once"))
                continue
            first_copy[blob.sha256] = blob.path
            entry = LedgerEntry(run_id, blob.path, blob.size, "unknown", "loaded", PARSER_VERSION, blob.parent,
                                blob.sha256)
            t = time.perf_counter()
            sources: list[SourceText] = []
            failures: list[SourceFailure] = []
            opened = (open_csv_stream(blob.path, file_chunks(blob.stream), blob.sha256) if blob.stream
                      else open_source(blob.path, blob.data, blob.sha256))
            for s in opened:
                (sources if isinstance(s, SourceText) else failures).append(s)
            clock.add("decode", time.perf_counter() - t, blob.path)
            blob.data = None
            if sources:
                entry.format = sources[0].format
            elif failures:
                entry.format = failures[0].format
            if failures and not sources:
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
                t = time.perf_counter()
                try:
                    doc, spans = parse_fields(src, run_id)
                except Exception as err:  # a parser bug must not lose the batch: quarantine the document
                    msg = f"parser error: {type(err).__name__}: {err}".splitlines()[0][:300]
                    quarantine.append(QuarantineEntry(run_id, "documents", src.path, "parse", "parse_without_error", msg,
                                                      source_path=blob.path))
                    entry.error = msg
                    clock.add("parse", time.perf_counter() - t, src.path)
                    continue
                clock.add("parse", time.perf_counter() - t, src.path)
                t = time.perf_counter()
                p = make_paragraphs(doc, spans)
                clock.add("paragraphs", time.perf_counter() - t, src.path)
                t = time.perf_counter()
                add_entities(p)
                clock.add("entities", time.perf_counter() - t, src.path)
                parsed.append(p)
                doc_entry[id(p)] = entry
    all_parsed = list(parsed)
    parsed = _dedupe(parsed, doc_entry, quarantine, run_id)
    t = time.perf_counter()
    docs = to_arrow([p.document for p in parsed], DOCUMENTS)
    paras = to_arrow([x for p in parsed for x in p.paragraphs], PARAGRAPHS)
    ents = to_arrow([x for p in parsed for x in p.entities], ENTITIES)
    clock.add("tables", time.perf_counter() - t)
    t = time.perf_counter()
    outcome = validate_batch(docs, paras, ents, run_id)
    clock.add("validate", time.perf_counter() - t)
    quarantine.extend(outcome.quarantine)
    kept = {id(p) for p in parsed if p.document.doc_id not in outcome.bad_doc_ids}
    reasons = refusal_reasons(quarantine)
    whole_batch = batch_refusal(quarantine) or "refused by validation"
    for p in all_parsed:
        entry = doc_entry[id(p)]
        if id(p) in kept:
            entry.doc_ids.append(p.document.doc_id)
        else:
            entry.error = entry.error or reasons.get((p.document.doc_id, p.document.source_path), whole_batch)
    for entry in {id(e): e for e in doc_entry.values()}.values():
        if not entry.doc_ids and entry.status == "loaded":
            entry.status = "quarantined"
    for e in ledger:
        e.n_docs = len(e.doc_ids)
    repairs = Counter(r.kind for p in parsed if p.document.doc_id not in outcome.bad_doc_ids for r in p.document.repairs)
    return BatchResult(ledger, outcome.documents, outcome.paragraphs, outcome.entities, quarantine, outcome.stats,
                       {s: clock.seconds.get(s, 0.0) for s in STAGES}, input_bytes,
                       {k: sorted(v, reverse=True) for k, v in clock.slow.items()}, dict(repairs))


def _dedupe(parsed: list[ParsedDocument], doc_entry: dict[int, LedgerEntry], quarantine: list[QuarantineEntry],
            run_id: str) -> list[ParsedDocument]:
    """One document per doc_id within the batch: the best source wins (FORMAT_PRIORITY), the
    others are quarantined with the reason. (Across batches and runs the commit step decides.)"""
    by_id: dict[str, list[ParsedDocument]] = defaultdict(list)
    for p in parsed:
        by_id[p.document.doc_id].append(p)
    keep: list[ParsedDocument] = []
    for doc_id, group in by_id.items():
        group.sort(key=lambda p: FORMAT_PRIORITY.get(p.document.source_format, 5))
        keep.append(group[0])
        for other in group[1:]:
            entry = doc_entry[id(other)]
            msg = (f"duplicate doc_id {doc_id}: also in {group[0].document.source_path} "
                   f"({group[0].document.source_format}), which was kept")
            quarantine.append(QuarantineEntry(run_id, "documents", doc_id, "validate", "unique_doc_id", msg, doc_id=doc_id,
                                              source_path=other.document.source_path, column="doc_id", observed=doc_id))
            entry.error = entry.error or msg
    order = {id(p): i for i, p in enumerate(parsed)}
    keep.sort(key=lambda p: order[id(p)])
    return keep
