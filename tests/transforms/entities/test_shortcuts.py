"""The speed shortcuts of entity extraction change no entity: each is checked against the long way.

- `tokens.words` leaves out function words (`words.INERT`): the rules run on every word must find
  exactly what they find without them, on real documents (half the dev corpus's text and HTML
  files, ALL-CAPS cables included) and on hand-made sentences that put a function word where it
  could matter;
- `spans.resolve` returns a set without overlap as it is: the greedy selection must agree;
- `extract._mentions` finds a document's known surnames by substring, searched once in the
  document's paragraphs joined (`extract._find_all`, also used for acronyms): the same words as a
  scan of every word, and the same occurrences as searching each paragraph;
- `gazetteer.find` asks whether a hit's line is in capitals only when `case_ok` depends on it
  (`_case_without_line`): its verdict must be `case_ok`'s on either kind of line.
"""
from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, need
from tests.helpers import parse_file
from transforms.entities import extract, gazetteer, tokens
from transforms.entities.context import DocContext, context_of
from transforms.entities.spans import Candidate, resolve
from transforms.entities.words import INERT, MAY_MISSPELL, MENTION
from transforms.records import Paragraph


def _para(text: str) -> Paragraph:
    return Paragraph("D1", "cable", "2009", 0, "D1-0", "body", 0, len(text), text, run_id="r")


def _every_word(text: str, every: bool = False) -> tokens.Words:
    return tokens.words(text, every=True)


def _rows(paragraphs: list[Paragraph], ctx: DocContext) -> list[tuple]:
    return [(e.para_index, e.char_start, e.char_end, e.entity_type, e.normalized, e.method, e.subtype, e.merge_rule)
            for e in extract.extract_document(paragraphs, ctx)]


@functools.cache
def _sample_documents() -> tuple:
    need(CORPUS, "dev corpus")
    files = sorted(f for f in CORPUS.rglob("*") if f.is_file() and f.suffix in (".txt", ".html"))
    return tuple(d for f in files[::2] for d in parse_file(f))


def test_leaving_out_function_words_changes_no_entity_in_the_corpus(corpus_dir, monkeypatch):
    docs = _sample_documents()
    assert len(docs) >= 150
    fast = [_rows(d.paragraphs, context_of(d.document)) for d in docs]
    monkeypatch.setattr(extract, "words_of", _every_word)
    slow = [_rows(d.paragraphs, context_of(d.document)) for d in docs]
    assert sum(map(len, fast)) > 5000
    diff = [(d.document.doc_id, set(a) ^ set(b)) for d, a, b in zip(docs, fast, slow) if a != b]
    assert not diff, diff[:3]


CASES = [
    pytest.param("MET WITH THE MINISTER OF THE INTERIOR AND THE GOVERNOR OF ALMATY, JOHN DE THE",
                 id="particle-then-the"),
    pytest.param("Ambassador The Smith met Steve With Jones of the Party of Regions.", id="title-before-the"),
    pytest.param("ZHUMAGULOV AND THE KAZAKH FOREIGN MINISTRY OF THE REPUBLIC TOLD THE DCM", id="caps-org-of-the"),
    pytest.param("MINISTER DE LA THE", id="trailing-function-words"),
    pytest.param("Jean De The Martin, the Democratic Party For The People's Union", id="mixed"),
]


@pytest.mark.parametrize("text", CASES)
def test_leaving_out_function_words_changes_no_entity_here(text, monkeypatch):
    p = _para(text)
    fast = _rows([p], DocContext(doc_type="cable"))
    monkeypatch.setattr(extract, "words_of", _every_word)
    assert fast == _rows([p], DocContext(doc_type="cable"))


def test_words_leaves_out_function_words_but_never_the_last():
    w = tokens.words("THE MINISTER OF THE INTERIOR AND THE")
    assert [t.text for t in w.toks] == ["MINISTER", "INTERIOR", "AND", "THE"]
    assert [t.text for t in tokens.tokenize("THE MINISTER OF THE")] == ["THE", "MINISTER", "OF", "THE"]
    assert w.flags & INERT                     # the flags of every word, left out or not
    assert not tokens.words("The People's Party").toks[0].flags & INERT   # possessive: not a function word


_SPAN = st.tuples(st.integers(0, 30), st.integers(0, 8), st.integers(1, 3), st.integers(0, 3))


def _greedy(cands: list[Candidate]) -> list[Candidate]:
    """`resolve` without its shortcut."""
    order = sorted(cands, key=lambda c: (-c.tier, -(c.end - c.start), c.start, c.rank))
    out: list[Candidate] = []
    for c in order:
        if c.end > c.start and not any(c.start < o.end and o.start < c.end for o in out):
            out.append(c)
    return sorted(out, key=lambda c: c.start)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPAN, max_size=8))
