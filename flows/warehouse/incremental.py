"""Incremental loading: which inputs a run reads, and what its results replace.

The `files` table holds the present state of every source file (sha256, size, mtime, parser
version, outcome, documents); it is committed in the same snapshot as the data, so it can never
disagree with it. A run decides per file:

- **unchanged, fast path**: size and mtime (ns) equal to the row's, parser version current: not
  read at all. A changed file with the same size and the same nanosecond mtime takes a deliberate
  effort (`touch -r` after an in-place edit of equal length); `pouch ingest --rehash` hashes every
  file for file systems whose mtimes cannot be trusted. sha256 stays the truth: the stat only
  decides whether to compute it.
- **unchanged after hashing**: the stat differs but the bytes hash to the row's sha256: not
  parsed; the row takes the new stat so the next run takes the fast path.
- **changed** (other bytes, another parser version, `--full-refresh`): read; the documents the
  file gave before are replaced by what it gives now (`delete_existing` of the commit).
- **missing** (under the run's sources, not found): reported `deleted` in every run while its
  documents are kept; `--prune` removes them.
- An unchanged file is recorded with the outcome it had: `unchanged` when it was loaded, and
  `quarantined` / `failed` again (with the same reason, "unchanged since run R") otherwise, since
  the same bytes through the same parser give the same result.

A document may have several sources (the same cable as a page, a cables.csv row, a PDF; see
`flows.warehouse.merge`): `files.doc_ids` lists every document a file is a source of, and a run
that reads, changes or loses one source of a document merges that document again from all its
sources. A missing source of a document that other sources give now drops out of it (a renamed
file: the document moves). A known file outside the run's sources that is a new file of the run
under another path (a symlink, a path an older pouch spelled with `..`) is an alias: its documents
are replaced by what the new path gives, and its row goes.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field, replace

import pyarrow as pa

from transforms.records import FileState, LedgerEntry
from transforms.schema import FILE_OUTCOMES, FILES
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from ..batch import WorkItem
from ..discover import FileRef
from .store import Snapshot, read_table

_FILE_FIELDS = tuple(FILES.names)
#: How `discover` says that a path given as a source does not exist.
NOT_FOUND = "no such file or directory"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def source_file(source_path: str) -> str:
    """The input file a document came from (`rows.csv#row3` -> `rows.csv`)."""
    return source_path.split("#row")[0]


#: Columns of `files` with a handful of distinct values: one string object per value, not per row
#: (a million rows: ~0.2 GB less).
_FEW_VALUES = ("format", "status", "parser_version", "run_id")


def _shared(values: list) -> list:
    seen: dict = {}
    return [seen.setdefault(v, v) for v in values]


def load_state(snapshot: Snapshot | None) -> dict[str, FileState]:
    """path -> row of `files` in the snapshot (slotted records, ~0.6 KB a file; dicts would take
    twice that). A warehouse written before `files` existed gets it from the ledger
    (latest row per path; no mtimes, so each file is hashed once)."""
    if snapshot is None:
        return {}
    if "files" in snapshot.manifest["tables"]:
        table = read_table(snapshot, "files")
        columns = [_shared(table.column(name).to_pylist()) if name in _FEW_VALUES else table.column(name).to_pylist()
                   for name in _FILE_FIELDS]
        del table
        rows = (FileState(**dict(zip(_FILE_FIELDS, values))) for values in zip(*columns))
        return {r.path: r for r in rows}
    led = read_table(snapshot, "ledger").sort_by("run_id").to_pylist()
    state: dict[str, FileState] = {}
    for r in led:
        if r["status"] == "deleted":
            prev = state.pop(r["path"], None)
            if prev is not None and r["doc_ids"]:          # reported gone, documents kept
                state[r["path"]] = replace(prev, doc_ids=list(r["doc_ids"]), missing=True)
        elif r["sha256"] and r["status"] in (*FILE_OUTCOMES, "unchanged"):
            prev = state.get(r["path"])
            status = prev.status if r["status"] == "unchanged" and prev else (
                "loaded" if r["status"] == "unchanged" else r["status"])
            state[r["path"]] = FileState(path=r["path"], parent=r["parent"], sha256=r["sha256"], bytes=r["bytes"],
                                         mtime_ns=None, format=r["format"], status=status, error=r["error"],
                                         doc_ids=list(r["doc_ids"] or []), n_docs=r["n_docs"] or 0,
                                         parser_version=r["parser_version"], run_id=r["run_id"], missing=False)
    return state


@dataclass
class Plan:
    items: list[WorkItem]                      # files to read (known_sha set: skipped if the hash matches)
    ledger: list[LedgerEntry]                  # decided without reading (unreadable, skipped, unchanged)
    previous: dict[str, FileState]             # path -> `files` row of the current snapshot
    stats: dict[str, tuple[int, int]]          # path -> (bytes, mtime_ns) at discovery
    missing: list[str]                         # known top-level files under the sources, not found
    children: dict[str, list[str]] = field(default_factory=dict)   # archive -> its members (previous)
    aliases: dict[str, str] = field(default_factory=dict)    # known path outside the sources -> the same
                                                             # file under a path of this run


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def make_plan(files: list[FileRef], previous: dict[str, FileState], run_id: str, roots: list[str], *,
              full_refresh: bool = False, trust_stat: bool = True) -> Plan:
    items: list[WorkItem] = []
    ledger: list[LedgerEntry] = []
    stats: dict[str, tuple[int, int]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for path, row in previous.items():
        if row.parent:
            children[row.parent].append(path)
    gone: set[str] = set()
    for f in files:
        if f.error and f.path in previous and f.error.startswith(NOT_FOUND):
            gone.add(f.path)          # a file named as a source that no longer exists: missing, not failed
            continue
        if f.error:
            ledger.append(LedgerEntry(run_id, f.path, f.size, "unknown", "failed", PARSER_VERSION, error=f.error))
            continue
        if f.skip:
            ledger.append(LedgerEntry(run_id, f.path, f.size, "unknown", "skipped", PARSER_VERSION, error=f.skip))
            continue
        stats[f.path] = (f.size, f.mtime_ns)
        prev = previous.get(f.path)
        reusable = (prev is not None and not full_refresh and prev.parser_version == PARSER_VERSION
                    and prev.parent is None)
        if reusable and trust_stat and prev.bytes == f.size and prev.mtime_ns == f.mtime_ns:
            ledger.append(LedgerEntry(run_id, f.path, f.size, prev.format, "unchanged", PARSER_VERSION,
                                      None, prev.sha256))
        else:
            items.append(WorkItem(f.path, f.size, prev.sha256 if reusable else None))
    seen = {f.path for f in files} - gone
    missing = [p for p, row in previous.items()
               if row.parent is None and p not in seen and _under(p, roots)]
    return Plan(items, ledger, previous, stats, sorted(missing), dict(children), _aliases(items, previous, roots))


def _aliases(items: list[WorkItem], previous: dict[str, FileState], roots: list[str]) -> dict[str, str]:
    """Known files outside the sources that are new files of this run under another path (the
    corpus reached through a symlink, or spelled with `..` by an older pouch): their documents are
    replaced by what the new path gives. Only files of the same name and size are compared."""
    outside = {(os.path.basename(p), row.bytes): p for p, row in previous.items()
               if row.parent is None and not _under(p, roots)}
    if not outside:
        return {}
    found = {}
    for it in items:
        old = outside.get((os.path.basename(it.path), it.size))
        if old is not None and it.path not in previous and _same_file(old, it.path):
            found[old] = it.path
    return found


class Changes:
    """What a run changes in `files`, fed with every ledger row of the run."""

    def __init__(self, plan: Plan, run_id: str, prune: bool) -> None:
        self.plan = plan
        self.run_id = run_id
        self.prune = prune
        self.updates: dict[str, FileState | None] = {}     # path -> new row (None: drop the row)
        self.replaced: set[str] = set()                     # paths whose previous documents go
        self.members: dict[str, set[str]] = defaultdict(set)   # archive -> members read this run
        self.moved: dict[str, set[str]] = defaultdict(set)     # missing source -> doc_ids now given by others
        self.elsewhere: dict[str, str] = {}                     # source outside the sources, gone -> new file

    # --- feeding -----------------------------------------------------------------------------
    def _replay(self, e: LedgerEntry, prev: dict) -> list[LedgerEntry]:
        """An unchanged file: its previous outcome again (and its archive members')."""
        e.format, e.doc_ids, e.n_docs = prev.format, list(prev.doc_ids), len(prev.doc_ids)
        if prev.status == "loaded":
            e.status, e.error = "unchanged", prev.error
        else:
            e.status, e.error = prev.status, f"{prev.error or prev.status} (unchanged since run {prev.run_id})"
        stat = self.plan.stats.get(e.path)
        if prev.missing or (stat and (prev.bytes, prev.mtime_ns) != stat):
            self.updates[e.path] = replace(prev, bytes=stat[0] if stat else prev.bytes,
                                           mtime_ns=stat[1] if stat else prev.mtime_ns, missing=False)
        out = [e]
        for m in self.plan.children.get(e.path, []) if prev.format == "zip" else []:
            row = self.plan.previous[m]
            out += self._replay(LedgerEntry(self.run_id, m, row.bytes, row.format, "unchanged",
                                            PARSER_VERSION, e.path, row.sha256), row)
        return out

    def note_ledger(self, entries: list[LedgerEntry]) -> list[LedgerEntry]:
        """Record the run's ledger rows; returns them (unchanged files with their previous outcome)."""
        out: list[LedgerEntry] = []
        for e in entries:
            prev = self.plan.previous.get(e.path)
            if e.status == "unchanged" and prev is not None and e.parent is None:
                out += self._replay(e, prev)
                continue
            out.append(e)
            if e.sha256 is None and e.status == "failed":
                continue          # unreadable this time: nothing is known about its bytes, keep its row
            if e.parent:
                self.members[e.parent].add(e.path)
            if prev is not None:
                self.replaced.add(e.path)
            if e.status in FILE_OUTCOMES and e.sha256:
                stat = self.plan.stats.get(e.path)
                self.updates[e.path] = FileState(
                    path=e.path, parent=e.parent, sha256=e.sha256, bytes=e.bytes,
                    mtime_ns=stat[1] if stat else None, format=e.format, status=e.status, error=e.error,
                    doc_ids=list(e.doc_ids), n_docs=len(e.doc_ids),
                    parser_version=e.parser_version, run_id=self.run_id, missing=False)
            elif prev is not None:
                self.updates[e.path] = None
        return out

    # --- deciding ----------------------------------------------------------------------------
    def _ids_of(self, path: str) -> set[str]:
        row = self.plan.previous[path]
        ids = set(row.doc_ids)
        for m in self.plan.children.get(path, []):
            ids.update(self.plan.previous[m].doc_ids)
        return ids

    def leaving_files(self) -> set[str]:
        """Known files whose previous documents go: read again this run (changed), aliases of a
        file of this run, missing files with --prune; archives with their members."""
        tops = {*self.replaced, *self.plan.aliases, *(self.plan.missing if self.prune else ())}
        return tops | {m for t in tops for m in self.plan.children.get(t, [])}

    def leaving(self) -> set[str]:
        """Committed documents whose sources leave (see `leaving_files`)."""
        out: set[str] = set()
        for p in self.leaving_files():
            if p in self.plan.previous:
                out |= set(self.plan.previous[p].doc_ids)
        return out

    def missing(self, top: str) -> bool:
        """The top-level file is gone: missing under the sources, or known as missing."""
        row = self.plan.previous.get(top)
        return top in self.plan.missing or bool(row and row.missing)

    def readable(self, top: str) -> bool:
        """The top-level file can be read again now: found by this run, or outside its sources
        and still on disk."""
        if top in self.plan.stats:
            return True
        return not self.missing(top) and os.path.exists(top)

    def set_doc_ids(self, path: str, doc_ids: list[str], note: str | None = None) -> None:
        """The documents a known or newly read file is a source of after the merge (and a note on
        them for its `error`)."""
        row = self.updates.get(path) if path in self.updates else self.plan.previous.get(path)
        if row is None or (list(row.doc_ids) == doc_ids and (note is None or row.error)):
            return
        self.updates[path] = replace(row, doc_ids=doc_ids, n_docs=len(doc_ids), error=row.error or note)

    def doc_ids(self, path: str) -> list[str]:
        """The file's documents as the run leaves them so far."""
        row = self.updates.get(path) if path in self.updates else self.plan.previous.get(path)
        return list(row.doc_ids) if row else []

    def gone(self) -> list[LedgerEntry]:
        """Ledger rows of files that are gone (after the merge filled `moved` and `elsewhere`)."""
        for own, ids in self.moved.items():
            row = self.updates.get(own) or replace(self.plan.previous[own])
            row.doc_ids = [d for d in row.doc_ids if d not in ids]
            row.n_docs = len(row.doc_ids)
            self.updates[own] = row
        return self._gone() + self._left_elsewhere()

    def _left_elsewhere(self) -> list[LedgerEntry]:
        """Files outside the run's sources whose documents moved to a file of this run."""
        out: list[LedgerEntry] = []
        moved = set().union(*self.moved.values()) if self.moved else set()
        for top, new in sorted({**self.elsewhere, **self.plan.aliases}.items()):
            row = self.plan.previous[top]
            alias = top in self.plan.aliases
            if not alias and self._ids_of(top) - moved:   # some documents stay with it
                self.updates[top] = replace(self.updates.get(top) or row, missing=True)
                continue
            why = ("the same file as " if alias else "no longer exists; now read as ") + new
            out.append(LedgerEntry(self.run_id, top, row.bytes, row.format, "deleted", PARSER_VERSION,
                                   None, row.sha256, f"{why}: its documents moved there", [], 0))
            for m in [top, *self.plan.children.get(top, [])]:
                self.updates[m] = None
        return out

    def _gone(self) -> list[LedgerEntry]:
        """Ledger rows of missing files and of members no longer in a changed archive."""
        out: list[LedgerEntry] = []
        prev = self.plan.previous
        moved = set().union(*self.moved.values()) if self.moved else set()
        for p in self.plan.missing:
            ids = sorted(self._ids_of(p) - moved)
            row = prev[p]
            if self.prune:
                why = f"source file no longer exists; its {len(ids)} documents were removed (--prune)"
                kept: list[str] = []
            elif ids:
                why = f"source file no longer exists; its {len(ids)} documents are kept (use --prune to remove them)"
                kept = ids
            else:
                why = "source file no longer exists"
                kept = []
            out.append(LedgerEntry(self.run_id, p, row.bytes, row.format, "deleted", PARSER_VERSION,
                                   None, row.sha256, why, kept, len(kept)))
            if kept:
                if not row.missing or p in self.moved:
                    self.updates[p] = replace(self.updates.get(p) or row, missing=True)
            else:
                for m in [p, *self.plan.children.get(p, [])]:
                    self.updates[m] = None
        for archive in self.replaced:
            for m in self.plan.children.get(archive, []):
                if m not in self.members[archive]:
                    row = prev[m]
                    out.append(LedgerEntry(self.run_id, m, row.bytes, row.format, "deleted", PARSER_VERSION,
                                           archive, row.sha256, "no longer in the archive; its documents were "
                                           "removed with the archive's old version", [], 0))
                    self.updates[m] = None
        return out

    def state_table(self) -> pa.Table | None:
        """The new `files` table, or None when no row changed."""
        if not self.updates:
            return None
        rows = {**self.plan.previous}
        for path, row in self.updates.items():
            if row is None:
                rows.pop(path, None)
            else:
                rows[path] = row
        return to_arrow([r for _, r in sorted(rows.items())], FILES)
