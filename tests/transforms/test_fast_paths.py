"""Decoding, sniffing, cleaning and table building take shortcuts for speed: substring tests before
regex scans, patterns that start with a character class or a line break, C-level byte translation,
prefixes instead of whole texts, attribute getters instead of per-value dataclass walks. Each
shortcut must give exactly what the readable form (kept here) gives, on the dev corpus's texts and
on generated text made of the characters that matter."""
from __future__ import annotations

import dataclasses
import functools
import re

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, need
from transforms import decode, detect
from transforms.cables import clean as cable_clean
from transforms.emails import clean as email_clean
from transforms.emails import messages, stamps
from transforms.emails.addresses import skeleton
from transforms.emails.stamps import CODES
from transforms.repairs import RepairLog, sub_logged
from transforms.segments import lines_of

_PIECES = ["\n", " ", "\t", "  ", "From:", "Sent: ", "TAGS", "TAGS: ", "VZCZC", "SUBJECT:", "FM ", "TO X", "INFO A",
           "UNCLAS", "SECRET ", "CONFIDENTIAL", "PARIS 0123", "\u00b6 1", "\\P}1", "E.O. 12958", "Doc No. C05739545",
           "Case No. F-2014-20439", "RELEASE IN FULL", "U.S. Department of State", "A", "x", "SECTION 1 OF 2 ",
           "C O N F I D E N T I A L ", "- ", "\u2013 ", "(C)", "1. ", "\u00b63.", "door-to-door", "door-todoor",
           "o\tf", "a\tb", "B6", "B5,B6", "1.4(D)", "     ", "Date: 05/13/2015", "UNCLASSIFIED", "STATE-5CB0045247",
           "\x01", "\x0b", "\ufffd", "\x00", "\x7f", "\u0085", "\u00e9", "> ", "rn", "vv", "\u03a3", "Caso", "Docs",
           "DOOR-TO-DOOR", "door-to", "todoor", "Door-", "-a-", "\\P", "$\\P 3$", "\u00b6", "14.", "2. (C)", "\u212a",
           "B6\n", "\nB5, B6", "1.4(B)\n", "B3 CIA PERS/ORG"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@functools.cache
def corpus_texts() -> tuple[str, ...]:
    """Decoded texts of the dev corpus's text files (what decode, sniff and the cleaners read)."""
    need(CORPUS, "dev corpus")
    out = []
    for f in sorted(CORPUS.rglob("*.txt")):
        out.append(decode.decode_bytes(f.read_bytes()).text)
    return tuple(out)


# --- decode and sniff ---------------------------------------------------------------------------
def _binary_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\x00") or ch == "\ufffd")
    return bad / len(sample)


_EMAIL_MARKS = (r"\bDoc No\. ?C\d{7,8}\b", r"\bCase No\. ?F-\d{4}-\d+", r"\bRELEASE IN (?:FULL|PART)\b",
                r"(?m)^\s*From:\s", r"(?m)^\s*Sent:\s", r"U\.S\. Department of State")
_CABLE_MARKS = (r"(?m)^VZCZC", r"(?m)^\s*TAGS:?\s", r"E\.\s?O\.\s?1[0-9]{4}", r"(?m)^\s*SUBJECT:",
                r"(?m)^\s*(?:FM|TO|INFO)\s+[A-Z]",
                (r"(?m)^\s*(?:UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|UNCLASSIFIED)"
                 r"(?:\s+(?:SECTION \d+ OF \d+|E F T O|SENSITIVE))?\s+[A-Z][A-Z .]+\s0*\d{2,7}\b"),
                r"\u00b6\s?\d|\\P\}?\d")


def _check_decode_and_sniff(text: str) -> None:
    assert decode._binary_share(text) == _binary_share(text)
    assert decode._has_control(text) == bool(decode._CONTROL.search(text))
    readable = [bool(re.search(p, text)) for p in _EMAIL_MARKS + _CABLE_MARKS]
    assert [m(text) for m in detect._EMAIL_MARKS + detect._CABLE_MARKS] == readable


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_decode_and_sniff_shortcuts_on_generated_text(text):
    _check_decode_and_sniff(text)


def test_decode_and_sniff_shortcuts_on_the_corpus(corpus_dir):
    for text in corpus_texts():
        _check_decode_and_sniff(text)


# --- cable cleaning -------------------------------------------------------------------------------
_BULLET = re.compile(r"(?m)^[ \t]*[-\u2013\u2022][ \t]+(?=(?:\u00b6\s?\d{1,3}\.|\d{1,3}\.\s+\(|\([A-Z/]{1,5}\)))")
_COMPOUND = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b", re.IGNORECASE)


_PARA_START = re.compile(r"(?m)^[ \t]*(\u00b6\s?)?(\d{1,3})\.(?=\s+\(|\s+[A-Z])")
_HYPHEN_GLUE = re.compile(r"\b([a-z]+)-([a-z]+)\b")
_LATEX_PILCROW = re.compile(r"\$\\underline\{\\P\}\s*(\d{1,3})\s*\$|\$\\P\s*(\d{1,3})\s*\$|\\P\{?\}?\s*(\d{1,3})")


def _join_split_compounds(text: str, log: RepairLog) -> str:
    compounds = {m.group(0).lower() for m in _COMPOUND.finditer(text)}
    glued = {}
    for c in compounds:
        parts = c.split("-")
        for i in range(len(parts) - 1):
            glued["-".join(parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:])] = c
    if not glued:
        return text

    def fix(m):
        full = glued.get(m.group(0).lower())
        return m.group(0) if full is None else full.upper() if m.group(0).isupper() else full
    return sub_logged(_HYPHEN_GLUE, fix, text, log, "ocr_hyphen_join")


