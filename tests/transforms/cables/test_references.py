"""REF blocks -> canonical ids, and id repairs. Inputs are REF blocks as printed in the cable of the
id (hand-checked against the cable); the citing cable's year is the second column."""
import pytest

from transforms.cables.ids import canonical_reference, repair_id
from transforms.cables.references import parse_references

REFS = [
    pytest.param("REF: STATE 139361", 2006, None, ["06STATE139361"], id="seed003"),
    pytest.param("REF: A. BRASILIA 2799 AND 2764", 2008, None, ["08BRASILIA2799", "08BRASILIA2764"],
                 id="enumeration-and"),
    pytest.param("REF: COLOMBO CABLES 0266 AND 02259 (2002)", 2003, None, ["02COLOMBO266", "02COLOMBO2259"],
                 id="cables-word-and-bracketed-4-digit-year"),
    pytest.param("REF: TEHRAN 1091: TEHRAN 263: MOSCOW 1603 ", 1972, None,
                 ["72TEHRAN1091", "72TEHRAN263", "72MOSCOW1603"], id="72TEHRAN1164-colons"),
    pytest.param("REF:  84 RIYADH 7002 ", 1985, None, ["84RIYADH7002"], id="85RIYADH5470-2-digit-year-before"),
    pytest.param("Refs:  A) 2003 Sao Paulo 2199  B) 2003 Brasilia 3564 ", 2004, None,
                 ["03SAOPAULO2199", "03BRASILIA3564"], id="04BRASILIA1384-4-digit-year-mixed-case"),
    pytest.param("REF: A. HANOI 3601 (1999)  B. HANOI 1755 (1999) ", 2002, None, ["99HANOI3601", "99HANOI1755"],
                 id="02HOCHIMINHCITY400-year-after"),
    pytest.param("REF: A) HANOI 0791   B) HCMC 0201    C) HCMC 0202 ", 2002, None,
                 ["02HANOI791", "02HOCHIMINHCITY201", "02HOCHIMINHCITY202"], id="02HOCHIMINHCITY336-hcmc-alias"),
    pytest.param("REF: STATE 106206 CIRCULAR; STATE CA-3400 NOV 2, 1966 ", 1966, None, ["66STATE106206"],
                 id="66BUENOSAIRES2481-circular-airgram-skipped"),
    pytest.param("REF: TEHRAN'S A-077 OF MAY 15, 1972: TEHRAN 3312 ", 1972, None, ["72TEHRAN3312"],
                 id="72TEHRAN4789-airgram-skipped"),
    pytest.param("REF: RAPHEL/STANTON TELCON 31985 ", 1985, None, [], id="85LONDON6332-telcon-is-not-a-cable"),
    pytest.param("REF:  FBIS RESTON VA 200804Z DEC 99 ", 1999, None, [], id="99ALMATY12359-fbis"),
    pytest.param("REF: SECSTATE 144853", 2002, None, ["02STATE144853"], id="02TEGUCIGALPA2272-secstate"),
    pytest.param("REF: (A) GABORONE 2630, (B) PRETORIA 6497, (C) MBABANE \n1670 \n", 2000, None,
                 ["00GABORONE2630", "00PRETORIA6497", "00MBABANE1670"], id="00GABORONE5265-serial-wrapped"),
    pytest.param("REF: Q MOGADISHU 08622; B) MOGADISHU 10999 \n-     C) MOGADISHU 10793 ", 1990, None,
                 ["90MOGADISHU8622", "90MOGADISHU10999", "90MOGADISHU10793"], id="90MOGADISHU11138-ocr-letter"),
    pytest.param("REF: (A) Tegucigalpa 826 \n \n     (B) Tegucigalpa 494 and previous \n \n1. (SBU) Summary.", 2003,
                 None, ["03TEGUCIGALPA826", "03TEGUCIGALPA494"], id="03TEGUCIGALPA865-blank-line-between-items"),
    pytest.param("REF: A. A) RIO 1001 \n     B. B) BRASILIA 248 ", 2004, None,
                 ["04RIODEJANEIRO1001", "04BRASILIA248"], id="04BRASILIA2745-rio-alias"),
    pytest.param("REF: ADDIS ABAB 2288 ", 2004, None, ["04ADDISABABA2288"], id="04BRUSSELS3116-station-cut-short"),
    pytest.param("REF: A. REF: (A) SANTO DOMINGO 5088 \n     B. (B) SANTO DOMINGO 4679 ", 2003, None,
                 ["03SANTODOMINGO5088", "03SANTODOMINGO4679"], id="03SANTODOMINGO5393-doubled-markers"),
    pytest.param("REF: (A) STATE 171640 (NOTAL)  (B) RIYADH 602 \n       (C) RIYADH 1773   (D) RIYADH 1797 \n \n"
                 "(U) CLASSIFIED BY DCM ALBERT THIBAULT, REASON 1.5 B.", 1998, None,
                 ["98STATE171640", "98RIYADH602", "98RIYADH1773", "98RIYADH1797"], id="98RIYADH3482-lettered-c-not-a-marking"),
    pytest.param("REF: HANOI 3601\n                       UNCLASSIFIED \n \n \nPAGE 02        HO CHI  00400  01 OF 02  190630Z "
                 "\nB. HANOI 1755", 2002, None, ["02HANOI3601", "02HANOI1755"], id="page-break-inside-block"),
    pytest.param("REF: 09 STATE 96625; A. A)STATE 70789; B. B) SEOUL 1144 \n\u00b6\nC. C) SINGAPORE 675", 2000, None,
                 ["09STATE96625", "00STATE70789", "00SEOUL1144", "00SINGAPORE675"], id="00ATHENS1501-pdf-lone-pilcrow"),
    pytest.param("REF: A. VATICAN 3436 \n     B. VATICAN 4241", 2002, "02VATICAN4241", ["02VATICAN3436"],
                 id="02VATICAN4241-no-self-reference"),
    pytest.param("REF: STATE 1234", None, None, ["XXSTATE1234"], id="unknown-own-year-is-XX"),
    pytest.param("Ref: State 29549 \n \n1. SUMMARY. Progress on IPR", 2004, None, ["04STATE29549"], id="04LAGOS456-lower"),
]


