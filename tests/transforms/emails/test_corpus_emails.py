"""Dev corpus emails: hand-checked field values (read off the pdftotext files in
../shared/corpus/emails), one truth-table row per document, named after its FOIA doc number and what
it exercises. Only the fields listed in a row are checked."""
import datetime as dt

import pytest

D = dt.date
T = dt.datetime
H_ADDR = ("H", "hrod17@clintonemail.com")
BENGHAZI = dict(case_number="F-2015-04841", release_date=D(2015, 5, 13))

CASES = [
    # --- multi-line stamp (Benghazi committee production) --------------------------------------
    pytest.param("C05739545", dict(
        **BENGHAZI, release="RELEASE IN FULL", foia_exemptions=[], doc_kind="email",
        sender=("Sullivan, Jacob J", "SullivanJJ@state.gov"), sent=T(2012, 9, 12, 10, 16), to=[], cc=[],
        subject="FW: Wow", n_messages=2), id="C05739545-multiline-stamp-empty-to"),
    pytest.param("C05739614", dict(
        **BENGHAZI, release="RELEASE IN PART", foia_exemptions=["B6"],
        sender=("Sullivan, Jacobi", "SullivanJJ@state.gov"), sent=T(2011, 3, 29, 22, 59), to=[],
        subject="Re: Libyan", n_messages=6), id="C05739614-release-in-part-split-nested"),
    pytest.param("C05739617", dict(
        **BENGHAZI, release="RELEASE IN PART", foia_exemptions=["B6"], sender=H_ADDR,
        sent=T(2011, 3, 30, 6, 49), to=[(None, "sullivanjj@state.gov")], subject="Re. Libyan", n_messages=5),
        id="C05739617-nested"),
    pytest.param("C05739694", dict(
        **BENGHAZI, release="RELEASE IN PART", foia_exemptions=["B5"], doc_kind="other", sender=None,
        sent=None, n_messages=0, doc_date=D(2012, 10, 12), year="2012",
        subject="SECRETARY OF STATE HILLARY RODHAM CLINTON REMARKS ON THE MAGHREB IN TRANSITION AT THE "
                "CENTER FOR STRATEGIC AND INTERNATIONAL STUDIES"), id="C05739694-headerless-speech"),
    pytest.param("C05739696", dict(
        **BENGHAZI, release="RELEASE IN PART", foia_exemptions=["B6"], sender=H_ADDR,
        sent=T(2011, 5, 2, 11, 8), to=[(None, "JilotyLC@state.gov")], subject="Fw: H: UBL, AQ & Libya. Sid",
        n_messages=2), id="C05739696-release-split-by-stamp-date-glued-year"),
    pytest.param("C05739714", dict(
        **BENGHAZI, release="RELEASE IN FULL", foia_exemptions=[],
        sender=("Mills, Cheryl D", "MillsCD@state.gov"), sent=T(2012, 10, 14, 9, 46), to=[],
        subject="Re: Bloomberg: Libyan Ambassador's Death Not a Political Issue, Says Dad", n_messages=5),
        id="C05739714-ocr-at-sign-nested"),
    pytest.param("C05739882", dict(
        **BENGHAZI, release="RELEASE IN FULL", sender=H_ADDR, sent=T(2012, 7, 7, 8, 20),
        to=[(None, "SullivanJJ@state.gov")], subject="Fyi", n_messages=1), id="C05739882-labels-without-colons"),
    pytest.param("C05739897", dict(
        **BENGHAZI, release="RELEASE IN FULL", sender=H_ADDR, sent=T(2012, 9, 11, 23, 38),
        to=[(None, "SullivanJJ@state.gov"), (None, "millscd@state.gov"), (None, "nulandyj@state.gov")],
        subject="Chris Smith", n_messages=1), id="C05739897-three-recipients-ocr-domains"),
    # --- one-line stamp ----------------------------------------------------------------------
    pytest.param("C05758447", dict(
        case_number="F-2014-20439", release_date=D(2015, 6, 30), release="RELEASE IN PART",
        foia_exemptions=["B6"], sender=H_ADDR, sent=T(2009, 5, 2, 17, 49), to=[(None, "ValmoroLl@state.gov")],
        cc=[("HAbedin", None)], n_messages=4,
        subject="Fw: YOUR people... w: Visit of worldwide United Methodist Bishops -- possible to arrange a "
                "meeting with Hillary?"), id="C05758447-one-line-stamp-wrapped-subject"),
    pytest.param("C05758739", dict(
        release="RELEASE IN PART", foia_exemptions=["B6"], sender=H_ADDR, sent=T(2009, 6, 10, 19, 38),
        to=[("rsloan", None)], cc=[(None, "JilotyLC@state.gov")], subject="Re: Tom Buffenbarger"),
        id="C05758739-redacted-recipient-margin-code"),
    pytest.param("C05760264", dict(
        case_number="F-2014-20439", release_date=D(2016, 1, 29), release="RELEASE IN PART",
        foia_exemptions=["B5"], sender=H_ADDR, sent=T(2009, 11, 7, 16, 10), to=[(None, "rodriguezme@state.gov")],
        subject="Marion Berry", n_messages=1), id="C05760264-release-on-one-line"),
    pytest.param("C05761164", dict(
        release_date=D(2015, 10, 30), foia_exemptions=["B6"], sender=("Jake Sullivan", None),
        sent=T(2009, 5, 4, 9, 19), to=[("H", None)], cc=[("Abedin, Huma", None)], subject="Re: Holbrooke Memos",
        n_messages=2), id="C05761164-gmail-wrote-line"),
    pytest.param("C05762637", dict(
        release_date=D(2015, 10, 30), release="RELEASE IN PART", foia_exemptions=["B1,1.4(B),1.4(D)", "B6"],
        classification="UNCLASSIFIED",
        classification_stamps=["Classified by DAS, A/GIS, DoS on 06/30/2015 — Class: CONFIDENTIAL — "
                               "Reason: 1.4(B), 1.4(D) — Declassify on: 07/25/2024"],
        sender=("wburns6E", None), sent=T(2009, 7, 5, 15, 46), to=[("H", None), ("H2", None)],
        subject="Note from Bill Burns", n_messages=1), id="C05762637-b1-reasons-classification-stamp"),
    pytest.param("C05763055", dict(
        release_date=D(2015, 7, 31), foia_exemptions=["B5"], sender=("Abedin, Huma", "AbedinH@state.gov"),
        sent=T(2009, 8, 1, 15, 35), to=[("H", None), ("Oscar Flores", None)], subject=None, n_messages=1),
        id="C05763055-no-subject-line"),
    pytest.param("C05764263", dict(
        foia_exemptions=["B6"], sender=("cheryl.mills", None), sent=T(2009, 9, 1, 21, 45),
        to=[("H", None), ("Cheryl Mills", None)], subject="Re: Follow up", n_messages=2),
        id="C05764263-blackberry-header-to-repeated"),
    pytest.param("C05764579", dict(
        release_date=D(2016, 2, 13), foia_exemptions=["B5", "B6"], sender=("Neera Tanden", None),
        sent=T(2009, 9, 6, 13, 29), to=[("H", None)], subject="RE: Fw: Health care", n_messages=3),
        id="C05764579-quoted-with-angle-marks"),
    pytest.param("C05766213", dict(
        release_date=D(2016, 1, 29), foia_exemptions=["B5"], sender=("Valmoro, Lona J", "ValmoroU@state.gov"),
        sent=T(2009, 9, 27, 9, 37), to=[("H", None), ("Huma Abedin", None)], cc=[("Valmoro, Lona J", None)],
        subject="List of UNGA Meetings as of 9/27", n_messages=1), id="C05766213-cc-attachments"),
    pytest.param("C05767435", dict(
        release_date=D(2016, 2, 13), foia_exemptions=["B5", "B7(A)", "B7(E)"],
        sender=("Abedin, Huma", "AbedinH@state.gov"), sent=T(2009, 10, 28, 6, 39), to=[],
        subject="Fw: Tues read-out, including Af/Pak Roll-Out, China, trafficking story, IRI, and other issues"),
        id="C05767435-b7-subcodes"),
    pytest.param("C05771904", dict(
        foia_exemptions=["B6"], sender=("Mills, Cheryl D", "MillsCD@state.gov"), sent=T(2010, 9, 5, 16, 41),
        to=[("H", None), ("kdowd", None)], cc=[("Laurenjilo", None), ("Klevorick, Caitlin B", None)],
        subject="Re: Update on PSA"), id="C05771904-month-with-lost-letter-redaction-gap"),
    pytest.param("C05775279", dict(
        sender=H_ADDR, sent=T(2010, 3, 27, 8, 25), to=[("cheryl.mills", None), (None, "millscd@state.gov")],
        subject="Can you talk this am?"), id="C05775279-to-split-at-redaction-gap"),
    pytest.param("C05775984", dict(
        case_number="F-2014-20439", release_date=D(2015, 9, 30), release=None, doc_kind="clipping",
        is_partial=True, n_messages=0, year="unknown"), id="C05775984-headerless-clipping-unreadable-release"),
    pytest.param("C05777999", dict(
        release="RELEASE IN FULL", doc_kind="memo", sender=("Sen. Jon Kyl, Sen. Bob Corker", None),
        to=[("Republican Members", None)], subject="Progress in Defining Nuclear Modernization Requirements",
        doc_date=D(2010, 11, 24), year="2010", sent=None), id="C05777999-headerless-memo"),
    pytest.param("C05780068", dict(
        release_date=D(2015, 9, 30), release="RELEASE IN PART", foia_exemptions=["B6"],
        sender=("Jake Sullivan", None), sent=T(2011, 2, 28, 5, 24),
        subject="Fwd: FW: TOP CONFIDENTIAL - IMPORTANT MESSAGE TO FORWARD", n_messages=2),
        id="C05780068-forwarded-message-rfc-date"),
    pytest.param("C05781484", dict(
        doc_kind="schedule", release="RELEASE IN PART", foia_exemptions=["B5"],
        subject="DRAFT — Close Hold Schedule", doc_date=D(2011, 6, 14), n_messages=0),
        id="C05781484-headerless-schedule"),
    pytest.param("C05781489", dict(
        release_date=D(2016, 1, 7), foia_exemptions=["B3 CIA PERS/ORG", "B6"],
        sender=("Sullivan, Jacob 1", "SullivanJJ@state.gov"), sent=T(2011, 5, 4, 15, 18), to=[("H", None)],
        subject="FW: Photos"), id="C05781489-b3-statute-split-over-lines"),
    pytest.param("C05784882", dict(
        doc_kind="call_sheet", release="RELEASE IN PART", foia_exemptions=["B5"], doc_date=D(2011, 11, 26),
        subject="The Secretary's Call Sheet for Pakistan FM Hina Rabbani Khar"), id="C05784882-headerless-call-sheet"),
    pytest.param("C05785249", dict(
        sender=H_ADDR, sent=T(2011, 3, 2, 7, 19), to=[("sbwhoeop", None)],
        subject="Re: H: Very latest, Egypt special forces now in Libya, more... Sid"), id="C05785249-truncated-weekday"),
    pytest.param("C05787917", dict(
        foia_exemptions=["B5", "B6"], sender=("Valmoro, Lona J", "ValmoroU@state.gov"), sent=T(2012, 2, 1, 8, 22),
        to=[("H", None), ("Coleman, Claire L", None)],
        cc=[("Huma Abedin", None), ("Abedin, Huma", None), ("Hanley, Monica R", None)],
        subject="Re: Mini for today - Wed, Feb 1, 2012"), id="C05787917-three-cc"),
    pytest.param("C05789310", dict(
        release="RELEASE IN FULL", doc_kind="memo", sender=("Sid", None), to=[("Hillary", None)],
        subject="Pat Lang's view on Libya", doc_date=D(2011, 3, 27), year="2011"), id="C05789310-headerless-sid-memo"),
    pytest.param("C05789781", dict(
        release_date=D(2016, 1, 29), foia_exemptions=["B1,1.4(B),1.4(D)"],
        classification_stamps=["Classified by DAS, A/GIS, DoS on 01/29/2016 — Class: CONFIDENTIAL — "
                               "Reason: 1.4(B), 1.4(D) — Declassify on: 03/25/2027"],
        sender=("Sullivan, Jacob J", "SullivanJJ@state.gov"), sent=T(2012, 3, 26, 9, 31), to=[],
        subject="FW: Seoul, March 26", n_messages=2), id="C05789781-classification-stamp-in-body"),
    pytest.param("C05792090", dict(
        release_date=D(2015, 11, 30), foia_exemptions=["B3 INA", "B6"], sent=T(2012, 8, 29, 14, 52),
        subject="Fw: A warm thanks from Yuus and me for the sucessful work on the visa request related to Yunus."),
        id="C05792090-b3-ina"),
    pytest.param("C05796944", dict(
        foia_exemptions=["B5", "B6"], sender=H_ADDR, sent=T(2012, 11, 24, 21, 32), to=[(None, "abedinh@state.gov")],
        subject="Re: Fire breaks out at State Dept., 3 seriously hurt (AP)"), id="C05796944-ocr-label-prom"),
    pytest.param("C05797419", dict(
        release="RELEASE IN FULL", doc_kind="other", subject="PRESIDENT'S INTELLIGENCE ADVISORY BOARD",
        year="unknown", n_messages=0), id="C05797419-headerless-background-paper"),
    pytest.param("C05782104", dict(
        release="RELEASE IN PART", foia_exemptions=["B5", "B6"], sender=("Mills, Cheryl D", "MillsCD@state.gov"),
        sent=T(2011, 6, 30, 23, 8), to=[], subject="Fw: Nominees Confirmed by Senate", n_messages=5),
        id="C05782104-year-glued-to-hour"),
    pytest.param("C05759566", dict(
        sender=H_ADDR, sent=T(2009, 9, 7, 16, 8), to=[(None, "JilotyLC@state.gov")], subject="Re:",
        is_partial=True), id="C05759566-garbled-quoted-sent-is-partial"),
    pytest.param("C05781704", dict(
        foia_exemptions=["B5", "B6"], sender=("Nides, Thomas R", "NidesTR@state.gov"), sent=T(2011, 7, 31, 10, 13),
        to=[("H", None), ("Sullivan, Jacob J", None), ("Feltman, Jeffrey D", None)], cc=[("Abedin, Huma", None)],
        n_messages=7), id="C05781704-seven-message-chain"),
]


