"""Email threads: one row per distinct message, with the thread it belongs to.

A FOIA release holds a reply chain (`documents.messages`, top first); the same message is often
in several releases, on top of one and quoted in others. Its `message_hash` (sent minute + the
OCR-folded start of the body, `transforms.emails.messages.message_hash`) is equal for every copy,
so the distinct messages are the distinct hashes, and:

- every message of one chain is in one thread (they reply to or forward one another);
- two chains are one thread when they share a **dated** message. An undated message (`H wrote:`
  with no date) is hashed on its body start alone (`Thanks`, `Pls print`), too weak to join
  chains: it joins nothing outside its own document, so one hash can stand for two messages in
  two threads (a row each);
- `thread_id` is the hash of the thread's oldest dated message (earliest `sent`, then hash): the
  same whatever order the releases are read in, and it names a real message of the thread.
"""
from __future__ import annotations

from collections import defaultdict

from .records import Message, ThreadMessage

Node = tuple[str, str]          # (message_hash, "" for a dated message, else the doc_id it is in)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, x: Node) -> Node:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _node(m: Message, doc_id: str) -> Node:
    return (m.message_hash, "" if m.sent else doc_id)


def thread_messages(chains: list[tuple[str, list[Message]]]) -> list[ThreadMessage]:
    """`chains`: (doc_id, its messages top first) for every email document. Returns one row per
    distinct message and thread, sorted by thread, then sent, then hash."""
    uf = _UnionFind()
    copies: dict[Node, list[tuple[str, Message]]] = defaultdict(list)
    for doc_id, messages in chains:
        nodes = [_node(m, doc_id) for m in messages]
        for n, m in zip(nodes, messages):
            uf.find(n)
            copies[n].append((doc_id, m))
        for n in nodes[1:]:
            uf.union(nodes[0], n)
    threads: dict[Node, list[Node]] = defaultdict(list)
    for n in copies:
        threads[uf.find(n)].append(n)
    out: list[ThreadMessage] = []
    for members in threads.values():
        dated = [(copies[n][0][1].sent, n[0]) for n in members if not n[1]]
        thread_id = min(dated)[1] if dated else min(n[0] for n in members)
        rows: dict[str, list[tuple[str, Message]]] = defaultdict(list)
        for n in members:
            rows[n[0]] += copies[n]
        for message_hash, found in rows.items():
            found.sort(key=lambda c: (c[1].message_index != 0, c[0]))      # a top copy first
            sent = next((m.sent for _, m in found if m.sent), None)
            sender = next((m.sender for _, m in found if m.sender), None)
            subject = next((m.subject for _, m in found if m.subject), None)
            doc_ids = sorted({d for d, _ in found})
            out.append(ThreadMessage(message_hash, thread_id, sent, sender and (sender.name or sender.address or sender.raw),
                                     sender.address if sender else None, subject, doc_ids, len(doc_ids),
                                     sorted({d for d, m in found if m.message_index == 0}), len(rows)))
    out.sort(key=lambda r: (r.thread_id, r.sent is None, r.sent or 0, r.message_hash))
    return out
