"""The suites are derived from the schema declarations, and every rule is named and explained."""
import re

import pytest

from expectations.suites import (
    CABLE_ID_PATTERN,
    EMAIL_ID_PATTERN,
    NORMALIZED_PATTERNS,
    OTHER_ID_PATTERN,
    rule_catalog,
    scalar_columns,
    suites,
    type_label,
    typed_pattern,
)
from transforms.schema import TABLES


@pytest.mark.parametrize("table", ["documents", "paragraphs", "entities"])
def test_structure_comes_from_the_schema(table):
    rules = {r["rule"]: r for r in rule_catalog()[table]}
    decl = TABLES[table]
    for col in decl.columns:
        if col.name not in scalar_columns(decl):
            continue
        assert (f"{col.name}_not_null" in rules) == (not col.nullable), col.name
        assert (f"{col.name}_in_vocabulary" in rules) == (col.allowed is not None), col.name
    assert "key_unique" in rules or f"{decl.key[0]}_unique" in rules
    assert "types_as_declared" in rules


@pytest.mark.parametrize("table", ["documents", "paragraphs", "entities"])
def test_rules_are_named_once_and_statistical_ones_say_why(table):
    rules = rule_catalog()[table]
    names = [r["rule"] for r in rules]
    assert len(names) == len(set(names))
    for r in rules:
        assert r["message"], r["rule"]
        if r["mostly"] is not None:
            assert r["severity"] == "warning" and ("OCR" in r["why"] or "pdftotext" in r["why"]), r["rule"]
        else:
            assert r["severity"] == "critical", r["rule"]


def test_vocabulary_expectations_use_the_declared_values():
    exp = next(e for e in suites()["documents"].expectations
               if e.configuration.meta["rule"] == "classification_in_vocabulary")
    assert list(exp.configuration.kwargs["value_set"]) == list(TABLES["documents"].column("classification").allowed)


ID_CASES = [
    pytest.param(CABLE_ID_PATTERN, "06PARIS5734", True, id="06PARIS5734"),
    pytest.param(CABLE_ID_PATTERN, "XXALMATY4123", True, id="XXALMATY4123-year-unknown"),
    pytest.param(CABLE_ID_PATTERN, "90STATE255195TOSEC140301", True, id="90STATE255195TOSEC140301"),
    pytest.param(CABLE_ID_PATTERN, "7575LIBREVILLE1895", False, id="7575LIBREVILLE1895"),
    pytest.param(CABLE_ID_PATTERN, "06Paris5734", False, id="mixed-case"),
    pytest.param(EMAIL_ID_PATTERN, "C05739545", True, id="C05739545"),
    pytest.param(EMAIL_ID_PATTERN, "001_50d1334280565029", True, id="seed-001-file-name"),
    pytest.param(EMAIL_ID_PATTERN, "../etc/passwd", False, id="path"),
    pytest.param(OTHER_ID_PATTERN, "meeting notes (draft)", True, id="file-name-with-spaces"),
    pytest.param(OTHER_ID_PATTERN, "<img src=x onerror=alert(1)>", False, id="markup"),
    pytest.param(OTHER_ID_PATTERN, "", False, id="empty"),
]


@pytest.mark.parametrize("pattern,value,ok", ID_CASES)
def test_id_patterns(pattern, value, ok):
    assert bool(re.match(pattern, value)) is ok


NORMALIZED_CASES = [
    ("DATE", None, "2009-05-29", True), ("DATE", None, "2009-07", True), ("DATE", None, "--03-14", True),
    ("DATE", None, "1990-01-17T15:12Z", True), ("DATE", None, "1985-05-18/1985-05-20", True),
    ("DATE", None, "2000/2001", True), ("DATE", None, "May 29", False), ("DATE", None, "29/05/2009", False),
    ("PERCENT", None, "40%", True), ("PERCENT", None, "30-40%", True), ("PERCENT", None, "forty", False),
    ("EMAIL", None, "abedinh@state.gov", True), ("EMAIL", None, "abedinh state.gov", False),
    ("LOCATION", "country", "KZ", True), ("LOCATION", "country", "Kazakhstan", False),
]


@pytest.mark.parametrize("etype,subtype,value,ok", NORMALIZED_CASES, ids=[f"{c[0]}-{c[2]}" for c in NORMALIZED_CASES])
def test_normalized_forms(etype, subtype, value, ok):
    rx = re.compile(typed_pattern(NORMALIZED_PATTERNS))
    assert bool(rx.match(f"{type_label(etype, subtype)}:{value}")) is ok
