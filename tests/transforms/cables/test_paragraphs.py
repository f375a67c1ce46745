"""Cable paragraphs: the cable's own numbering, markings, sections, exact offsets, stable ids."""
import pytest

from tests.transforms.cables.loader import all_cable_files, csv_parsed, parsed
from transforms.cables.paragraphs import segment_cable
from transforms.records import Document
from transforms.segments import to_paragraphs

HEADER = "UNCLAS PARIS 001234\n\nTAGS: PREL\nSUBJECT: TEST\n\n"


def rows(body: str):
    text = HEADER + body
    doc = Document(doc_id="04PARIS1234", doc_type="cable", year="2004", doc_kind="cable", source_format="cable_text",
                   source_path="x", source_sha256="x", text=text)
    paras = to_paragraphs(doc, segment_cable(text, len(HEADER) - 2))
    for p in paras:
        assert text[p.char_start:p.char_end] == p.text
    return [(p.section, p.para_number, p.marking, p.text.split("\n")[0][:24]) for p in paras]


NUMBERING = [
    pytest.param("\u00b61. (C) One.\n\n\u00b62. (C) Two.\n", [1, 2], ["C", "C"], id="pilcrow"),
    pytest.param("\u00b6 1. (S) One.\n\n\u00b6 2. (S/NF) Two.\n", [1, 2], ["S", "S/NF"], id="pilcrow-space"),
    pytest.param("1.  (SBU) One.\n\n2.  (U) Two.\n", [1, 2], ["SBU", "U"], id="plain-number"),
    pytest.param("1.(U) One.\n\n2.(C/REL LIBYA) Two.\n", [1, 2], ["U", "C/REL LIBYA"], id="10STATE284-no-space"),
    pytest.param("1. C) One.\n\n2. SBU) Two.\n", [1, 2], ["C)", "SBU)"], id="malformed-markings-kept-as-printed"),
    pytest.param("1. One, listing:\n\n1. a thing\n2. another\n\n2. Two.\n", [1, 2], [None, None],
                 id="list-inside-paragraph-is-not-numbering"),
    pytest.param("1. One ends on August\n4. The next line starts with a number.\n\n2. Two.\n\n3. Three.\n", [1, 2, 3],
                 [None] * 3, id="02TEGUCIGALPA3023-line-start-4-inside-para-1"),
    pytest.param("1. One.\n\n2. Two.\n\n4. Four (3 lost at a page break).\n", [1, 2, 4], [None] * 3,
                 id="skip-allowed"),
]


@pytest.mark.parametrize("body,numbers,markings", NUMBERING)
def test_numbering(body, numbers, markings):
    numbered = [r for r in rows(body) if r[1] is not None]
    assert [r[1] for r in numbered] == numbers
    assert [r[2] for r in numbered] == markings


def test_sections():
    body = ("1. (C) Summary: the gist. End Summary.\n\n2. (C) Body text.\n\n-------\nCOMMENT\n-------\n\n"
            "3. (C) Our view.\n\nBEGIN COMMENT\n\n4. (C) More view.\n\n5. (C) Still view. END COMMENT.\n\n"
            "6. (C) Back to body.\n\nROSENBLATT\n")
    assert [(r[0], r[1]) for r in rows(body)] == [
        ("header", None), ("summary", 1), ("body", 2), ("comment", None), ("comment", 3), ("comment", None),
        ("comment", 4), ("comment", 5), ("body", 6), ("signature", None)]


def test_unnumbered_blocks_before_paragraph_1_are_rows():
    body = "BEGIN SUMMARY\n\nTHE GIST OF IT. END SUMMARY\n\nACTION REQUESTED: ACT.\n\n1. ON FEB 24 IT HAPPENED.\n"
    assert [(r[0], r[1]) for r in rows(body)] == [("header", None), ("summary", None), ("summary", None),
                                                  ("body", None), ("body", 1)]


def test_cable_without_numbers_is_split_on_blank_lines():
    assert [r[0] for r in rows("First block.\n\nSecond block.\n\nLEVY\n")] == ["header", "body", "body", "signature"]


@pytest.mark.corpus
def test_06PARIS5734_paragraph_ids_are_stable():
    a = parsed("txt_fulltext", "09PARIS1007").paragraphs
    from tests.transforms.cables.loader import sources
    from transforms.documents import parse_document
    (src,) = sources("txt_fulltext", "09PARIS1007")
    b = parse_document(src, "another-run").paragraphs
    assert [(p.para_id, p.char_start, p.char_end) for p in a] == [(p.para_id, p.char_start, p.char_end) for p in b]
    assert [p.para_id for p in a][:2] == ["09PARIS1007.0", "09PARIS1007.1"]


@pytest.mark.corpus
def test_offsets_and_numbering_hold_for_every_corpus_cable():
    docs = [parsed(folder, stem) for folder, stem in all_cable_files()] + list(csv_parsed().values())
    assert len(docs) == 169 + 400
    with_numbers = 0
    for p in docs:
        d = p.document
        numbers = [q.para_number for q in p.paragraphs if q.para_number is not None]
        assert numbers == sorted(set(numbers)), (d.doc_id, numbers)           # rising, never repeated
        assert [q.para_index for q in p.paragraphs] == list(range(len(p.paragraphs)))
        assert len({q.para_id for q in p.paragraphs}) == len(p.paragraphs)
        for q in p.paragraphs:
            assert d.text[q.char_start:q.char_end] == q.text, (d.doc_id, q.para_index)
            assert q.text == q.text.strip()
        if p.paragraphs and p.paragraphs[0].section != "header":
            assert not d.text[:p.paragraphs[0].char_start].strip(), d.doc_id
        with_numbers += bool(numbers)
    assert with_numbers >= 540                          # nearly every cable is numbered
