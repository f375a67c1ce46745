"""Header blocks in their pdftotext shapes (lines as they stand in seed 001 and the dev corpus)."""
import pytest

from transforms.emails.headers import find_headers, label_match

BLOCKS = [
    pytest.param("From: Sent: To: Cc:\tAbedin, Huma <abedinh@state.gov> Friday, January 13, 2012 11:50 PM H "
                 "Hanley, Monica R\nSubject:\tNazarbayev\nCall not confirmed yet\n",
                 {"From": "Abedin, Huma <abedinh@state.gov>", "Sent": "Friday, January 13, 2012 11:50 PM",
                  "To": "H", "Cc": "Hanley, Monica R", "Subject": "Nazarbayev"}, "jumbled", id="seed001-jumbled"),
    pytest.param("From:                              H <hrod17@clintonemail.com>\n"
                 "Sent:                              Saturday, May 2, 2009 5:49 PM\n"
                 "To:                                'ValmoroLl@state.gov.\n"
                 "Subject:                           Fw: YOUR people... w: Visit of worldwide United Methodist Bishops -- possible to\n"
                 "                                   arrange a meeting with Hillary?\n\nPls follow up.\n",
                 {"From": "H <hrod17@clintonemail.com>", "Sent": "Saturday, May 2, 2009 5:49 PM",
                  "To": "'ValmoroLl@state.gov.",
                  "Subject": "Fw: YOUR people... w: Visit of worldwide United Methodist Bishops -- possible to "
                             "arrange a meeting with Hillary?"}, "block", id="C05758447-subject-wrapped-under-value"),
    pytest.param("             From                              H ehrod17@clintonemail.com\n"
                 "             Sent                              Saturday, July 7, 2012 8:20 AM\n"
                 "             To:                               `sullivanji@state.gov'\n"
                 "             Subject                           Fyi\n\nAnother report--\n",
                 {"From": "H ehrod17@clintonemail.com", "Sent": "Saturday, July 7, 2012 8:20 AM",
                  "To": "`sullivanji@state.gov'", "Subject": "Fyi"}, "block", id="C05739882-colons-lost"),
    pytest.param("From: Bishop John R. Schol\nTo: Burns Strider\n"
                 "CC: David Young (on Hill)                                 Gregory Vaughn Palmer\n"
                 "David and Diane Weisz Young\nSent: Sat May 02 10:00:17 2009\nSubject: RE: Visit\n\nDear Burns,\n",
                 {"From": "Bishop John R. Schol", "To": "Burns Strider",
                  "Cc": "David Young (on Hill)                                 Gregory Vaughn Palmer; David and Diane Weisz Young",
                  "Sent": "Sat May 02 10:00:17 2009", "Subject": "RE: Visit"}, "block",
                 id="C05758447-cc-wrapped-between-labels"),
    pytest.param("From: Evergreen\nTo: PIR\nTo: 'sullivanjj@state.gov'\nTo: Huma Abedin\nSent: Sun Sep 20 10:41:17 2009\n"
                 "Subject: Re: UNGA\n\nx\n",
                 {"From": "Evergreen", "To": "PIR; 'sullivanjj@state.gov'; Huma Abedin",
                  "Sent": "Sun Sep 20 10:41:17 2009", "Subject": "Re: UNGA"}, "block", id="C05764635-to-repeated"),
    pytest.param(" From: Donilon, Thomas E. [mailto\n Sent: Saturday, January 29, 2011 2:56 PM\n,To: Sullivan, Jacob J\n"
                 " Subject:\n\nx\n",
                 {"From": "Donilon, Thomas E. [mailto", "Sent": "Saturday, January 29, 2011 2:56 PM",
                  "To": "Sullivan, Jacob J", "Subject": ""}, "block", id="C05786341-stray-comma-before-label"),
    pytest.param("> Original Message\n> From: H\n> To: 'recos\n> Sent: Sun Sep 06 12:09:44 2009\n> Subject: Health care\n",
                 {"From": "H", "To": "'recos", "Sent": "Sun Sep 06 12:09:44 2009", "Subject": "Health care"}, "block",
                 id="C05764579-quoted"),
    pytest.param("On Mon, May 4, 2009 at 8:44 AM, H <HDR22@c1intonemail.com> wrote:\n Do you have the two memos\n",
                 {"From": "H <HDR22@c1intonemail.com>", "Sent": "Mon, May 4, 2009 at 8:44 AM"}, "wrote",
                 id="C05761164-gmail-wrote"),
    pytest.param("> H wrote:\n» Fyi and thx.\n", {"From": "H"}, "wrote", id="C05764580-who-wrote"),
]


@pytest.mark.parametrize("text,fields,style", BLOCKS)
def test_one_block(text, fields, style):
    (h,) = find_headers(text)
    assert h.fields == fields
    assert h.style == style


def test_separator_line_belongs_to_the_header():
    text = "Yes line dropped\n\n    Original Message\nFrom: H [mailto:HDR22@clintonemail.com]\n" \
           "Sent: Wednesday, December 23, 2009 2:28 PM\nTo: Abedin, Huma\nSubject: Re: Secure fax\n\nOnly"
    (h,) = find_headers(text)
    assert text[h.start:].startswith("    Original Message\nFrom: H")
    assert text[h.end:].startswith("\n\nOnly")


NOT_HEADERS = [
    pytest.param("For Hillary\n         From: Sid\n         Re: Bin Laden, AQ & Libya\n", id="C05739696-sid-memo"),
    pytest.param("From the battlefields of Vietnam to the hills\nof Western Pennsylvania\n", id="C05769746-prose"),
    pytest.param("MEMO\nFROM: Sen. Jon Kyl, Sen. Bob Corker\nTO: Republican Members\nDATE: November 24, 2010\n",
                 id="C05777999-memo-header"),
    pytest.param("To:    Sid Blumenthal\n\nFrom: Scott Horton\n\nDate: June 17, 2010\n\nSubj: Developments\n",
                 id="C05776479-memo-labels-apart"),
]


@pytest.mark.parametrize("text", NOT_HEADERS)
def test_not_a_header(text):
    assert find_headers(text) == []


@pytest.mark.parametrize("line,expected", [
    ("prom:                                         H <hrod17@clintonemail.com >",
     ("From", "H <hrod17@clintonemail.com >")),
    ("Subject                            RE: A death in                family", ("Subject", "RE: A death in                family")),
    ("To Feltman, Jeffrey D; Burns, William J", ("To", "Feltman, Jeffrey D; Burns, William J")),
    ("To:", ("To", "")),
    ("To", None),
    ("Tomorrow starts with Putin", None),
])
def test_label_match(line, expected):
    m = label_match(line)
    assert (m[:2] if m else None) == expected
