"""`parse_cable` on header fragments: truth tables of the forms found in the dev corpus.

Each input is one header line (or a few) as it occurs in the cable named in the id; the
expected values were checked by hand against that cable."""
import datetime as dt

import pytest

from transforms.cables import parse_cable
from transforms.cables.fields import classification_from, normalize_classification

UTC = dt.UTC

DTG = [
    pytest.param("O 251716Z AUG 06", dt.datetime(2006, 8, 25, 17, 16, tzinfo=UTC), id="06PARIS5734-immediate"),
    pytest.param("0 251716Z AUG 06", dt.datetime(2006, 8, 25, 17, 16, tzinfo=UTC), id="seed003-ocr-zero-for-O"),
    pytest.param("P R 281848Z DEC 66", dt.datetime(1966, 12, 28, 18, 48, tzinfo=UTC), id="66BUENOSAIRES2481-two-precedences"),
    pytest.param("O R 181205Z NOV 75 ZFF4", dt.datetime(1975, 11, 18, 12, 5, tzinfo=UTC), id="7575LIBREVILLE1895-zff4"),
    pytest.param("061601Z MAY 78", dt.datetime(1978, 5, 6, 16, 1, tzinfo=UTC), id="78KABUL3619-no-precedence"),
    pytest.param("060217Z Apr 02", dt.datetime(2002, 4, 6, 2, 17, tzinfo=UTC), id="02HOCHIMINHCITY336-extract-mixed-case"),
    pytest.param("R 231510Z SEP 00 ZDS", dt.datetime(2000, 9, 23, 15, 10, tzinfo=UTC), id="00ATHENS1501-zds"),
    pytest.param("PAGE 01        BERLIN  02228  091509Z", None, id="95BERLIN2228-teletype-page-line-has-no-month"),
    pytest.param("REF:  FBIS RESTON VA 200804Z DEC 99", None, id="99ALMATY12359-dtg-inside-ref-is-not-the-cable-date"),
]


@pytest.mark.parametrize("text,expected", DTG)
def test_dtg(text, expected):
    assert parse_cable(text).date == expected


BANNERS = [
    pytest.param("C O N F I D E N T I A L PARIS 005734", "CONFIDENTIAL", "04PARIS5734", id="06PARIS5734-spaced"),
    pytest.param("UNCLAS SECTION 01 OF 02 HO CHI MINH CITY 000336", "UNCLASSIFIED", "04HOCHIMINHCITY336",
                 id="02HOCHIMINHCITY336-section-multiword-station"),
    pytest.param("S E C R E T  STATE 255195 TOSEC 140301", "SECRET", "04STATE255195TOSEC140301",
                 id="90STATE255195TOSEC140301-tosec"),
    pytest.param("C O N F I D E N T I A L USUN NEW YORK 03978", "CONFIDENTIAL", "04USUNNEWYORK3978",
                 id="89USUNNEWYORK3978-usun"),
    pytest.param("UNCLAS E F T O SECTION 01 OF 02 RANGOON 01234", "UNCLASSIFIED", "04RANGOON1234",
                 id="rangoon-efto"),
    pytest.param("UNCLASSIFIED SECTION 01 OF 01 TEHRAN 1164 ", "UNCLASSIFIED", "04TEHRAN1164", id="72TEHRAN1164-unclassified"),
    pytest.param("S e c r e t state 068250", "SECRET", "04STATE68250", id="88BAGHDAD28-page-lower-case"),
    pytest.param("C O N F I D E N T I A L SECTION 01 OF 02 STATE 000284 SIPDIS E.O. 12958: DECL: 01/04/2020",
                 "CONFIDENTIAL", "04STATE284", id="10STATE284-header-on-banner-line"),
    pytest.param("UNCLAS 0TTAWA 003115", "UNCLASSIFIED", "04OTTAWA3115", id="ocr-zero-in-station"),
]


