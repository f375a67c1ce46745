"""Threads and distinct messages (`transforms.threads`, run by `flows.warehouse.derived`) on hand-made reply chains: each case is a
situation of the FOIA releases (a chain quoted in a later release, a BlackBerry `H wrote:` quote
without a date, two unrelated one-line replies)."""
from __future__ import annotations

import datetime as dt

from dataclasses import asdict

import pyarrow as pa

from flows.warehouse.derived import messages_table
from transforms.records import Addressee, Message, ThreadMessage
from transforms.schema import DOCUMENTS
from transforms.threads import components

DOCS = pa.schema([DOCUMENTS.column(c).field() for c in ("doc_id", "doc_type", "messages")])


def thread_messages(chains) -> list[ThreadMessage]:
    """The `messages` rows of email documents (doc_id, their messages top first), through the
    query a commit runs."""
    docs = pa.Table.from_pylist([{"doc_id": d, "doc_type": "email", "messages": [asdict(m) for m in ms]}
                                 for d, ms in chains], DOCS)
    return [ThreadMessage(**r) for r in messages_table(docs).to_pylist()]

T = dt.datetime


def msg(i: int, h: str, sent: dt.datetime | None, sender: str = "H", subject: str | None = None) -> Message:
    return Message(i, h, Addressee(sender, None, sender), [], [], sent, subject, 0, 10)


def rows(chains):
    return {(r.message_hash, r.thread_id): r for r in thread_messages(chains)}


def test_a_chain_quoted_in_a_later_release_is_one_thread_counted_once():
    first = ("C1", [msg(0, "b", T(2011, 3, 29, 22, 59), "Sullivan", "Re: Libya"), msg(1, "a", T(2011, 3, 29, 14, 34))])
    later = ("C2", [msg(0, "c", T(2011, 3, 30, 8, 0)), msg(1, "b", T(2011, 3, 29, 22, 59)), msg(2, "a", T(2011, 3, 29, 14, 34))])
    got = rows([first, later])
    assert set(got) == {("a", "a"), ("b", "a"), ("c", "a")}      # the oldest message names the thread
    assert got[("b", "a")].doc_ids == ["C1", "C2"] and got[("b", "a")].top_in == ["C1"]
    assert got[("b", "a")].sender == "Sullivan" and got[("b", "a")].subject == "Re: Libya"   # the top copy
    assert {r.thread_size for r in got.values()} == {3}


def test_an_undated_quote_joins_no_other_release():
    one = ("C1", [msg(0, "x", T(2009, 9, 6, 14, 12)), msg(1, "thanks", None)])
    two = ("C2", [msg(0, "y", T(2010, 1, 1, 9, 0)), msg(1, "thanks", None)])
    got = rows([one, two])
    assert set(got) == {("x", "x"), ("thanks", "x"), ("y", "y"), ("thanks", "y")}
    assert got[("thanks", "x")].doc_ids == ["C1"] and got[("thanks", "y")].doc_ids == ["C2"]


def test_unrelated_releases_are_separate_threads_and_order_does_not_matter():
    chains = [("C1", [msg(0, "p", T(2012, 1, 2))]), ("C2", [msg(0, "q", T(2012, 1, 1))]),
              ("C3", [msg(0, "r", T(2012, 1, 3)), msg(1, "q", T(2012, 1, 1))])]
    got = thread_messages(chains)
    assert [(r.message_hash, r.thread_id) for r in got] == [("p", "p"), ("q", "q"), ("r", "q")]
    assert thread_messages(chains[::-1]) == got


def test_a_thread_without_any_date_is_named_by_its_smallest_hash():
    got = rows([("C1", [msg(0, "m2", None), msg(1, "m1", None)])])
    assert set(got) == {("m2", "m1"), ("m1", "m1")}


def test_components_label_each_node_with_the_smallest_node_it_is_joined_to():
    assert components(6, [3, 1, 5], [1, 4, 5]) == [0, 1, 2, 1, 1, 5]
    assert components(0, [], []) == []
