"""Plain-text cables without the teletype header (`txt_from_csv`: the header + content fields of a
cables.csv row) and WikiLeaks partial extracts. Truth table checked by hand against each file."""
import pytest

from tests.transforms.cables.loader import check, parsed

pytestmark = pytest.mark.corpus

CASES = [
    pytest.param("89USUNNEWYORK3978", dict(
        doc_id="89USUNNEWYORK3978", date="1989-12-20 18:53", origin="USUN New York", classification="CONFIDENTIAL",
        tags=["PREL", "XK", "UNSC", "OAS", "PM"], references=["89STATE403831"],
        subject="TFPM02: MEETING WITH SC PRESIDENT ON PANAMA", signer="Pickering", paras=list(range(1, 10))),
        id="89USUNNEWYORK3978"),
    pytest.param("99ALMATY12359", dict(
        doc_id="99ALMATY12359", date="1999-12-21 09:27", origin="US Office Almaty", classification="CONFIDENTIAL",
        tags=["PGOV", "PINR", "TI"], references=[], subject="TAJIKISTAN: SCENES FROM A BACK-ROOM RESHUFFLE",
        classified_by="Douglas B. Kent", reasons="1.5 (D)", signer="Kent", paras=list(range(1, 10))),
        id="99ALMATY12359-fbis-ref-and-ocr-decl"),
    pytest.param("95BERLIN2228", dict(
        doc_id="95BERLIN2228", date=None, year="1995", origin="Embassy Berlin", classification="UNCLASSIFIED",
        tags=["AINF"], subject="STATE DEPARTMENT TELEPHONE BOOK", signer="Levy", is_partial=True,
        flags=["year_from_file_name"]), id="95BERLIN2228-extract-teletype-page-no-dtg"),
    pytest.param("03ZAGREB1678", dict(
        doc_id="03ZAGREB1678", date=None, origin="Embassy Zagreb", tags=["EFIS", "AORC", "PHSA", "SENV", "HR", "ICCAT"],
        references=["03STATE209478"], signer="Frank", is_partial=True), id="03ZAGREB1678-ref-year-from-file-name"),
    pytest.param("01VATICAN5288", dict(
        doc_id="01VATICAN5288", classification="CONFIDENTIAL", classified_by="R. James Nicholson", signer=None,
        paras=[1, 2, 3, 4, 5]), id="01VATICAN5288-extract-footer-is-no-signer"),
    pytest.param("02TEGUCIGALPA3023", dict(doc_id="02TEGUCIGALPA3023", paras=list(range(1, 9)), markings={"SBU"}),
                 id="02TEGUCIGALPA3023-line-starting-4-inside-para-1"),
    pytest.param("91LIMA7182", dict(doc_id="91LIMA7182", paras=[1, 2, 3, 6], markings={"S/NF/NC/ORCON", "C"}),
                 id="91LIMA7182-long-marking-and-missing-paragraphs"),
]


@pytest.mark.parametrize("doc_id,expected", CASES)
def test_text_cable(doc_id, expected):
    check(parsed("txt_from_csv", doc_id), expected)


def test_unnumbered_marked_line_before_paragraph_1_keeps_no_number():
    numbers = [p.para_number for p in parsed("txt_from_csv", "00GABORONE5265").paragraphs if p.para_number]
    assert numbers == list(range(1, 8))
