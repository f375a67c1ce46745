"""A batch's rows made Arrow as documents come (`LayeredTables`): the same tables as turning each
layer of copies into Arrow at once, whatever the chunk size."""
from __future__ import annotations

import functools

import pytest

from flows.layers import LayeredTables
from flows.samples import sample_files
from transforms.documents import add_entities, make_paragraphs, open_source, parse_fields
from transforms.records import LedgerEntry, SourceText
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
from transforms.tables import to_arrow


@functools.cache
def _parsed() -> tuple:
    out = []
    for name, data in sample_files().items():
        if name.endswith((".txt", ".html")):
            for src in open_source(name, data, "0" * 64):
                if isinstance(src, SourceText):
                    out.append(add_entities(make_paragraphs(*parse_fields(src, "r1"))))
    assert len(out) >= 4
    return tuple(out)


def _entry(path: str) -> LedgerEntry:
    return LedgerEntry("r1", path, 1, "unknown", "loaded", "v")


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_layers_hold_each_doc_id_once_in_batch_order(chunk):
    docs = _parsed()
    a, b, c = docs[0], docs[1], docs[2]
    batch = [a, b, a, c, a, b, *docs[3:]]              # a: three copies, b: two
    timed = []
    tables = LayeredTables(lambda stage, s: timed.append(stage), chunk=chunk)
    parsed = [tables.add(p, _entry(p.document.source_path)) for p in batch]
    assert [d.doc_id for d in parsed] == [p.document.doc_id for p in batch]
    expected = [[a, b, c, *docs[3:]], [a, b], [a]]
    got = list(tables.layers())
    assert [n for n, _, _ in got] == [0, 1, 2]
    for (n, layer, (d, p, e)), want in zip(got, expected):
        assert [x.doc_id for x in layer] == [w.document.doc_id for w in want]
        assert d.equals(to_arrow([w.document for w in want], DOCUMENTS))
        assert p.equals(to_arrow([x for w in want for x in w.paragraphs], PARAGRAPHS))
        assert e.equals(to_arrow([x for w in want for x in w.entities], ENTITIES))
        assert all(col.num_chunks == 1 for t in (d, p, e) for col in t.columns)
    assert timed and set(timed) == {"tables"}
    assert parsed[0].repairs == [r.kind for r in a.document.repairs]
