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

How the state is held (a million files on one machine): as Arrow columns, never a record per file.
The files found, the `files` rows of the snapshot, the new rows of the files read and the list of
files to read are tables in mapped files under the run's staging (`flows.warehouse.spill`; in
memory when no directory is given), each looked up by path through a `PathIndex` (hashes and
positions, 12 bytes a file). The plan is a join of the files found against the previous rows
(`pc.index_in`) with its tests done column by column; the ledger rows of unchanged files are
built from the previous rows in slices; the new `files` table is written in slices (the previous
rows that stay, the new rows, the edited ones), in no particular order. Only the rows a decision
needs become `FileState`s, one at a time.
"""
from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from transforms.records import FileState, LedgerEntry
from transforms.schema import FILE_OUTCOMES, FILES, LEDGER
from transforms.tables import to_arrow
from transforms.version import PARSER_VERSION

from ..batch import WorkItem
from ..discover import FOUND, FileRef, refs_table
from .paths import PathTable, take_rows
from .spill import Spill, spilled
from .store import Snapshot, read_table, scan_table

_FILE_FIELDS = tuple(FILES.names)
#: How `discover` says that a path given as a source does not exist.
NOT_FOUND = "no such file or directory"
#: Rows of unchanged files put in the ledger at a time (`Plan.ledger_slices`).
LEDGER_SLICE = 100_000


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def source_file(source_path: str) -> str:
    """The input file a document came from (`rows.csv#row3` -> `rows.csv`)."""
    return source_path.split("#row")[0]


class KnownFiles(PathTable):
    """The `files` rows of the current snapshot: Arrow columns with a path index (records in a dict
    took ~0.6 KB a file). Rows become `FileState`s one at a time, when asked for."""

    def __init__(self, table: pa.Table | None = None, spill: Spill | None = None) -> None:
        super().__init__(FILES.arrow_schema.empty_table() if table is None else table.select(_FILE_FIELDS), spill)

    @classmethod
    def of(cls, rows) -> KnownFiles:
        """From `FileState`s (a dict path -> row, or rows)."""
        rows = list(rows.values()) if isinstance(rows, dict) else list(rows)
        return cls(to_arrow(rows, FILES))

    def get(self, path: str) -> FileState | None:
        pos = self.find(path)
        return self.state(pos) if pos >= 0 else None

    def __getitem__(self, path: str) -> FileState:
        row = self.get(path)
        if row is None:
            raise KeyError(path)
        return row

    def state(self, pos: int) -> FileState:
        return FileState(**self.record(pos))

    def items(self):
        """(path, FileState) of every row (a slice at a time)."""
        for r in self.rows():
            yield r["path"], FileState(**r)


#: Columns of the files a plan reads (`Items`).
ITEMS = pa.schema([("path", pa.string()), ("size", pa.int64()), ("known_sha", pa.string())])


class Items:
    """The files a run reads, as columns (a million `WorkItem`s would take ~0.2 GB for the whole
    run); iterating makes the WorkItems a slice at a time, as the batches are formed."""

    def __init__(self, table: pa.Table, spill: Spill | None = None) -> None:
        self.table, self.spill = table, spill

    def __len__(self) -> int:
        return self.table.num_rows

    def __iter__(self) -> Iterator[WorkItem]:
        for start in range(0, self.table.num_rows, 65_536):
            part = self.table.slice(start, 65_536)
            for p, size, sha in zip(*(c.to_pylist() for c in part.columns)):
                yield WorkItem(p, size, sha)
            if self.spill is not None:
                self.spill.evict()

    def clear(self) -> None:
        self.table, self.spill = ITEMS.empty_table(), None


class FoundFiles(PathTable):
    """The files discovery found readable and of a type pouch reads: size and mtime by path."""

    def __init__(self, table: pa.Table, spill: Spill | None = None) -> None:
        super().__init__(table, spill)
        self._size = self._columns["size"].to_numpy(zero_copy_only=False)
        self._mtime = self._columns["mtime_ns"].to_numpy(zero_copy_only=False)

    def stat(self, path: str) -> tuple[int, int] | None:
        return self.stats([path])[0]

    def stats(self, paths: list[str]) -> list[tuple[int, int] | None]:
        """(bytes, mtime_ns) of each path, None for a path not found (one vectorized search)."""
        return [(int(self._size[i]), int(self._mtime[i])) if i >= 0 else None for i in self.index.find_many(paths)]


def load_state(snapshot: Snapshot | None, state_dir: Path | None = None) -> KnownFiles:
    """The `files` rows of the snapshot, held in a mapped file under `state_dir` (`flows.warehouse.spill`;
    None: in memory). A warehouse written before `files` existed gets them from the ledger (latest
    row per path; no mtimes, so each file is hashed once)."""
    if snapshot is None:
        return KnownFiles()
    if "files" in snapshot.manifest["tables"]:
        if state_dir is None or not snapshot.files("files"):
            return KnownFiles(read_table(snapshot, "files"))
        return KnownFiles(*spilled(scan_table(snapshot, "files"), state_dir / "previous"))
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
    return KnownFiles.of(sorted(state.values(), key=lambda r: r.path))


@dataclass
class Plan:
    items: Items                               # files to read (known_sha set: skipped if the hash matches)
    previous: KnownFiles                       # `files` rows of the current snapshot
    found: FoundFiles                          # size and mtime of the files found, by path
    missing: list[str]                         # known top-level files under the sources, not found
    children: dict[str, list[str]] = field(default_factory=dict)   # archive -> its members (previous)
    aliases: dict[str, str] = field(default_factory=dict)    # known path outside the sources -> the same
                                                             # file under a path of this run
    refused: pa.Table | None = None            # ledger rows of files found but not read (failed, skipped)
    unchanged: np.ndarray | None = None        # rows of `previous` not read: unchanged (with archive members)
    revived: dict[str, FileState] = field(default_factory=dict)   # unchanged files known as missing: back
    dropped: list[str] = field(default_factory=list)   # known files now skipped: their rows and documents go
    state_dir: Path | None = None              # where the run's per-file state is mapped from (None: memory)

    def evict(self) -> None:
        """Hand the mapped per-file state back to the operating system until it is read again."""
        self.previous.evict()
        self.found.evict()

    def stat(self, path: str) -> tuple[int, int] | None:
        """(bytes, mtime_ns) of a file found by this run, None for others."""
        return self.found.stat(path)

    def ledger_slices(self, run_id: str):
        """The ledger rows decided without reading, as Arrow tables of at most `LEDGER_SLICE` rows:
        files refused at discovery, and unchanged files with their previous outcome (archive
        members with theirs), built column by column from `previous`."""
        if self.refused is not None and self.refused.num_rows:
            yield self.refused
        rows = self.unchanged if self.unchanged is not None else np.empty(0, np.int64)
        for start in range(0, len(rows), LEDGER_SLICE):
            yield _replayed(take_rows(self.previous.table, rows[start:start + LEDGER_SLICE]), run_id)
            self.previous.evict()

    def ledger(self, run_id: str) -> pa.Table:
        """Every row of `ledger_slices` (for tests and small runs)."""
        return pa.concat_tables([LEDGER.arrow_schema.empty_table(), *self.ledger_slices(run_id)])

    def release(self, everything: bool = False) -> None:
        """The ledger rows are written: let go of what built them (`everything`: the run is staged,
        let go of the per-file state too)."""
        self.refused, self.unchanged = None, None
        if everything:
            self.previous, self.found = KnownFiles(), FoundFiles(FOUND.empty_table().select(["path", "size", "mtime_ns"]))
            self.items, self.children, self.revived = Items(ITEMS.empty_table()), {}, {}


def _replayed(prev: pa.Table, run_id: str) -> pa.Table:
    """Ledger rows of unchanged files: their previous outcome again (`unchanged` for a file that was
    loaded; `quarantined`/`failed` with the same reason, "unchanged since run R")."""
    n = prev.num_rows
    loaded = pc.equal(prev.column("status"), "loaded")
    again = pc.binary_join_element_wise(pc.coalesce(prev.column("error"), prev.column("status")),
                                        " (unchanged since run ", prev.column("run_id"), ")", "")
    columns = {
        "run_id": pa.repeat(run_id, n),
        "path": prev.column("path"), "parent": prev.column("parent"), "sha256": prev.column("sha256"),
        "bytes": prev.column("bytes"), "format": prev.column("format"),
        "status": pc.if_else(loaded, "unchanged", prev.column("status")),
        "error": pc.if_else(loaded, prev.column("error"), again),
        "doc_ids": prev.column("doc_ids"),
        "n_docs": pc.list_value_length(prev.column("doc_ids")).cast(pa.int32()),
        "parser_version": pa.repeat(PARSER_VERSION, n),
        "seconds": pa.nulls(n, pa.float32()),
    }
    schema = LEDGER.arrow_schema
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def _refused(rows: pa.Table, status: str, reason: str, run_id: str) -> pa.Table:
    """Ledger rows of files found but not read (`failed` at discovery, `skipped`)."""
    n = rows.num_rows
    schema = LEDGER.arrow_schema
    columns = {"run_id": pa.repeat(run_id, n), "path": rows.column("path"), "bytes": rows.column("size"),
               "format": pa.repeat("unknown", n), "status": pa.repeat(status, n), "error": rows.column(reason),
               "doc_ids": pa.array([[]] * n, schema.field("doc_ids").type),     # (`pa.repeat` fails on 0 empty lists)
               "n_docs": pa.repeat(pa.scalar(0, pa.int32()), n), "parser_version": pa.repeat(PARSER_VERSION, n)}
    return pa.Table.from_arrays([columns.get(f.name, pa.nulls(n, f.type)) for f in schema], schema=schema)


def _under_mask(paths: pa.ChunkedArray | pa.Array, roots: list[str]) -> pa.Array:
    """Paths equal to or under one of `roots`."""
    mask = pa.repeat(False, len(paths))
    for r in roots:
        mask = pc.or_(mask, pc.or_(pc.equal(paths, r), pc.starts_with(paths, r.rstrip("/") + "/")))
    return mask


def _true(mask) -> pa.Array:
    return pc.fill_null(mask, False)


def make_plan(files: pa.Table | list[FileRef], previous: KnownFiles | dict[str, FileState], run_id: str,
              roots: list[str], *, full_refresh: bool = False, trust_stat: bool = True,
              state_dir: Path | None = None) -> Plan:
    """Decide per file (module docstring), column by column: a million unchanged files never become
    Python objects here. The files found are kept in a mapped file under `state_dir` (None: in memory)."""
    if not isinstance(files, pa.Table):
        files = refs_table(files)
    if not isinstance(previous, KnownFiles):
        previous = KnownFiles.of(previous)
    prev = previous.table
    path, error, skip = files.column("path"), files.column("error"), files.column("skip")
    pos = pc.index_in(path, value_set=prev.column("path"))                   # row in `previous`, or null
    known = pc.is_valid(pos)
    gone = _true(pc.and_(known, pc.starts_with(error, NOT_FOUND)))  # named as a source, no longer there
    failed = pc.and_(pc.is_valid(error), pc.invert(gone))
    skipped = pc.and_(pc.is_null(error), pc.is_valid(skip))
    refused = pa.concat_tables([_refused(files.filter(failed), "failed", "error", run_id),
                                _refused(files.filter(skipped), "skipped", "skip", run_id)]).sort_by("path")
    dropped = files.filter(_true(pc.and_(skipped, known))).column("path").to_pylist()

    ok = pc.and_(pc.is_null(error), pc.is_null(skip))
    found = files.filter(ok).select(["path", "size", "mtime_ns"])
    at = pos.filter(ok)
    # the previous row's columns at each file found: tests on `previous` first, then taken (a bool or
    # an int a file; never a copy of its strings)
    current = pc.and_(pc.equal(prev.column("parser_version"), PARSER_VERSION), pc.is_null(prev.column("parent")))
    reusable = _true(current.take(at))
    if full_refresh:
        reusable = pa.repeat(False, found.num_rows)
    same = _true(pc.and_(pc.equal(prev.column("bytes").take(at), found.column("size")),
                         pc.equal(prev.column("mtime_ns").take(at), found.column("mtime_ns"))))
    fast = pc.and_(reusable, same) if trust_stat else pa.repeat(False, found.num_rows)
    read = pc.invert(fast)
    known_sha = _known_sha(prev, at.filter(read), reusable.filter(read))
    items = Items(*spilled(pa.Table.from_arrays(
        [found.column("path").filter(read), found.column("size").filter(read), known_sha], schema=ITEMS),
        state_dir / "items" if state_dir else None))
    del known_sha
    unchanged = _with_members(prev, _rows(at.filter(fast)))
    back = unchanged[_true(prev.column("missing").take(unchanged)).to_numpy(zero_copy_only=False)]
    revived = {r["path"]: replace(FileState(**r), missing=False) for r in take_rows(prev, back).to_pylist()}

    parent = prev.column("parent")
    children: dict[str, list[str]] = defaultdict(list)
    for p, par in zip(*(c.to_pylist() for c in prev.select(["path", "parent"]).filter(pc.is_valid(parent)).columns)):
        children[par].append(p)
    tops = pc.is_null(parent)
    under = _under_mask(prev.column("path"), roots)
    seen = np.zeros(prev.num_rows, bool)                 # rows of `previous` found by this run
    seen[_rows(pos.filter(pc.invert(gone)).drop_null())] = True
    missing = prev.select(["path"]).filter(pc.and_(pc.and_(tops, under), pa.array(~seen)))
    outside = prev.select(["path", "bytes"]).filter(pc.and_(tops, pc.invert(under)))
    found = FoundFiles(*spilled(found, state_dir / "found" if state_dir else None))
    return Plan(items, previous, found, sorted(missing.column("path").to_pylist()), dict(children),
                _aliases(items, outside, previous), refused, unchanged, revived, dropped, state_dir)


def _known_sha(prev: pa.Table, at: pa.ChunkedArray, reusable: pa.ChunkedArray) -> pa.Array:
    """The previous sha256 of each file to read whose row can be reused (null for the others)."""
    use = np.flatnonzero(reusable.to_numpy(zero_copy_only=False))
    values = take_rows(prev.column("sha256"), _rows(at.take(pa.array(use)))).combine_chunks()
    where = np.full(len(at), -1, np.int64)
    where[use] = np.arange(len(use))
    return values.take(pa.array(where, mask=where < 0))


def _rows(positions: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Row positions (no nulls) as a numpy array."""
    return np.asarray(positions.to_numpy(zero_copy_only=False), dtype=np.int64)


