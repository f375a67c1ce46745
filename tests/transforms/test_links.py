"""Links between documents (`transforms.links`, run by `flows.warehouse.derived.links_table`: the
query a commit runs) on hand-made documents: references resolved or not, cable ids and cable
subjects in email paragraphs, and the bounds on shared-entity links."""
from __future__ import annotations

import math
from types import SimpleNamespace

import pyarrow as pa
import pytest

from flows.warehouse.derived import DOC_COLUMNS, ENTITY_COLUMNS, links_table
from transforms.links import PER_DOC, RARE_DF, cable_ids_in
from transforms.schema import DOCUMENTS, ENTITIES

CABLES = [
    ("06PARIS5734", "cable", ["06STATE139361", "06PARIS5000"], "FRANCE: THE MINISTER'S VIEW OF THE WATER TALKS"),
    ("06STATE139361", "cable", [], "SCENESETTER"),
    ("06PARIS5000", "cable", [], "SCENESETTER"),
    ("C05739545", "email", [], "Re: talks"),
]


def Mention(doc_id, doc_type, entity_type, normalized, para_index, text, char_start=0):
    return dict(doc_id=doc_id, doc_type=doc_type, entity_type=entity_type, normalized=normalized,
                para_index=para_index, char_start=char_start, text=text)


def links_of(docs=CABLES, refs=(), named=(), paras=()):
    docs = pa.Table.from_pylist([dict(zip(DOC_COLUMNS, d)) for d in docs],
                                pa.schema([DOCUMENTS.column(c).field() for c in DOC_COLUMNS]))
    entities = pa.Table.from_pylist(list(refs) + list(named),
                                    pa.schema([ENTITIES.column(c).field() for c in ENTITY_COLUMNS]))
    table = links_table(docs, entities, list(paras))
    return {(x["src_doc_id"], x["link_type"], x["dst_doc_id"]): SimpleNamespace(**x) for x in table.to_pylist()}


def test_references_resolve_when_the_target_is_in_the_warehouse():
    got = links_of(CABLES[:2] + CABLES[3:])
    ref = got[("06PARIS5734", "reference", "06STATE139361")]
    assert ref.resolved and ref.dst_doc_type == "cable" and ref.weight == 1
    missing = got[("06PARIS5734", "reference", "06PARIS5000")]
    assert not missing.resolved and missing.dst_doc_type is None


def test_a_cable_id_in_a_body_is_a_mention_unless_it_is_a_reference_or_a_bare_reftel():
    refs = [Mention("06PARIS5734", "cable", "REFERENCE", "06STATE139361", 0, "REF A"),      # a reference already
            Mention("06PARIS5734", "cable", "REFERENCE", "ref:B", 0, "ref B"),
            Mention("06PARIS5734", "cable", "REFERENCE", "reftel", 2, "REFTEL"),
            Mention("06PARIS5734", "cable", "REFERENCE", "05PARIS100", 4, "05 PARIS 100")]
    got = [k for k in links_of(refs=refs) if k[1] == "mention"]
    assert got == [("06PARIS5734", "mention", "05PARIS100")]
    assert links_of(refs=refs)[got[0]].para_index == 4


@pytest.mark.parametrize("text,expected", [
    pytest.param("see 09 STATE 12345 for the demarche", [("09STATE12345", "09 STATE 12345")], id="spaced"),
    pytest.param("per 10KABUL1234.", [("10KABUL1234", "10KABUL1234")], id="compact"),
    pytest.param("met on 05 JAN 2009 at noon", [], id="a-date-is-no-cable"),
    pytest.param("room 12 ABC 34", [], id="unknown-station"),
])
def test_cable_ids_in_running_text(text, expected):
    assert cable_ids_in(text) == expected


def test_an_email_quoting_a_distinctive_cable_subject_links_to_it():
    paras = [("C05739545", 3, "Fyi -- France: the minister's view\nof the water talks, as cabled."),
             ("C05739545", 4, "Also the scenesetter went out.")]
    got = links_of(paras=paras)
    subject = got[("C05739545", "subject", "06PARIS5734")]
    assert subject.para_index == 3 and subject.resolved
    assert not [k for k in got if k[2] in ("06STATE139361", "06PARIS5000") and k[1] == "subject"]   # shared, short


def test_shared_entities_link_rare_names_only_with_idf_weights_and_a_cap_per_document():
    docs = [(f"D{i:02d}", "cable", [], None) for i in range(40)]
    named = [Mention(f"D{i:02d}", "cable", "PERSON", "Common Name", 0, "x") for i in range(RARE_DF + 1)]
    named += [Mention(d, "cable", "PERSON", "Rare Person", 0, "x") for d in ("D00", "D01")]
    for k in range(PER_DOC + 2):                      # D02 shares a rare name with 12 documents
        named += [Mention("D02", "cable", "ORG", f"Org {k}", 0, "x"), Mention(f"D{10 + k:02d}", "cable", "ORG", f"Org {k}", 0, "x")]
    got = {k: v for k, v in links_of(docs, named=named).items() if k[1] == "shared_entity"}
    assert not any(v.via == "Common Name" for v in got.values())          # in more than RARE_DF documents
    pair = got[("D00", "shared_entity", "D01")]
    assert pair.via == "Rare Person" and pair.weight == pytest.approx(math.log(40 / 2), abs=1e-3)
    assert ("D01", "shared_entity", "D00") in got                         # both directions
    assert sum(1 for src, _, _ in got if src == "D02") == PER_DOC           # 12 partners, the 10 strongest kept
