"""Reply chains: messages in order with their own headers, sections of the paragraphs, and
`message_hash` equal for the copies of one message in different releases (hand-checked pairs of the
dev corpus)."""
import datetime as dt

import pytest

from transforms.emails.messages import message_hash

T = dt.datetime

CHAINS = [
    pytest.param("C05739614", [
        ("Sullivan, Jacobi", T(2011, 3, 29, 22, 59), "Re: Libyan"),
        ("H", T(2011, 3, 29, 22, 46), "Re: Libyan"),
        ("Sullivan, Jacobi", T(2011, 3, 29, 22, 41), "Fw: Myer+"),
        ("Gordon, Philip H", T(2011, 3, 29, 17, 56), "Re: Libyan"),
        ("Feltman, Jeffrey", T(2011, 3, 29, 14, 57), "Re: Libyan"),
        ("Gordon, Philip H", T(2011, 3, 29, 14, 34), "Libyan"),   # Subject: after a page break
    ], id="C05739614-six-messages-across-pages"),
    pytest.param("C05758447", [
        ("H", T(2009, 5, 2, 17, 49), "Fw: YOUR people... w: Visit of worldwide United Methodist Bishops -- "
                                     "possible to arrange a meeting with Hillary?"),
        ("Burns Strider", T(2009, 5, 2, 17, 45, 57), "YOUR people... w: Visit of worldwide United Methodist "
                                                     "Bishops -- possible to arrange a meeting with Hillary?"),
        ("Bishop John R. Schol", T(2009, 5, 2, 10, 0, 17), "RE: Visit of worldwide United Methodist Bishops -- "
                                                           "possible to arrange a meeting with Hillary?"),
        ("David and Diane Weisz Young", T(2009, 5, 1, 20, 55), "Visit of worldwide United Methodist Bishops -- "
                                                               "possible to arrange a meeting with Hillary?"),
    ], id="C05758447-blackberry-and-outlook-headers"),
    pytest.param("C05764580", [
        ("Neera Tanden", T(2009, 9, 6, 14, 12), "Re: Fw: Health care"),
        ("H", None, None),                                     # `H wrote:`
        ("Neera Tanden", T(2009, 9, 6, 13, 29, 15), "RE: Fw: Health care"),
        ("H", None, None),                                     # `> H wrote:`
        ("H", T(2009, 9, 6, 12, 9, 44), "Health care"),        # `» From: H` / `>> Sent: ...`
    ], id="C05764580-quote-marks-two-deep"),
    pytest.param("C05761181", [
        ("Jake Sullivan", T(2009, 5, 4, 16, 11), "Re: Kazakhstan bilat"),
        ("H", T(2009, 5, 4, 16, 8), None),                     # On Mon, May 4, 2009 at 4:08 PM, H <...> wrote:
        ("Jake Sullivan", T(2009, 5, 4, 15, 19, 5), "Kazakhstan bilat"),
    ], id="C05761181-gmail-wrote-then-blackberry"),
    pytest.param("C05781704", [
        ("Nides, Thomas R", T(2011, 7, 31, 10, 13), None),
        ("H", T(2011, 7, 31, 10, 7), None),
        ("Sullivan, Jacob J", T(2011, 7, 31, 10, 4), None),
        ("Feltman, Jeffrey D", T(2011, 7, 31, 9, 56), None),
        ("Nides, Thomas R", T(2011, 7, 31, 9, 52), None),
        ("Kenna, Lisa", T(2011, 7, 31, 9, 27), None),
        ("Jeffrey, James F (Baghdad)", T(2011, 7, 31, 9, 9, 18), "Iraqiyya Wants Meeting Pushed Back 24 Hours to AUG 2"),
    ], id="C05781704-seven-messages"),
    pytest.param("C05767435", [
        ("Abedin, Huma", T(2009, 10, 28, 6, 39), None),
        ("Holbrooke, Richard", T(2009, 10, 28, 6, 37, 17), None),   # `Wed Oct 2806:37:17 2009`
        ("Feldman, Daniel F", T(2009, 10, 28, 6, 11, 37),
         "Tues read-out, including Af/Pak Roll-Out, China, trafficking story, IRI, and other issues"),
    ], id="C05767435-day-glued-to-hour"),
]


@pytest.mark.corpus
@pytest.mark.parametrize("doc_id,expected", CHAINS)
def test_chain(corpus_emails, doc_id, expected):
    messages = corpus_emails[doc_id].document.messages
    assert [m.message_index for m in messages] == list(range(len(expected)))
    for m, (sender, sent, subject) in zip(messages, expected, strict=True):
        assert m.sender is not None and m.sender.name == sender
        assert m.sent == sent
        if subject is not None:
            assert m.subject == subject