@pytest.mark.parametrize("text,classification,doc_id", BANNERS)
def test_banner(text, classification, doc_id):
    # the year is given as metadata would give it (2004 for every case): the banner gives the rest
    c = parse_cable(text, year=2004)
    assert (c.classification, c.doc_id) == (classification, doc_id)


def test_banner_year_is_used_without_any_other():
    # 7575LIBREVILLE1895: `C O N F I D E N T I A L 75 LIBREVILLE 1895` and no DTG in the fragment
    c = parse_cable("C O N F I D E N T I A L 75 LIBREVILLE 1895")
    assert c.doc_id == "75LIBREVILLE1895" and c.year == 1975


def test_ocr_station_is_flagged():
    assert parse_cable("UNCLAS 0TTAWA 003115", year=2004).flags == ["ocr_station:0TTAWA"]


def test_unknown_year_is_never_guessed():
    c = parse_cable("UNCLAS ALMATY 004123")
    assert c.doc_id == "XXALMATY4123" and c.year is None and c.date is None


CLASSIFICATION = [
    pytest.param("UNCLAS MADRID 002164\n\nSIPDIS\n\nSENSITIVE\n\nE.O. 12958: N/A", "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
                 id="04MADRID2164-sensitive-line"),
    pytest.param("UNCLAS SECTION 01 OF 03 LAGOS 000677\n\nSIPDIS\n\nSENSITIVE BUT UNCLASSIFIED\n\nE.O. 12958: N/A",
                 "UNCLASSIFIED", id="03LAGOS677-sbu-spelled-out-stays-unclassified"),
    pytest.param("UNCLAS IZMIR 01213\n\nLIMITED OFFICIAL USE\n\nE.O. 12356: N/A", "UNCLASSIFIED",
                 id="87IZMIR1213-lou-line-under-unclas"),
    pytest.param("S E C R E T SECTION 01 OF 02 RIYADH 001234\n\nNOFORN\n\nE.O. 12958: DECL", "SECRET//NOFORN",
                 id="noforn-line"),
    pytest.param("C O N F I D E N T I A L SECTION 01 OF 02 OTTAWA 003080\n\nSIPDIS\n\nCONFIDENTIAL NOFORN\n\nSIPDIS\n",
                 "CONFIDENTIAL//NOFORN", id="04OTTAWA3080-confidential-noforn-line"),
    pytest.param("UNCLAS ALMATY 004123\n\nSIPDIS\n\nSENSTITUE\n\nE.O. 12958: N/A", "UNCLASSIFIED",
                 id="seed000-misspelled-caveat-is-not-read"),
]


@pytest.mark.parametrize("text,expected", CLASSIFICATION)
def test_classification(text, expected):
    assert parse_cable(text).classification == expected


