"""The schema is declared once; records, tables and the data dictionary follow it."""
import dataclasses
from pathlib import Path

import pytest

from transforms import records
from transforms.dictionary import BEGIN, END, render_into
from transforms.schema import TABLES

RECORD_OF = {
    "documents": records.Document, "paragraphs": records.Paragraph, "entities": records.Entity,
    "ledger": records.LedgerEntry, "quarantine": records.QuarantineEntry, "files": records.FileState,
    "sources": records.Source, "messages": records.ThreadMessage, "links": records.Link,
}


@pytest.mark.parametrize("table", sorted(RECORD_OF))
def test_record_fields_equal_columns(table):
    fields = {f.name for f in dataclasses.fields(RECORD_OF[table])}
    assert fields == set(TABLES[table].names)


def test_partition_columns_are_columns():
    for t in TABLES.values():
        assert set(t.partition_by) <= set(t.names)
        assert set(t.key) <= set(t.names)
        assert not set(t.partition_by) & set(t.file_schema.names)


def test_data_dictionary_is_current():
    readme = (Path(__file__).resolve().parents[2] / "warehouse" / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme
    assert render_into(readme) == readme, "warehouse/README.md is stale: run `make dictionary`"
    for t in TABLES.values():
        for c in t.columns:
            assert f"| `{c.name}` |" in readme


def test_every_table_says_how_it_is_derived_and_every_column_has_an_example():
    for t in TABLES.values():
        assert t.derived, t.name
        for c in t.columns:
            assert c.example or c.allowed, f"{t.name}.{c.name}: no example"


def test_data_dictionary_prints_the_merge_rules():
    from transforms.merge import RULES
    readme = (Path(__file__).resolve().parents[2] / "warehouse" / "README.md").read_text(encoding="utf-8")
    for name, (rule, _) in RULES.items():
        assert f"| `{name}` | `{rule}` |" in readme
