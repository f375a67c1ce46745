"""The entity rules' patterns are written for speed (a character class first so the regex engine can
skip to candidates, the "nothing before" look-behind after the first character, ASCII variants,
substring tests before scans). Each must find exactly what its readable form finds: the readable
forms are kept here, and both are run on every paragraph of the dev corpus and on generated text
made of the characters the patterns care about."""
from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, need
from transforms.documents import open_source, parse_document, sha256_hex
from transforms.entities import gazetteer, orgs, patterns, people, tokens
from transforms.entities.names import VariantIndex, variant_match
from transforms.entities.patterns import _NUM
from transforms.records import SourceText

_L = r"[^\W\d_]"
#: pattern name -> (readable pattern, fast pattern)
READABLE = {
    "word": (re.compile(rf"(?<!{_L})(?:[A-Z\u00c0-\u00d6\u00d8-\u00de]|(?:al|el|bin|ibn|abu|de|da|di|du|del|della|van|"
                        rf"von|der|le|la|and)(?!{_L}))(?:{_L}|['\u2019-](?={_L}))*"), tokens._WORD),
    "date_num": (re.compile(r"(?<![\w/.-])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/]|\.\d)"),
                 patterns._DATE_NUM),
    "year": (re.compile(r"(?<![\w/.,$-])(?P<y>19[5-9]\d|20\d\d)(?:-(?P<y2>19[5-9]\d|20\d\d))?(?![\w/%]|[.,]\d|-\d)"),
             patterns._YEAR),
    "range": (re.compile(r"(?<![\w.,$/:#-])(?P<a>\d{1,4})-(?P<b>\d{1,4})(?=[ \t]+[A-Za-z])"), patterns._RANGE),
    "count": (re.compile(r"(?<![\w.,$/:#\u00b6-])(?:\d{1,3}(?:,\d{3})+(?![\w%]|[.,]\d)|"
                         r"\d{1,4}(?![\w.,/:%-]|\.\d)(?=[ \t]*\n?[ \t]*[A-Za-z(])(?=\s))"), patterns._COUNT),
    "cable_id": (re.compile(r"(?<![\w/#])(?P<yy>\d{2})(?P<st>[A-Z]{3,25})(?P<serial>\d{1,7})(?![\w/])"),
                 patterns._CABLE_ID),
    "serial": (re.compile(r"(?<=[ \t])\d{1,7}(?![\w/]|\.\d|[ \t]+(?:OF|of)[ \t]+\d)"), patterns._SERIAL),
    "money": (re.compile(rf"(?<![\w.])(?P<cur>US\$|\$|USD|USDOLS|DOLS|EUR|\u20ac|\u00a3|GBP)[ \t]*\n?[ \t]*(?P<v>{_NUM})"
                         rf"(?:[ \t]+(?P<sc>thousand|million|billion|trillion)\b)?", re.IGNORECASE), patterns._MONEY),
    "reftel": (re.compile(r"(?<![\w/])(?P<w>REFTELS?|[Rr]eftels?|REF[ \t]TEL|[Rr]ef[ \t]tel)"
                          r"(?:[ \t]+(?P<l>[A-Z])(?![\w.'\u2019]))?"), patterns._REFTEL),
    "ref_letter": (re.compile(r"(?<![\w/])(?P<w>REFS?|[Rr]efs?)\.?[ \t]+(?P<l>[A-Za-h])(?![\w.:'\u2019])"),
                   patterns._REF_LETTER),
    "acronym": (re.compile(r"(?<![\w/.&-])(?:[A-Z]{1,4}\d\+\d|[A-Z]{3,8}|[A-Z]{1,4}\d{1,3}|G-\d{1,2})"
                           r"(?![\w/&+-]|\.\w)"), orgs._ACRONYM),
}
_HEADER_LINE = re.compile(r"(?im)^[ \t]*(?:From|To|Cc|CC|Bcc)[ \t]*:.*$")
_BEFORE_PREP = re.compile(r"(?<![a-z])(?:in|since|until|till|by|during|early|late|mid|from|through|of|last|next|"
                          r"this|before|after|following|throughout|around)[ \t-]+\Z")
_LOWER = str.maketrans({**{chr(c): chr(c + 32) for c in range(65, 91)}, "\u2019": "'", "\u2018": "'"})

