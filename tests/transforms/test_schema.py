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