@pytest.mark.parametrize("text,year,own_id,expected", REFS)
def test_references(text, year, own_id, expected):
    assert parse_references(text, year, own_id) == expected


def test_ref_in_body_is_not_the_header_block():
    text = "SUBJECT: X\n\n1. (C) Text.\n\nREF: STATE 1234\n"
    assert parse_references(text, 2004) == []


IDS = [
    pytest.param("08ECTION01OF02MANAMA492", "08MANAMA492", ["fused_section"], id="fused-section"),
    pytest.param("08SCTION02OF02SAOPAULO335", "08SAOPAULO335", ["fused_section"], id="fused-sction"),
    pytest.param("7575LIBREVILLE1895", "75LIBREVILLE1895", ["doubled_year"], id="7575LIBREVILLE1895"),
    pytest.param("040TTAWA3115", "04OTTAWA3115", ["ocr_digit_in_station"], id="0TTAWA"),
    pytest.param("08SECTION01GF02BISHIEK21", "08BISHKEK1021", ["known_malformed"], id="known-malformed"),
    pytest.param("02Tegucigalpa3004", "02TEGUCIGALPA3004", ["case"], id="lower-case"),
    pytest.param("06PARIS5734", "06PARIS5734", [], id="already-canonical"),
    pytest.param("90STATE255195TOSEC140301", "90STATE255195TOSEC140301", [], id="tosec-kept"),
]


@pytest.mark.parametrize("raw,fixed,kinds", IDS)
def test_repair_id(raw, fixed, kinds):
    assert repair_id(raw) == (fixed, kinds)


@pytest.mark.parametrize("raw,expected", [
    ("02SECSTATE144853", "02STATE144853"), ("03Montreal1076", "03MONTREAL1076"),
    ("04ADDISABAB2288", "04ADDISABABA2288"), ("04RIO1001", "04RIODEJANEIRO1001"),
    ("04REFS:YEREVAN1268", None), ("04VISTAN0321621", None), ("06STATE139361", "06STATE139361")])
def test_canonical_reference(raw, expected):
    assert canonical_reference(raw) == expected
