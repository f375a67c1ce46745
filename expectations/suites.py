"""Great Expectations suites, one per table, written as code.

Structural expectations are derived from `transforms.schema`: the column set, not-null for
columns declared non-nullable, allowed values for columns with a vocabulary, uniqueness of unique
columns and of the table key; column types are checked on the Arrow batch (`type_problems`). Domain rules are added per table below. Cross-table rules (offsets inside the
document, a paragraph's document present, n_paragraphs equal to the paragraph count) are checked
on helper columns that `expectations.frames` computes before validation, so each rule stays a
plain, row-level GX expectation whose failing rows can be named.

Every expectation carries `meta={"rule": ..., "message": ...}`: the rule name is unique in its
suite and is what the quarantine table, the run summary and the report call the check; the message
is the one-line reason a quarantined row gets. Rules with `mostly=` are statistical (OCR noise makes
them so; each says why) and have severity `warning`: their failing rows are counted and reported,
never quarantined, and the rule fails only when the share of good rows drops below `mostly`.

The rules are declared as plain data (`Rule`: the GX expectation's class name, the rule name, its
message and reason, the expectation's arguments) and become GX objects only in `suites()`. The
report's `rule_catalog()` is read from the same declarations, so it needs no Great Expectations
(importing it takes ~3 s, most of a no-op run's time) and cannot drift from the suites
(tests/expectations/test_rule_catalog.py compares the two).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS, Table

if TYPE_CHECKING:
    import great_expectations as gx

#: Canonical cable id: 2-digit year (or XX when unknown) + station letters + serial. Cables the
#: Secretary's travelling party received carry a TOSEC serial too (`90STATE255195TOSEC140301`,
#: a refid of the cables.csv dump).
CABLE_ID_PATTERN = r"^(?:\d{2}|XX)[A-Z]{2,25}\d{1,7}(?:TOSEC\d{1,7})?$"
#: An id taken from a file name (documents whose text gives none): word characters and a few
#: punctuation marks, never markup, quotes, slashes or control characters.
FILE_NAME_ID = r"[^\W_][\w .,()+-]{0,119}"
#: FOIA document number, or the file-name fallback (recorded in provenance and flags).
EMAIL_ID_PATTERN = rf"^(?:C\d{{8}}|{FILE_NAME_ID})$"
OTHER_ID_PATTERN = rf"^{FILE_NAME_ID}$"
REFERENCE_PATTERN = CABLE_ID_PATTERN
#: Earliest year a document may carry. The cables run from 1966 and the FOIA emails from 2009;
#: 1945 leaves room for older records without letting OCR'd years like 1066 or 1906 through.
FIRST_YEAR = 1945
#: ISO 8601 at the precision the text gives: 2009, 2009-07, 2009-07-14, 2009-07-14T17:18Z (a
#: cable's date-time group).
ISO_DATE = r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
#: `entities.normalized` per entity type (and subtype), as the data dictionary defines it.
NORMALIZED_PATTERNS: dict[tuple[str, str | None], str] = {
    # an ISO date, an ISO interval (`1985-05-18/1985-05-20`), or --07-14 when the year is unknown
    ("DATE", None): rf"^(?:{ISO_DATE}(?:/{ISO_DATE})?|--\d{{2}}-\d{{2}})$",
    ("EMAIL", None): r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$",
    ("PERCENT", None): r"^-?\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?%$",     # 40% or a range, 30-40%
    ("LOCATION", "country"): r"^[A-Z]{2}$",                   # ISO 3166-1 alpha-2
}
ID_PATTERNS = {"cable": CABLE_ID_PATTERN, "email": EMAIL_ID_PATTERN, "other": OTHER_ID_PATTERN}


def type_label(kind: str, subtype: str | None = None) -> str:
    return f"{kind}/{subtype}" if subtype else kind


def typed_pattern(patterns: dict[tuple[str, str | None], str]) -> str:
    """One regex for values written `<type>:<value>` (see `frames`), from per-type patterns."""
    return "^(?:" + "|".join(f"{re.escape(type_label(*k))}:(?:{p.strip('^$')})" for k, p in patterns.items()) + ")$"

@dataclass(frozen=True)
class Rule:
    """One check of a suite, declared without Great Expectations: `expectation` is the class name
    in `great_expectations.expectations`, `kwargs` its arguments (column, value_set, mostly ...)."""
    expectation: str
    rule: str
    message: str
    why: str | None = None
    kwargs: dict = field(default_factory=dict)

    @property
    def type(self) -> str:
        """GX's name of the expectation type: ExpectColumnValuesToBeNull -> expect_column_values_to_be_null."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.expectation).lower()

    @property
    def severity(self) -> str:
        return "warning" if "mostly" in self.kwargs else "critical"

    @property
    def columns(self) -> list[str]:
        """Every column the check reads."""
        k = self.kwargs
        if "column" in k:
            return [k["column"]]
        return [k[c] for c in ("column_A", "column_B") if c in k] or list(k.get("column_list", []))

    @property
    def column(self) -> str | None:
        return ",".join(self.columns) or None

    def build(self):
        """The GX expectation (imports Great Expectations)."""
        import great_expectations.expectations as gxe
        extra = {"severity": self.severity} if self.severity != "critical" else {}   # GX's default
        return getattr(gxe, self.expectation)(meta={"rule": self.rule, "message": self.message}, notes=self.why,
                                              **self.kwargs, **extra)


