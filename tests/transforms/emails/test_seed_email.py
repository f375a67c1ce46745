"""Seed 001 (FOIA email with a jumbled header): hand-checked values."""
import datetime as dt

import pytest

from tests.conftest import seed_path
from tests.helpers import parse_file


@pytest.fixture(scope="module")
def email():
    (p,) = parse_file(seed_path("001"))
    return p


def test_seed001_header(email):
    d = email.document
    assert d.doc_type == "email" and d.doc_kind == "email"
    assert (d.sender.name, d.sender.address) == ("Abedin, Huma", "abedinh@state.gov")
    assert d.sent == dt.datetime(2012, 1, 13, 23, 50)
    assert [a.name for a in d.to] == ["H"]
    assert [a.name for a in d.cc] == ["Hanley, Monica R"]
    assert d.subject == "Nazarbayev"
    assert d.release == "RELEASE IN PART"
    assert d.foia_exemptions == ["B5"]
    assert d.year == "2012"


def test_seed001_stray_markup_removed_and_logged(email):
    d = email.document
    assert "</abedinh@state.gov>" not in d.text
    assert any(r.kind == "markup_removed" and r.before == "</abedinh@state.gov>" for r in d.repairs)


def test_seed001_pronunciation_guides_stay_inside_paragraphs(email):
    texts = [p.text for p in email.paragraphs]
    assert any("[nah-zahr-BYE-yeff]" in t and "Nazarbayev" in t for t in texts)
    assert any("[zhah-NOW-zen]" in t and "Purpose of Call" in t for t in texts)
    assert not any(t.strip().startswith("[") for t in texts)


def test_seed001_sections(email):
    sections = [p.section for p in email.paragraphs]
    assert sections[0] == "stamp" and sections[1] == "header"
    assert {p.message_index for p in email.paragraphs if p.section in ("header", "body")} == {0}
    for para in email.paragraphs:
        assert email.document.text[para.char_start:para.char_end] == para.text


def test_seed001_sentence_torn_by_a_page_break_is_one_paragraph(email):
    (p,) = [p for p in email.paragraphs if "believe everything they read on the" in p.text]
    assert "read on the\ninternet (local press propaganda" in p.text
    assert any(r.kind == "sentence_rejoined" for r in email.document.repairs)


def test_seed001_tab_artifact_and_margin_code(email):
    d = email.document
    assert "we offered 8:30-10am window" in d.text
    assert not any(p.text.strip() == "B5" for p in email.paragraphs if p.section != "stamp")
    assert any(r.kind == "exemption_code_removed" and r.before.strip() == "B5" for r in d.repairs)


def test_seed001_without_stamp_is_partial_and_says_why(email):
    d = email.document
    assert d.provenance["doc_id"] == "file_name" and d.case_number is None
    assert d.is_partial and "stamp_missing" in d.flags
    assert [m.message_index for m in d.messages] == [0]
