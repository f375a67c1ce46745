"""The compiled fast path (`transforms/entities/_fast.pyx`) gives what the pure-Python modules give.

Each compiled twin is run beside its Python original on generated text made of the characters the
word pattern cares about and on the dev corpus; then the whole extraction of the seeds and part of
the corpus is run in a pure-Python process (POUCH_PURE_PYTHON=1) and compared entity by entity.
In CI (CI=true) the compiled path must be there: `pip install -e .` builds it, and a lost build
would otherwise only show as a slower run."""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import transforms.entities as entities
from tests.conftest import SEEDS, need
from tests.helpers import parse_file
from transforms.entities import gazetteer, orgs, patterns, spans, tokens
from transforms.documents import open_source, parse_document, sha256_hex
from transforms.entities.compiled import fast_module, finditer_at

ROOT = Path(__file__).resolve().parents[3]
_fast = fast_module()
needs_fast = pytest.mark.skipif(_fast is None, reason="compiled fast path not built (pip install -e . with a C compiler)")

_PICKED_BITS = [1 << k for k in range(14) if tokens.PICKED & 1 << k]
_FIELDS = ("start", "end", "text", "possessive", "dot", "initial", "caps", "titlecase", "flags")


def test_compiled_path_is_present_in_ci():
    if os.environ.get("CI") != "true":
        pytest.skip("only required in CI (CI=true)")
    assert entities.COMPILED, "transforms/entities/_fast was not built: CI runs the slow pure-Python path"


@needs_fast
def test_compiled_module_is_built_from_the_current_source():
    """An in-place build next to an edited .pyx would run stale code: rebuild with `pip install -e .`."""
    pyx = ROOT / "transforms" / "entities" / "_fast.pyx"
    assert Path(_fast.__file__).stat().st_mtime >= pyx.stat().st_mtime, "rebuild: .venv/bin/pip install -e ."


