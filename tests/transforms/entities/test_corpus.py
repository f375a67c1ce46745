"""Every entity of a full dev-corpus parse (all ~720 documents, seeds included) points exactly into
its paragraph, and every row is well formed."""
from __future__ import annotations

import functools
from collections import Counter

import pytest

from tests.conftest import SEEDS, need
from tests.helpers import parse_file
from transforms.schema import ENTITY_TYPES

pytestmark = pytest.mark.corpus


@functools.cache
def _corpus(root):
    docs = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        docs += parse_file(path, path.relative_to(root.parent).as_posix())
    return docs


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return _corpus(corpus_dir) + _corpus(need(SEEDS, "seed documents"))


def test_offset_invariant_holds_for_every_row(corpus):
    assert len(corpus) >= 700
    bad = [(p.document.doc_id, e.para_index, e.text) for p in corpus for e in p.entities
           if p.paragraphs[e.para_index].text[e.char_start:e.char_end] != e.text]
    assert not bad, bad[:10]


def test_rows_are_well_formed(corpus):
    for p in corpus:
        spans = set()
        for e in p.entities:
            assert e.entity_type in ENTITY_TYPES
            assert e.normalized and e.text.strip() == e.text or e.entity_type == "PERSON"
            assert 0 < e.confidence <= 1 and e.method
            assert (e.doc_id, e.doc_type, e.year) == (p.document.doc_id, p.document.doc_type, p.document.year)
            key = (e.para_index, e.char_start, e.char_end, e.entity_type)
            assert key not in spans, f"{p.document.doc_id}: duplicate {key}"
            spans.add(key)


def test_every_type_is_found_in_the_corpus(corpus):
    counts = Counter(e.entity_type for p in corpus for e in p.entities)
    assert set(counts) == set(ENTITY_TYPES), counts
