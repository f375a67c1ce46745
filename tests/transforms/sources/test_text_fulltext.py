"""Plain-text cables with the teletype routing header (`txt_fulltext`: ISO-8859-1, CRLF, ¶ as
byte 0xB6). Truth table checked by hand against each file."""
import pytest

from tests.transforms.cables.loader import check, parsed

pytestmark = pytest.mark.corpus

CASES = [
    pytest.param("06NEWDELHI5237", dict(
        doc_id="06NEWDELHI5237", date="2006-07-26 08:35", origin="Embassy New Delhi", classification="CONFIDENTIAL",
        tags=["KACT", "KNNP", "KSTC", "MNUC", "PARM", "PGOV", "PINR", "PINS", "PREF", "PREL", "IN", "IR"],
        references=["06STATE119436"], subject="GOI AGREES WITH P5+1 INCENTIVE FOR IRAN", classified_by="Jon P. Dorschner",
        reasons="1.4 (B,D)", signer="Pyatt", paras=[1, 2, 3, 4, 5, 6], markings={"C", "U"}, encoding="iso-8859-1"),
        id="06NEWDELHI5237-wrapped-tags-secstate-ref"),
    pytest.param("09PARIS1007", dict(
        doc_id="09PARIS1007", date="2009-07-24 15:55", origin="Embassy Paris", classification="CONFIDENTIAL",
        tags=["PGOV", "PREL", "FR"], references=[], subject="MIDDLE EAST: SARKOZY AND MUBARAK CONFER ON NEXT STEPS",
        classified_by="Kathleen Allegrone", reasons="1.4 (B) AND (D)", signer="Pekala", paras=[1, 2, 3, 4, 5]),
        id="09PARIS1007"),
    pytest.param("09UNVIEVIENNA279", dict(
        doc_id="09UNVIEVIENNA279", date="2009-06-17 14:58", classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        tags=["AORC", "PREL", "KNNP", "IAEA", "UN"], references=["09UNVIEVIENNA109", "09UNVIEVIENNA201"],
        subject="DG ELBARADEI FUELS THE BUDGET DEBATE", signer="Schulte", paras=list(range(1, 13)),
        markings={"SBU"}), id="09UNVIEVIENNA279-mission"),
    pytest.param("07KINGSTON482", dict(
        doc_id="07KINGSTON482", date="2007-04-03 19:00", classification="UNCLASSIFIED",
        tags=["ECON", "EFIN", "ENRG", "JM"], references=["06KINGSTON1280"],
        subject="JAMAICA: REMITTANCES PROVIDING LIFELINE", signer="Heg", paras=list(range(1, 13))),
        id="07KINGSTON482-2-digit-year-in-ref"),
    pytest.param("09USEUBRUSSELS1177", dict(doc_id="09USEUBRUSSELS1177", classification="UNCLASSIFIED", paras=[]),
                 id="09USEUBRUSSELS1177-no-numbered-paragraphs"),
]


@pytest.mark.parametrize("doc_id,expected", CASES)
def test_fulltext_cable(doc_id, expected):
    d = parsed("txt_fulltext", doc_id)
    assert d.document.source_format == "cable_text"
    check(d, expected)


def test_recipients_with_routing_and_precedence():
    d = parsed("txt_fulltext", "09PARIS1007").document
    assert [(r.name, r.routing, r.precedence) for r in d.recipients] == [
        ("WHITE HOUSE NSC WASHINGTON DC", "RHEHNSC", "IMMEDIATE"), ("SECSTATE WASHDC", "RUEHC", "IMMEDIATE")]
    assert [(r.name, r.precedence) for r in d.info_recipients] == [
        ("ARAB ISRAELI COLLECTIVE", "PRIORITY"), ("EUROPEAN POLITICAL COLLECTIVE", "PRIORITY")]


def test_pilcrow_byte_decoded_and_crlf_logged():
    d = parsed("txt_fulltext", "09PARIS1007").document
    assert "\u00b61. (C) Summary" in d.text and "\r" not in d.text
    assert any(r.kind == "newline" for r in d.repairs)


def test_summary_and_comment_sections():
    paras = parsed("txt_fulltext", "07KUALALUMPUR1403").paragraphs
    sections = [p.section for p in paras]
    assert sections[0] == "header" and sections[-1] == "signature"
    assert "summary" in sections and "comment" in sections