def _rule(cls: str, name: str, message: str, *, why: str | None = None, **kwargs) -> Rule:
    """A check with its rule name, one-line message and (optionally) the reason it exists. Rules
    with `mostly` get severity `warning` (see the module doc)."""
    return Rule(cls, name, message, why, kwargs)


def scalar_columns(table: Table) -> list[str]:
    """Columns that validation frames are made from (lists, structs and maps are left out: a rule
    that looks into one does so through a helper column, like `malformed_references`)."""
    return [c.name for c in table.columns
            if not (pa.types.is_list(c.type) or pa.types.is_struct(c.type) or pa.types.is_map(c.type))]


#: Rule name of the Arrow type check that runs before the suites.
TYPES_RULE = "types_as_declared"


def type_problems(table: Table, arrow: pa.Table) -> list[str]:
    """Columns of `arrow` whose Arrow type differs from the declaration, or that are missing.

    Types are checked here, on the Arrow batch, rather than by a GX expectation per column: the
    check is exact (int16 vs int32, timestamp units and zones), costs nothing, and GX's
    type-list expectations do not know pandas 3's `str` dtype. The batch is refused as a whole
    when a type is off (`expectations.validate`)."""
    out = []
    for col in table.columns:
        if col.name not in arrow.column_names:
            out.append(f"{col.name} missing")
        elif not arrow.schema.field(col.name).type.equals(col.type):
            out.append(f"{col.name} is {arrow.schema.field(col.name).type}, declared {col.type}")
    return out


def _structural(table: Table) -> list[Rule]:
    names = scalar_columns(table)
    out: list[Rule] = []
    for col in table.columns:
        if col.name not in names:
            continue
        if not col.nullable:
            out.append(_rule("ExpectColumnValuesToNotBeNull", f"{col.name}_not_null", f"{col.name} is empty",
                             column=col.name))
        if col.allowed is not None:
            out.append(_rule("ExpectColumnValuesToBeInSet", f"{col.name}_in_vocabulary",
                             f"{col.name} is not one of the allowed values", column=col.name,
                             value_set=list(col.allowed)))
        if col.unique:
            out.append(_rule("ExpectColumnValuesToBeUnique", f"{col.name}_unique", f"{col.name} appears twice",
                             column=col.name))
    if len(table.key) > 1:
        out.append(_rule("ExpectCompoundColumnsToBeUnique", "key_unique",
                         f"({', '.join(table.key)}) appears twice", column_list=list(table.key)))
    elif table.key:
        out.append(_rule("ExpectColumnValuesToBeUnique", f"{table.key[0]}_unique", f"{table.key[0]} appears twice",
                         column=table.key[0]))
    return out