@pytest.mark.parametrize("value,expected", [
    ("UNCLAS", "UNCLASSIFIED"), ("C O N F I D E N T I A L", "CONFIDENTIAL"), ("S E C R E T", "SECRET"),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("SECRET//NOFORN", "SECRET//NOFORN"), ("CONFIDENTIAL//NOFORN", "CONFIDENTIAL//NOFORN"),
    ("LIMITED OFFICIAL USE", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"), ("TOP SECRET", "SECRET"), ("bogus", None)])
def test_normalize_classification(value, expected):
    assert normalize_classification(value) == expected


def test_sbu_caveat_is_for_official_use_only():
    assert classification_from("UNCLAS", ["SBU"]) == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


TAGS = [
    pytest.param("TAGS: PREL KZ KDEM PGOV PHUM OSCE FR", ["PREL", "KZ", "KDEM", "PGOV", "PHUM", "OSCE", "FR"], id="seed003"),
    pytest.param("TAGS: PREL, XK, UNSC, OAS, PM, ", ["PREL", "XK", "UNSC", "OAS", "PM"], id="89USUNNEWYORK3978-trailing-comma"),
    pytest.param("TAGS: KACT KNNP KSTC MNUC PARM PGOV PINR PINS PREF\nPREL, IN, IR \nSUBJECT: GOI AGREES",
                 ["KACT", "KNNP", "KSTC", "MNUC", "PARM", "PGOV", "PINR", "PINS", "PREF", "PREL", "IN", "IR"],
                 id="06NEWDELHI5237-wrapped"),
    pytest.param("E.O. 12958: N/A TAGS: PGOV KDEM KZ", ["PGOV", "KDEM", "KZ"], id="seed000-same-line-as-eo"),
    pytest.param("Tags: mtcre, parm, prel, ir", ["MTCRE", "PARM", "PREL", "IR"], id="88BAGHDAD28-page-lower-case"),
    pytest.param("TAGS: MASS, PHUM, PREL HO", ["MASS", "PHUM", "PREL", "HO"], id="02TEGUCIGALPA2272-mixed-separators"),
    pytest.param("TAGS: OVIP (RICE, CONDOLEEZZA) PREL", ["OVIP", "PREL"], id="person-tag-in-brackets"),
    pytest.param("TAGS:\nSUBJECT: X", [], id="empty"),
]


@pytest.mark.parametrize("text,expected", TAGS)
def test_tags(text, expected):
    assert parse_cable(text).tags == expected


SUBJECTS = [
    pytest.param("SUBJECT: GOF ON KAZAKHSTAN'S OSCE 2009 CHAIRMANSHIP BID\n\nREF: STATE 139361",
                 "GOF ON KAZAKHSTAN'S OSCE 2009 CHAIRMANSHIP BID", id="seed003"),
    pytest.param("SUBJECT: MIDDLE EAST: SARKOZY AND MUBARAK CONFER ON NEXT \nSTEPS \n \nClassified By: X",
                 "MIDDLE EAST: SARKOZY AND MUBARAK CONFER ON NEXT STEPS", id="09PARIS1007-wrapped"),
    pytest.param("SUBJ: KOREA AT 30TH UNGA: GABON \n \nREF: STATE 272523", "KOREA AT 30TH UNGA: GABON",
                 id="7575LIBREVILLE1895-subj"),
    pytest.param("SUBJECT:  ETHNIC MINORITY RETURNEES -- REALITY SETS IN \n                       UNCLASSIFIED \n",
                 "ETHNIC MINORITY RETURNEES -- REALITY SETS IN", id="02HOCHIMINHCITY336-page-footer-ends-it"),
    pytest.param("SUBJECT: (S) CUBAN NOMINEE FOR AMBASSADOR TO HONDURAS\nREPORTEDLY APPROVED BY GOH; \n\nREF: A. X",
                 "(S) CUBAN NOMINEE FOR AMBASSADOR TO HONDURAS REPORTEDLY APPROVED BY GOH;", id="02TEGUCIGALPA3076"),
]


@pytest.mark.parametrize("text,expected", SUBJECTS)
def test_subject(text, expected):
    assert parse_cable(text).subject == expected


CLASSIFIED_BY = [
    pytest.param("Classified By: CDA JOSIAH ROSENBLATT FOR REASONS 1.5 (b) and (d)`", "Josiah Rosenblatt",
                 "1.5 (b) and (d)", id="seed003"),
    pytest.param("Classified By: Classifed by POL M/C Kathleen Allegrone for reasons 1.4 \n(B) AND (D). ",
                 "Kathleen Allegrone", "1.4 (B) AND (D)", id="09PARIS1007-repeated-misspelled-lead"),
    pytest.param("CLASSIFIED BY CHARGE DOUGLAS B. KENT FOR REASON\n1.5 (D). ", "Douglas B. Kent", "1.5 (D)",
                 id="99ALMATY12359-wrapped"),
    pytest.param("Classified By: Ambassador Larry Palmer; Reasons 1.5 (B), (C), and (D). ", "Larry Palmer",
                 "1.5 (B), (C), and (D)", id="02TEGUCIGALPA3076-semicolon"),
    pytest.param("Classified By: Political Minister Counselor Brian Flora, \nReasons 1.5 (b) and (d). ",
                 "Brian Flora", "1.5 (b) and (d)", id="03OTTAWA81-titles"),
    pytest.param("Classified By: Ambassador Richard E. Hoagland: 1.4 (b), (d)\n\u00b61. (S) SUMMARY: During a dinner",
                 "Richard E. Hoagland", "1.4 (b), (d)", id="10ASTANA72-no-reason-word-no-blank-line"),
    pytest.param("Classified By: MINISTER COUNSELOR FOR POLITICAL AFFAIRS GEORGE GLASS FO \nR REASONS 1.4 (B) and (D) \n",
                 "George Glass", "1.4 (B) and (D)", id="09BERLIN1176-for-split-over-lines"),
    pytest.param("Classified By: Charge J. Robert Manzanares per 1.5 (b) and (d).", "J. Robert Manzanares",
                 "1.5 (b) and (d)", id="04MADRID583-per"),
    pytest.param("CLASSIFIED BY: Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)",
                 "Chris Stevens", "1.4 (b), (d)", id="08TRIPOLI220-name-first"),
    pytest.param("Classified By: CDA, A.I. RON MCMULLEN FOR REASON 1.5 (A/C).", "Ron McMullen", "1.5 (A/C)",
                 id="04RANGOON1100-ai-and-mc"),
    pytest.param("(U)  CLASSIFIED BY POL/ECON CHIEF MICHAEL MORROW, REASON \n1.5 (B) AND (D). ", "Michael Morrow",
                 "1.5 (B) AND (D)", id="00GABORONE5265-marked"),
]


@pytest.mark.parametrize("text,name,reasons", CLASSIFIED_BY)
def test_classified_by(text, name, reasons):
    c = parse_cable(text)
    assert (c.classified_by, c.reasons) == (name, reasons)


@pytest.mark.parametrize("text,expected", [
    pytest.param("E.O. 12958: DECL: 08/25/2016", dt.date(2016, 8, 25), id="seed003"),
    pytest.param("E.O. 12958:  DECL I2/20/09", dt.date(2009, 12, 20), id="99ALMATY12359-ocr-I-for-1"),
    pytest.param("E.o. 12958: decl: 07/01/2034", dt.date(2034, 7, 1), id="88BAGHDAD28-page-lower-case"),
    pytest.param("E.O. 12356: DECL:OADR", None, id="oadr-has-no-date"),
])
def test_declassify_on(text, expected):
    assert parse_cable(text).declassify_on == expected


def test_fragment_ref_block_only():
    c = parse_cable("REF: A. BRASILIA 2799 AND 2764", year=2008)
    assert c.references == ["08BRASILIA2799", "08BRASILIA2764"]
    assert c.doc_id is None and c.tags == [] and c.provenance == {"references": "ref_block"}


def test_fragment_classified_by_only():
    c = parse_cable("Classified By: Ambassador John Evans for reason 1.4 (b) and (d)")
    assert (c.classified_by, c.reasons) == ("John Evans", "1.4 (b) and (d)")
    assert c.doc_id is None and c.references == [] and c.signer is None


def test_field_names_are_documents_columns():
    from dataclasses import fields

    from transforms.schema import DOCUMENTS
    internal = {"station", "serial", "year", "header_end"}
    names = {f.name for f in fields(parse_cable(""))} - internal
    assert names <= set(DOCUMENTS.names)


def test_routing_precedence_and_distribution_lines():
    text = ("FM USOFFICE BERLIN\nTO SECSTATE WASHDC 8626\nINFO  LOG-00   OASY-00  EUR-01   TEDE-00\n"
            "UNCLAS BERLIN 002228\n")
    c = parse_cable(text)
    assert [(r.name, r.precedence) for r in c.recipients] == [("SECSTATE WASHDC", None)]
    assert c.info_recipients == []                         # office distribution codes are not addressees
    assert c.origin == "Embassy Berlin"                    # cables.csv names the post by station, not FM line
