"""The run's set of staged ids (`IdSet`) answers as a Python set would, through its flushes to
sorted digest runs; and the merger stages copies with it exactly as it did with a set."""
from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.warehouse.copies import claimed, copy_id
from flows.warehouse import idset
from flows.warehouse.idset import IdSet
from flows.warehouse.merge import Merger

ids = st.text(alphabet="AB09\x00é-", min_size=1, max_size=4)
batches = st.lists(st.lists(ids, max_size=12), max_size=12)


@settings(max_examples=200, deadline=None)
@given(batches, st.integers(1, 5))
def test_answers_as_a_set_does_across_flushes(batches, flush_at):
    s, ref = IdSet(flush_at=flush_at), set()
    for batch in batches:
        assert s.among(batch).tolist() == [v in ref for v in batch]
        for v in batch:
            assert (v in s) == (v in ref)
            if v not in s:
                s.add(v)
                ref.add(v)
        s.settle()
        assert len(s) == len(ref)
    assert all(v in s for v in ref)


@settings(max_examples=100, deadline=None)
@given(batches)
def test_ids_whose_first_halves_collide_are_told_apart(monkeypatch_batches):
    """Digests that share their first 8 bytes (searched on) differ in the other 8 (compared)."""
    real = idset._digests

    def colliding(values):
        hi, lo = real(values)
        return hi % 2, lo                     # two first halves for all ids
    s, ref = IdSet(flush_at=3), set()
    idset._digests = colliding
    try:
        for batch in monkeypatch_batches:
            assert s.among(batch).tolist() == [v in ref for v in batch]
            for v in batch:
                if v not in ref:
                    s.add(v)
                    ref.add(v)
            s.settle()
    finally:
        idset._digests = real


def test_old_ids_leave_the_python_set_for_digest_runs():
    s = IdSet(flush_at=1000)
    for b in range(10):
        for i in range(500):
            s.add(f"09STATE{b * 500 + i:07d}")
        s.settle()
    assert len(s) == 5000 and len(s.recent) < 1000 and sum(len(hi) for hi, _ in s.runs) == 5000 - len(s.recent)
    assert all(hi.nbytes + lo.nbytes == 16 * len(hi) for hi, lo in s.runs)
    assert s.among(["09STATE0000000", "09STATE0004999", "09STATE0005000", "09STATE"]).tolist() == [
        True, True, False, False]


def _staged_as_before(batches: list[list[str]]) -> list[list[str]]:
    """The merger's rule as it was written with a plain set (the reference)."""
    seen: set[str] = set()
    more: dict[str, int] = {}
    out = []
    for batch in batches:
        got = []
        for doc_id in batch:
            base = claimed(doc_id)
            n = more.get(base)
            if n is not None:
                more[base] = n + 1
            elif base in seen:
                n, more[base] = 1, 2
            else:
                seen.add(base)
                got.append(base)
                continue
            got.append(copy_id(base, n))
        out.append(got)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["D1", "D2", "D3", "D1\x001", "D4"]), max_size=8), max_size=10),
       st.integers(1, 3))
def test_the_merger_stages_copies_as_with_a_set(batches, flush_at):
    merger = Merger(None, None, None, "r1", None)
    merger.seen = IdSet(flush_at=flush_at)
    got = [merger.stage_copies(b) for b in batches]
    assert got == _staged_as_before(batches)
    for b, staged in zip(batches, got):
        merger.log.add(pa.chunked_array([staged], pa.string()), pa.chunked_array([[f"/in/{d}" for d in b]], pa.string()))
    bases = {claimed(d) for b in batches for d in b}
    assert sorted(merger.log.claimed_ids().to_pylist()) == sorted(bases)
    for base in bases | {"D9"}:
        n = merger.more.get(base, 1 if base in bases else 0)
        assert merger.copies(base) == [base, *(copy_id(base, i) for i in range(1, n))][:n]