def _documents_rules(today: dt.date) -> list[Rule]:
    first, last = dt.date(FIRST_YEAR, 1, 1), today + dt.timedelta(days=1)   # a day of slack for time zones
    years = [str(y) for y in range(FIRST_YEAR, today.year + 1)] + ["unknown"]
    return [
        _rule("ExpectColumnValuesToMatchRegex", "doc_id_pattern",
              "doc_id does not have the form of its doc_type's ids", column="typed_doc_id",
              regex=typed_pattern({(t, None): p for t, p in ID_PATTERNS.items()}),
              why="One regex over `<doc_type>:<doc_id>` rather than one expectation per doc_type with a "
                  "row_condition: the same check at a third of the cost per batch."),
        _rule("ExpectColumnValuesToBeInSet", "year_in_range",
              f"year is outside {FIRST_YEAR}..{today.year} (and not `unknown`)", column="year", value_set=years),
        _rule("ExpectColumnValuesToBeBetween", "doc_date_not_future",
              f"doc_date is in the future or before {FIRST_YEAR}", column="doc_date", min_value=first, max_value=last),
        _rule("ExpectColumnValuesToBeBetween", "release_date_not_future",
              "release_date is in the future or before 1990", column="release_date",
              min_value=dt.date(1990, 1, 1), max_value=last),
        _rule("ExpectColumnValuesToBeNull", "year_matches_date", "year differs from the year of doc_date",
              column="year_vs_date"),
        _rule("ExpectColumnPairValuesToBeEqual", "n_paragraphs_equals_count",
              "n_paragraphs differs from the number of paragraph rows", column_A="n_paragraphs",
              column_B="paragraph_count"),
        _rule("ExpectColumnPairValuesToBeEqual", "n_chars_equals_text_length", "n_chars differs from len(text)",
              column_A="n_chars", column_B="text_length"),
        _rule("ExpectColumnValuesToBeNull", "references_well_formed",
              "a reference is not a canonical cable id", column="malformed_references"),
        # --- statistical: counted and reported, never quarantined. The helper columns hold
        # True/False for the rows the rule is about and null for the others (nulls are not counted).
        _rule("ExpectColumnValuesToBeInSet", "cable_subject_present", "cable has no SUBJECT",
              why="OCR'd extracts and some WikiLeaks pages lose the SUBJECT line (cablemap's edge cases), "
                  "so a missing subject is expected now and then; a drop below 95% means the parser broke.",
              column="cable_has_subject", value_set=[True], mostly=0.95),
        _rule("ExpectColumnValuesToBeInSet", "cable_date_present", "cable has no date",
              why="extracts without the routing header and OCR-damaged date-time groups leave some cables "
                  "undated (the year is then `unknown`, never guessed).",
              column="cable_has_date", value_set=[True], mostly=0.85),
        _rule("ExpectColumnValuesToBeInSet", "email_sent_present", "email has no Sent line",
              why="pdftotext sometimes breaks the header block of a release, so a few emails lose `Sent`.",
              column="email_has_sent", value_set=[True], mostly=0.95),
        _rule("ExpectColumnValuesToBeNull", "paragraph_numbers_in_order",
              "the document's own paragraph numbers go backwards",
              why="OCR misreads paragraph numbers (`l1.` for `11.`, a dropped digit), so a few cables "
                  "have numbers out of order while their paragraphs are fine.",
              column="paragraph_numbers_out_of_order", mostly=0.95),
    ]


def _span_rules(container: str, present_rule: str, present_column: str) -> list[Rule]:
    """Rows that are a span of a containing text (paragraphs of documents, entities of paragraphs)."""
    return [
        _rule("ExpectColumnValuesToBeBetween", "char_start_not_negative", "char_start is negative",
              column="char_start", min_value=0),
        _rule("ExpectColumnPairValuesAToBeGreaterThanB", "char_end_after_start", "char_end is not after char_start",
              column_A="char_end", column_B="char_start"),
        _rule("ExpectColumnValuesToBeInSet", present_rule, f"the row's {container} is not in {container}s",
              column=present_column, value_set=[True]),
        _rule("ExpectColumnValuesToBeNull", f"text_matches_{container}_offsets",
              f"text is not {container}s.text[char_start:char_end]", column="offsets_problem"),
    ]


