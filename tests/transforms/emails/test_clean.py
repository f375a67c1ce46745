"""The cleaned text: page stamps and margin codes out (logged), paragraphs joined across a page break
inside a sentence, the first page's stamp kept as the `stamp` paragraph."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import seed_path
from transforms.emails.clean import clean_email_text
from transforms.emails.parse import parse_email
from transforms.repairs import RepairLog

FURNITURE = re.compile(r"Doc No\.|Case No\.|STATE DEPT\. - PRODUCED|STATE-[0-9A-Z]{8}|^\s*B[1-9]\s*$|\s{3,}B[1-9]\s*$", re.M)


@pytest.mark.corpus
def test_no_page_furniture_outside_the_stamp_paragraph(corpus_emails):
    for doc_id, parsed in corpus_emails.items():
        for p in parsed.paragraphs:
            if p.section != "stamp":
                assert not FURNITURE.search(p.text), (doc_id, p.para_index, p.text[:80])


@pytest.mark.corpus
def test_every_removal_is_logged(corpus_emails):
    d = corpus_emails["C05739614"].document
    kinds = [r.kind for r in d.repairs]
    assert kinds.count("exemption_code_removed") == 2      # the two right-margin `B6`
    assert kinds.count("page_break_joined") == 1           # inside the last header block
    assert kinds.count("page_stamp_removed") == 1          # the last page's stamp
    removed = next(r for r in d.repairs if r.kind == "page_stamp_removed")
    assert "Doc No. C05739614" in removed.before and removed.after == "\n"


@pytest.mark.corpus
def test_paragraph_joined_across_a_page_break_mid_sentence(corpus_emails):
    """C05789310 page 1 ends `... as they flee in civilian`, page 2 starts `vehicles. It is ...`."""
    parsed = corpus_emails["C05789310"]
    (p,) = [p for p in parsed.paragraphs if "flee in civilian" in p.text]
    assert re.search(r"flee in civilian\n\s*vehicles\. It is not necessary", p.text)
    assert any(r.kind == "page_break_joined" for r in parsed.document.repairs)


@pytest.mark.corpus
def test_paragraph_break_kept_at_a_page_break_between_sentences(corpus_emails):
    parsed = corpus_emails["C05788655"]
    texts = [p.text for p in parsed.paragraphs]
    assert any(t.endswith("three key sets of responsibilities.") for t in texts)
    assert any(t.startswith("First, a defense secretary needs to manage the department effectively.") for t in texts)


@pytest.mark.corpus
def test_classification_stamp_in_the_body_is_removed_and_kept(corpus_emails):
    d = corpus_emails["C05777545"].document          # `Fyi    Classified by DAS, ... Declassify\n on: 12/18/2035`
    assert "Classified by" not in d.text
    assert d.classification_stamps == ["Classified by DAS, A/GIS, DoS on 10/30/2015 — Class: CONFIDENTIAL — "
                                       "Reason: 1.4(B), 1.4(D) — Declassify on: 12/18/2035"]
    assert [p.text for p in corpus_emails["C05777545"].paragraphs if p.message_index == 1 and p.section == "quoted"] \
        == ["Fyi"]


def test_seed001_tab_inside_a_word_repaired():
    text = seed_path("001").read_text(encoding="utf-8")
    log = RepairLog()
    cleaned = clean_email_text(text, log)
    assert "we offered 8:30-10am window" in cleaned.text
    assert [(r.before, r.after) for r in log.items if r.kind == "tab_in_word"] == [("\tf", "")]
    assert "Cc:\tAbedin" in cleaned.text            # a tab after a label is not inside a word


def test_html_entity_decoded_and_logged():
    log = RepairLog()
    cleaned = clean_email_text("From: x\nSent: Sunday, September 6, 2009 1:29 PM\n\nThanks! 1&#39;m on my way\n", log)
    assert "1'm on my way" in cleaned.text
    assert [(r.kind, r.before, r.after) for r in log.items] == [("html_entity", "&#39;", "'")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("From:Sent To Cc Subject RELEASE IN PART B6 UNCLASSIFIED Doc No. C05739614 "
                                             "Case No. F-2015-04841 Date: 05/13/2015 >»\n\t  ab,;<@©[]()—"))))
def test_never_raises_and_offsets_hold(text):
    e = parse_email(text)
    for span in e.spans:
        assert 0 <= span.start <= span.end <= len(e.text)
    for m in e.messages:
        assert 0 <= m.char_start <= m.char_end <= len(e.text)
