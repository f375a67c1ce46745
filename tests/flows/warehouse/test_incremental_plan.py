"""What a run reads and what its results replace (`flows.warehouse.incremental` and the document
decisions of `flows.warehouse.merge`), as pure decisions over hand-made `files` and `sources` rows:
each case names the situation it stands for."""
from __future__ import annotations

from dataclasses import asdict
from types import SimpleNamespace

import pyarrow as pa
import pytest

from flows.discover import FileRef
from flows.warehouse.incremental import Changes, load_state, make_plan
from flows.warehouse.merge import Merger, _Stored
from transforms.records import FileState, LedgerEntry
from transforms.version import PARSER_VERSION

RUN = "r9"


def row(path: str, doc_ids=(), *, sha="s1", size=10, mtime=100, status="loaded", parent=None, fmt="cable_text",
        version=PARSER_VERSION, missing=False, error=None) -> FileState:
    return FileState(path=path, parent=parent, sha256=sha, bytes=size, mtime_ns=mtime, format=fmt, status=status,
                     error=error, doc_ids=list(doc_ids), n_docs=len(doc_ids), parser_version=version, run_id="r1",
                     missing=missing)


def state(*rows: FileState) -> dict[str, FileState]:
    return {r.path: r for r in rows}


def ref(path: str, size=10, mtime=100) -> FileRef:
    return FileRef(path, size, mtime)


def loaded(path: str, doc_ids, sha="s2", parent=None) -> LedgerEntry:
    return LedgerEntry(RUN, path, 10, "cable_text", "loaded", PARSER_VERSION, parent, sha, None, list(doc_ids),
                       len(doc_ids))


@pytest.mark.parametrize("prev, f, kw, known", [
    pytest.param(row("/in/a"), ref("/in/a"), {}, "skip", id="same-size-and-mtime-not-read"),
    pytest.param(row("/in/a"), ref("/in/a", mtime=200), {}, "s1", id="touched-hashed-against-known-sha"),
    pytest.param(row("/in/a"), ref("/in/a", size=11), {}, "s1", id="resized-hashed"),
    pytest.param(row("/in/a"), ref("/in/a"), {"trust_stat": False}, "s1", id="rehash-hashes-every-file"),
    pytest.param(row("/in/a", version="0.0.1"), ref("/in/a"), {}, None, id="parser-bump-reprocessed"),
    pytest.param(row("/in/a"), ref("/in/a"), {"full_refresh": True}, None, id="full-refresh-reprocessed"),
    pytest.param(row("/in/a", status="quarantined"), ref("/in/a"), {}, "skip", id="quarantined-unchanged-not-read"),
    pytest.param(None, ref("/in/new"), {}, None, id="new-file-read"),
])
def test_plan_decides_per_file(prev, f, kw, known):
    plan = make_plan([f], state(prev) if prev else {}, RUN, ["/in"], **kw)
    if known == "skip":
        again = "unchanged" if prev.status == "loaded" else prev.status     # its outcome again
        assert not plan.items and ledger(plan, "path", "status") == [(f.path, again)]
    else:
        assert [(i.path, i.known_sha) for i in plan.items] == [(f.path, known)] and not ledger(plan)


def test_missing_files_are_those_under_the_sources_only():
    prev = state(row("/in/a"), row("/in/gone"), row("/elsewhere/b"), row("/in/x.zip::m", parent="/in/x.zip"),
                 row("/in/x.zip", fmt="zip"))
    plan = make_plan([ref("/in/a"), ref("/in/x.zip")], prev, RUN, ["/in"])
    assert plan.missing == ["/in/gone"]
    assert plan.children == {"/in/x.zip": ["/in/x.zip::m"]}


def ledger(plan, *columns) -> list:
    """The plan's ledger rows (decided without reading) as tuples of `columns` (all when none)."""
    rows = plan.ledger(RUN).to_pylist()
    return [tuple(r[c] for c in columns) if columns else r for r in rows]


def feed(plan, entries, prune=False) -> tuple[Changes, list[LedgerEntry]]:
    ch = Changes(plan, RUN, prune)
    return ch, ch.note_ledger(entries)