def _with_members(prev: pa.Table, rows: np.ndarray) -> np.ndarray:
    """Rows of unchanged files, with the rows of the members of those that are archives (and of
    theirs): an unchanged archive's members are unchanged too. Sorted."""
    out, tops = [rows], rows
    while len(tops):
        zips = tops[_true(pc.equal(take_rows(prev.column("format"), tops), "zip")).to_numpy(zero_copy_only=False)]
        if not len(zips):
            break
        archives = take_rows(prev.column("path"), zips).combine_chunks()
        tops = np.flatnonzero(_true(pc.is_in(prev.column("parent"), value_set=archives)).to_numpy(zero_copy_only=False))
        out.append(tops)
    return np.sort(np.concatenate(out))


def _aliases(items: Items, outside: pa.Table, previous: KnownFiles) -> dict[str, str]:
    """Known files outside the sources that are new files of this run under another path (the
    corpus reached through a symlink, or spelled with `..` by an older pouch): their documents are
    replaced by what the new path gives. Only files of the same name and size are compared."""
    if not outside.num_rows:
        return {}
    by_name = {(os.path.basename(p), size): p for p, size in zip(*(c.to_pylist() for c in outside.columns))}
    found = {}
    for it in items:
        old = by_name.get((os.path.basename(it.path), it.size))
        if old is not None and it.path not in previous and _same_file(old, it.path):
            found[old] = it.path
    return found


