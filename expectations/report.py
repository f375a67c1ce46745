"""The data-quality report: run summaries in, one self-contained HTML page out.

No network: CSS is inline and charts are inline SVG drawn by matplotlib. Every string that came
from a document or a file name goes through `html.escape`.
"""
from __future__ import annotations

import html
import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2933;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem} th,td{border:1px solid #d9e2ec;padding:.25rem .6rem;text-align:left}
th{background:#f0f4f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#0b7a3b;font-weight:600} .bad{color:#b42318;font-weight:600} .muted{color:#627d98}
.cards{display:flex;gap:1rem;flex-wrap:wrap} .card{border:1px solid #d9e2ec;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem} svg{max-width:100%;height:auto}
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    out = ["<table><thead><tr>", *[f"<th>{esc(h)}</th>" for h in headers], "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(
            f"<td class='num'>{esc(v)}</td>" if i in numeric else f"<td>{v if isinstance(v, _Raw) else esc(v)}</td>"
            for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class _Raw(str):
    """Already-escaped HTML."""


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def trend_chart(history: list[dict]) -> str:
    """Documents written and quarantine rows over the last runs."""
    if len(history) < 2:
        return "<p class='muted'>The trend appears from the second run on.</p>"
    runs = [h["run_id"][:15] for h in history]
    fig, ax = plt.subplots(figsize=(8, 2.6))
    ax.plot(runs, [h.get("docs_written", 0) for h in history], marker="o", label="documents written")
    ax.plot(runs, [h.get("quarantine_rows", 0) for h in history], marker="s", label="quarantine rows")
    ax.set_ylabel("rows")
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    ax.legend(fontsize=8)
    ax.grid(alpha=.3)
    return _svg(fig)


def bar_chart(counts: dict[str, int], title: str) -> str:
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda kv: -kv[1])[:20]
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(items) + 0.8))
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color="#3e7cb1")
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=8)
    return _svg(fig)


def render_report(summary: dict, history: list[dict], data_docs: str | None = None) -> str:
    """The whole page for one run. `history` is the summaries of the last runs, oldest first."""
    files = summary.get("files", {})
    cards = "".join(f"<div class='card'><span class='muted'>{esc(k)}</span><b>{esc(v)}</b></div>" for k, v in [
        ("files seen", sum(files.values())), ("loaded", files.get("loaded", 0)),
        ("quarantined", files.get("quarantined", 0)), ("failed", files.get("failed", 0)),
        ("unchanged", files.get("unchanged", 0)), ("documents written", summary.get("docs_written", 0)),
        ("quarantine rows", summary.get("quarantine_rows", 0))])
    by_format = summary.get("files_by_format", {})
    statuses = sorted({s for v in by_format.values() for s in v})
    fmt_rows = [[fmt] + [counts.get(s, 0) for s in statuses] for fmt, counts in sorted(by_format.items())]
    exp_rows = []
    for e in summary.get("expectations", []):
        ok = e["unexpected"] == 0
        exp_rows.append([e["suite"], e["expectation"], e.get("column") or "", e["elements"], e["unexpected"],
                         _Raw("<span class='ok'>pass</span>" if ok else "<span class='bad'>fail</span>")])
    reasons = sorted(summary.get("quarantine_reasons", {}).items(), key=lambda kv: -kv[1][0])
    reason_rows = [[k, v[0], ", ".join(v[1])] for k, v in reasons[:15]]
    cov_blocks = []
    for dtype, counts in sorted(summary.get("coverage", {}).items()):
        n = counts.get("_n", 0) or 1
        rows = [[col, f"{c / n:.0%}", c] for col, c in sorted(counts.items()) if col != "_n"]
        cov_blocks.append(f"<h3>{esc(dtype)} ({counts.get('_n', 0)} documents)</h3>" + _table(["field", "filled", "documents"], rows, {2}))
    part_rows = [[t, p, n] for t, parts in summary.get("partitions", {}).items() for p, n in sorted(parts.items())]
    stage_rows = [[k, v] for k, v in summary.get("stage_seconds", {}).items()]
    docs_link = (f"<p>Great Expectations Data Docs: <a href='{esc(data_docs)}'>{esc(data_docs)}</a> "
                 f"<span class='muted'>(their CSS comes from a CDN: unstyled offline)</span></p>") if data_docs else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>pouch quality report {esc(summary.get('run_id'))}</title><style>{CSS}</style></head><body>
<h1>pouch data-quality report</h1>
<p class="muted">run <code>{esc(summary.get('run_id'))}</code> · started {esc(summary.get('started_at'))} ·
parser {esc(summary.get('parser_version'))} · warehouse <code>{esc(summary.get('warehouse'))}</code></p>
<div class="cards">{cards}</div>
<h2 id="files">Files by format and status</h2>{_table(["format", *statuses], fmt_rows, set(range(1, len(statuses) + 1)))}
<h2 id="rows">Rows per table and partition</h2>{_table(["table", "partition", "rows"], part_rows, {2})}
<h2 id="expectations">Expectations</h2>{_table(["suite", "expectation", "column", "rows", "failing", ""], exp_rows, {3, 4})}
{docs_link}
<h2 id="failures">Top failure reasons</h2>{_table(["check", "rows", "example keys"], reason_rows, {1}) if reason_rows else "<p class='ok'>Nothing was quarantined.</p>"}
<h2 id="coverage">Field coverage</h2>{''.join(cov_blocks)}
<h2 id="entities">Entities by type</h2>{bar_chart(summary.get('entities', {}), 'entity mentions')}
{_table(["type", "mentions"], sorted(summary.get('entities', {}).items()), {1})}
<h2 id="repairs">Repairs by kind</h2>{_table(["repair", "count"], sorted(summary.get('repairs', {}).items(), key=lambda kv: -kv[1]), {1})}
<h2 id="stages">Time per stage (seconds, summed over workers)</h2>{_table(["stage", "seconds"], stage_rows, {1})}
<h2 id="trend">Trend over the last runs</h2>{trend_chart(history)}
</body></html>"""


def summary_from_runs_row(row: dict) -> dict:
    try:
        return json.loads(row.get("summary") or "{}")
    except ValueError:
        return {}