@pytest.mark.corpus
@pytest.mark.parametrize("doc_id", ["C05739614", "C05758447", "C05764580", "C05781704", "C05789781"])
def test_paragraphs_belong_to_their_message(corpus_emails, doc_id):
    parsed = corpus_emails[doc_id]
    d = parsed.document
    for p in parsed.paragraphs:
        assert d.text[p.char_start:p.char_end] == p.text
        if p.section == "stamp":
            assert p.message_index is None
            continue
        m = d.messages[p.message_index]
        assert m.char_start <= p.char_start and p.char_end <= m.char_end
        assert p.section != "body" or p.message_index == 0
        assert p.section != "quoted" or p.message_index > 0
    headers = [p.message_index for p in parsed.paragraphs if p.section == "header"]
    assert headers == list(range(len(d.messages)))


# The same message in two releases: (doc, message_index) pairs, hand-matched by sender, time and text.
SAME_MESSAGE = [
    pytest.param(("C05739614", 3), ("C05739617", 2), id="Gordon-2011-03-29-1756"),
    pytest.param(("C05739614", 5), ("C05739617", 4), id="Gordon-2011-03-29-1434-ocr-differs-late"),
    pytest.param(("C05739614", 4), ("C05739617", 3), id="Feltman-2011-03-29-1457-signature-ocr-differs"),
    pytest.param(("C05764579", 0), ("C05764580", 2), id="Tanden-top-then-quoted-with-angle-marks"),
    pytest.param(("C05764579", 2), ("C05764580", 4), id="H-2009-09-06-1209-empty-body"),
    pytest.param(("C05778080", 0), ("C05771822", 2), id="H-Kazakhstan-top-then-forwarded"),
    pytest.param(("C05782104", 4), ("C05789314", 5), id="Rodriguez-nominees-ocr-differs"),
    pytest.param(("C05762637", 0), ("C05762648", 2), id="Burns-note-top-then-quoted"),
    pytest.param(("C05784445", 1), ("C05787541", 2), id="Blake-Kazakh-FM"),
]


@pytest.mark.corpus
@pytest.mark.parametrize("a,b", SAME_MESSAGE)
def test_same_message_same_hash(corpus_emails, a, b):
    ma = corpus_emails[a[0]].document.messages[a[1]]
    mb = corpus_emails[b[0]].document.messages[b[1]]
    assert (ma.sent.replace(second=0), ma.sender.name[:1]) == (mb.sent.replace(second=0), mb.sender.name[:1])
    assert ma.message_hash == mb.message_hash


@pytest.mark.corpus
def test_different_messages_of_the_same_minute_differ(corpus_emails):
    """C05784449 (Blake's out-of-office reply) and C05787541 (H's reply) were both sent at 12:39."""
    auto = corpus_emails["C05784449"].document.messages[0]
    reply = corpus_emails["C05787541"].document.messages[0]
    assert auto.sent == reply.sent
    assert auto.message_hash != reply.message_hash


@pytest.mark.corpus
def test_hashes_unique_within_each_document(corpus_emails):
    for doc_id, parsed in corpus_emails.items():
        hashes = [m.message_hash for m in parsed.document.messages]
        assert len(hashes) == len(set(hashes)), doc_id


HASH_CASES = [
    pytest.param(("Thanks! 1'm on my way to", "RE: Fw: Health care"),
                 ("> Thanks! 1'm on my way to  gt#39;s", "Re: Health care"), True, id="quote-marks-case-prefix"),
    pytest.param(("Pls print.", "Fw: memo"), ("Pis print.", "FW: memo"), True, id="ocr-l-read-as-i"),
    pytest.param(("Fyi", "Fw: Libyan"), ("Fyi", "Fw: Libya trip"), False, id="short-body-subject-counts"),
    pytest.param(("Can you talk?", "Re: x"), ("Call me when you can.", "Re: x"), False, id="different-body"),
]


@pytest.mark.parametrize("a,b,same", HASH_CASES)
def test_message_hash_normalization(a, b, same):
    when = T(2011, 3, 29, 22, 41)
    ha = message_hash(when, a[1], a[0])
    hb = message_hash(when.replace(second=5), b[1], b[0])
    assert (ha == hb) is same
    assert message_hash(when.replace(minute=42), a[1], a[0]) != ha