def test_unchanged_files_replay_their_outcome_with_archive_members():
    prev = state(row("/in/q.txt", status="quarantined", error="no date"),
                 row("/in/x.zip", fmt="zip"), row("/in/x.zip::m1", ["D1"], parent="/in/x.zip", mtime=None))
    plan = make_plan([ref("/in/q.txt"), ref("/in/x.zip")], prev, RUN, ["/in"])
    ch, _ = feed(plan, [])
    got = ledger(plan, "path", "status", "doc_ids", "parent", "n_docs")
    assert got == [("/in/q.txt", "quarantined", [], None, 0), ("/in/x.zip", "unchanged", [], None, 0),
                   ("/in/x.zip::m1", "unchanged", ["D1"], "/in/x.zip", 1)]
    assert ledger(plan, "error")[0] == ("no date (unchanged since run r1)",)
    assert ch.state_table() is None                       # nothing changed: the files table is kept


def test_touched_file_keeps_its_row_with_the_new_mtime():
    plan = make_plan([ref("/in/a", mtime=200)], state(row("/in/a", ["D1"])), RUN, ["/in"])
    hashed = LedgerEntry(RUN, "/in/a", 10, "unknown", "unchanged", PARSER_VERSION, None, "s1")
    ch, out = feed(plan, [hashed])
    assert out[0].doc_ids == ["D1"] and not ch.leaving()
    new = ch.state_table().to_pylist()[0]
    assert (new["mtime_ns"], new["run_id"], new["doc_ids"]) == (200, "r1", ["D1"])


def settle(plan, entries, staged: dict[str, str], prune=False, reread: dict[str, str] | None = None):
    """Feed the run's ledger rows, stage `staged` (doc_id -> source_path), and settle against the
    committed sources of the plan's files (each file gives its doc_ids; a CSV its rows)."""
    ch, _ = feed(plan, entries, prune)
    committed = [_Stored(d, d.split("~")[0], path) for path, r in plan.previous.items() for d in r.doc_ids]
    # a committed snapshot without `sources` files: its sources are `committed`
    merger = Merger(plan, ch, SimpleNamespace(files=lambda table: []), RUN, None)
    merger._committed = lambda column, values: [s for s in committed if getattr(s, column) in set(
        values.to_pylist() if isinstance(values, pa.Array) else values)]
    def stage(docs: dict[str, str]) -> None:
        ids = merger.stage_copies(list(docs))
        merger.log.add(pa.chunked_array([ids], pa.string()), pa.chunked_array([list(docs.values())], pa.string()))

    stage(staged)
    items = merger.rereads()
    stage(reread or {})                              # what reading `items` again gave
    merger._read_staged = lambda raw, ids: (_ for _ in ()).throw(AssertionError("nothing to merge here"))
    return ch, merger, items, (merger.finish({}) if not reread else None)


def test_changed_file_replaces_its_previous_documents():
    plan = make_plan([ref("/in/a", mtime=200)], state(row("/in/a", ["D1", "D2"])), RUN, ["/in"])
    ch, _, items, res = settle(plan, [loaded("/in/a", ["D1"])], {"D1": "/in/a"})
    assert ch.leaving() == {"D1", "D2"} and not items
    assert res.delete_existing == {"D1", "D2"} and not res.delete_staged


def test_unreadable_file_keeps_its_documents():
    plan = make_plan([ref("/in/a", mtime=200)], state(row("/in/a", ["D1"])), RUN, ["/in"])
    failed = LedgerEntry(RUN, "/in/a", 10, "unknown", "failed", PARSER_VERSION, error="cannot read file: EIO")
    ch, _ = feed(plan, [failed])
    assert not ch.leaving() and ch.state_table() is None


def test_new_copy_of_a_committed_document_rereads_its_other_source():
    plan = make_plan([ref("/in/a"), ref("/in/b.txt")], state(row("/in/a", ["D1"])), RUN, ["/in"])
    _, _, items, _ = settle(plan, [loaded("/in/b.txt", ["D1"])], {"D1": "/in/b.txt"},
                            reread={"D1": "/in/a"})
    assert [(i.path, i.only) for i in items] == [("/in/a", frozenset({"/in/a"}))]