#: characters the patterns look at, for generated text
_ALPHABET = st.sampled_from(list("0123456789 \t\n.,-/:#$%&+'()@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
                            + ["\u00b6", "\u2019", "\u00c9", "\u00e9", "\u20ac", "\u00a3", "\u0663", "\u017f",
                               "REF", "Ref", "ref", "TEL", "tel", "USD", "DOLS", "EUR", "GBP", "US$", "From", "To",
                               "Cc", "al", "and", "van", "della", " OF ", "19", "20", "198", "2006", "million"])
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@functools.cache
def corpus_paragraphs() -> tuple[str, ...]:
    """Every paragraph of the dev corpus (text, HTML and CSV sources; PDFs are slow to open and add
    no other kind of text)."""
    need(CORPUS, "dev corpus")
    out = []
    files = sorted(f for f in CORPUS.rglob("*") if f.is_file() and f.suffix in (".txt", ".html", ".csv"))
    for f in files:
        data = f.read_bytes()
        for src in open_source(f.as_posix(), data, sha256_hex(data)):
            if isinstance(src, SourceText):
                out += [p.text for p in parse_document(src).paragraphs]
    return tuple(out)


def _found(rx: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groupdict() or m.group(0)) for m in rx.finditer(text)]


def _same_everywhere(readable, fast, texts) -> None:
    for text in texts:
        assert _found(fast, text) == _found(readable, text), text[:200]


@pytest.mark.parametrize("name", sorted(READABLE))
def test_fast_pattern_finds_what_the_readable_one_finds_in_the_corpus(name, corpus_dir):
    readable, fast = READABLE[name]
    _same_everywhere(readable, fast, corpus_paragraphs())


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fast_patterns_on_generated_text(text):
    for readable, fast in READABLE.values():
        assert _found(fast, text) == _found(readable, text)
    ascii_text = text.encode("ascii", "ignore").decode()
    assert _found(tokens._WORD_ASCII, ascii_text) == _found(READABLE["word"][0], ascii_text)
    # on ASCII text the serial pattern also checks the capital before the space
    expected = [m.span() for m in READABLE["serial"][0].finditer(ascii_text)
                if m.start() >= 2 and ascii_text[m.start() - 2].isupper()]
    assert [m.span() for m in patterns._SERIAL_ASCII.finditer(ascii_text)] == expected


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_substring_gates_never_skip_a_match(text):
    """Each gate is a necessary condition of its pattern (or equal to the test it replaced)."""
    assert patterns.has_digit(text) == bool(re.search(r"\d", text))
    assert patterns._money_hint(text) == bool(re.search(r"[$\u20ac\u00a3]|USD|DOLS|EUR|GBP", text))
    if READABLE["reftel"][0].search(text):
        assert any(w in text for w in ("EFTEL", "eftel", "EF TEL", "ef tel", "EF\tTEL", "ef\ttel"))
    if READABLE["year"][0].search(text):
        assert "19" in text or "20" in text
    lines = [(m.start(), m.group(0)) for m in _HEADER_LINE.finditer(text)]
    assert people.header_lines(text) == lines
    low = gazetteer.lower(text)
    assert low == text.translate(_LOWER)
    assert gazetteer.lower_one_space(text) == low.translate(str.maketrans("\n\t\r", "   "))
    for end in range(len(text) + 1):
        start = max(0, end - 10)
        assert bool(patterns._BEFORE_PREP.search(text, start, end)) == bool(_BEFORE_PREP.search(low, start, end))


def test_lower_keeps_length_with_any_characters():
    text = "ÉCOLE Straße \u2019Quote\u2018 \udc80 \U0001f600 İ ǅ"
    assert gazetteer.lower(text) == text.translate(_LOWER)
    assert len(gazetteer.lower_one_space(text)) == len(text)


def test_corpus_ascii_variants_and_gates(corpus_dir):
    word = READABLE["word"][0]
    for text in corpus_paragraphs():
        assert people.header_lines(text) == [(m.start(), m.group(0)) for m in _HEADER_LINE.finditer(text)]
        assert patterns.has_digit(text) == bool(re.search(r"\d", text))
        if text.isascii():
            assert _found(tokens._WORD_ASCII, text) == _found(word, text)


SURNAMES = {"zhumagulov": "Zhumagulov", "nazarbayev": "Nazarbayev", "medvedev": "Medvedev", "ordway": "Ordway",
            "karimov": "Karimov", "kazykhanov": "Kazykhanov", "rnorgan": "Rnorgan", "clinton": "Clinton"}


@pytest.mark.parametrize("word", ["Zhumaqulov", "NAZARVAYEV", "Mevedev", "Broadway", "Karimova", "Kazykhanova",
                                  "Morgan", "Cliriton", "Ordway", "Dlinton", "Clintom", "Zhumagulovv", "x"])
def test_variant_match_equals_the_index(word):
    assert variant_match(SURNAMES, word) == VariantIndex(SURNAMES).match(word)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeghilmnoqrstuvyz015", min_size=3, max_size=10),
       st.lists(st.text(alphabet="abcdeghilmnoqrstuvyz015", min_size=3, max_size=10), max_size=6))
def test_variant_match_equals_the_index_on_generated_names(word, names):
    surnames = {n: n.capitalize() for n in names}
    assert variant_match(surnames, word) == VariantIndex(surnames).match(word)