def _pairs(addressees):
    return [(a.name, a.address) for a in addressees]


@pytest.mark.corpus
@pytest.mark.parametrize("doc_id,expected", CASES)
def test_fields(corpus_emails, doc_id, expected):
    d = corpus_emails[doc_id].document
    assert d.doc_id == doc_id and d.doc_type == "email"
    for name, want in expected.items():
        if name == "sender":
            got = (d.sender.name, d.sender.address) if d.sender else None
        elif name in ("to", "cc"):
            got = _pairs(getattr(d, name))
        elif name == "n_messages":
            got = len(d.messages)
        else:
            got = getattr(d, name)
        assert got == want, f"{doc_id}.{name}"


def test_truth_table_covers_the_issue():
    """>= 30 documents, both stamp layouts, header-less kinds, exemption lists, nested chains."""
    ids = [p.values[0] for p in CASES]
    assert len(set(ids)) == len(ids) >= 30
    kinds = {p.values[1].get("doc_kind") for p in CASES}
    assert {"schedule", "call_sheet", "memo", "clipping", "other"} <= kinds
    assert sum(1 for p in CASES if p.values[1].get("case_number") == "F-2015-04841") >= 5
    assert sum(1 for p in CASES if p.values[1].get("case_number") == "F-2014-20439") >= 3
    assert sum(1 for p in CASES if p.values[1].get("n_messages", 0) >= 4) >= 5
    assert sum(1 for p in CASES if p.values[1].get("to") == []) >= 5