def test_resolve_equals_the_greedy_selection(spans):
    cands = [Candidate(s, s + n, "ORG", f"c{i}", "m", 0.5, tier, rank=rank)
             for i, (s, n, tier, rank) in enumerate(spans)]
    assert [c.normalized for c in resolve(cands)] == [c.normalized for c in _greedy(cands)]


_MENTIONS = [
    "Zhumagulov met ZHUMAGULOV and Zhumagulov's aide; zhumagulov, Zhumaqulov, Rice and RICE.",
    "Zhumagulov met Zhumagulov\u2019s aide, ZHUMAGULOV and Ric\u00e9 and Rice.",
    "Rice",
    "",
    "Price of rice: Zhumagulovs and Zhumagulov-Rice.",
]


@pytest.mark.parametrize("text", _MENTIONS)
def test_mentions_are_the_words_a_full_scan_finds(text):
    known = {"zhumagulov": "Zhumagulov", "rice": "Rice", "ric\u00e9": "Ric\u00e9"}
    # the paragraph searched among others, as `_propagate` searches a document's paragraphs
    lows = [extract.gazetteer.lower_one_space(t) for t in [*_MENTIONS, text]]
    at = extract._find_all(lows, known, 1)[-1]
    w = tokens.words(text)
    pp = extract._Para(_para(text), w, lows[-1], [], [], tokens.CapsLines(text))
    full = [t for t in w.toks if t.flags & MAY_MISSPELL or t.flags & MENTION and t.text.lower() in known]
    assert extract._mentions(pp, known, at) == full
    if text.count("humagulov") >= 3:
        assert len(full) >= 4


def _find_each(text: str, keys, step: int | None) -> list[tuple[int, str]]:
    out = []
    for k in keys:
        i = text.find(k)
        while i >= 0:
            out.append((i, k))
            i = text.find(k, i + (step or len(k)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abA \n", max_size=12), max_size=5),
       st.lists(st.text(alphabet="abA ", min_size=1, max_size=3), max_size=4, unique=True),
       st.sampled_from([1, None]))
def test_find_all_equals_one_search_per_text(texts, keys, step):
    assert extract._find_all(texts, keys, step) == [_find_each(t, keys, step) for t in texts]


def _case_forms(surface: str) -> set[str]:
    return {surface, surface.upper(), surface.lower(), surface.title(), surface.capitalize()}


def test_the_line_is_asked_about_only_when_it_decides_the_case_of_every_listed_name():
    entries = [e for key_entries in gazetteer._builder().entries.values() for e in key_entries]
    assert len(entries) > 10_000
    decided = undecided = 0
    for e in entries:
        for found in _case_forms(e.surface):
            verdict = gazetteer._case_without_line(found, e)
            on_caps, elsewhere = gazetteer.case_ok(found, e, True), gazetteer.case_ok(found, e, False)
            if verdict is None:
                undecided += 1
            else:
                decided += 1
                assert verdict == on_caps == elsewhere, (found, e)
    assert decided > undecided > 0           # the shortcut decides most, and leaves some to the line


@pytest.mark.parametrize("found, surface, etype, acronym, common, subtype, expected", [
    pytest.param("PRESIDENT", "President", "TITLE", False, True, None, True, id="title-in-capitals"),
    pytest.param("president", "President", "TITLE", False, True, None, False, id="title-lower-case"),
    pytest.param("WHO", "WHO", "ORG", True, True, None, None, id="acronym-that-is-a-word-asks-the-line"),
    pytest.param("OSCE", "OSCE", "ORG", True, False, None, True, id="acronym-as-written"),
    pytest.param("Osce", "OSCE", "ORG", True, False, None, False, id="acronym-not-as-written"),
    pytest.param("ALMATY", "Almaty", "LOCATION", False, False, "city", True, id="name-in-capitals-4-letters"),
    pytest.param("GAO", "Gao", "LOCATION", False, False, "city", None, id="short-name-in-capitals-asks-the-line"),
    pytest.param("NICE", "Nice", "LOCATION", False, True, "city", None, id="word-name-in-capitals-asks-the-line"),
    pytest.param("CHAD", "Chad", "LOCATION", False, True, "country", True, id="country-that-is-a-word"),
    pytest.param("almaty", "Almaty", "LOCATION", False, False, "city", False, id="name-lower-case"),
])
def test_case_without_line_truth_table(found, surface, etype, acronym, common, subtype, expected):
    e = gazetteer.Entry(etype, surface, subtype, "gazetteer:test", surface, acronym, common)
    assert gazetteer._case_without_line(found, e) is expected