def test_compiled_flag_follows_the_switch():
    env = dict(os.environ, POUCH_PURE_PYTHON="1")
    out = subprocess.run([sys.executable, "-c", "import transforms.entities as e; print(e.COMPILED)"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
    assert entities.COMPILED == (_fast is not None)


def _token_fields(toks) -> list[tuple]:
    return [tuple(getattr(t, f) for f in _FIELDS) for t in toks]


def _same_words(text: str) -> None:
    if text.isascii():
        assert _fast.ascii_word_spans(text) == [m.span() for m in tokens._WORD_ASCII.finditer(text)]
    for every in (False, True):
        compiled, pure = tokens.words(text, every), tokens._py_words(text, every)
        assert _token_fields(compiled.toks) == _token_fields(pure.toks), text
        assert (compiled.flags, compiled.picked) == (pure.flags, pure.picked)
        for bit in _PICKED_BITS:
            assert compiled.having(bit) == tokens._py_having(pure, bit)


#: the characters `tokens._WORD` cares about: capitals, particle letters, other letters, joiners,
#: a period, digits, white space, and a few non-ASCII letters and apostrophes
_TEXT = st.text(alphabet="ABDELOSZabdeilnorsuvxz'\u2019-. 1\n\t\u00c9\u00e9\u00d8\u00df_", max_size=40)


@needs_fast
@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_words_equal_on_generated_text(text):
    _same_words(text)


@needs_fast
@pytest.mark.parametrize("text", [
    "al-Asad met Abu Mazen and bin Laden's aide; della Rovere, van Gogh, O'Neill's, Dlamini-Zuma.",
    "THE MINISTER OF THE INTERIOR AND THE", "E. Smith, Amb. J. Doe", "a", "", "Xal del della dell",
    "Zhumagulov met Zhumagulov\u2019s aide, ZHUMAGULOV and Ric\u00e9 and Rice.",
], ids=["particles", "function-words", "initials", "one-letter", "empty", "not-particles", "non-ascii"])
def test_words_equal_on_examples(text):
    _same_words(text)


@functools.cache
def _corpus_paragraphs(root: Path) -> list[str]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        data = path.read_bytes()
        for src in open_source(path.name, data, sha256_hex(data)):
            out += [p.text for p in parse_document(src).paragraphs]      # (no entities: not needed here)
    return out


@needs_fast
@pytest.mark.corpus
def test_words_hits_and_resolve_equal_on_the_dev_corpus(corpus_dir, monkeypatch):
    texts = _corpus_paragraphs(corpus_dir)
    assert len(texts) > 5000
    for text in texts:
        _same_words(text)
    compiled = [gazetteer.find(t, tokens.CapsLines(t)) for t in texts]
    monkeypatch.setattr(gazetteer, "_fast", None)
    pure = [gazetteer.find(t, tokens.CapsLines(t)) for t in texts]
    assert sum(map(len, compiled)) > 10_000
    assert [[(h.start, h.end, h.entry) for h in hs] for hs in compiled] == \
        [[(h.start, h.end, h.entry) for h in hs] for hs in pure]
    for text in texts:
        _same_matches(text)


#: the patterns `patterns` tries at the starts of digit runs only (`compiled.finditer_at`)
_DIGIT_LED = [patterns._DATE_NUM, patterns._DTG, patterns._YEAR, patterns._PERCENT, patterns._SCALED, patterns._RANGE,
              patterns._COUNT, patterns._CABLE_ID, patterns._SERIAL, patterns._SERIAL_ASCII]


def _same_number_matches(text: str) -> None:
    runs = patterns.digit_runs(text)
    assert runs == [m.start() for m in re.finditer(r"(?<!\d)\d", text)]
    for rx in _DIGIT_LED:
        assert [(m.span(), m.group(0), m.groups()) for m in finditer_at(rx, text, runs)] == \
            [(m.span(), m.group(0), m.groups()) for m in rx.finditer(text)], (rx.pattern, text)


def _same_org_matches(text: str) -> None:
    for rx, starts in ((orgs._ACRONYM, _fast.acronym_starts), (orgs._office_rx(), _fast.office_starts)):
        assert [(m.span(), m.group(0)) for m in finditer_at(rx, text, starts(text))] == \
            [(m.span(), m.group(0)) for m in rx.finditer(text)], (rx.pattern[:40], text)


def _same_matches(text: str) -> None:
    _same_number_matches(text)
    _same_org_matches(text)


#: what the number, acronym and office patterns care about: digits (one of them not ASCII),
#: capitals (bureau letters among them), a few small letters, separators and joiners
_MATCH_TEXT = st.text(alphabet="0129\u0663 EURSGACMDZP/-.,:$%#&+_\t\nxlion", max_size=40)


@needs_fast
@settings(max_examples=800, deadline=None)
@given(_MATCH_TEXT)
def test_pattern_matches_equal_on_generated_text(text):
    _same_matches(text)


@needs_fast
@pytest.mark.parametrize("text", [
    "REF: A. 06PARIS5734 B. STATE 139361, 99 PRETORIA 12315", "1998-2000 and 2005, 12/31/2009, 251230Z DEC 09",
    "70 percent, 7 % and $5 million; 1,200 troops, 10-12 days", "\u0663\u0664 percent 12\u0663", "",
    "2011 " * 5, "0", "para 12 refers to 3 items",
    "EUR/CACEN, S/GAC and USAID/W; xEUR/A, EUR/, /EUR/A", "MONUSCO, M23, G-15, the FARDC, G8, M\u0663, X-1, AB",
    "A", "NATO/OSCE", "EUR/CACEN/SCA",
], ids=["refs", "dates", "figures", "non-ascii-digits", "empty", "repeated", "one-digit", "id-words",
        "offices", "acronyms", "one-letter", "two-acronyms", "two-offices"])
def test_pattern_matches_equal_on_examples(text):
    _same_matches(text)


_CAND_FIELDS = ("start", "end", "etype", "normalized", "method", "confidence", "tier", "subtype", "merge_rule", "rank")
_SPAN = st.tuples(st.integers(0, 30), st.integers(-1, 8), st.integers(1, 3), st.integers(0, 3))


@needs_fast
@settings(max_examples=400, deadline=None)
@given(st.lists(_SPAN, max_size=10))
def test_resolve_equal(span_list):
    def make(cls):
        return [cls(s, s + n, "ORG", f"c{i}", "m", 0.5, tier, subtype=None, rank=rank)
                for i, (s, n, tier, rank) in enumerate(span_list)]
    compiled = _fast.resolve(make(_fast.Candidate))
    pure = spans._py_resolve(make(spans._PyCandidate))
    assert [tuple(getattr(c, f) for f in _CAND_FIELDS) for c in compiled] == \
        [tuple(getattr(c, f) for f in _CAND_FIELDS) for c in pure]


_DUMP = """
import dataclasses, json, sys
from pathlib import Path
from tests.helpers import parse_file
import transforms.entities as e
rows = []
for name in sys.argv[1:]:
    path = Path(name)
    for parsed in parse_file(path, path.name):
        rows += [list(dataclasses.astuple(x)) for x in parsed.entities]
print(json.dumps([e.COMPILED, rows], default=str))
"""


@needs_fast
@pytest.mark.corpus
def test_pure_python_process_extracts_the_same_entities(corpus_dir):
    """Seeds, and every 10th document of the dev corpus (every kind of source), in a pure-Python
    process and here: the same entities, field by field."""
    files = sorted(p for p in need(SEEDS, "seed documents").iterdir() if p.is_file())
    files += sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.name != "SOURCES.md")[::10]
    env = dict(os.environ, POUCH_PURE_PYTHON="1")
    res = subprocess.run([sys.executable, "-c", _DUMP, *map(str, files)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    compiled_flag, pure = json.loads(res.stdout)
    assert compiled_flag is False
    here = [list(dataclasses.astuple(x)) for f in files for parsed in parse_file(f, f.name) for x in parsed.entities]
    here = json.loads(json.dumps(here, default=str))       # same JSON round trip (dates, tuples) as the other side
    assert len(here) > 5000
    assert here == pure
