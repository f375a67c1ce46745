"""Great Expectations Data Docs for a run: the three suites and one validation page per suite.

Validation runs per batch inside worker processes, so no single GX result covers a run. The run
summary keeps each expectation's totals (rows checked, failing rows, example keys); here they
become one `ExpectationSuiteValidationResult` per suite, which GX renders as usual. The site lives
in `warehouse/reports/data_docs/` and is shared by all runs (its static files are 4 MB): each run
adds its validation pages, and the site index lists the run being rendered. The pages load their
CSS and JavaScript from CDNs, so offline they show unstyled; the pouch report says so where it
links them.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
from pathlib import Path

from .suites import rule_of, suites

SITE = "pouch"
log = logging.getLogger(__name__)


def _run_time(summary: dict) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(summary.get("started_at")))
    except ValueError:
        return dt.datetime.now(dt.UTC)


def suite_result(suite, stats: dict[str, dict], run_id: str):
    """A GX validation result for `suite` from the run's per-rule totals (`stats`: rule -> the run
    summary's expectation entry). Rules the run never evaluated (no rows) are left out."""
    from great_expectations.core import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    results = []
    for exp in suite.expectations:
        cfg = exp.configuration
        st = stats.get(rule_of(cfg.to_json_dict()))
        if st is None:
            continue
        n, bad = int(st.get("elements") or 0), int(st.get("unexpected") or 0)
        mostly = cfg.kwargs.get("mostly")
        ok = bad == 0 if mostly is None else (n == 0 or (n - bad) / n >= mostly)
        results.append(ExpectationValidationResult(
            success=ok, expectation_config=cfg,
            result={"element_count": n, "unexpected_count": bad, "unexpected_percent": 100.0 * bad / n if n else 0.0,
                    "missing_count": 0,
                    # GX writes these into the page unescaped: a doc_id can be `<img onerror=...>`
                    "partial_unexpected_list": [html.escape(str(k)) for k in st.get("examples") or []]}))
    good = sum(r.success for r in results)
    return ExpectationSuiteValidationResult(
        success=all(r.success or r.expectation_config.severity != "critical" for r in results),
        results=results, suite_name=suite.name,
        statistics={"evaluated_expectations": len(results), "successful_expectations": good,
                    "unsuccessful_expectations": len(results) - good,
                    "success_percent": 100.0 * good / len(results) if results else 100.0},
        meta={"run_id": run_id, "note": "totals over the run's batches; examples are row keys"})


def build_data_docs(site_dir: Path, summary: dict) -> dict[str, str]:
    """Render the Data Docs of the run `summary` describes into `site_dir`. Returns absolute
    paths: `index`, and one per suite (`documents`, `paragraphs`, `entities`) that ran."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    # GX pins this child logger to INFO ("Created temporary directory ... for ephemeral docs site")
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.add_data_docs_site(SITE, {"class_name": "SiteBuilder", "show_how_to_buttons": False,
                                  "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                                    "base_directory": str(site_dir)},
                                  "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
    run_id = str(summary.get("run_id"))
    by_suite: dict[str, dict[str, dict]] = {}
    for e in summary.get("expectations", []):
        by_suite.setdefault(e["suite"], {})[e["expectation"]] = e
    keys = {}
    for table, suite in suites().items():
        copy = ctx.suites.add(gx.ExpectationSuite(
            name=suite.name, expectations=[e.configuration.to_domain_obj() for e in suite.expectations]))
        if table not in by_suite:
            continue
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(copy.name),
                                         RunIdentifier(run_name=run_id, run_time=_run_time(summary)), "run")
        ctx.validation_results_store.set(key, suite_result(copy, by_suite[table], run_id))
        keys[table] = key
    ctx.build_data_docs(site_names=[SITE])
    out = {"index": str(site_dir / "index.html")}
    for table, key in keys.items():
        url = ctx.get_docs_sites_urls(resource_identifier=key, site_name=SITE)[0]["site_url"]
        out[table] = url.removeprefix("file://")
    return out


def relative_links(pages: dict[str, str], from_dir: Path) -> dict[str, str]:
    """The same pages as paths relative to the folder of the report page."""
    return {k: os.path.relpath(v, from_dir) for k, v in pages.items()}
