import pytest

from transforms.detect import sniff_bytes, sniff_text

BYTES = [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b"   \n\t ", "empty", id="whitespace"),
    pytest.param(b"%PDF-1.4 ...", "pdf", id="pdf"),
    pytest.param(b"PK\x03\x04....", "zip", id="zip"),
    pytest.param(b"\x89PNG\r\n\x1a\n....", "binary", id="png"),
    pytest.param(b"UNCLAS ALMATY 004123", None, id="text"),
]


@pytest.mark.parametrize("head,fmt", BYTES)
def test_sniff_bytes(head, fmt):
    assert sniff_bytes("x.txt", head) == fmt


TEXTS = [
    pytest.param("VZCZCXYZ0023\nOO RUEHWEB\n\nTAGS: PREL\nSUBJECT: X\n", "cable_text", id="routed-cable"),
    pytest.param("UNCLAS ALMATY 004123\n\nE.O. 12958: N/A TAGS: PGOV\n\nSUBJECT: X\n", "cable_text", id="partial-cable"),
    pytest.param("RELEASE IN PART B5\n\nFrom: Sent: To: Cc:\tAbedin, Huma\nSubject: x\n", "email_text", id="foia-email"),
    pytest.param("<!DOCTYPE html><html><title>Cable Viewer</title><table class='cable'>", "cable_html", id="wikileaks-page"),
    pytest.param("<html><body>hello</body></html>", "html", id="other-html"),
    pytest.param('"1","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires"', "cables_csv", id="cables-csv"),
    pytest.param("Just a note about lunch.", "text", id="plain-text"),
]


@pytest.mark.parametrize("text,fmt", TEXTS)
def test_sniff_text(text, fmt):
    assert sniff_text("x.txt", text) == fmt
