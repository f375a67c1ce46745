"""The entity rules against the hand-annotated gold paragraphs (seeds and dev corpus, cables and
emails): precision and recall per entity type must meet the targets of issue 6.

gold.jsonl (50 paragraphs) was annotated first and then used while the rules were developed, so
its figures are optimistic; heldout.jsonl (8 paragraphs, drawn at random afterwards) measures
what the rules do on text they were not tuned on, and is held to a precision floor only.
Guidelines for both are in GOLD.md. Run `python -m tests.transforms.entities.test_gold` for the
tables and every disagreement.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.conftest import SHARED, need
from tests.helpers import parse_file
from tests.transforms.entities.scoring import TypeScore, load_gold, report, score_item

#: (precision, recall) that each type must reach on the gold set
TARGETS = {
    "TAG": (0.98, 0.98), "EMAIL": (0.98, 0.98), "REFERENCE": (0.98, 0.98), "DATE": (0.98, 0.98),
    "LOCATION": (0.95, 0.95), "PERSON": (0.85, 0.80), "ORG": (0.85, 0.80),
}
#: share of matched entities whose `normalized` equals the gold form
NORM_TARGET = 0.85

GOLD = load_gold()
HELDOUT = load_gold(Path(__file__).with_name("heldout.jsonl"))


@functools.cache
def _parsed(source: str):
    path = SHARED / source
    need(path, "gold source document")
    return parse_file(path, source)


def paragraph_of(item):
    """(paragraph, its entities) for a gold item: the first paragraph holding the anchor."""
    docs = _parsed(item.source)
    if item.doc_id:
        docs = [d for d in docs if d.document.doc_id == item.doc_id]
    for doc in docs:
        for para in doc.paragraphs:
            if item.anchor in para.text:
                ents = [e for e in doc.entities if e.para_index == para.para_index]
                return para, ents
    raise AssertionError(f"{item.id}: anchor {item.anchor!r} not found in {item.source}")


@functools.cache
def gold_scores(heldout: bool = False) -> dict[str, TypeScore]:
    scores: dict[str, TypeScore] = {}
    for item in HELDOUT if heldout else GOLD:
        _para, ents = paragraph_of(item)
        score_item(item, [(e.entity_type, e.text, e.normalized) for e in ents], scores)
    return scores


def test_gold_set_is_big_enough_and_mixed():
    assert len(GOLD) >= 40
    assert sum(1 for g in GOLD if "emails/" in g.source or g.source.startswith("seeds/001")) >= 10
    assert sum(1 for g in GOLD if "cables/" in g.source or g.source.startswith(("seeds/000", "seeds/003"))) >= 25
    assert len({g.id for g in GOLD}) == len(GOLD)


@pytest.mark.parametrize("item", GOLD + HELDOUT, ids=[g.id for g in GOLD + HELDOUT])
def test_gold_annotations_are_in_their_paragraph(item):
    para, _ = paragraph_of(item)
    for etype, text, _norm in item.entities:
        assert text in para.text, f"{item.id}: {etype} {text!r} is not in the paragraph"
        n = sum(1 for e in item.entities if e[1] == text and e[0] == etype)
        assert para.text.count(text) >= n, f"{item.id}: {text!r} annotated {n} times"


@pytest.mark.parametrize("etype", sorted(TARGETS))
def test_precision_and_recall_meet_targets(etype):
    s = gold_scores().get(etype, TypeScore())
    p_min, r_min = TARGETS[etype]
    detail = "\n".join(s.errors[:40])
    assert s.precision >= p_min, f"{etype} precision {s.precision:.3f} < {p_min}\n{detail}"
    assert s.recall >= r_min, f"{etype} recall {s.recall:.3f} < {r_min}\n{detail}"


def test_heldout_precision():
    for etype, s in gold_scores(heldout=True).items():
        assert s.precision >= 0.8, f"{etype}: {s.precision:.3f}\n" + "\n".join(s.errors)


def test_normalized_forms():
    scores = gold_scores()
    tp = sum(s.tp for s in scores.values())
    ok = sum(s.norm_ok for s in scores.values())
    assert ok / tp >= NORM_TARGET, report(scores)


def test_every_prediction_is_exact_text():
    for item in GOLD:
        para, ents = paragraph_of(item)
        for e in ents:
            assert para.text[e.char_start:e.char_end] == e.text


if __name__ == "__main__":
    for name, held in (("gold", False), ("held-out", True)):
        scores = gold_scores(held)
        print(f"== {name}\n{report(scores)}")
        for t in sorted(scores):
            for err in scores[t].errors:
                print(f"{t:10} {err}")