def _check_cable_clean(text: str) -> None:
    log_a, log_b = RepairLog(), RepairLog()
    assert cable_clean._remove_bullets(text, log_a) == sub_logged(_BULLET, "", text, log_b, "ocr_bullet")
    first = cable_clean._PARA_START_FIRST.match(text)
    fast = ([first] if first else []) + list(cable_clean._PARA_START.finditer(text))
    assert [(m.span(1), m.span(2), m.groups()) for m in fast] == \
        [(m.span(1), m.span(2), m.groups()) for m in _PARA_START.finditer(text)]
    assert cable_clean._join_split_compounds(text, log_a) == _join_split_compounds(text, log_b)
    assert log_a.finish() == log_b.finish()
    if _LATEX_PILCROW.search(text):
        assert "\\" in text


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_cable_clean_shortcuts_on_generated_text(text):
    _check_cable_clean(text)


# --- email cleaning -------------------------------------------------------------------------------
_TAB_IN_WORD = re.compile(r"(?<=([a-z]))\t([a-z])(?=([a-z])?)")
_CODE_LINE = re.compile(rf"^[ \t]*({CODES})[ \t]*(?:\n|$)", re.MULTILINE)
_CODE_TAIL = re.compile(rf"(?<=\S)[ \t]{{3,}}({CODES})[ \t]*$", re.MULTILINE)


def _line_kind(line: str) -> str:
    s = line.strip()
    if not s:
        return "blank"
    if len(s) > 400:
        return "text"
    if stamps._WEAK_PIECES.match(s):
        return "weak"
    rest, strong, weak = stamps._strip_stamp(s)
    if (strong or weak) and stamps._DEBRIS.match(rest):
        return "strong" if strong else "weak"
    return "text"


def _region_end(text: str) -> int:
    end = 0
    for line in lines_of(text[:6000]):
        if not line.text.strip():
            continue
        if not stamps._top_rest(line.text)[1]:
            break
        end = line.end
    return end


def _body_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", skeleton(messages._QUOTE.sub("", text)))[:messages.HASH_BODY_CHARS]


def _check_email_clean(text: str) -> None:
    def spans(rx):
        return [(m.span(), m.groups()) for m in rx.finditer(text)]
    assert spans(email_clean._TAB_IN_WORD) == spans(_TAB_IN_WORD)
    assert spans(email_clean._CODE_TAIL) == spans(_CODE_TAIL)
    for keep in sorted({0, 1, len(text) // 2, text.find("\n") + 1}):
        assert email_clean._code_lines(text, keep) == [(m.start(), m.end(), m.group(1))
                                                       for m in _CODE_LINE.finditer(text, keep)]
    for line in text.split("\n"):
        assert stamps.line_kind(line) == _line_kind(line)
    assert stamps.region_end(text) == _region_end(text)
    assert messages._body_key(text) == _body_key(text)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_email_clean_shortcuts_on_generated_text(text):
    _check_email_clean(text)


def test_cleaning_shortcuts_on_the_corpus(corpus_dir):
    for text in corpus_texts():
        _check_cable_clean(text)
        _check_email_clean(text)


def test_body_key_reads_past_its_first_prefix():
    """A body whose first lines hold no letters or digits: the key comes from further down."""
    text = ">\n" * 400 + "> Thanks, see you Tuesday\n" + "x" * 50
    assert messages._body_key(text) == _body_key(text) == "thanksseevou"     # skeleton: y -> v


# --- records to Arrow -----------------------------------------------------------------------------
def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return list(value.items())
    return value


def _readable_to_arrow(records, table) -> pa.Table:
    from transforms.tables import _needs_plain
    schema = table.arrow_schema
    arrays = []
    for f in schema:
        values = [getattr(r, f.name) for r in records]
        if _needs_plain(f.type):
            values = [_plain(v) for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


@functools.cache
def _parsed_sample(seeds_dir, corpus_dir) -> list:
    """Seeds, emails and WikiLeaks pages (messages, repairs, recipients, provenance: every nested
    type the tables hold)."""
    from tests.helpers import parse_file
    files = sorted(seeds_dir.glob("*.txt")) + sorted((corpus_dir / "emails").glob("*.txt"))[:20] + \
        sorted((corpus_dir / "cables" / "html_wl2010").glob("*"))[:10]
    return [p for f in files for p in parse_file(f)]


@pytest.mark.parametrize("name", ["documents", "paragraphs", "entities"])
def test_tables_equal_the_per_value_conversion(name, seeds_dir, corpus_dir):
    from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
    from transforms.tables import to_arrow
    parsed = _parsed_sample(seeds_dir, corpus_dir)
    table, records = {"documents": (DOCUMENTS, [p.document for p in parsed]),
                      "paragraphs": (PARAGRAPHS, [x for p in parsed for x in p.paragraphs]),
                      "entities": (ENTITIES, [x for p in parsed for x in p.entities])}[name]
    assert to_arrow(records, table).equals(_readable_to_arrow(records, table))
    assert to_arrow([], table).equals(_readable_to_arrow([], table))