def _paragraphs_rules() -> list[Rule]:
    return _span_rules("document", "document_present", "doc_present") + [
        _rule("ExpectColumnPairValuesToBeEqual", "para_id_format", "para_id is not <doc_id>.<para_index>",
              column_A="para_id", column_B="expected_para_id"),
        _rule("ExpectColumnPairValuesToBeEqual", "para_index_sequence",
              "para_index does not run 0, 1, 2 ... in document order", column_A="para_index",
              column_B="position"),
    ]


def _entities_rules() -> list[Rule]:
    return _span_rules("paragraph", "paragraph_present", "paragraph_present") + [
        _rule("ExpectColumnValuesToBeBetween", "confidence_in_0_1", "confidence is outside 0..1",
              column="confidence", min_value=0.0, max_value=1.0),
        _rule("ExpectColumnValuesToMatchRegex", "normalized_form",
              "normalized is not in the canonical form of its entity type", column="typed_normalized",
              regex=typed_pattern(NORMALIZED_PATTERNS)),
    ]


#: Helper columns each validation frame adds to the table's own (see `expectations.frames`).
HELPER_COLUMNS = {
    "documents": ["typed_doc_id", "paragraph_count", "text_length", "malformed_references", "year_vs_date",
                  "cable_has_subject", "cable_has_date", "email_has_sent", "paragraph_numbers_out_of_order"],
    "paragraphs": ["doc_present", "offsets_problem", "expected_para_id", "position"],
    "entities": ["paragraph_present", "offsets_problem", "typed_normalized"],
}


def columns_read(table: Table) -> list[str]:
    """The columns of `table`'s validation frame that some rule of its suite reads, and the table
    key (which names failing rows): all that the frame handed to GX keeps (`expectations.frames`)."""
    return list(dict.fromkeys([*table.key, *(c for r in declarations()[table.name] for c in r.columns)]))


def _today(today: dt.date | None) -> dt.date:
    return today or dt.datetime.now(dt.UTC).date()


def declarations(today: dt.date | None = None) -> dict[str, list[Rule]]:
    """The checks of each suite, in suite order, as data (no Great Expectations needed). `today`
    bounds "dates not in the future" (defaults to today in UTC)."""
    return _declarations(_today(today))


@functools.cache
def _declarations(today: dt.date) -> dict[str, list[Rule]]:
    return {table.name: _structural(table) + rules
            for table, rules in ((DOCUMENTS, _documents_rules(today)), (PARAGRAPHS, _paragraphs_rules()),
                                 (ENTITIES, _entities_rules()))}


def suites(today: dt.date | None = None) -> dict[str, gx.ExpectationSuite]:
    """The three GX suites, built from `declarations`."""
    return _suites(_today(today))


@functools.cache
def _suites(today: dt.date) -> dict[str, gx.ExpectationSuite]:
    import great_expectations as gx
    return {name: gx.ExpectationSuite(name=f"pouch.{name}", expectations=[r.build() for r in rules])
            for name, rules in _declarations(today).items()}


def rule_of(config: dict) -> str:
    """The rule name of an expectation configuration (as `to_json_dict()` gives it)."""
    return (config.get("meta") or {}).get("rule") or config.get("type", "expectation")


#: The catalog row of the Arrow type check, which every suite's batch goes through first.
TYPES_CATALOG_ROW = {"rule": TYPES_RULE, "expectation": "Arrow schema check (before GX)", "column": "all",
                     "severity": "critical", "mostly": None, "message": "column types differ from the schema",
                     "why": "exact type check on the Arrow batch; see `type_problems`"}


def rule_catalog(today: dt.date | None = None) -> dict[str, list[dict]]:
    """Every check of every suite, in suite order, as the report and the Data Docs show them:
    rule, GX expectation type, column(s), severity, mostly, message, why. Read from
    `declarations`: no Great Expectations import."""
    return {table: [dict(TYPES_CATALOG_ROW)] + [
        {"rule": r.rule, "expectation": r.type, "column": r.column, "severity": r.severity,
         "mostly": r.kwargs.get("mostly"), "message": r.message, "why": r.why or ""} for r in rules]
        for table, rules in declarations(today).items()}
