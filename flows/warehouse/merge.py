"""Merging across batches and runs: every copy of a document ends in one row (see `transforms.merge`
for the rules), and the `sources` table lists them.

How a run gets every copy of a document together, without keeping documents in memory:

1. **Staging.** Batches stage every validated copy. The first copy of a doc_id in the run keeps
   its id; a later one (another batch, or a further copy in one batch, which `run_batch`
   validates in a layer of its own) is staged as `<doc_id>\\x00<n>`, so paragraphs and entities of
   different copies never mix. Each copy also stages a provisional `sources` row.
2. **Affected documents.** At the end of the run, a doc_id is affected when a copy of it was read,
   or when one of its sources leaves (changed, pruned, an alias). The committed `sources` table
   says which other files give each affected document.
3. **Re-reading.** Those other sources are unchanged files that this run did not read: they are
   read again, but only the wanted rows or members (`WorkItem.only`), and their copies join the
   staged ones (no ledger rows: the files are recorded `unchanged`; no validation: the same bytes
   through the same parser passed it when they were loaded). The alternative, keeping every
   copy's fields and paragraphs in the warehouse, would store most texts twice to spare a read
   that only happens when a document gains or loses a source.
4. **Merging.** A document with one staged copy under its own id is final as staged. The others
   are read back from staging, merged, and written as final files; the commit drops their staged
   copies (`delete_staged`) and every committed row of the affected documents
   (`delete_existing`), so `documents`, `paragraphs`, `entities` and `sources` change together.
5. **Files.** `files.doc_ids` and this run's ledger rows are set to the documents each file is a
   source of (a copy kept apart under `<doc_id>~<hash>` renames the id there, with a one-line
   note in the ledger).

A source that cannot be read again (its file is missing but kept, without `--prune`) drops out of
its document when other sources give it (the document moves, as a renamed file's does). When it
is the only source left, the document is kept as it was committed until the file comes back or
is pruned.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from expectations.profile import coverage_counts, entity_counts, merge_counts, partition_counts
from transforms.merge import merge
from transforms.records import (
    Document,
    Entity,
    LedgerEntry,
    Paragraph,
    ParsedDocument,
    Source,
)
from transforms.rows import records
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS, SOURCES
from transforms.tables import to_arrow

from ..batch import WorkItem
from .copies import claimed, copy_id, rename_ids
from .copy_log import CopyLog
from .idset import IdSet
from .incremental import Changes, Plan, source_file
from .store import Snapshot, partitioning, read_table
from .writer import StagingWriter, WrittenFile

MERGED_TABLES = (DOCUMENTS, PARAGRAPHS, ENTITIES, SOURCES)
#: Documents merged per read of the staging (see `Merger._chunks`).
MERGE_CHUNK = 2000


def top_file(path: str) -> str:
    """The file on disk that holds a source (`a.zip::m.txt` -> `a.zip`, `b.csv#row3` -> `b.csv`)."""
    return source_file(path).split("::")[0]


@dataclass
class MergeOutcome:
    delete_existing: set[str]
    delete_staged: set[str]
    files: dict[str, list[WrittenFile]]                      # final files per table
    ledger: list[LedgerEntry]                                # rows of files that are gone
    ledger_patch: dict[str, tuple[list[str], str | None]]   # path -> (doc_ids, note) of this run's rows
    documents: int                                           # documents the run writes
    merged: int                                              # of which merged from 2+ sources
    kept_apart: int = 0                                      # copies kept apart under their own id
    delete_partitions: set[str] | None = None                # where `delete_existing` rows are (None: unknown)
    #: rows the run writes per table and partition (`doc_type=../year=..`), after the merge
    partitions: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the report's coverage and entity counts of the copies the merge replaced (`minus`) and of
    #: the documents it wrote instead (`plus`): {"coverage": ..., "entities": ...} each
    minus: dict = field(default_factory=dict)
    plus: dict = field(default_factory=dict)


@dataclass
class _Stored:
    doc_id: str
    claimed_id: str
    source_path: str
    partition: str | None = None            # `doc_type=../year=..` of its document


@dataclass
class Merger:
    """Fed with every batch's clean tables (`adopt`), then asked what to re-read (`rereads`) and
    to merge (`finish`)."""
    plan: Plan
    changes: Changes
    snapshot: Snapshot | None
    run_id: str
    staging: Path
    seen: IdSet = field(default_factory=IdSet)               # claimed ids with a staged copy
    more: dict[str, int] = field(default_factory=dict)       # claimed id -> copies staged, when 2+
    log: CopyLog = field(default=None)                       # staged id -> source_path, off the heap
    stored: dict[str, list[_Stored]] = field(default_factory=dict)   # affected claimed id -> committed sources
    affected: set[str] = field(default_factory=set)
    #: rows per table and partition of the staged copies the merge replaces (read by `_chunks`)
    replaced: dict[str, dict[str, int]] = field(default_factory=dict)
    #: coverage and entity counts of those copies, and of the merged documents that replace them
    replaced_profile: dict = field(default_factory=dict)
    merged_profile: dict = field(default_factory=dict)
    _staged: set[str] | None = None                         # of `affected`, those with a staged copy

    def __post_init__(self) -> None:
        if self.log is None:
            self.log = CopyLog(self.staging / "_copies" if self.staging is not None else None)

    def stage_copies(self, doc_ids: list[str]) -> list[str]:
        """The ids copies of `doc_ids` (a batch's, in order) are staged under: its own for the first
        copy of the run, then `<doc_id>\\x00<n>`. Only the set of ids (`IdSet`: 16 bytes an id)
        stays in memory for every document of the run; where each copy came from is in the
        `CopyLog`."""
        bases = [claimed(d) for d in doc_ids]
        earlier = self.seen.among(bases)                 # staged by an earlier batch
        out = []
        for base, before in zip(bases, earlier):
            n = self.more.get(base)
            if n is not None:
                self.more[base] = n + 1
            elif before or base in self.seen.recent:     # `recent`: this batch's ids so far, too
                n = 1
                self.more[base] = 2
            else:
                self.seen.add(base)
                out.append(base)
                continue
            out.append(copy_id(base, n))
        self.seen.settle()
        self._staged = None
        return out

    def copies(self, base: str) -> list[str]:
        """The staged ids of the copies of `base`, in staging order."""
        n = self.more.get(base)
        if n is None and not self._was_staged(base):
            return []
        return [base, *(copy_id(base, i) for i in range(1, n or 1))]

    def _was_staged(self, base: str) -> bool:
        """Whether `base` has a staged copy. For the affected documents (`copies` is asked about
        each) one batched lookup, kept until the next batch is staged."""
        if base not in self.affected:
            return base in self.seen
        if self._staged is None:
            bases = sorted(self.affected)
            self._staged = {b for b, hit in zip(bases, self.seen.among(bases)) if hit}
        return base in self._staged

    # --- 1. staging ------------------------------------------------------------------------
    def adopt(self, docs: pa.Table, paras: pa.Table, ents: pa.Table) -> tuple[pa.Table, ...]:
        """The batch's tables with run-unique ids, and their provisional `sources` rows."""
        old_ids = docs.column("doc_id").to_pylist()
        mapping = {old: new for old, new in zip(old_ids, self.stage_copies(old_ids)) if new != old}
        docs, paras, ents = (rename_ids(t, mapping) for t in (docs, paras, ents))
        self.log.add(docs.column("doc_id"), docs.column("source_path"))
        cols = docs.select(["doc_id", "doc_type", "year", "source_path", "source_format", "source_sha256",
                            "is_partial", "n_chars"]).to_pylist()
        rows = []
        for r in cols:
            rows.append(Source(r["doc_id"], r["doc_type"], r["year"], claimed(r["doc_id"]), r["source_path"],
                               r["source_format"], r["source_sha256"], "primary", 0, 1.0, r["is_partial"],
                               r["n_chars"], run_id=self.run_id))
        return docs, paras, ents, to_arrow(rows, SOURCES)

    # --- 2-3. affected documents and what to read again --------------------------------------
    def _committed(self, column: str, values: set[str] | pa.Array) -> list[_Stored]:
        """Committed `sources` rows whose `column` is in `values`."""
        if self.snapshot is None or not len(values):
            return []
        if self.snapshot.files("sources"):
            t = read_table(self.snapshot, "sources", ["doc_id", "claimed_id", "source_path", "doc_type", "year"],
                           _isin(column, values))
            return [_Stored(r["doc_id"], r["claimed_id"], r["source_path"], f"doc_type={r['doc_type']}/year={r['year']}")
                    for r in t.to_pylist()]
        # a warehouse written before `sources` existed: each document is its own only source
        t = read_table(self.snapshot, "documents", ["doc_id", "source_path"], _isin("doc_id", values))
        return [_Stored(r["doc_id"], r["doc_id"], r["source_path"]) for r in t.to_pylist()]

    def rereads(self) -> list[WorkItem]:
        """Decide the affected documents; returns the unchanged files to read again for them."""
        leaving = self.changes.leaving()
        groups = {claimed(d) for d in leaving}
        groups |= {s.claimed_id for s in self._committed("doc_id", leaving)}
        staged = (pa.concat_arrays([self.log.claimed_ids(), pa.array(sorted(groups), pa.string())])
                  if self.snapshot is not None else [])     # every id staged this run, as Arrow strings
        for s in self._committed("claimed_id", staged):
            self.stored.setdefault(s.claimed_id, []).append(s)
        # A document read once this run, with nothing committed and no source leaving, is final as
        # staged (most documents of most runs): it takes no further bookkeeping.
        self.affected = groups | self.more.keys() | self.stored.keys()
        self._staged = None
        gone = self.changes.leaving_files()
        staged_paths = self.log.staged_among({s.source_path for ss in self.stored.values() for s in ss})
        want: dict[str, set[str]] = defaultdict(set)
        for sources in self.stored.values():
            for s in sources:
                top = top_file(s.source_path)
                if source_file(s.source_path) in gone or top in gone or s.source_path in staged_paths:
                    continue
                if self.changes.readable(top):
                    want[top].add(s.source_path)
        items = []
        for top, paths in sorted(want.items()):
            stat = self.plan.stat(top)
            known = self.plan.previous.get(top) if stat is None else None
            size = stat[0] if stat else (known.bytes if known else 0)
            items.append(WorkItem(top, size, None, only=frozenset(paths)))
        return items

    # --- 4-5. merging --------------------------------------------------------------------------
    def _read_staged(self, files: dict[str, list[WrittenFile]], ids: list[str]) -> dict[str, pa.Table]:
        out = {}
        value_set = pa.array(ids, pa.string())
        for table in (DOCUMENTS, PARAGRAPHS, ENTITIES):
            base = self.staging / table.name
            paths = [str(base / w.path) for w in files.get(table.name, [])]
            if not paths:
                out[table.name] = table.arrow_schema.empty_table()
                continue
            dataset = ds.dataset(paths, schema=table.arrow_schema, format="parquet",
                                 partitioning=partitioning(table), partition_base_dir=str(base))
            out[table.name] = dataset.to_table(filter=ds.field("doc_id").isin(value_set))
        return out

    def _candidates(self, rows: dict[str, pa.Table]) -> dict[str, ParsedDocument]:
        """Staged copies as parsed documents, by staged id (their documents under the claimed id)."""
        by_id: dict[str, ParsedDocument] = {}
        for d in records(rows["documents"], Document):
            by_id[d.doc_id] = ParsedDocument(d)
        for p in records(rows["paragraphs"], Paragraph):
            by_id[p.doc_id].paragraphs.append(p)
        for e in records(rows["entities"], Entity):
            by_id[e.doc_id].entities.append(e)
        for parsed in by_id.values():
            parsed.paragraphs.sort(key=lambda p: p.para_index)
            parsed.document.doc_id = claimed(parsed.document.doc_id)
        return by_id

    def _chunks(self, raw: dict[str, list[WrittenFile]], bases: list[str]):
        """(claimed id, its staged copies by staged id), reading the copies of `MERGE_CHUNK`
        documents at a time: memory stays bounded when a run merges a whole corpus (a cables.csv and
        the WikiLeaks pages of the same cables), at the cost of one scan of the staging per chunk."""
        for i in range(0, len(bases), MERGE_CHUNK):
            chunk = bases[i:i + MERGE_CHUNK]
            rows = self._read_staged(raw, [c for base in chunk for c in self.copies(base)])
            for name, t in rows.items():
                merge_counts(self.replaced.setdefault(name, {}), partition_counts(t))
            _profile(self.replaced_profile, rows["documents"], rows["entities"])
            by_id = self._candidates(rows)
            for base in chunk:
                yield base, by_id

    def _settle_group(self, base: str, gone: set[str], notes: dict[str, str], paths: dict[str, str]
                      ) -> set[str] | None:
        """Committed ids of an affected document to delete (None: keep it as committed), and the
        committed sources that gave no copy this run drop out of it (`gone`: the files that leave;
        `paths`: staged id -> source_path)."""
        staged = self.copies(base)
        staged_paths = {paths[i] for i in staged}
        stored = self.stored.get(base, [])
        lost = [s for s in stored if s.source_path not in staged_paths and source_file(s.source_path) not in gone
                and top_file(s.source_path) not in gone]
        if not staged and lost:
            return None                  # only sources that cannot be read are left: keep it as it was
        for s in lost if staged else []:
            f, top = source_file(s.source_path), top_file(s.source_path)
            self.changes.moved[f].add(s.doc_id)
            if self.changes.readable(top):
                notes[f] = f"could not read {s.source_path} again: it no longer gives {s.claimed_id}"
            elif top not in self.plan.missing and self.plan.stat(top) is None:
                self.changes.elsewhere[top] = top_file(paths[staged[0]])
        return {s.doc_id for s in stored} | {base}

    def finish(self, raw: dict[str, list[WrittenFile]]) -> MergeOutcome:
        """Merge the affected documents; `raw` are the run's closed staging files."""
        delete_existing: set[str] = set()
        to_merge: list[str] = []
        contributions: dict[str, set[str]] = defaultdict(set)     # file -> final doc_ids of affected documents
        notes: dict[str, str] = {}
        kept: set[str] = set()
        gone = self.changes.leaving_files()
        paths = self.log.paths_of(self.affected)
        for base in sorted(self.affected):
            ids = self._settle_group(base, gone, notes, paths)
            if ids is None:
                kept.add(base)
                continue
            delete_existing |= ids
            staged = self.copies(base)
            if staged == [base]:
                contributions[source_file(paths[base])].add(base)
            elif staged:
                to_merge.append(base)
        del paths
        staged_ids = [i for base in to_merge for i in self.copies(base)]
        n_merged = merged = apart = 0
        files: dict[str, list[WrittenFile]] = {}
        if to_merge:
            writers = {t.name: StagingWriter(t, self.staging / t.name, self.run_id, final=True) for t in MERGED_TABLES}
            for base, by_id in self._chunks(raw, to_merge):
                result = merge([by_id[i] for i in self.copies(base)], self.run_id)
                docs = [p.document for p in result.documents]
                doc_rows = to_arrow(docs, DOCUMENTS)
                ent_rows = to_arrow([x for p in result.documents for x in p.entities], ENTITIES)
                _profile(self.merged_profile, doc_rows, ent_rows)
                writers["documents"].write(doc_rows)
                writers["paragraphs"].write(to_arrow([x for p in result.documents for x in p.paragraphs], PARAGRAPHS))
                writers["entities"].write(ent_rows)
                writers["sources"].write(to_arrow(result.sources, SOURCES))
                for s in result.sources:
                    contributions[source_file(s.source_path)].add(s.doc_id)
                notes.update({source_file(k): v for k, v in result.notes.items()})
                n_merged += len(docs)
                merged += sum(1 for d in docs if d.n_sources > 1)
                apart += len(docs) - 1
            files = {name: w.close() for name, w in writers.items()}
        patch = self._file_ids(contributions, notes, kept)
        single = len(self.seen) - len(self.more)
        return MergeOutcome(delete_existing, set(staged_ids), files, self.changes.gone(), patch,
                            single + n_merged, merged, apart, self._partitions(delete_existing),
                            written_partitions(raw, self.replaced, files), self.replaced_profile,
                            self.merged_profile)

    def _partitions(self, ids: set[str]) -> set[str] | None:
        """Partitions of the committed rows of `ids`, from their `sources` rows (every committed
        document has one); None for a warehouse written before `sources`."""
        if self.snapshot is None or not self.snapshot.files("sources"):
            return None
        return {s.partition for ss in self.stored.values() for s in ss if s.doc_id in ids and s.partition}

    def _file_ids(self, contributions: dict[str, set[str]], notes: dict[str, str], kept: set[str]
                  ) -> dict[str, tuple[list[str], str | None]]:
        """Set each touched file's documents (those of documents kept as committed stay); returns
        the ledger patch for this run's rows."""
        redone = {base: ss for base, ss in self.stored.items() if base not in kept}
        stored_ids = {s.doc_id for ss in redone.values() for s in ss} | (self.affected - kept)
        touched = set(contributions) | {source_file(s.source_path) for ss in redone.values() for s in ss}
        patch = {}
        for f in sorted(touched):
            if not self.changes.known(f):
                continue
            before = self.changes.doc_ids(f)
            ids = sorted({d for d in before if d not in stored_ids} | contributions.get(f, set()))
            self.changes.set_doc_ids(f, ids, notes.get(f))
            if ids != sorted(before) or f in notes:
                patch[f] = (ids, notes.get(f))
        return patch


def _profile(into: dict, docs: pa.Table, ents: pa.Table) -> None:
    merge_counts(into.setdefault("coverage", {}), coverage_counts(docs))
    merge_counts(into.setdefault("entities", {}), entity_counts(ents))


def written_partitions(staged: dict[str, list[WrittenFile]], replaced: dict[str, dict[str, int]],
                       merged: dict[str, list[WrittenFile]]) -> dict[str, dict[str, int]]:
    """Rows per table and partition that the run writes: the staged files' rows (counted when
    written), less the staged copies the merge replaces, plus the merged files' rows. No table is
    read again: the only rows counted by value are the copies `finish` reads anyway."""
    out: dict[str, dict[str, int]] = {}
    for table in (DOCUMENTS, PARAGRAPHS, ENTITIES):
        counts = out[table.name] = {}
        for w in staged.get(table.name, []) + merged.get(table.name, []):
            part = w.path.rsplit("/", 1)[0]
            counts[part] = counts.get(part, 0) + w.rows
        for part, n in replaced.get(table.name, {}).items():
            counts[part] = counts.get(part, 0) - n
        out[table.name] = {k: v for k, v in sorted(counts.items()) if v}
    return out


def _isin(column: str, values: set[str] | pa.Array) -> ds.Expression:
    if not isinstance(values, pa.Array):
        values = pa.array(sorted(values), pa.string())
    return ds.field(column).isin(values)


def patch_ledger(t: pa.Table, run_id: str, patch: dict[str, tuple[list[str], str | None]]) -> pa.Table:
    """This run's ledger rows with the documents each file is a source of after the merge."""
    rows = t.to_pylist()
    for r in rows:
        hit = patch.get(r["path"]) if r["run_id"] == run_id else None
        if hit and r["status"] in ("loaded", "unchanged"):
            ids, note = hit
            r["doc_ids"], r["n_docs"] = ids, len(ids)
            r["error"] = r["error"] or note
    return pa.Table.from_pylist(rows, schema=t.schema)
