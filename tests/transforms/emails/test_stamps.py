"""Release stamps (both layouts), the release decision torn over lines, exemption codes and
classification stamps. Inputs are single stamp lines as they stand in the dev corpus."""
import datetime as dt

import pytest

from transforms.emails.stamps import find_class_stamps, line_kind, normalize_exemptions, parse_stamp

MULTI = ("UNCLASSIFIED                              STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.\n"
         "U.S. Department of State       SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.\n"
         "Case No. F-2015-04841\nDoc No. C05739614\n")
ONE_LINE = "     UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758447 Date: 06/30/2015\n\n\n"
HEADER = "\n\nFrom:      H <hrod17@clintonemail.com>\n"

RELEASES = [
    pytest.param(MULTI + "Date: 05/13/2015                                  RELEASE IN\n"
                 "                                                  PART B6\n" + HEADER,
                 "RELEASE IN PART", ["B6"], id="C05739614-release-in-then-part"),
    pytest.param(MULTI.replace("Doc No. C05739614\n", "Doc No. C05739696\n                         RELEASE IN\n")
                 + "Date: 05/13/2015\n                         PART B6\n" + HEADER,
                 "RELEASE IN PART", ["B6"], id="C05739696-stamp-date-between"),
    pytest.param(ONE_LINE + "                         RELEASE\n                         IN FULL\n" + HEADER,
                 "RELEASE IN FULL", [], id="C05767501-release-then-in-full"),
    pytest.param(ONE_LINE + "                         RELEASE IN PART B3 CIA\n                         PERS/ORG,B6\n" + HEADER,
                 "RELEASE IN PART", ["B3 CIA PERS/ORG", "B6"], id="C05781489-statute-torn"),
    pytest.param(ONE_LINE + "                         RELEASE IN PART B5,B6\n" + HEADER,
                 "RELEASE IN PART", ["B5", "B6"], id="C05761318-one-line"),
    pytest.param(ONE_LINE + "Classified by DAS, A/GIS, DoS on 06/30/2015 — Class: CONFIDENTIAL\n"
                 "— Reason: 1.4(B), 1.4(D) — Declassify on: 07/25/2024          RELEASE IN PART\n"
                 "                                           1.4(B),B1,1.4(D),B6\n" + HEADER,
                 "RELEASE IN PART", ["B1,1.4(B),1.4(D)", "B6"], id="C05762637-with-classification-stamp"),
    pytest.param("RELEASE IN PART B5\n\nFrom: Sent: To: Cc:\tx\n", "RELEASE IN PART", ["B5"], id="seed001-no-stamp"),
    pytest.param(ONE_LINE + "                                    [INCI-Ci-WC       FUI-1-]\n", None, [],
                 id="C05775984-unreadable"),
]


@pytest.mark.parametrize("text,release,codes", RELEASES)
def test_release_and_codes(text, release, codes):
    s = parse_stamp(text)
    assert s.release == release
    assert normalize_exemptions(s.codes) == codes
    assert "From:" not in text[:s.region_end]


def test_ids_take_the_value_most_copies_agree_on():
    """C05763353: one page's stamp reads `Case No. FL 2014-20439`."""
    text = (ONE_LINE.replace("C05758447", "C05763353") + "RELEASE IN FULL\nFrom: x\nSent: y\n" +
            "UNCLASSIFIED U.S. Department of State Case No. FL 2014-20439 Doc No. C05763353 Date: 07/31/2015\n" +
            ONE_LINE.replace("C05758447", "C05763353").replace("06/30/2015", "07/31/2015") * 2)
    s = parse_stamp(text)
    assert (s.doc_number, s.case_number, s.release_date) == ("C05763353", "F-2014-20439", dt.date(2015, 7, 31))


EXEMPTIONS = [
    pytest.param(["B5"], ["B5"], id="seed001"),
    pytest.param(["B6", "B5", "B6", "B5, B6"], ["B5", "B6"], id="each-once-statute-order"),
    pytest.param(["1.4(B),B1,1.4(D),B6", "1.4(D)", "B1"], ["B1,1.4(B),1.4(D)", "B6"], id="C05762637-b1-reasons"),
    pytest.param(["B1", "1.4 (d)"], ["B1,1.4(D)"], id="spaced-lower-case-reason"),
    pytest.param(["B5,B7(E),B7(A)", "B7(A)"], ["B5", "B7(A)", "B7(E)"], id="C05767435-b7"),
    pytest.param(["B3 INA,B6", "B3 INA"], ["B3 INA", "B6"], id="C05792090-b3-statute"),
    pytest.param(["1.4(D)"], ["1.4(D)"], id="reason-without-b1-kept"),
    pytest.param([], [], id="none"),
]


@pytest.mark.parametrize("codes,expected", EXEMPTIONS)
def test_normalize_exemptions(codes, expected):
    assert normalize_exemptions(codes) == expected


LINES = [
    pytest.param("UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05758447 Date: 06/30/2015",
                 "strong", id="one-line-stamp"),
    pytest.param("     UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05775984 Date: 09/30/2015„ ,"
                 "                                    I", "strong", id="C05775984-ocr-debris"),
    pytest.param("Doc No. C05739545                         STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.",
                 "strong", id="doc-no-with-committee"),
    pytest.param("Date: 05/13/2015               SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA "
                 "WAIVER.                 STATE-5CB0045247", "strong", id="bates-number"),
    pytest.param("U.S. Department of State", "weak", id="signature-line-alone-is-weak"),
    pytest.param("Ambassador at Large for Global Women's Issues", "text", id="text"),
    pytest.param("   ", "blank", id="blank"),
]


@pytest.mark.parametrize("line,kind", LINES)
def test_line_kind(line, kind):
    assert line_kind(line) == kind


def test_classification_stamp_torn_over_three_lines():
    """C05796940: the declassification date was printed on the next `Original Message` line."""
    text = ("What do you think of Gordon's piece?\n"
            "                      Classified by DAS, A/GIS, DoS on 02/13/2016 — Class:\n"
            "                      CONFIDENTIAL — Reason: 1.4(B), 1.4(D) — Declassify on:\n"
            "    Original Message                          11/24/2027\n")
    (cs,) = find_class_stamps(text)
    assert cs.text == ("Classified by DAS, A/GIS, DoS on 02/13/2016 — Class: CONFIDENTIAL — Reason: 1.4(B), 1.4(D) "
                       "— Declassify on: 11/24/2027")
    assert text[cs.extra[0]:cs.extra[1]] == "11/24/2027"
