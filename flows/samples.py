"""The bundled samples: small synthetic documents in every input form pouch reads.

They are invented (people and events are fictional; every text says it is a synthetic sample) but
shaped like the real thing: teletype routing, ISO-8859-1 bytes with CRLF line ends and ¶ as 0xB6,
a WikiLeaks-style page, cables.csv rows with backslash escapes, FOIA email text with both release
stamp layouts and a reply chain, and a .zip holding more of them. `pouch samples` rewrites them;
a test checks the committed files equal what this module writes.
"""
from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

CABLE_ROUTED = """\

VZCZCXRO4521
PP RUEHAST RUEHDBU
DE RUEHNT #1234/01 1520930
ZNY CCCCC ZZH
P 010930Z JUN 09
FM AMEMBASSY TASHKENT
TO RUEHC/SECSTATE WASHDC PRIORITY 0456
INFO RUEHAST/AMEMBASSY ASTANA PRIORITY 0321
RUEHDBU/AMEMBASSY DUSHANBE 0298
RUEHVEN/USMISSION USOSCE PRIORITY 0177
C O N F I D E N T I A L SECTION 01 OF 02 TASHKENT 001234 

SIPDIS 

E.O. 12958: DECL: 06/01/2019 
TAGS: PREL, PGOV, ECON, UZ, KZ 
SUBJECT: UZBEKISTAN: WATER TALKS WITH KAZAKHSTAN STALL (SYNTHETIC 
SAMPLE) 

REF: A. TASHKENT 1102 B. 08 STATE 45678 

Classified By: Ambassador Richard Halvorsen for reasons 1.4 (b) and (d) 

\xb61. (C) Summary: Deputy Foreign Minister Dilnoza Karimova told 
the Ambassador on May 29 that talks with Kazakhstan on the Syr Darya 
water schedule stalled in Astana. She expects 40 percent less water 
for irrigation in July. End summary. 

\xb62. (C) Karimova said the Kazakh side, led by Vice Minister Erlan 
Sadykov, refused the proposed summer release schedule. She blamed 
Tajikistan's new reservoir and asked whether the OSCE could host a 
technical meeting in Vienna. 

\xb63. (SBU) Comment: This is a synthetic sample written for pouch's 
tests; the people are fictional. End comment. 
HALVORSEN 
"""

CABLE_PARTIAL = """This record is a partial extract of the original cable. The full text of the original cable is not available.

UNCLAS BISHKEK 000457

SIPDIS

E.O. 12958: N/A TAGS: <u>PGOV KDEM KG</u>

SUBJECT: KYRGYZSTAN: PARTY LEADERS PREPARE FOR VOTE (SYNTHETIC SAMPLE)

- (SBU) Summary: Party chairman Talant Osmonov told PolOff in Bishkek that turnout would reach 60 percent. End summary.
- (SBU) Osmonov said his party had 12,000 volunteers in Osh and Jalal-Abad and would go door-to-door in villages.
- 13. (SBU) He expected observers from the OSCE and dismissed reports of door-todoor pressure as rumor.

GRAYSON

NNNN"""

HTML_BODY = """UNCLASSIFIED SECTION 01 OF 01 ASTANA 000999 
 
SENSITIVE 
SIPDIS 
 
E.O. 12958: N/A 
TAGS: EAID, SOCI, KZ 
SUBJECT: KAZAKHSTAN: FLOOD RELIEF IN ATYRAU (SYNTHETIC SAMPLE) 
 
REF: ASTANA 912 AND 940 
 
<a id='par1' href='#par1'>\u00b6</a>1. (SBU) Akimat officials in Atyrau told EconOff on April 2 that spring floods 
displaced 3,200 residents. USAID pledged blankets and water filters. 
 
<a id='par2' href='#par2'>\u00b6</a>2. (SBU) This is a synthetic sample page written for pouch's tests. 
MILAM"""

EMAIL_BLOCK_STAMP = """UNCLASSIFIED                              STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.
U.S. Department of State       SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.
Case No. F-2015-09999
Doc No. C09000001
Date: 06/30/2015
                                                                                                         RELEASE IN PART
                                                                                                         B6



            From:                            Marsh, Evelyn T <MarshET@state.gov >
            Sent:                            Tuesday, March 8, 2011 7:42 AM
            To:                              H
            Cc:                              Ortega, Paul R
            Subject:                         Fw: Almaty visit (synthetic sample)



            FYI - see below. This is a synthetic sample for pouch's tests.


            From: Ortega, Paul R
            Sent: Monday, March 07, 2011 06:15 PM
            To: Marsh, Evelyn T
            Subject: Almaty visit (synthetic sample)

            The Almaty stop is confirmed for March 14. The Foreign Ministry asked for a 30 minute call with
            the Secretary beforehand.                                                           B6




UNCLASSIFIED
U.S. Department of State
Case No. F-2015-09999
Doc No. C09000001                         STATE DEPT. - PRODUCED TO HOUSE SELECT BENGHAZI COMM.
Date: 06/30/2015               SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.                 STATE-5CB0099999
"""

EMAIL_LINE_STAMP = """        UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C09000002 Date: 10/30/2015



                                                                                                 RELEASE IN FULL




From:                              Lindqvist, Anna <LindqvistA@state.gov>
Sent:                              Thursday, February 4, 2010 5:18 PM
To:                                H
Subject                            Schedule for Thursday (synthetic sample)



8:30 am     Depart residence en route Department
9:00 am     Staff meeting, Secretary's conference room
11:15 am    Call with Foreign Minister Idrissov of Kazakhstan

This is a synthetic sample for pouch's tests.



        UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C09000002 Date: 10/30/2015
"""

