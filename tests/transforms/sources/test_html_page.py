"""WikiLeaks cable pages: the 2010 build, the 2011 release and the 2010 edge cases.

Truth table: values checked by hand against each page (metadata table and `<pre>` text)."""
import pytest

from tests.transforms.cables.loader import check, parsed, sources
from transforms.sources.html_page import PageError, read_page

pytestmark = pytest.mark.corpus

CASES = [
    pytest.param("html_wl2010", "01PRETORIA1173", dict(
        doc_id="01PRETORIA1173", date="2001-02-23 15:53", date_source="dtg", origin="Embassy Pretoria",
        classification="CONFIDENTIAL", tags=["PREL", "PGOV", "SF"],
        references=["99PRETORIA12315", "99PRETORIA12316", "00PRETORIA9150", "00CAPETOWN2150", "01PRETORIA425",
                    "01PRETORIA533", "01CAPETOWN179", "01PRETORIA619"],
        subject="THIN-SKINNED MBEKI WILL REQUIRE DEFT HANDLING", classified_by="Delano E. Lewis", signer="Lewis",
        paras=[1, 2, 3, 4, 5, 6, 7, 8, 9], markings={"C"}, is_partial=False), id="01PRETORIA1173"),
    pytest.param("html_wl2010", "04MADRID2164", dict(
        doc_id="04MADRID2164", date_source="metadata_html", origin="Embassy Madrid",
        classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY", tags=["PGOV", "PTER", "PREL", "ECON", "SP", "MO"],
        references=[], subject="AMBASSADOR'S VISIT TO SEVILLE, SOCIALIST HEARTLAND", signer="Argyros",
        paras=list(range(1, 14)), is_partial=True), id="04MADRID2164-partial-extract"),
    pytest.param("html_wl2010", "04BOGOTA8900", dict(
        doc_id="04BOGOTA8900", date="2004-09-02 11:00", date_source="metadata_html", flags=["date_minutes_unknown"],
        classification="SECRET//NOFORN", tags=["CASC", "MOPS", "PGOV", "PINR", "PTER", "FARC"],
        references=["04BOGOTA2239"], classified_by="William B. Wood", reasons="1.4 (b), (c), and (d)",
        signer="Drucker", markings={"S//NF"}, is_partial=True), id="04BOGOTA8900-signer-glued-to-last-line"),
    pytest.param("html_wl2010", "08ASTANA338", dict(
        doc_id="08ASTANA338", date="2008-02-15 11:18", origin="Embassy Astana", classification="CONFIDENTIAL",
        tags=["PGOV", "PREL", "EPET", "PINR", "KZ"], references=["08ASTANA65", "08ASTANA225"], classified_by="Ordway",
        signer="Ordway", paras=[1, 2, 3, 4, 5, 6]), id="08ASTANA338"),
    pytest.param("html_wl2010", "88BAGHDAD28", dict(
        doc_id="88BAGHDAD28", origin="Embassy Baghdad", classification="CONFIDENTIAL",
        subject="german test chamber sold by chinese subsidiary to iran's dio (s)", classified_by="Pam Durham",
        flags=["metadata_conflict"]), id="88BAGHDAD28-page-holds-another-cable"),
    pytest.param("html_wl2011", "72TEHRAN1164", dict(
        doc_id="72TEHRAN1164", date="1972-02-25 09:30", origin="Embassy Tehran", classification="UNCLASSIFIED",
        tags=["MASS", "MARR", "IR"], references=["72TEHRAN1091", "72TEHRAN263", "72MOSCOW1603"],
        subject="ACCELERATION OF F-4ES FOR IRAN", signer="Heck", paras=[1, 2, 3, 4, 5, 6, 7, 8]), id="72TEHRAN1164"),
    pytest.param("html_wl2011", "7575LIBREVILLE1895", dict(
        doc_id="75LIBREVILLE1895", date="1975-11-18 12:05", origin="Embassy Libreville", classification="CONFIDENTIAL",
        tags=["PFOR", "UNGA", "GB", "KS", "KN"], references=["75STATE272523", "75USUNNEWYORK6028"],
        subject="KOREA AT 30TH UNGA: GABON", is_partial=True), id="7575LIBREVILLE1895-doubled-year-truncated"),
    pytest.param("html_wl2011", "73TEHRAN2077", dict(
        doc_id="73TEHRAN2077", date="1973-04-02 08:34", classification="SECRET", tags=["PFOR", "IR", "PK", "XF"],
        is_partial=True, paras=[]), id="73TEHRAN2077-foreign-record-dropped"),
    pytest.param("html_wl2010_edge", "07BERN881", dict(
        doc_id="07BERN881", date="2007-09-11 09:44", origin="Embassy Bern", classification="SECRET",
        tags=["MNUC", "KNNP", "ETTC", "IR", "SZ"], references=["07STATE124823", "07BERN860", "07STATE123352"],
        subject='FM CALMY-REY "TAKES NOTE" OF USG CONCERNS REGARDING IRAN/IAEA AND IRAN/EGL',
        classified_by="Leigh Carter", signer="Carter", paras=[1, 2, 3, 4]), id="07BERN881-body-from-dump-row"),
    pytest.param("html_wl2010_edge", "10STATE284", dict(
        doc_id="10STATE284", origin="Secretary of State", classification="CONFIDENTIAL",
        tags=["MASS", "MARR", "MCAP", "MOPS", "PARM", "PGOV"], subject=None, paras=[1, 2, 3, 4, 5],
        markings={"U", "C", "C/REL LIBYA"}), id="10STATE284-no-subject-header-on-banner-line"),
    pytest.param("html_wl2010_edge", "08TRIPOLI220", dict(
        doc_id="08TRIPOLI220", origin="Embassy Tripoli", tags=["PGOV", "PREL", "PHUM", "PINR", "LY"], subject=None,
        classified_by="Chris Stevens", reasons="1.4 (b), (d)", paras=list(range(1, 12))), id="08TRIPOLI220-no-subject"),
]


