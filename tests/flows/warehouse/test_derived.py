"""Derived tables at commit time (`flows.warehouse.derived`): rebuilt when what they depend on
changes, linked from the previous snapshot otherwise (a no-op run or `pouch compact` pays nothing)."""
from __future__ import annotations

from flows.warehouse.commit import StagedRun, commit
from flows.warehouse.store import Layout, current_snapshot, read_table
from tests.pouch.test_load import DOCS, commit_run


def files(layout: Layout) -> dict[str, list[str]]:
    snap = current_snapshot(layout)
    return {name: [f["path"] for f in snap.files(name)] for name in ("messages", "links")}


def test_a_cable_rebuilds_links_only_and_an_empty_commit_nothing(tmp_path):
    root = tmp_path / "wh"
    layout = Layout(root)
    commit_run(root, "r1", DOCS)
    first = files(layout)
    commit_run(root, "r2", [{**DOCS[0], "doc_id": "04STATE2", "references": [], "run_id": "r2"}])
    second = files(layout)
    assert second["messages"] == first["messages"] and second["links"] != first["links"]
    links = read_table(current_snapshot(layout), "links").to_pylist()
    assert [(x["dst_doc_id"], x["resolved"]) for x in links] == [("04STATE2", True)]    # now in the warehouse
    commit(layout, StagedRun("r3", layout.staging / "r3"))
    assert files(layout) == second


def test_an_email_rebuilds_messages(tmp_path):
    root = tmp_path / "wh"
    layout = Layout(root)
    commit_run(root, "r1", DOCS)
    first = files(layout)
    commit_run(root, "r2", [{**DOCS[2], "doc_id": "C05761182", "run_id": "r2"}])
    assert files(layout)["messages"] != first["messages"]
    rows = read_table(current_snapshot(layout), "messages").to_pylist()
    assert [(r["message_hash"], r["doc_ids"]) for r in rows] == [("h1", ["C05761181", "C05761182"])]