CSV_ROWS = [
    ("9001", "11/02/2007 08:15", "07ALMATY2211", "Consulate Almaty", "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
     "07ALMATY2100|07STATE11111",
     "R 020815Z NOV 07\nFM AMCONSUL ALMATY\nTO SECSTATE WASHDC 1234\nINFO AMEMBASSY ASTANA 0567\n",
     "UNCLAS SECTION 01 OF 01 ALMATY 002211 \n \nSENSITIVE \nSIPDIS \n \nE.O. 12958: N/A \nTAGS: ECON, EINV, KZ \n"
     "SUBJECT: KAZAKHSTAN: BANKERS WORRY ABOUT \"LIQUIDITY\" (SYNTHETIC SAMPLE) \n \nREF: A. ALMATY 2100 B. STATE 11111 \n \n"
     "1. (SBU) Bankers in Almaty told EconOff the banks' \"liquidity crunch\" will last into 2008. \n \n"
     "2. (SBU) This row is a synthetic sample for pouch's tests. \nORDWAY \n"),
    ("9002", "03/15/2005 12:00", "05BISHKEK301", "Embassy Bishkek", "CONFIDENTIAL", "",
     "O 151200Z MAR 05\nFM AMEMBASSY BISHKEK\nTO SECSTATE WASHDC IMMEDIATE 5678\n",
     "C O N F I D E N T I A L BISHKEK 000301 \n \nSIPDIS \n \nE.O. 12958: DECL: 03/15/2015 \nTAGS: PGOV, PHUM, KG \n"
     "SUBJECT: KYRGYZSTAN: PROTESTS IN OSH (SYNTHETIC SAMPLE) \n \nClassified By: DCM Laura Pierce for reasons 1.4 (d) \n \n"
     "1. (C) Several hundred protesters gathered in Osh on March 14. \n \n"
     "2. (C) This row is a synthetic sample for pouch's tests. \nPIERCE \n"),
]


def wikileaks_page(ref_id: str, created: str, classification: str, origin: str, routing: str, body: str) -> str:
    def pre(text: str) -> str:
        # the pages escape newlines as &#x000A; and keep the ¶ anchors as markup
        parts = text.split("<a ")
        out = html.escape(parts[0], quote=False)
        for p in parts[1:]:
            tag, rest = p.split("</a>", 1)
            out += "<a " + tag + "</a>" + html.escape(rest, quote=False)
        return out.replace("\n", "&#x000A;")
    return f"""<?xml version='1.0' encoding='utf-8' ?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang='en' xml:lang='en' xmlns='http://www.w3.org/1999/xhtml'>
<head>
<title>Cable Viewer</title>
</head>
<body>
<div class='main'>
<div class='pane big'>
<h3>Viewing cable {ref_id}, SYNTHETIC SAMPLE</h3>
<table class='cable'>
<tr>
<th>Reference ID</th>
<th>Created</th>
<th>Released</th>
<th>Classification</th>
<th>Origin</th>
</tr>
<tr>
<td>
<a href='/cable/2008/04/{ref_id}.html'>{ref_id}</a>
</td>
<td>
<a href='/date/2008-04_0.html'>{created}</a>
</td>
<td>
<a href='/reldate/2010-12-01_0.html'>2010-12-01 12:00</a>
</td>
<td>
<a href='/classification/4_0.html' title='secret'>{classification}</a>
</td>
<td>
<a href='/origin/99_0.html'>{origin}</a>
</td>
</tr>
</table>
<code><pre>{pre(routing)}</pre></code>
<code><pre>{pre(body)}</pre></code>
</div>
</div>
</body>
</html>
"""


def _csv(rows) -> bytes:
    def q(field: str) -> str:
        return '"' + field.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'") + '"'
    return "".join(",".join(q(f) for f in row) + "\n" for row in rows).encode("utf-8")


def sample_files() -> dict[str, bytes]:
    """Relative path -> bytes of every sample file (deterministic)."""
    files = {
        "cables/text/09TASHKENT1234.txt": CABLE_ROUTED.replace("\n", "\r\n").encode("iso-8859-1"),
        "cables/text/partial_extract_bishkek.txt": CABLE_PARTIAL.encode("utf-8"),
        "cables/html/08ASTANA999.html": wikileaks_page(
            "08ASTANA999", "2008-04-03 10:20", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "Embassy Astana",
            "R 031020Z APR 08\nFM AMEMBASSY ASTANA\nTO SECSTATE WASHDC 2468\nINFO AMCONSUL ALMATY 1357",
            HTML_BODY).encode("utf-8"),
        "cables/csv/cables_sample.csv": _csv(CSV_ROWS),
        "emails/C09000001.txt": EMAIL_BLOCK_STAMP.encode("utf-8"),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("release_2015_10/C09000002.txt", EMAIL_LINE_STAMP.encode("utf-8")),
                           ("cables/09TASHKENT1234_copy_note.txt",
                            b"Synthetic sample: a note that is neither a cable nor an email.\n")):
            info = zipfile.ZipInfo(name, date_time=(2015, 10, 30, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    files["archives/release_sample.zip"] = buf.getvalue()
    return files


def write_samples(out: Path) -> list[Path]:
    written = []
    for rel, data in sample_files().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