def test_changed_source_rereads_the_other_sources_of_its_documents():
    prev = state(row("/in/a", ["D1"]), row("/in/rows.csv", ["D1", "D7"], fmt="cables_csv"))
    plan = make_plan([ref("/in/a", mtime=200), ref("/in/rows.csv")], prev, RUN, ["/in"])
    _, merger, items, _ = settle(plan, [loaded("/in/a", ["D1"])], {"D1": "/in/a"},
                                 reread={"D1": "/in/rows.csv"})
    assert [(i.path, i.only) for i in items] == [("/in/rows.csv", frozenset({"/in/rows.csv"}))]
    assert merger.affected == {"D1"}                          # D7 is not touched


def test_document_of_a_missing_file_moves_to_the_new_file():
    plan = make_plan([ref("/in/renamed")], state(row("/in/old", ["D1"])), RUN, ["/in"])
    ch, _, items, res = settle(plan, [loaded("/in/renamed", ["D1"])], {"D1": "/in/renamed"})
    assert not items and res.delete_existing == {"D1"} and not res.delete_staged
    gone = [(e.path, e.status, e.doc_ids) for e in res.ledger]
    assert gone == [("/in/old", "deleted", [])]
    assert [r["path"] for r in ch.state_table().to_pylist()] == ["/in/renamed"]


@pytest.mark.parametrize("prune, kept, leaving", [
    pytest.param(False, ["D1"], set(), id="reported-documents-kept"),
    pytest.param(True, [], {"D1"}, id="pruned-documents-removed"),
])
def test_missing_file(prune, kept, leaving):
    plan = make_plan([], state(row("/in/gone", ["D1"])), RUN, ["/in"])
    ch, _, _, res = settle(plan, [], {}, prune=prune)
    assert [(e.status, e.doc_ids) for e in res.ledger] == [("deleted", kept)]
    assert res.delete_existing == leaving
    rows = ch.state_table().to_pylist()
    assert [(r["path"], r["missing"]) for r in rows] == ([("/in/gone", True)] if kept else [])


def test_missing_file_that_is_the_last_source_keeps_the_document_as_committed():
    prev = state(row("/in/gone", ["D1"]), row("/in/a", ["D1"]))
    plan = make_plan([ref("/in/a", mtime=200)], prev, RUN, ["/in"])
    ch, _, items, res = settle(plan, [loaded("/in/a", [])], {})    # a no longer gives D1; gone is missing
    assert not items and "D1" not in res.delete_existing
    assert ch.doc_ids("/in/gone") == ["D1"] and ch.doc_ids("/in/a") == []


def test_member_no_longer_in_a_changed_archive_is_reported():
    prev = state(row("/in/x.zip", fmt="zip"), row("/in/x.zip::m1", ["D1"], parent="/in/x.zip"),
                 row("/in/x.zip::m2", ["D2"], parent="/in/x.zip"))
    plan = make_plan([ref("/in/x.zip", mtime=200)], prev, RUN, ["/in"])
    archive = LedgerEntry(RUN, "/in/x.zip", 10, "zip", "loaded", PARSER_VERSION, None, "s2")
    ch, _, _, res = settle(plan, [archive, loaded("/in/x.zip::m1", ["D1"], parent="/in/x.zip")],
                           {"D1": "/in/x.zip::m1"})
    assert res.delete_existing == {"D1", "D2"}
    assert [(e.path, e.status) for e in res.ledger] == [("/in/x.zip::m2", "deleted")]
    assert sorted(r["path"] for r in ch.state_table().to_pylist()) == ["/in/x.zip", "/in/x.zip::m1"]


def test_state_of_an_older_warehouse_comes_from_its_ledger(tmp_path):
    from flows.warehouse.store import Layout, current_snapshot
    from tests.flows.warehouse.test_store import run
    layout = Layout(tmp_path / "wh")
    layout.ensure()
    run(layout, "r1", [{"doc_id": "D1", "doc_type": "cable", "year": "2009", "text": "t", "run_id": "r1"}])
    snap = current_snapshot(layout)
    del snap.manifest["tables"]["files"]                   # as written before `files` existed
    prev = load_state(snap)
    assert prev["/in/r1"].doc_ids == ["D1"] and prev["/in/r1"].mtime_ns is None


