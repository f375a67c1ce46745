"""The validation cost benchmark splits its measurements correctly: the fitted line and the
first-n-documents slices it times (the timing itself is `make bench`'s, not a test's)."""
from __future__ import annotations

import sys

import pyarrow.compute as pc
import pytest

from flows.samples import write_samples
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))

from bench.validation_cost import first, fit, tables_of  # noqa: E402


def test_fit_recovers_fixed_and_per_document_cost():
    fixed, per_doc = fit([(250, 0.45 + 250 * 2.6e-4), (1000, 0.45 + 1000 * 2.6e-4), (4000, 0.45 + 4000 * 2.6e-4)])
    assert fixed == pytest.approx(0.45)
    assert per_doc == pytest.approx(2.6e-4)


def test_first_n_documents_carry_all_their_rows_and_no_others(tmp_path):
    tables = tables_of(sorted(write_samples(tmp_path)))
    docs, paras, ents = tables
    assert docs.num_rows >= 4 and ents.num_rows > 0
    n = 2
    d, p, e = first(tables, n)
    wanted = set(docs.column("doc_id").to_pylist()[:n])
    assert set(d.column("doc_id").to_pylist()) == wanted
    assert set(p.column("doc_id").to_pylist()) == wanted
    assert p.num_rows == pc.sum(pc.is_in(paras.column("doc_id"), d.column("doc_id"))).as_py()
    assert e.num_rows == pc.sum(pc.is_in(ents.column("doc_id"), d.column("doc_id"))).as_py() > 0
