"""Write the quality report of a run: `warehouse/reports/<run_id>/index.html` and `latest/`."""
from __future__ import annotations

import shutil
from pathlib import Path

from expectations.report import render_report, summary_from_runs_row

from .warehouse.store import Layout, current_snapshot, read_table

HISTORY = 20


def build_report(layout: Layout, run_id: str | None = None) -> Path:
    """Render the report of `run_id` (default: the last committed run). Returns the index.html path."""
    snap = current_snapshot(layout)
    runs = read_table(snap, "runs", columns=["run_id", "summary"]).sort_by("run_id").to_pylist()
    if not runs:
        raise FileNotFoundError(f"no committed run in {layout.root}")
    run_id = run_id or runs[-1]["run_id"]
    rows = [r for r in runs if r["run_id"] <= run_id][-HISTORY:]
    summaries = [summary_from_runs_row(r) for r in rows]
    out_dir = layout.reports / run_id
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    page.write_text(render_report(summaries[-1], summaries), encoding="utf-8")
    latest = layout.reports / "latest"
    tmp = layout.reports / ".latest.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(out_dir, tmp)
    shutil.rmtree(latest, ignore_errors=True)
    tmp.rename(latest)
    return page
