"""The data-quality report: run summaries in, one self-contained HTML page out.

No network: CSS is inline and charts are inline SVG drawn by matplotlib (`expectations.charts`).
Every value that came from a document, a file name or a file's bytes goes through `esc()`; only
markup this module writes itself is wrapped in `Raw`. The page is built from plain data (the run
summaries of `runs/`, the run's quarantine rows and its ledger rows that say something went
wrong), so it can be rebuilt at any time (`pouch report`).
"""
from __future__ import annotations

import html
import json
import re
from collections import defaultdict

from . import charts

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;max-width:1180px;color:#1f2933;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem} nav a{margin-right:.8rem;font-size:.9rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem} th,td{border:1px solid #d9e2ec;padding:.22rem .55rem;text-align:left;vertical-align:top}
th{background:#f0f4f8} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.wrap{min-width:12rem;max-width:34rem;overflow-wrap:anywhere} code{font-size:.85em;overflow-wrap:anywhere}
.ok{color:#0b7a3b;font-weight:600} .bad{color:#b42318;font-weight:600} .warn{color:#b7791f;font-weight:600}
.muted{color:#627d98} .small{font-size:.8rem}
.cards{display:flex;gap:.8rem;flex-wrap:wrap;margin:1rem 0} .card{border:1px solid #d9e2ec;border-radius:6px;padding:.5rem .9rem;min-width:7.5rem}
.card b{display:block;font-size:1.35rem} .card.bad b{color:#b42318} .card.ok b{color:#0b7a3b}
.cov{background:linear-gradient(90deg,#c6e0f5 var(--p),transparent var(--p));text-align:right;min-width:4.5rem}
details{margin:.3rem 0 1rem} summary{cursor:pointer;color:#3e7cb1}
svg{max-width:100%;height:auto} .cols{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}
"""
#: How many reasons and example keys the failure tables show.
TOP_REASONS = 15
EXAMPLES = 3


class Raw(str):
    """Markup written by this module (not escaped again)."""


def esc(value) -> str:
    if isinstance(value, Raw):
        return value
    return html.escape("" if value is None else str(value), quote=True)


def table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), wrap: set[int] = frozenset()) -> str:
    if not rows:
        return "<p class='muted'>None.</p>"
    out = ["<table><thead><tr>", *[f"<th>{esc(h)}</th>" for h in headers], "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            cls = " class='num'" if i in numeric else " class='wrap'" if i in wrap else ""
            cells.append(f"<td{cls}>{esc(f'{v:,}' if isinstance(v, int) and not isinstance(v, bool) else v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _mark(kind: str, text: str) -> Raw:
    return Raw(f"<span class='{kind}'>{esc(text)}</span>")


# ------------------------------------------------------------------------------------------------
# pure helpers (tested on their own)
# ------------------------------------------------------------------------------------------------
_VARIABLE = re.compile(r"(?:'[^']*'|\"[^\"]*\"|(?<!\S)/\S+|\b[\w.-]*\d[\w.-]*\b)")


def reason_group(error: str | None) -> str:
    """A ledger error without its particulars (paths, ids, numbers), so that errors of one kind
    group together: `file is 50 MB, above ...` -> `file is # MB, above ...`."""
    head = (error or "no error").split(": also")[0]
    head = head.split(":")[0] if not head.startswith(("CSV row", "file is")) else head
    return _VARIABLE.sub("#", head).strip()[:120]


def expectation_rows(summary: dict, catalog: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Per suite, every rule of the catalog with the run's totals and a verdict: `pass`, `fail`,
    `warn` (a statistical rule below its `mostly`), or `not run` (no rows reached the suite)."""
    totals = {(e["suite"], e["expectation"]): e for e in summary.get("expectations", [])}
    out: dict[str, list[dict]] = {}
    for suite, rules in catalog.items():
        rows = []
        for r in rules:
            t = totals.get((suite, r["rule"]))
            n = int(t["elements"]) if t else 0
            bad = int(t["unexpected"]) if t else 0
            if t is None:
                verdict = "not run"
            elif r["mostly"] is not None:
                verdict = "pass" if n == 0 or (n - bad) / n >= r["mostly"] else "warn"
            else:
                verdict = "pass" if bad == 0 else "fail"
            rows.append({**r, "rows": n, "failing": bad, "verdict": verdict,
                         "examples": list(t.get("examples") or []) if t else []})
        out[suite] = rows
    return out


def quarantine_reasons(rows: list[dict]) -> list[dict]:
    """Quarantine rows grouped by (table, check): count, documents, example keys with the value
    seen; largest first."""
    groups: dict[tuple[str, str], dict] = {}
    for q in rows:
        g = groups.setdefault((q.get("table") or "", q.get("expectation") or ""),
                              {"table": q.get("table"), "check": q.get("expectation"), "rows": 0, "docs": set(),
                               "examples": [], "reason": q.get("reason")})
        g["rows"] += 1
        if q.get("doc_id"):
            g["docs"].add(q["doc_id"])
        if len(g["examples"]) < EXAMPLES:
            seen = q.get("observed")
            g["examples"].append(f"{q.get('key')}" + (f" (saw {seen})" if seen not in (None, "") else ""))
    out = sorted(groups.values(), key=lambda g: (-g["rows"], g["check"] or ""))
    for g in out:
        g["docs"] = len(g["docs"])
    return out


def input_reasons(rows: list[dict]) -> list[dict]:
    """Ledger rows that say something went wrong, grouped by `reason_group` and status."""
    groups: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r.get("status") or "", reason_group(r.get("error")))
        g = groups.setdefault(key, {"status": key[0], "reason": key[1], "files": 0, "examples": [],
                                    "formats": defaultdict(int)})
        g["files"] += 1
        g["formats"][r.get("format") or "unknown"] += 1
        if len(g["examples"]) < EXAMPLES:
            g["examples"].append(f"{r.get('path')}: {r.get('error')}")
    return sorted(groups.values(), key=lambda g: (-g["files"], g["status"], g["reason"]))


def trend_points(history: list[dict]) -> list[dict]:
    """One point per run for the trend charts, oldest first."""
    points = []
    for s in history:
        files = s.get("files", {})
        docs = s.get("docs_written", 0) or 0
        p = {"run": str(s.get("run_id", "")), **{k: files.get(k, 0) for k in
                                                 ("loaded", "quarantined", "failed", "skipped", "unchanged")},
             "documents written": docs, "documents refused": s.get("docs_refused", 0),
             "quarantine rows": s.get("quarantine_rows", 0)}
        for suite in ("documents", "paragraphs", "entities"):
            p[f"{suite} suite"] = sum(e["unexpected"] for e in s.get("expectations", [])
                                      if e["suite"] == suite and e["expectation"] not in _statistical())
        for dtype, counts in (s.get("coverage") or {}).items():
            n = counts.get("_n") or 0
            shares = [v / n for k, v in counts.items() if k != "_n" and n]
            if shares:
                p[f"coverage {dtype}"] = round(100 * sum(shares) / len(shares), 1)
        if docs:
            p["entities / doc"] = round(sum((s.get("entities") or {}).values()) / docs, 2)
            p["repairs / doc"] = round(sum((s.get("repairs") or {}).values()) / docs, 2)
        points.append(p)
    return points


def _statistical() -> set[str]:
    from .suites import rule_catalog
    return {r["rule"] for rules in rule_catalog().values() for r in rules if r["mostly"] is not None}


# ------------------------------------------------------------------------------------------------
# sections
# ------------------------------------------------------------------------------------------------
def _cards(s: dict) -> str:
    files = s.get("files", {})
    items = [("files seen", sum(files.values()), ""), ("loaded", files.get("loaded", 0), "ok"),
             ("unchanged", files.get("unchanged", 0), ""), ("quarantined", files.get("quarantined", 0),
                                                            "bad" if files.get("quarantined") else ""),
             ("failed", files.get("failed", 0), "bad" if files.get("failed") else ""),
             ("skipped", files.get("skipped", 0), ""), ("documents written", s.get("docs_written", 0), "ok"),
             ("documents refused", s.get("docs_refused", 0), "bad" if s.get("docs_refused") else ""),
             ("quarantine rows", s.get("quarantine_rows", 0), "")]
    return "<div class='cards'>" + "".join(
        f"<div class='card {cls}'><span class='muted'>{esc(k)}</span><b>{esc(f'{v:,}')}</b></div>"
        for k, v, cls in items) + "</div>"


def _files_section(s: dict) -> str:
    by_format = s.get("files_by_format", {})
    statuses = [st for st in charts.COLORS if any(c.get(st) for c in by_format.values())]
    rows = [[fmt, *[c.get(st, 0) for st in statuses], sum(c.values())]
            for fmt, c in sorted(by_format.items(), key=lambda kv: -sum(kv[1].values()))]
    if rows:
        rows.append(["all", *[sum(r[i + 1] for r in rows) for i in range(len(statuses))], sum(r[-1] for r in rows)])
    return ("<div class='cols'><div>" + table(["format", *statuses, "files"], rows, set(range(1, len(statuses) + 2)))
            + "</div><div>" + charts.stacked_status(by_format, "files by format and status") + "</div></div>")


def _rows_section(s: dict) -> str:
    parts = s.get("partitions", {})
    keys = sorted({p for t in parts.values() for p in t})
    names = ["documents", "paragraphs", "entities"]
    rows = [[k.replace("/", " / "), *[parts.get(n, {}).get(k, 0) for n in names]] for k in keys]
    if rows:
        rows.append(["all partitions", *[sum(parts.get(n, {}).values()) for n in names]])
    written, merged = s.get("docs_written", 0) or 0, s.get("documents_merged", 0) or 0
    head = (f"<p class='muted'>Rows this run wrote, per partition, as committed: the copies of one document "
            f"(a page, a cables.csv row, a PDF) are merged into one row first, so the documents column adds up "
            f"to the {esc(f'{written:,}')} documents written ({esc(f'{merged:,}')} of them from 2+ sources).</p>")
    if rows and sum(parts.get("documents", {}).values()) != written:
        # summaries recorded before the counts were taken after the merge (`pouch report` of an old run)
        head = ("<p class='muted'>Rows the run's batches passed, per partition, counted before the copies of "
                f"one document were merged: the documents table got {esc(f'{written:,}')} of them.</p>")
    snap = (s.get("snapshot") or {}).get("rows") or {}
    after = ("<p class='muted'>After the commit the warehouse holds: "
             + ", ".join(f"{esc(t)} {esc(f'{n:,}')}" for t, n in sorted(snap.items())) + ".</p>") if snap else ""
    return head + table(["partition", *names], rows, {1, 2, 3}) + after


def _rule_rows(rows: list[dict]) -> list[list]:
    verdicts = {"pass": ("ok", "pass"), "fail": ("bad", "fail"), "warn": ("warn", "below mostly"),
                "not run": ("muted", "not run")}
    out = []
    for r in rows:
        rule = Raw(f"{esc(r['rule'])}" + (f" <span class='warn small'>mostly {r['mostly']:.0%}</span>"
                                           if r["mostly"] is not None else "")
                   + f"<br><span class='muted small'>{esc(r['expectation'])}</span>")
        what = Raw(esc(r["message"]) + (f"<br><span class='muted small'>{esc(r['why'])}</span>" if r["why"] else ""))
        share = f"{r['failing'] / r['rows']:.1%}" if r["rows"] else ""
        out.append([rule, (r["column"] or "").replace(",", ", "), r["rows"], r["failing"], share, _mark(*verdicts[r["verdict"]]),
                    ", ".join(r["examples"][:EXAMPLES]), what])
    return out


def _expectations_section(s: dict, catalog: dict[str, list[dict]], docs_links: dict[str, str]) -> str:
    headers = ["rule / GX expectation", "column", "rows", "failing", "share", "result", "example keys", "what it checks"]
    out = []
    for suite, rows in expectation_rows(s, catalog).items():
        counts = {v: sum(r["verdict"] == v for r in rows) for v in ("pass", "fail", "warn", "not run")}
        link = (f" · <a href='{esc(docs_links[suite])}'>GX validation page</a>" if suite in docs_links else "")
        out.append(f"<h3 id='suite-{esc(suite)}'>pouch.{esc(suite)}: "
                   f"{_mark('ok', str(counts['pass']) + ' passed')}, "
                   f"{_mark('bad' if counts['fail'] else 'muted', str(counts['fail']) + ' failed')}, "
                   f"{_mark('warn' if counts['warn'] else 'muted', str(counts['warn']) + ' below mostly')}"
                   f"{', ' + esc(counts['not run']) + ' not run' if counts['not run'] else ''}"
                   f" <span class='muted small'>of {len(rows)} checks{link}</span></h3>")
        notable = [r for r in rows if r["verdict"] in ("fail", "warn") or r["failing"]]
        if notable:
            out.append(table(headers, _rule_rows(notable), {2, 3, 4}, {1, 6, 7}))
        out.append(f"<details><summary>all {len(rows)} checks of pouch.{esc(suite)}</summary>"
                   + table(headers, _rule_rows(rows), {2, 3, 4}, {1, 6, 7}) + "</details>")
    return "".join(out)


def _failures_section(quarantine: list[dict], inputs: list[dict]) -> str:
    # inputs that could not be read are quarantined as `input` rows too; the ledger table says more
    q = quarantine_reasons([r for r in quarantine if r.get("table") != "input"])
    q_rows = [[g["table"], g["check"], g["rows"], g["docs"], "; ".join(g["examples"]), g["reason"]]
              for g in q[:TOP_REASONS]]
    i = input_reasons(inputs)
    i_rows = [[g["status"], g["reason"], g["files"], ", ".join(f"{k} {v}" for k, v in sorted(g["formats"].items())),
               "; ".join(g["examples"])] for g in i[:TOP_REASONS]]
    more_q = f"<p class='muted'>and {len(q) - TOP_REASONS} more checks.</p>" if len(q) > TOP_REASONS else ""
    more_i = f"<p class='muted'>and {len(i) - TOP_REASONS} more reasons.</p>" if len(i) > TOP_REASONS else ""
    return ("<h3>Rows kept out of the clean tables (quarantine)</h3>"
            + (table(["table", "check", "rows", "documents", "example keys", "first reason"], q_rows, {2, 3}, {4, 5})
               if q_rows else "<p class='ok'>This run wrote no quarantine rows.</p>") + more_q
            + "<h3>Input files that were not loaded, or loaded with a note (ledger)</h3>"
            + (table(["status", "reason", "files", "formats", "examples"], i_rows, {2}, {4})
               if i_rows else "<p class='ok'>Every file was loaded.</p>") + more_i)


def _coverage_section(s: dict) -> str:
    cov = s.get("coverage") or {}
    if not cov:
        return "<p class='muted'>No documents were written by this run.</p>"
    types = sorted(cov)
    fields = sorted({f for c in cov.values() for f in c if f != "_n"})
    sizes = {t: cov[t].get("_n", 0) for t in types}
    head = "".join(f"<th>{esc(t)} <span class='muted small'>({esc(f'{sizes[t]:,}')} documents)</span></th>"
                   for t in types)
    body = []
    for f in fields:
        cells = []
        for t in types:
            n = cov[t].get("_n") or 0
            share = cov[t].get(f, 0) / n if n else 0.0
            cells.append(f"<td class='cov' style='--p:{share:.0%}' title='{esc(cov[t].get(f, 0))} of {esc(n)}'>"
                         f"{share:.0%}</td>")
        body.append(f"<tr><td>{esc(f)}</td>{''.join(cells)}</tr>")
    return (f"<p class='muted'>Share of the documents written by this run with each field filled (not null, not "
            f"empty), per doc_type.</p><table><thead><tr><th>field</th>{head}</tr></thead><tbody>"
            + "".join(body) + "</tbody></table>")


def _counts_section(counts: dict[str, int], what: str, title: str) -> str:
    if not counts:
        return f"<p class='muted'>No {esc(what)} in the documents written by this run.</p>"
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ("<div class='cols'><div>" + table([what, "count"], [list(r) for r in rows], {1}) + "</div><div>"
            + charts.bars(counts, title) + "</div></div>")


def _trend_section(history: list[dict]) -> str:
    points = trend_points(history)
    rows = [[s.get("run_id"), str(s.get("started_at", ""))[:19].replace("T", " "), sum(s.get("files", {}).values()),
             s.get("files", {}).get("loaded", 0), s.get("files", {}).get("failed", 0), s.get("docs_written", 0),
             s.get("docs_refused", 0), s.get("quarantine_rows", 0), s.get("seconds_before_commit", "")]
            for s in reversed(history)]
    chart = (charts.trends(points) if len(points) >= 2
             else "<p class='muted'>The charts appear from the second run on (runs are read from <code>runs/</code>).</p>")
    return chart + table(["run", "started (UTC)", "files", "loaded", "failed", "documents written", "refused",
                          "quarantine rows", "seconds"], rows, {2, 3, 4, 5, 6, 7, 8})


def _docs_link(links: dict[str, str], error: str | None) -> str:
    if error:
        return f"<p class='bad'>Great Expectations Data Docs could not be built: {esc(error)}</p>"
    if not links.get("index"):
        return ""
    return (f"<p>Great Expectations Data Docs: <a href='{esc(links['index'])}'>site index</a>"
            + "".join(f" · <a href='{esc(links[t])}'>{esc(t)}</a>" for t in ("documents", "paragraphs", "entities")
                      if t in links)
            + " <span class='muted'>(those pages load their CSS and scripts from CDNs: offline they show "
              "unstyled; this page needs no network).</span></p>")


def render_report(summary: dict, history: list[dict], quarantine: list[dict] | None = None,
                  inputs: list[dict] | None = None, data_docs: dict[str, str] | None = None,
                  data_docs_error: str | None = None, catalog: dict[str, list[dict]] | None = None) -> str:
    """The whole page for one run.

    `history`: summaries of the last runs, oldest first (the run itself last); `quarantine`: the
    run's quarantine rows; `inputs`: the run's ledger rows with status failed/quarantined/skipped
    or an error; `data_docs`: links (relative to the page) to the GX Data Docs."""
    if catalog is None:
        from .suites import rule_catalog
        catalog = rule_catalog()
    links = data_docs or {}
    s = summary
    stage_rows = [[k, v] for k, v in (s.get("stage_seconds") or {}).items()]
    nav = "".join(f"<a href='#{a}'>{t}</a>" for a, t in (
        ("files", "files"), ("rows", "rows"), ("expectations", "expectations"), ("failures", "failures"),
        ("coverage", "coverage"), ("entities", "entities"), ("repairs", "repairs"), ("trend", "trend"),
        ("stages", "timing")))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pouch quality report {esc(s.get('run_id'))}</title><style>{CSS}</style></head><body>
<h1>pouch data-quality report</h1>
<p class="muted">run <code>{esc(s.get('run_id'))}</code> · started {esc(str(s.get('started_at', ''))[:19])} UTC ·
parser {esc(s.get('parser_version'))} · warehouse <code>{esc(s.get('warehouse'))}</code><br>
sources: {', '.join(f'<code>{esc(x)}</code>' for x in s.get('sources', [])) or 'none'}</p>
<nav>{nav}</nav>
{_cards(s)}
{_docs_link(links, data_docs_error)}
<h2 id="files">Files seen, by format and status</h2>{_files_section(s)}
<h2 id="rows">Rows per table and partition</h2>{_rows_section(s)}
<h2 id="expectations">Expectation results per suite</h2>
<p class="muted">Critical rules refuse a document with all its paragraphs and entities; rules with
<em>mostly</em> are statistical (OCR noise) and only count. Totals over every batch of the run.</p>
{_expectations_section(s, catalog, links)}
<h2 id="failures">Top failure reasons</h2>{_failures_section(quarantine or [], inputs or [])}
<h2 id="coverage">Field coverage per doc_type</h2>{_coverage_section(s)}
<h2 id="entities">Entity mentions per type</h2>{_counts_section(s.get('entities') or {}, 'entity type', 'entity mentions')}
<h2 id="repairs">Repairs per kind</h2>{_counts_section(s.get('repairs') or {}, 'repair', 'repairs logged')}
<h2 id="trend">Trend over the last runs</h2>{_trend_section(history)}
<h2 id="stages">Time per stage</h2><p class="muted">Seconds, summed over worker processes.</p>
{table(["stage", "seconds"], stage_rows, {1})}
</body></html>"""


def summary_from_runs_row(row: dict) -> dict:
    try:
        return json.loads(row.get("summary") or "{}")
    except ValueError:
        return {}


def artifact_tables(summary: dict) -> tuple[list[dict], str]:
    """The run summary as a Prefect table artifact (files by format and status) and a markdown one."""
    rows = [{"format": fmt, **{st: c.get(st, 0) for st in charts.COLORS}, "files": sum(c.values())}
            for fmt, c in sorted((summary.get("files_by_format") or {}).items())]
    failing = [e for e in summary.get("expectations", []) if e.get("unexpected")]
    md = [f"# pouch run `{summary.get('run_id')}`", "",
          "- files: " + ", ".join(f"{k} **{v}**" for k, v in sorted((summary.get("files") or {}).items())),
          f"- documents written: **{summary.get('docs_written', 0)}**, refused: {summary.get('docs_refused', 0)}",
          f"- quarantine rows: {summary.get('quarantine_rows', 0)}",
          f"- report: `{summary.get('report')}`", "", "| suite | rule | rows | failing |", "|---|---|---|---|"]
    md += [f"| {e['suite']} | {e['expectation']} | {e['elements']} | {e['unexpected']} |" for e in failing] or \
          ["| all | every rule passed | | |"]
    md += ["", "| stage | seconds |", "|---|---|"] + [f"| {k} | {v} |" for k, v in (summary.get("stage_seconds") or {}).items()]
    return rows, "\n".join(md)
