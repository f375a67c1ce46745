import pytest

from transforms.decode import DecodeError, decode_bytes

CASES = [
    pytest.param("caf\u00e9 \u00b61.".encode("utf-8"), "caf\u00e9 \u00b61.", "utf-8", [], id="utf8"),
    pytest.param(b"\xb61. (C) text\r\nnext\r\n", "\u00b61. (C) text\nnext\n", "iso-8859-1", ["newline"], id="latin1-crlf-pilcrow"),
    pytest.param(b"\xef\xbb\xbfBOM text", "BOM text", "utf-8-sig", [], id="utf8-bom"),
    pytest.param("UTF16 text".encode("utf-16"), "UTF16 text", "utf-16-le", [], id="utf16-bom"),
    pytest.param(b"a\x00b\x00\x00c", "abc", "utf-8", ["nul_removed", "nul_removed"], id="nul-bytes"),
    pytest.param("d\u00e9j\u00e0 vu".encode("utf-8") + b" \x93quoted\x94", "d\u00e9j\u00e0 vu \u201cquoted\u201d",
                 "utf-8+cp1252", ["mixed_encoding", "mixed_encoding"], id="mixed-utf8-cp1252"),
    pytest.param("na\u00efve".encode("utf-8")[:-2] + b"\xc3", "na\u00ef", "utf-8", ["truncated_utf8_tail"], id="truncated-tail"),
    pytest.param(b"page one\fpage two", "page one\npage two", "utf-8", ["form_feed"], id="form-feed"),
]


@pytest.mark.parametrize("data,text,encoding,kinds", CASES)
def test_decode(data, text, encoding, kinds):
    d = decode_bytes(data)
    assert d.text == text
    assert d.encoding == encoding
    assert [r.kind for r in d.repairs] == kinds


def test_truncated_tail_marks_partial():
    assert decode_bytes("\u00e9t\u00e9".encode("utf-8")[:-1]).is_truncated


def test_binary_is_refused_with_one_line():
    with pytest.raises(DecodeError) as err:
        decode_bytes(bytes(range(256)) * 20)
    assert "\n" not in str(err.value) and "binary" in str(err.value)
