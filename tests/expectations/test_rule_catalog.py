"""The rule catalog (what the report says each check is) is read from the rule declarations without
Great Expectations, and says what the GX suites built from the same declarations contain."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from expectations.suites import TYPES_RULE, rule_catalog, rule_of, suites
from tests.conftest import ROOT

#: A day whose year bounds `year_in_range`: the catalog and the suites must agree on any day.
DAY = dt.date(2031, 7, 14)


def catalog_from_gx(suite) -> list[dict]:
    """A built GX suite read back the way the report shows a rule (the catalog's former source)."""
    rows = []
    for exp in suite.expectations:
        cfg = exp.configuration.to_json_dict()
        kwargs, meta = cfg.get("kwargs", {}), cfg.get("meta") or {}
        column = kwargs.get("column") or ",".join(
            [kwargs[k] for k in ("column_A", "column_B") if k in kwargs] or kwargs.get("column_list", []))
        rows.append({"rule": rule_of(cfg), "expectation": cfg["type"], "column": column or None,
                     "severity": str(cfg.get("severity") or "critical"), "mostly": kwargs.get("mostly"),
                     "message": meta.get("message", ""), "why": cfg.get("notes") or ""})
    return rows


@pytest.mark.parametrize("day", [None, DAY], ids=["today", "2031-07-14"])
def test_catalog_is_what_the_gx_suites_contain(day):
    catalog, built = rule_catalog(day), suites(day)
    assert list(catalog) == list(built) == ["documents", "paragraphs", "entities"]
    for table, suite in built.items():
        assert suite.name == f"pouch.{table}"
        first, *rules = catalog[table]
        assert first["rule"] == TYPES_RULE            # the Arrow type check, which runs before GX
        assert rules == catalog_from_gx(suite), table


def test_catalog_carries_the_year_bound_of_its_day():
    rule = next(r for r in rule_catalog(DAY)["documents"] if r["rule"] == "year_in_range")
    assert "1945..2031" in rule["message"]
    statistical = {r["rule"]: r["mostly"] for r in rule_catalog(DAY)["documents"] if r["mostly"] is not None}
    assert statistical == {"cable_subject_present": 0.95, "cable_date_present": 0.85, "email_sent_present": 0.95,
                           "paragraph_numbers_in_order": 0.95}


def test_rendering_a_report_imports_no_great_expectations():
    """`render_report` with the catalog it reads itself (as `flows.report` calls it), in a fresh
    interpreter: a no-op run's report must not pay the ~3 s import."""
    code = ("import json, sys; from expectations.report import render_report; "
            "s = {'run_id': 'r1', 'files': {'unchanged': 2}, 'expectations': [], 'docs_written': 0}; "
            "page = render_report(s, [s]); "
            "print(json.dumps({'gx': 'great_expectations' in sys.modules, 'rules': page.count('_not_null')}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["gx"] is False and got["rules"] > 10
