"""Great Expectations suites, one per table, written as code.

Structural expectations (not-null, allowed values, uniqueness) are derived from
`transforms.schema`; domain rules are added per table below. Cross-table rules (offsets inside the
document, a paragraph's document present, n_paragraphs equal to the paragraph count) are checked on
helper columns that `expectations.frames` computes before validation, so each rule stays a plain,
row-level GX expectation whose failing rows can be named.
"""
from __future__ import annotations

import datetime as dt
import functools

import great_expectations as gx
import great_expectations.expectations as gxe

from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS, Table

#: Canonical cable id: 2-digit year (or XX when unknown) + station letters + serial.
CABLE_ID_PATTERN = r"^(?:\d{2}|XX)[A-Z]{2,25}\d{1,7}$"
#: FOIA document number, or the file-name fallback (recorded in provenance and flags).
EMAIL_ID_PATTERN = r"^(?:C\d{8}|[A-Za-z0-9][A-Za-z0-9_.-]{0,99})$"
YEAR_PATTERN = r"^(?:19[4-9]\d|20[0-3]\d|unknown)$"
REFERENCE_PATTERN = CABLE_ID_PATTERN


def _structural(table: Table) -> list[gxe.Expectation]:
    out: list[gxe.Expectation] = []
    for col in table.columns:
        if not col.nullable:
            out.append(gxe.ExpectColumnValuesToNotBeNull(column=col.name))
        if col.allowed is not None and col.name in _SCALAR_COLUMNS.get(table.name, ()):
            out.append(gxe.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(col.allowed)))
        if col.unique:
            out.append(gxe.ExpectColumnValuesToBeUnique(column=col.name))
    if len(table.key) > 1:
        out.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.key)))
    elif table.key:
        out.append(gxe.ExpectColumnValuesToBeUnique(column=table.key[0]))
    return out


#: Columns whose values are validated against `Column.allowed` (scalars, present in the frame).
_SCALAR_COLUMNS = {
    "documents": ("doc_type", "doc_kind", "source_format", "classification", "release"),
    "paragraphs": ("doc_type", "section"),
    "entities": ("doc_type", "entity_type"),
}


def _documents_rules(today: dt.date) -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToMatchRegex(column="doc_id", regex=CABLE_ID_PATTERN,
                                           row_condition='doc_type=="cable"', condition_parser="pandas"),
        gxe.ExpectColumnValuesToMatchRegex(column="doc_id", regex=EMAIL_ID_PATTERN,
                                           row_condition='doc_type=="email"', condition_parser="pandas"),
        gxe.ExpectColumnValuesToMatchRegex(column="year", regex=YEAR_PATTERN),
        gxe.ExpectColumnValuesToBeBetween(column="doc_date", min_value=dt.date(1940, 1, 1), max_value=today),
        gxe.ExpectColumnValuesToBeBetween(column="release_date", min_value=dt.date(1990, 1, 1), max_value=today),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="n_paragraphs", column_B="paragraph_count"),
        gxe.ExpectColumnValuesToBeInSet(column="references_well_formed", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="year_matches_date", value_set=[True]),
    ]


def _paragraphs_rules() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start"),
        gxe.ExpectColumnValuesToBeInSet(column="doc_present", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="offsets_in_document", value_set=[True]),
    ]


def _entities_rules() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start"),
        gxe.ExpectColumnValuesToBeInSet(column="paragraph_present", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="offsets_in_paragraph", value_set=[True]),
        gxe.ExpectColumnValuesToBeBetween(column="confidence", min_value=0.0, max_value=1.0),
    ]


@functools.cache
def suites(today: dt.date | None = None) -> dict[str, gx.ExpectationSuite]:
    """The three suites. `today` bounds "dates not in the future" (defaults to the real date)."""
    today = today or dt.date.today()
    out = {}
    for table, rules in ((DOCUMENTS, _documents_rules(today)), (PARAGRAPHS, _paragraphs_rules()),
                         (ENTITIES, _entities_rules())):
        suite = gx.ExpectationSuite(name=f"pouch.{table.name}")
        for exp in _structural(table) + rules:
            suite.add_expectation(exp)
        out[table.name] = suite
    return out
