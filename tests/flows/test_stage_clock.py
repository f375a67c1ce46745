"""The batch's stage clock: per-stage seconds, and the slowest documents by wall and by CPU time."""
from __future__ import annotations

import time

from flows import batch
from flows.samples import sample_files


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_document_waiting_is_slow_by_wall_time_only():
    clock = batch._Clock()
    t = batch.now()
    time.sleep(0.4)                          # waits (as for a core): wall time, almost no CPU
    #                                          (long against the 30 ms burnt below: on a loaded
    #                                          machine that burn can take several times as long)
    t = clock.doc("entities", t, "waits.txt")
    _burn(0.03)                              # works
    clock.doc("entities", t, "works.txt")
    assert [k for _, k in sorted(clock.slow["entities"], reverse=True)] == ["waits.txt", "works.txt"]
    assert [k for _, k in sorted(clock.slow_cpu["entities"], reverse=True)] == ["works.txt", "waits.txt"]
    cpu = dict((k, s) for s, k in clock.slow_cpu["entities"])
    assert cpu["waits.txt"] < 0.01 and 0.03 <= cpu["works.txt"] < 0.05
    assert 0.43 <= clock.seconds["entities"] < 2.0        # stage seconds stay wall seconds


def test_only_the_five_slowest_documents_are_kept():
    clock = batch._Clock()
    for i in range(12):
        clock.doc("parse", (time.perf_counter() - i, time.thread_time() - i / 10), f"d{i}")
    assert sorted(k for _, k in clock.slow["parse"]) == ["d10", "d11", "d7", "d8", "d9"]
    assert sorted(k for _, k in clock.slow_cpu["parse"]) == ["d10", "d11", "d7", "d8", "d9"]


def test_a_batch_reports_its_slowest_documents_by_both_clocks(tmp_path):
    names = [n for n in sample_files() if n.endswith(".txt")][:3]
    items = []
    for name in names:
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(sample_files()[name])
        items.append(batch.WorkItem(path.as_posix(), path.stat().st_size))
    result = batch.run_batch(items, "unit-run")
    for top in (result.slowest, result.slowest_cpu):
        assert {"decode", "parse", "paragraphs", "entities"} <= set(top)
        for stage, docs in top.items():
            assert docs == sorted(docs, reverse=True) and 1 <= len(docs) <= 5
            assert all(s >= 0 for s, _ in docs)
        assert {k for _, k in top["parse"]} == {it.path for it in items}
    # a document's CPU time is never much above its wall time
    wall = {(st, k): s for st, docs in result.slowest.items() for s, k in docs}
    for st, docs in result.slowest_cpu.items():
        for s, k in docs:
            if (st, k) in wall:
                assert s <= wall[(st, k)] + 0.005