@pytest.mark.parametrize("folder,doc_id,expected", CASES)
def test_cable_page(folder, doc_id, expected):
    check(parsed(folder, doc_id), expected)


def test_classification_is_the_link_text_not_its_title(cables):
    html = (cables / "html_wl2010" / "04MADRID2164.html").read_text(encoding="utf-8")
    assert "title='confidential//noforn'>UNCLASSIFIED//FOR OFFICIAL USE ONLY<" in html
    assert read_page(html).meta.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def test_07BERN881_dump_rows_are_not_cable_text():
    (src,) = sources("html_wl2010_edge", "07BERN881")
    kinds = [r.kind for r in src.repairs]
    assert "dump_block_dropped" in kinds and "dump_row_used" in kinds
    assert "07TBILISI2290" not in src.text and "\t" not in src.text
    assert src.text.count("S E C R E T SECTION 01 OF 02 BERN 000881") == 1


def test_73TEHRAN2077_foreign_record_is_dropped():
    (src,) = sources("html_wl2011", "73TEHRAN2077")
    assert "06THEHAGUE131" not in src.text and "Dutch parliament" not in src.text
    assert src.is_truncated and any(r.kind == "foreign_record_dropped" for r in src.repairs)


def test_stray_pilcrow_before_letters_is_removed_and_logged():
    (src,) = sources("html_wl2011", "73TEHRAN2077")
    assert "\u00b6E. O." not in src.text and "E. O. 11652" in src.text
    assert any(r.kind == "html_pilcrow_anchor" for r in src.repairs)


def test_2010_pages_keep_the_paragraph_pilcrows():
    d = parsed("html_wl2010", "01PRETORIA1173")
    assert [p.text[:3] for p in d.paragraphs if p.para_number][:2] == ["\u00b61.", "\u00b62."]


def test_script_is_dropped_before_text_is_taken():
    html = ("<html><head><title>Cable Viewer</title><script>alert('x')</script></head><body>"
            "<table class='cable'><tr><td><a>06PARIS5734</a></td><td><a>2006-08-25 17:16</a></td>"
            "<td><a>2010-12-01 12:00</a></td><td><a title='secret'>CONFIDENTIAL</a></td><td><a>Embassy Paris</a></td>"
            "</tr></table><pre>C O N F I D E N T I A L PARIS 005734<script>evil()</script>\nTAGS: PREL</pre></body></html>")
    page = read_page(html)
    assert "evil" not in page.text and "alert" not in page.text
    assert page.meta.doc_id == "06PARIS5734" and page.meta.classification == "CONFIDENTIAL"
    assert page.repairs[0].kind == "markup_removed"


def test_page_without_cable_text_is_refused():
    with pytest.raises(PageError):
        read_page("<html><body><p>Cable Viewer</p></body></html>")


@pytest.fixture(scope="module")
def cables():
    from tests.transforms.cables.loader import cables_dir
    return cables_dir()


def test_2010_created_time_with_the_hour_twice_loses_its_minutes():
    # the page says 2004-09-02 11:11 (11 and 11 AM); cables.csv says 11:35
    (src,) = sources("html_wl2010", "04BOGOTA8900")
    assert src.meta.created.strftime("%H:%M") == "11:00"
    assert [(r.before, r.after) for r in src.repairs if r.kind == "html_created_minutes_unknown"] == [("11:11", "11:00")]
    (src,) = sources("html_wl2011", "72TEHRAN1164")                   # 09:30 is a real time
    assert src.meta.created.strftime("%H:%M") == "09:30"