def test_source_file_named_as_a_source_and_gone_is_missing_not_failed():
    gone = FileRef("/in/a.txt", 0, 0, error="no such file or directory")
    plan = make_plan([gone], state(row("/in/a.txt", ["D1"])), RUN, ["/in/a.txt"])
    assert plan.missing == ["/in/a.txt"] and not ledger(plan) and not plan.items


def test_document_moves_from_a_file_outside_the_sources_that_is_gone():
    plan = make_plan([ref("/in/a")], state(row("/elsewhere/old/a", ["D1"])), RUN, ["/in"])
    _, _, _, res = settle(plan, [loaded("/in/a", ["D1"])], {"D1": "/in/a"})
    assert res.delete_existing == {"D1"} and not res.delete_staged
    assert [(e.path, e.status) for e in res.ledger] == [("/elsewhere/old/a", "deleted")]
    assert "now read as /in/a" in res.ledger[0].error


def test_document_moves_from_another_path_to_the_same_file(tmp_path):
    real = tmp_path / "in" / "a.txt"
    real.parent.mkdir()
    real.write_text("x")
    alias = tmp_path / "alias"
    alias.symlink_to(real.parent)                       # the warehouse knew the file by this path
    old = (alias / "a.txt").as_posix()
    plan = make_plan([ref(real.as_posix())], state(row(old, ["D1", "D2"])), RUN, [real.parent.as_posix()])
    assert plan.aliases == {old: real.as_posix()}
    ch, _, items, res = settle(plan, [loaded(real.as_posix(), ["D1"])], {"D1": real.as_posix()})
    assert not items                                    # the alias is not read again: it is the same file
    assert res.delete_existing == {"D1", "D2"} and "the same file as" in res.ledger[0].error   # read anew
    assert [r["path"] for r in ch.state_table().to_pylist()] == [real.as_posix()]


def test_document_of_an_existing_file_outside_the_sources_is_merged_with_it(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("another file with the same document")
    plan = make_plan([ref("/in/a")], state(row(other.as_posix(), ["D1"])), RUN, ["/in"])
    _, _, items, _ = settle(plan, [loaded("/in/a", ["D1"])], {"D1": "/in/a"}, reread={"D1": other.as_posix()})
    assert [(i.path, i.only) for i in items] == [(other.as_posix(), frozenset({other.as_posix()}))]


def test_files_unchanged_by_hash_replay_as_the_plan_replays_unchanged_files():
    """A touched file (new mtime, same bytes) is hashed in its batch; its ledger rows (with its
    archive members') are those the plan gives a file it skips by its stat, and its row takes the new mtime."""
    prev = state(row("/in/q.txt", status="quarantined", error="no date"), row("/in/x.zip", fmt="zip"),
                 row("/in/x.zip::m1", ["D1"], parent="/in/x.zip", mtime=None))
    skipped = make_plan([ref("/in/q.txt"), ref("/in/x.zip")], prev, RUN, ["/in"])
    touched = make_plan([ref("/in/q.txt", mtime=200), ref("/in/x.zip", mtime=200)], prev, RUN, ["/in"])
    assert [i.known_sha for i in touched.items] == ["s1", "s1"]
    hashed = [LedgerEntry(RUN, p, 10, "unknown", "unchanged", PARSER_VERSION, None, "s1", seconds=0.5)
              for p in ("/in/q.txt", "/in/x.zip")]
    ch, out = feed(touched, hashed)
    key = lambda r: r["path"]
    got = sorted(({**asdict(e), "seconds": None} for e in out), key=key)
    assert got == sorted(ledger(skipped), key=key) and len(got) == 3
    assert {e.path: e.seconds for e in out}["/in/q.txt"] == 0.5
    mtimes = {r["path"]: r["mtime_ns"] for r in ch.state_table().to_pylist()}
    assert mtimes == {"/in/q.txt": 200, "/in/x.zip": 200, "/in/x.zip::m1": None}
