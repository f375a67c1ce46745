"""The suites on one batch of synthetic documents, each broken in one way: the broken document is
kept out with all its paragraphs and entities, the quarantine names the rule and the value seen,
and every other document stays. One validation run for the whole truth table (GX costs ~1 s per
batch); the ids of real-world cases name the document that showed them."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa
import pytest

from expectations.validate import WHOLE_BATCH, refusal_reasons, validate_batch
from tests.flows.bad_inputs import cable, cable_id
from tests.helpers import parse_bytes
from transforms.records import ParsedDocument
from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
from transforms.tables import to_arrow

TODAY = dt.datetime.now(dt.UTC).date()


def set_doc_id(p: ParsedDocument, doc_id: str) -> None:
    p.document.doc_id = doc_id
    for x in p.paragraphs:
        x.doc_id, x.para_id = doc_id, f"{doc_id}.{x.para_index}"
    for e in p.entities:
        e.doc_id = doc_id


def set_year(p: ParsedDocument, year: str) -> None:
    for row in (p.document, *p.paragraphs, *p.entities):
        row.year = year


def first_entity(p: ParsedDocument, etype: str):
    return next(e for e in p.entities if e.entity_type == etype)


def future(p: ParsedDocument) -> None:
    p.document.doc_date = dt.date(TODAY.year + 1, 6, 1)
    set_year(p, str(p.document.doc_date.year))


def orphan_paragraph(p: ParsedDocument) -> None:
    """A paragraph whose document is not in the batch rides along with this document."""
    extra = dataclasses.replace(p.paragraphs[0], doc_id="09TASHKENT9999", para_id="09TASHKENT9999.0")
    p.paragraphs.append(extra)


def swap_paragraph_numbers(p: ParsedDocument) -> None:
    numbered = [x for x in p.paragraphs if x.para_number is not None]
    numbered[0].para_number, numbered[1].para_number = numbered[1].para_number, numbered[0].para_number


# (id, mutation, rule that must quarantine it (None: the document stays), piece of the value seen)
CASES: list = [
    pytest.param(lambda p: set_doc_id(p, "7575LIBREVILLE1895"), "doc_id_pattern", "cable:7575LIBREVILLE1895",
                 id="7575LIBREVILLE1895-refid-typo"),
    pytest.param(lambda p: set_doc_id(p, "90STATE255195TOSEC140301"), None, None, id="90STATE255195TOSEC140301-tosec-id"),
    pytest.param(lambda p: set_doc_id(p, '<script>alert("x")</script>'), "doc_id_pattern", "<script>", id="markup-doc-id"),
    pytest.param(future, "doc_date_not_future", f"{TODAY.year + 1}-06-01", id="doc-date-in-the-future"),
    pytest.param(lambda p: set_year(p, "1066"), "year_in_range", "1066", id="year-1066"),
    pytest.param(lambda p: set_year(p, "2008"), "year_matches_date", "year 2008, doc_date 2009-06-01",
                 id="year-differs-from-date"),
    pytest.param(lambda p: setattr(p.document, "n_paragraphs", p.document.n_paragraphs + 1),
                 "n_paragraphs_equals_count", "n_paragraphs=6, paragraph_count=5", id="n-paragraphs-off-by-one"),
    pytest.param(lambda p: setattr(p.document, "n_chars", 7), "n_chars_equals_text_length", "n_chars=7",
                 id="n-chars-wrong"),
    pytest.param(lambda p: setattr(p.document, "classification", "TOP SECRET//UMBRA"), "classification_in_vocabulary",
                 "TOP SECRET//UMBRA", id="classification-outside-vocabulary"),
    pytest.param(lambda p: setattr(p.document, "references", ["09TASHKENT1102", "02Tegucigalpa3004"]),
                 "references_well_formed", "02Tegucigalpa3004", id="02TEGUCIGALPA3023-mixed-case-reference"),
    pytest.param(lambda p: setattr(p.document, "source_format", None), "source_format_not_null", None,
                 id="source-format-null"),
    pytest.param(lambda p: setattr(p.paragraphs[-1], "char_end", p.document.n_chars + 10),
                 "text_matches_document_offsets", "past the end of the document", id="paragraph-past-document-end"),
    pytest.param(lambda p: setattr(p.paragraphs[1], "text", p.paragraphs[1].text.upper() + "!"),
                 "text_matches_document_offsets", "text differs", id="paragraph-text-differs"),
    pytest.param(lambda p: setattr(p.paragraphs[1], "para_index", 0), "key_unique", None, id="para-index-twice"),
    pytest.param(lambda p: setattr(p.paragraphs[0], "para_id", "oops"), "para_id_format", "para_id=oops",
                 id="para-id-format"),
    pytest.param(lambda p: (setattr(p.paragraphs[-1], "para_index", 9),
                            setattr(p.paragraphs[-1], "para_id", f"{p.document.doc_id}.9")),
                 "para_index_sequence", "para_index=9, position=4", id="para-index-gap"),
    pytest.param(lambda p: setattr(p.paragraphs[0], "section", "appendix"), "section_in_vocabulary", "appendix",
                 id="section-outside-vocabulary"),
    pytest.param(lambda p: setattr(p.entities[0], "char_end", 10**6), "text_matches_paragraph_offsets",
                 "past the end of the paragraph", id="entity-past-paragraph-end"),
    pytest.param(lambda p: setattr(p.entities[0], "text", p.entities[0].text + "x"), "text_matches_paragraph_offsets",
                 "text differs", id="entity-text-differs"),
    pytest.param(lambda p: setattr(first_entity(p, "DATE"), "normalized", "May 29"), "normalized_form",
                 "DATE:May 29", id="date-not-iso"),
    pytest.param(lambda p: setattr(first_entity(p, "PERCENT"), "normalized", "forty"), "normalized_form",
                 "PERCENT:forty", id="percent-in-words"),
    pytest.param(lambda p: setattr(p.entities[0], "entity_type", "WEAPON"), "entity_type_in_vocabulary", "WEAPON",
                 id="entity-type-outside-vocabulary"),
    pytest.param(lambda p: setattr(p.entities[0], "confidence", 1.5), "confidence_in_0_1", "1.5", id="confidence-1.5"),
    pytest.param(lambda p: setattr(p.entities[0], "char_end", p.entities[0].char_start), "char_end_after_start", None,
                 id="entity-empty-span"),
    pytest.param(orphan_paragraph, "document_present", None, id="orphan-paragraph"),
    pytest.param(lambda p: setattr(p.entities[0], "para_index", 99), "paragraph_present", None, id="orphan-entity"),
    # statistical rules: counted, never quarantined
    pytest.param(lambda p: setattr(p.document, "subject", None), None, None, id="cable-without-subject"),
    pytest.param(swap_paragraph_numbers, None, None, id="paragraph-numbers-backwards"),
]
CONTROLS = 6


@pytest.fixture(scope="module")
def batch():
    parsed, victims = [], {}
    for i, case in enumerate(CASES):
        serial = 6000 + i
        [p] = parse_bytes(cable(serial).encode(), f"{serial}.txt")
        case.values[0](p)
        victims[case.id] = p
        parsed.append(p)
    for i in range(CONTROLS):
        parsed += parse_bytes(cable(6100 + i).encode(), f"control{i}.txt")
    docs = to_arrow([p.document for p in parsed], DOCUMENTS)
    paras = to_arrow([x for p in parsed for x in p.paragraphs], PARAGRAPHS)
    ents = to_arrow([x for p in parsed for x in p.entities], ENTITIES)
    return victims, validate_batch(docs, paras, ents, "unit-run")


@pytest.mark.parametrize("mutate,rule,seen", CASES)
def test_each_broken_document_is_quarantined_by_its_rule(batch, request, mutate, rule, seen):
    victims, out = batch
    doc_id = victims[request.node.callspec.id].document.doc_id
    if rule == "document_present":
        doc_id = "09TASHKENT9999"
    rows = [q for q in out.quarantine if q.doc_id == doc_id]
    kept = set(out.documents.column("doc_id").to_pylist())
    if rule is None:
        assert rows == [] and doc_id in kept
        return
    assert rule in {q.expectation for q in rows}, [q.reason for q in rows]
    hit = next(q for q in rows if q.expectation == rule)
    assert hit.stage == "validate" and hit.run_id == "unit-run" and "\n" not in hit.reason
    if seen is not None:
        assert seen in (hit.observed or ""), hit.observed
        assert seen[:60] in hit.reason
    assert doc_id not in kept
    for t in (out.paragraphs, out.entities):
        assert doc_id not in t.column("doc_id").to_pylist()       # no orphans left behind


def test_controls_and_only_the_broken_ones_are_refused(batch):
    victims, out = batch
    refused = {p.document.doc_id for case, p in victims.items()
               if next(c for c in CASES if c.id == case).values[1] is not None and case != "orphan-paragraph"}
    refused.add("09TASHKENT9999")             # the orphan's own id: the document it rode with stays
    assert out.bad_doc_ids == refused
    kept = set(out.documents.column("doc_id").to_pylist())
    assert {cable_id(6100 + i) for i in range(CONTROLS)} <= kept
    assert set(out.paragraphs.column("doc_id").to_pylist()) == kept
    para_keys = set(zip(out.paragraphs.column("doc_id").to_pylist(), out.paragraphs.column("para_index").to_pylist()))
    assert set(zip(out.entities.column("doc_id").to_pylist(), out.entities.column("para_index").to_pylist())) <= para_keys


def test_statistical_rules_count_and_name_examples(batch):
    victims, out = batch
    stats = {(s.suite, s.expectation): s for s in out.stats}
    subject = stats[("documents", "cable_subject_present")]
    assert subject.severity == "warning" and subject.unexpected_count == 1
    assert subject.examples == [victims["cable-without-subject"].document.doc_id]
    assert subject.element_count == out.documents.num_rows + len(out.bad_doc_ids) - 1   # cables only (orphan has none)
    order = stats[("documents", "paragraph_numbers_in_order")]
    assert order.unexpected_count == 1 and order.success       # 1 of 34 is within mostly=0.95


def test_ledger_reason_is_one_line_naming_every_broken_rule(batch):
    _, out = batch
    reasons = refusal_reasons(out.quarantine)
    line = next(v for (d, _), v in reasons.items() if d == "7575LIBREVILLE1895")
    assert line.startswith("documents 7575LIBREVILLE1895: doc_id does not have the form") and "\n" not in line
    assert all(len(v) <= 300 for v in reasons.values())


def test_a_column_of_the_wrong_type_refuses_the_whole_batch():
    [p] = parse_bytes(cable(6200).encode(), "x.txt")
    docs = to_arrow([p.document], DOCUMENTS)
    docs = docs.set_column(docs.schema.get_field_index("n_chars"), "n_chars", docs.column("n_chars").cast(pa.int64()))
    out = validate_batch(docs, to_arrow(p.paragraphs, PARAGRAPHS), to_arrow(p.entities, ENTITIES), "unit-run")
    [q] = [q for q in out.quarantine if q.key == WHOLE_BATCH]
    assert q.expectation == "types_as_declared" and "n_chars is int64, declared int32" in q.reason
    assert out.documents.num_rows == out.paragraphs.num_rows == out.entities.num_rows == 0
    assert out.bad_doc_ids == {cable_id(6200)}


def test_an_empty_batch_is_not_validated():
    empty = [t.arrow_schema.empty_table() for t in (DOCUMENTS, PARAGRAPHS, ENTITIES)]
    out = validate_batch(*empty, "unit-run")
    assert out.quarantine == [] and out.stats == []


def test_validation_frames_are_let_go_once_the_batch_is_validated(monkeypatch):
    """GX's execution engine keeps the last frame it loaded: a worker held the previous batch's
    frames between batches and while it validated the next one (`expectations.validate._forget`)."""
    import gc
    import weakref

    import expectations.validate as validate
    made: list[weakref.ref] = []
    real = validate.frames

    def tracked(*args):
        out = real(*args)
        made.extend(weakref.ref(df) for df in out.values())
        return out

    monkeypatch.setattr(validate, "frames", tracked)
    [p] = parse_bytes(cable(6201).encode(), "x.txt")
    out = validate_batch(to_arrow([p.document], DOCUMENTS), to_arrow(p.paragraphs, PARAGRAPHS),
                         to_arrow(p.entities, ENTITIES), "unit-run")
    assert out.documents.num_rows == 1 and len(made) == 3
    gc.collect()
    assert [r() is None for r in made] == [True, True, True]


def test_gx_fingerprints_no_frame(monkeypatch):
    """GX 1.24 hashes every cell of a frame for a batch marker pouch never reads (~2 % of a
    worker's time); `expectations.validate._skip_fingerprints` turns that off."""
    from great_expectations.execution_engine import pandas_execution_engine
    calls = []
    real = pandas_execution_engine.hash_pandas_dataframe
    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", lambda df: calls.append(len(df)) or real(df))
    [p] = parse_bytes(cable(6202).encode(), "x.txt")
    out = validate_batch(to_arrow([p.document], DOCUMENTS), to_arrow(p.paragraphs, PARAGRAPHS),
                         to_arrow(p.entities, ENTITIES), "unit-run")
    assert out.documents.num_rows == 1 and out.quarantine == []
    assert calls == []


def test_frames_hold_the_key_and_the_columns_some_rule_reads():
    from expectations.frames import frames
    from expectations.suites import HELPER_COLUMNS, columns_read, declarations, scalar_columns
    [p] = parse_bytes(cable(6203).encode(), "x.txt")
    out = frames(to_arrow([p.document], DOCUMENTS), to_arrow(p.paragraphs, PARAGRAPHS), to_arrow(p.entities, ENTITIES))
    for table in (DOCUMENTS, PARAGRAPHS, ENTITIES):
        read = columns_read(table)
        assert list(out[table.name].columns) == read
        assert set(table.key) <= set(read)
        # every column a rule names is one the frame can hold: the table's own or a helper
        assert set(read) <= set(scalar_columns(table)) | set(HELPER_COLUMNS[table.name]), table.name
        assert {c for r in declarations()[table.name] for c in r.columns} <= set(read)
    assert "subject" not in out["documents"].columns and "marking" not in out["paragraphs"].columns