class Changes:
    """What a run changes in `files`, fed with the ledger rows of the files it reads.

    New rows of files read this run are kept as Arrow chunks (a first run at 10^6 files: ~0.25 GB,
    where records took ~0.56 GB); later changes to single rows (documents after the merge, files
    gone, unchanged files hashed again) are records in `edits`, which win over both."""

    def __init__(self, plan: Plan, run_id: str, prune: bool) -> None:
        self.plan = plan
        self.run_id = run_id
        self.prune = prune
        self.edits: dict[str, FileState | None] = dict(plan.revived)   # path -> row (None: drop the row)
        self.edits.update(dict.fromkeys(plan.dropped))
        self.replaced: set[str] = set(plan.dropped)         # paths whose previous documents go
        self.members: dict[str, set[str]] = defaultdict(set)   # archive -> members read this run
        self.moved: dict[str, set[str]] = defaultdict(set)     # missing source -> doc_ids now given by others
        self.elsewhere: dict[str, str] = {}                     # source outside the sources, gone -> new file
        self._rows = Spill(FILES.arrow_schema, plan.state_dir / "new" if plan.state_dir else None)
        self._fresh: KnownFiles | None = None                   # the new rows, indexed (`_new`)

    # --- feeding -----------------------------------------------------------------------------
    def _replay(self, entries: list[LedgerEntry], positions: list[int]) -> list[LedgerEntry]:
        """Files found unchanged by their hash (their stat changed): their previous outcome again,
        with their archive members', as for the files the plan found unchanged (`_replayed`); their
        rows take the new stat."""
        prev = self.plan.previous
        rows = _with_members(prev.table, np.array(positions, np.int64))
        seconds = {e.path: e.seconds for e in entries}
        out = [LedgerEntry(**{**r, "seconds": seconds.get(r["path"])})
               for r in _replayed(take_rows(prev.table, rows), self.run_id).to_pylist()]
        for pos in rows.tolist():
            row = prev.state(pos)
            stat = self.plan.stat(row.path)
            if row.missing or (stat and (row.bytes, row.mtime_ns) != stat):
                self.edits[row.path] = replace(row, bytes=stat[0] if stat else row.bytes,
                                               mtime_ns=stat[1] if stat else row.mtime_ns, missing=False)
        return out

    def note_ledger(self, entries: list[LedgerEntry]) -> list[LedgerEntry]:
        """Record the ledger rows of files this run read; returns them (files found unchanged by
        their hash with their previous outcome)."""
        out: list[LedgerEntry] = []
        rows: list[FileState] = []
        hashed: tuple[list[LedgerEntry], list[int]] = ([], [])
        paths = [e.path for e in entries]
        known = self.plan.previous.index.find_many(paths)
        for e, pos, stat in zip(entries, known, self.plan.found.stats(paths)):
            if e.status == "unchanged" and pos >= 0 and e.parent is None:
                hashed[0].append(e)
                hashed[1].append(pos)
                continue
            out.append(e)
            if e.sha256 is None and e.status == "failed":
                continue          # unreadable this time: nothing is known about its bytes, keep its row
            if e.parent:
                self.members[e.parent].add(e.path)
            if pos >= 0:
                self.replaced.add(e.path)
            if e.status in FILE_OUTCOMES and e.sha256:
                rows.append(FileState(
                    path=e.path, parent=e.parent, sha256=e.sha256, bytes=e.bytes,
                    mtime_ns=stat[1] if stat else None, format=e.format, status=e.status, error=e.error,
                    doc_ids=list(e.doc_ids), n_docs=len(e.doc_ids),
                    parser_version=e.parser_version, run_id=self.run_id, missing=False))
            elif pos >= 0:
                self.edits[e.path] = None
        if rows:
            self._rows.write(to_arrow(rows, FILES))      # new rows of files read this run
            self._fresh = None
        return out + (self._replay(*hashed) if hashed[0] else [])

    # --- looking up --------------------------------------------------------------------------
    def _new(self) -> KnownFiles:
        if self._fresh is None:
            self._fresh = KnownFiles(self._rows.table(), self._rows)
        return self._fresh

    def evict(self) -> None:
        self._rows.evict()

    def _changed(self, path: str) -> FileState | None:
        """The row as this run changed it (None: not changed, or dropped)."""
        if path in self.edits:
            return self.edits[path]
        return self._new().get(path) if self._rows.rows else None

    def current(self, path: str) -> FileState | None:
        """The file's row as the run leaves it so far (None: no row)."""
        if path in self.edits:
            return self.edits[path]
        return self._changed(path) or self.plan.previous.get(path)

    def known(self, path: str) -> bool:
        """The file has a row before or after this run."""
        return path in self.edits or (bool(self._rows.rows) and path in self._new()) or path in self.plan.previous

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
        paths = self.leaving_files()
        if not paths:
            return set()
        prev = self.plan.previous.table
        rows = prev.filter(pc.is_in(prev.column("path"), value_set=pa.array(list(paths), pa.string())))
        return set(pc.list_flatten(rows.column("doc_ids")).to_pylist())

    def missing(self, top: str) -> bool:
        """The top-level file is gone: missing under the sources, or known as missing."""
        row = self.plan.previous.get(top)
        return top in self.plan.missing or bool(row and row.missing)

    def readable(self, top: str) -> bool:
        """The top-level file can be read again now: found by this run, or outside its sources
        and still on disk."""
        if self.plan.stat(top) is not None:
            return True
        return not self.missing(top) and os.path.exists(top)

    def set_doc_ids(self, path: str, doc_ids: list[str], note: str | None = None) -> None:
        """The documents a known or newly read file is a source of after the merge (and a note on
        them for its `error`)."""
        row = self.current(path)
        if row is None or (list(row.doc_ids) == doc_ids and (note is None or row.error)):
            return
        self.edits[path] = replace(row, doc_ids=doc_ids, n_docs=len(doc_ids), error=row.error or note)

    def doc_ids(self, path: str) -> list[str]:
        """The file's documents as the run leaves them so far."""
        row = self.current(path)
        return list(row.doc_ids) if row else []

    def gone(self) -> list[LedgerEntry]:
        """Ledger rows of files that are gone (after the merge filled `moved` and `elsewhere`)."""
        for own, ids in self.moved.items():
            row = replace(self._changed(own) or self.plan.previous[own])
            row.doc_ids = [d for d in row.doc_ids if d not in ids]
            row.n_docs = len(row.doc_ids)
            self.edits[own] = row
        return self._gone() + self._left_elsewhere()

    def _left_elsewhere(self) -> list[LedgerEntry]:
        """Files outside the run's sources whose documents moved to a file of this run."""
        out: list[LedgerEntry] = []
        moved = set().union(*self.moved.values()) if self.moved else set()
        for top, new in sorted({**self.elsewhere, **self.plan.aliases}.items()):
            row = self.plan.previous[top]
            alias = top in self.plan.aliases
            if not alias and self._ids_of(top) - moved:   # some documents stay with it
                self.edits[top] = replace(self._changed(top) or row, missing=True)
                continue
            why = ("the same file as " if alias else "no longer exists; now read as ") + new
            out.append(LedgerEntry(self.run_id, top, row.bytes, row.format, "deleted", PARSER_VERSION,
                                   None, row.sha256, f"{why}: its documents moved there", [], 0))
            for m in [top, *self.plan.children.get(top, [])]:
                self.edits[m] = None
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
                    self.edits[p] = replace(self._changed(p) or row, missing=True)
            else:
                for m in [p, *self.plan.children.get(p, [])]:
                    self.edits[m] = None
        for archive in self.replaced:
            for m in self.plan.children.get(archive, []):
                if m not in self.members[archive]:
                    row = prev[m]
                    out.append(LedgerEntry(self.run_id, m, row.bytes, row.format, "deleted", PARSER_VERSION,
                                           archive, row.sha256, "no longer in the archive; its documents were "
                                           "removed with the archive's old version", [], 0))
                    self.edits[m] = None
        return out

    def state_pieces(self) -> Iterator[pa.Table] | None:
        """The new `files` table in pieces (None when no row changed): the previous rows that stay,
        the new rows of files read this run, the edited rows. Column by column, a slice at a time;
        in no particular order (the table is looked up by path)."""
        if not self.edits and not self._rows.rows:
            return None
        new = self._fresh.table if self._fresh is not None else self._rows.table()
        edited = pa.array(sorted(self.edits), pa.string())
        return self._pieces(new, edited)

    def _pieces(self, new: pa.Table, edited: pa.Array) -> Iterator[pa.Table]:
        prev = self.plan.previous.table
        if prev.num_rows:
            replaced = pa.concat_arrays([*new.column("path").chunks, edited])
            for start in range(0, prev.num_rows, LEDGER_SLICE):
                part = prev.slice(start, LEDGER_SLICE)
                yield part.filter(pc.invert(pc.is_in(part.column("path"), value_set=replaced)))
                self.plan.previous.evict()
            del replaced
        for start in range(0, new.num_rows, LEDGER_SLICE):
            part = new.slice(start, LEDGER_SLICE)
            yield part.filter(pc.invert(pc.is_in(part.column("path"), value_set=edited)))
            self._rows.evict()
        yield to_arrow([r for r in self.edits.values() if r is not None], FILES)

    def state_table(self) -> pa.Table | None:
        """`state_pieces` as one table (tests, small runs)."""
        pieces = self.state_pieces()
        return None if pieces is None else pa.concat_tables(list(pieces))
