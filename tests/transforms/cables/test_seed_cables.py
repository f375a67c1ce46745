"""Seeds 000 (partial OCR'd extract) and 003 (full cable with routing): hand-checked values."""
import datetime as dt

import pytest

from tests.conftest import seed_path
from tests.helpers import parse_file


@pytest.fixture(scope="module")
def paris():
    (p,) = parse_file(seed_path("003"))
    return p


@pytest.fixture(scope="module")
def almaty():
    (p,) = parse_file(seed_path("000"))
    return p


def test_06PARIS5734_header(paris):
    d = paris.document
    assert d.doc_id == "06PARIS5734"
    assert d.doc_type == "cable" and d.year == "2006"
    assert d.date == dt.datetime(2006, 8, 25, 17, 16, tzinfo=dt.UTC)
    assert d.date_source == "dtg" and d.provenance["date"] == "dtg"
    assert d.origin == "Embassy Paris"
    assert d.classification == "CONFIDENTIAL"
    assert d.tags == ["PREL", "KZ", "KDEM", "PGOV", "PHUM", "OSCE", "FR"]
    assert d.references == ["06STATE139361"]
    assert d.subject == "GOF ON KAZAKHSTAN'S OSCE 2009 CHAIRMANSHIP BID"
    assert d.classified_by == "Josiah Rosenblatt"
    assert d.reasons == "1.5 (b) and (d)"
    assert d.declassify_on == dt.date(2016, 8, 25)
    assert d.signer == "Rosenblatt"
    assert not d.is_partial


def test_06PARIS5734_recipients(paris):
    d = paris.document
    assert [(r.name, r.routing, r.precedence) for r in d.recipients] == [("SECSTATE WASHDC", "RUEHC", "IMMEDIATE")]
    info = [(r.name, r.precedence) for r in d.info_recipients]
    assert info[0] == ("AMEMBASSY ATHENS", "IMMEDIATE")
    assert info[-1] == ("USMISSION USOSCE", "IMMEDIATE")
    assert len(info) == 9


def test_06PARIS5734_paragraphs(paris):
    numbered = [p for p in paris.paragraphs if p.para_number is not None]
    assert [p.para_number for p in numbered] == [1, 2, 3, 4]
    assert {p.marking for p in numbered} == {"C"}
    # ¶2 runs over a blank line: its second block belongs to it
    assert "She said the GOF wanted to avoid" in numbered[1].text
    assert numbered[3].section == "comment"
    assert paris.paragraphs[0].section == "header"
    assert paris.paragraphs[-1].section == "signature" and paris.paragraphs[-1].text == "Rosenblatt"


def test_XXALMATY4123_id_says_only_what_the_source_supports(almaty):
    d = almaty.document
    assert d.doc_id == "XXALMATY4123"
    assert d.year == "unknown" and d.date is None and d.doc_date is None
    assert "unknown_year" in d.flags
    assert d.classification == "UNCLASSIFIED"
    assert d.tags == ["PGOV", "KDEM", "KZ"]
    assert d.is_partial
    assert d.signer == "Ordway"
    assert d.subject == "KAZAKHSTAN: AMBASSADOR'S MEETING WITH OTAN PARTY"


def test_XXALMATY4123_paragraphs(almaty):
    numbered = [p for p in almaty.paragraphs if p.para_number is not None]
    assert [p.para_number for p in numbered] == [1, 2, 3, 4, 5, 6, 7]
    assert {p.marking for p in numbered} == {"SBU"}
    assert numbered[0].text.startswith("(SBU) Summary: Ambassador Ordway met")
    assert numbered[2].text.startswith("\u00b63. (SBU) Zhumagulov roundly criticized")
    assert numbered[3].text.startswith("\u00b64. (SBU) Zhumagulov dismissed")


def test_XXALMATY4123_repairs_logged(almaty):
    d = almaty.document
    kinds = {(r.kind, r.before, r.after) for r in d.repairs}
    assert ("pilcrow_latex", "$\\underline{\\P}3$", "\u00b63") in kinds
    assert ("pilcrow_ocr_digit", "14", "\u00b64") in kinds
    assert ("pilcrow_ocr_digit", "17", "\u00b67") in kinds
    assert ("ocr_hyphen_join", "door-todoor", "door-to-door") in kinds
    assert ("markup_removed", "<u>", "") in kinds
    assert all(r.offset >= 0 for r in d.repairs)
    # SENSTITUE is kept as found and flagged, never rewritten
    assert "SENSTITUE" in d.text
    assert "suspect_spelling:SENSTITUE" in d.flags


@pytest.mark.parametrize("doc", ["paris", "almaty"])
def test_offsets_point_into_the_text(doc, request):
    p = request.getfixturevalue(doc)
    for para in p.paragraphs:
        assert p.document.text[para.char_start:para.char_end] == para.text
    for e in p.entities:
        assert p.paragraphs[e.para_index].text[e.char_start:e.char_end] == e.text
