"""Cable PDFs with a text layer (wkhtmltopdf prints of WikiLeaks pages), read with pypdf.

Truth table checked by hand against each PDF's text and its txt_from_csv twin."""
import pytest

from tests.transforms.cables.loader import check, parsed, sources
from transforms.repairs import RepairLog
from transforms.sources.pdf_text import PdfError, fix_cable_layout, pdf_text

pytestmark = pytest.mark.corpus

CASES = [
    pytest.param("00ATHENS1501", dict(
        doc_id="00ATHENS1501", date="2000-09-23 15:10", origin="Embassy Athens",
        classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY", tags=["EAID", "PREF", "EAGR", "ET", "KE", "SO", "EUN", "GR"],
        references=["09STATE96625", "00STATE70789", "00SEOUL1144", "00SINGAPORE675", "00THEHAGUE4750",
                    "00NAIROBI1812", "00ADDISABABA1556", "00STATE87385", "00STATE58996"],
        subject="GREEK RESPONSE ON URGENT SUPPORT NEEDED FOR HUMANITARIAN CRISIS IN ETHIOPIA, SOMALIA, AND KENYA",
        signer="Speckhard", paras=[1], markings={"SBU"}), id="00ATHENS1501-tags-split-pilcrows-in-ref"),
    pytest.param("00ATHENS1937", dict(
        doc_id="00ATHENS1937", date="2000-04-21 07:12", classification="CONFIDENTIAL", tags=["PTER", "GR"],
        subject="PRESS SUPPLEMENT ON THE 25-YEAR HISTORY OF 17 NOVEMBER", classified_by="R. Nicholas Burns",
        reasons="1.5 (B,D)", signer="Burns", paras=[1, 2, 3, 4]), id="00ATHENS1937"),
    pytest.param("00GABORONE5265", dict(
        doc_id="00GABORONE5265", origin="Embassy Gaborone", tags=["SADC", "PREL", "MARR", "MCAP", "ZU"],
        references=["00GABORONE2630", "00PRETORIA6497", "00MBABANE1670"], classified_by="Michael Morrow",
        signer="Lange", paras=list(range(1, 8)), markings={"C"}), id="00GABORONE5265-marked-classified-by"),
    pytest.param("00BEIJING11790", dict(
        doc_id="00BEIJING11790", date="2000-11-30 09:27", classification="UNCLASSIFIED", tags=["PTER", "CH"],
        references=["00STATE217248"], subject="CHINA: 2000 ANNUAL TERRORISM REPORT", signer="Marine", paras=[1, 2]),
        id="00BEIJING11790"),
    pytest.param("00ABUDHABI5893", dict(
        doc_id="00ABUDHABI5893", date="2000-10-31 08:38", classification="CONFIDENTIAL", signer="Kattouf",
        paras=list(range(1, 8))), id="00ABUDHABI5893-wrapped-last-word-is-no-signer"),
]


@pytest.mark.parametrize("doc_id,expected", CASES)
def test_cable_pdf(doc_id, expected):
    d = parsed("pdf", doc_id)
    assert d.document.source_format == "cable_pdf" and d.document.encoding == "pdf"
    check(d, expected)


def test_layout_repairs_are_logged():
    kinds = [r.kind for r in parsed("pdf", "00ATHENS1501").document.repairs]
    assert "pdf_tags_joined" in kinds and "pdf_pilcrow_joined" in kinds


def test_fix_cable_layout():
    log = RepairLog()
    text = "TAGS: \nEAID\n \nPREF\n \nGR\nSUBJECT: X\n \n\u00b6\n1. (SBU) Text\n"
    assert fix_cable_layout(text, log) == "TAGS: EAID, PREF, GR\nSUBJECT: X\n \n\u00b61. (SBU) Text\n"
    assert [r.kind for r in log.finish()] == ["pdf_tags_joined", "pdf_pilcrow_joined"]


def test_pdf_and_its_csv_text_give_the_same_header():
    a, b = parsed("pdf", "00GABORONE5265").document, parsed("txt_from_csv", "00GABORONE5265").document
    for field in ("doc_id", "date", "origin", "classification", "tags", "references", "subject", "classified_by",
                  "reasons", "declassify_on", "signer"):
        assert getattr(a, field) == getattr(b, field), field


def test_broken_pdf_gives_a_one_line_error():
    with pytest.raises(PdfError) as err:
        pdf_text(b"%PDF-1.4\n%broken\n")
    assert "\n" not in str(err.value)


def test_sources_are_one_per_pdf():
    assert len(sources("pdf", "00ATHENS1501")) == 1
