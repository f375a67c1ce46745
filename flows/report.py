"""Write the quality report of a run: `warehouse/reports/<run_id>/index.html` and `latest/`, plus
the GX Data Docs site in `warehouse/reports/data_docs/`."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pyarrow.dataset as ds

from expectations.report import render_report, summary_from_runs_row

from .warehouse.store import Layout, current_snapshot, read_table

HISTORY = 20
#: Quarantine and ledger rows read for one report (the page shows the top reasons and examples).
MAX_ROWS = 200_000
log = logging.getLogger(__name__)


def _run_rows(snap, table: str, run_id: str, columns: list[str]) -> list[dict]:
    rows = read_table(snap, table, columns=columns, filter=ds.field("run_id") == run_id)
    return rows.slice(0, MAX_ROWS).to_pylist()


def build_report(layout: Layout, run_id: str | None = None, data_docs: bool = True) -> Path:
    """Render the report of `run_id` (default: the last committed run). Returns the index.html path."""
    snap = current_snapshot(layout)
    runs = read_table(snap, "runs", columns=["run_id", "summary"]).sort_by("run_id").to_pylist()
    if not runs:
        raise FileNotFoundError(f"no committed run in {layout.root}")
    run_id = run_id or runs[-1]["run_id"]
    if run_id not in {r["run_id"] for r in runs}:
        raise FileNotFoundError(f"no run {run_id!r} in {layout.root}")
    rows = [r for r in runs if r["run_id"] <= run_id][-HISTORY:]
    summaries = [summary_from_runs_row(r) for r in rows]
    quarantine = _run_rows(snap, "quarantine", run_id, ["table", "key", "doc_id", "source_path", "expectation",
                                                         "column", "observed", "reason"])
    ledger = _run_rows(snap, "ledger", run_id, ["path", "format", "status", "error"])
    inputs = [r for r in ledger if r["status"] in ("failed", "quarantined", "skipped") or r["error"]]
    out_dir = layout.reports / run_id
    out_dir.mkdir(parents=True, exist_ok=True)
    links, docs_error = {}, None
    site = layout.reports / "data_docs"
    if data_docs and not summaries[-1].get("expectations") and (site / "index.html").exists():
        # nothing was validated (a no-op run): the site of the last validation stands, and the
        # report needs no Great Expectations (importing it is ~3 s, most of a no-op run's time)
        links = {"index": os.path.relpath(site / "index.html", out_dir)}
    elif data_docs:
        from expectations.data_docs import build_data_docs, relative_links
        try:
            links = relative_links(build_data_docs(site, summaries[-1]), out_dir)
        except Exception as err:  # noqa: BLE001 - the page is the report; Data Docs are an extra, never a reason to fail
            docs_error = f"{type(err).__name__}: {err}".splitlines()[0][:200]
            log.warning("GX Data Docs not built: %s", docs_error)
    page = out_dir / "index.html"
    tmp_page = out_dir / ".index.html.tmp"
    tmp_page.write_text(render_report(summaries[-1], summaries, quarantine, inputs, links, docs_error), encoding="utf-8")
    tmp_page.replace(page)
    latest = layout.reports / "latest"
    tmp = layout.reports / ".latest.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(out_dir, tmp)
    shutil.rmtree(latest, ignore_errors=True)
    tmp.rename(latest)
    return page
