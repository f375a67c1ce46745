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
  same whatever order the releases are read in, and it names a real message of the thread;
- the fields of a row (sent, sender, subject) come from the first copy that has them, top copies
  first, then by document id.

A million releases hold millions of messages, so the work is SQL (run by DuckDB out of core, see
`flows.warehouse.derived`) around one step SQL does badly, the connected components of the
chains, done here on integer node ids (`components`).
"""
from __future__ import annotations

from collections.abc import Sequence


def copies_sql(docs: str) -> str:
    """One row per message copy: (doc_id, position in its chain, message fields, `nd`: "" for a
    dated message, else its document; `node`: a dense id of (message_hash, nd))."""
    return f"""
        SELECT *, (dense_rank() OVER (ORDER BY message_hash, nd) - 1)::BIGINT AS node FROM (
            SELECT doc_id, pos, m.message_index AS mi, m.message_hash, m.sent, m.subject, m.sender,
                   CASE WHEN m.sent IS NULL THEN doc_id ELSE '' END AS nd
            FROM (SELECT doc_id, unnest(messages) AS m, generate_subscripts(messages, 1) AS pos
                  FROM {docs} WHERE doc_type = 'email' AND len(messages) > 0))"""


def edges_sql(copies: str) -> str:
    """The edges that make a chain one thread: its first message's node to each other node."""
    return f"""
        SELECT arg_min(node, pos) OVER (PARTITION BY doc_id) AS a, node AS b FROM {copies}"""


def components(n: int, a: Sequence[int], b: Sequence[int]) -> list[int]:
    """Connected components of nodes 0..n-1 joined by the edges (a[i], b[i]): a label per node
    (the smallest node of its component)."""
    parent = list(range(n))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for x, y in zip(a, b):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return [find(x) for x in range(n)]


def messages_sql(copies: str, labels: str) -> str:
    """The `messages` table, sorted, from the copies and their component (`labels`: node, comp)."""
    first = "struct_pack(top := mi <> 0, doc := doc_id, pos := pos)"
    return f"""
    WITH c AS (SELECT * FROM {copies} JOIN {labels} USING (node)),
    t AS (
        SELECT comp, coalesce(min(struct_pack(s := sent, h := message_hash)) FILTER (WHERE nd = '').h,
                              min(message_hash)) AS thread_id,
               count(DISTINCT message_hash)::INTEGER AS thread_size
        FROM c GROUP BY comp),
    r AS (
        SELECT message_hash, comp,
               arg_min(sent, {first}) FILTER (WHERE sent IS NOT NULL) AS sent,
               arg_min(sender, {first}) FILTER (WHERE sender IS NOT NULL) AS sender,
               arg_min(subject, {first}) FILTER (WHERE subject <> '') AS subject,
               list(DISTINCT doc_id ORDER BY doc_id) AS doc_ids,
               coalesce(list(DISTINCT doc_id ORDER BY doc_id) FILTER (WHERE mi = 0), []) AS top_in
        FROM c GROUP BY message_hash, comp)
    SELECT r.message_hash, t.thread_id, r.sent,
           CASE WHEN r.sender IS NULL THEN NULL WHEN r.sender.name <> '' THEN r.sender.name
                WHEN r.sender.address <> '' THEN r.sender.address ELSE r.sender.raw END AS sender,
           r.sender.address AS sender_address, r.subject, r.doc_ids, len(r.doc_ids)::INTEGER AS n_documents,
           r.top_in, t.thread_size
    FROM r JOIN t USING (comp)
    ORDER BY t.thread_id, r.sent IS NULL, r.sent, r.message_hash"""
