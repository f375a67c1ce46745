"""Charts of the quality report: matplotlib figures as inline SVG (no network, no JavaScript).

Labels come from the vocabularies, run ids and counts, never from document text; matplotlib
draws text as paths, so nothing in an SVG is read as markup either way.
"""
from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLORS = {"loaded": "#2f855a", "unchanged": "#90cdf4", "quarantined": "#dd6b20", "failed": "#c53030",
          "skipped": "#a0aec0", "deleted": "#6b46c1"}
BLUE = "#3e7cb1"


def svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def bars(counts: dict[str, int], title: str, top: int = 20) -> str:
    """Horizontal bars, largest first (empty string when there is nothing to draw)."""
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    fig, ax = plt.subplots(figsize=(6.5, 0.28 * len(items) + 0.9))
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color=BLUE)
    for i, (_, v) in enumerate(items[::-1]):
        ax.text(v, i, f" {v:,}", va="center", fontsize=7)
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return svg(fig)


def stacked_status(by_format: dict[str, dict[str, int]], title: str) -> str:
    """Files per format, split by ledger status."""
    if not by_format:
        return ""
    formats = sorted(by_format, key=lambda f: -sum(by_format[f].values()))
    statuses = [s for s in COLORS if any(by_format[f].get(s) for f in formats)]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(formats) + 1.1))
    left = [0] * len(formats)
    for s in statuses:
        vals = [by_format[f].get(s, 0) for f in formats]
        ax.barh(formats[::-1], vals[::-1], left=left[::-1], color=COLORS[s], label=s)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, ncol=len(statuses), loc="lower right", frameon=False, bbox_to_anchor=(1, 1))
    ax.spines[["top", "right"]].set_visible(False)
    return svg(fig)


def trends(points: list[dict]) -> str:
    """Small multiples over the last runs. Each point: `run` (label) and series values; a series
    is drawn where it has a number."""
    panels = [
        ("files by status", ["loaded", "quarantined", "failed", "skipped", "unchanged"]),
        ("documents", ["documents written", "documents refused"]),
        ("quarantine rows", ["quarantine rows"]),
        ("failing rows (critical expectations)", ["documents suite", "paragraphs suite", "entities suite"]),
        ("mean field coverage (%)", sorted({k for p in points for k in p if k.startswith("coverage ")})),
        ("per document", ["entities / doc", "repairs / doc"]),
    ]
    runs = [p["run"] for p in points]
    x = list(range(len(runs)))
    fig, axes = plt.subplots(2, 3, figsize=(11, 5.2))
    for ax, (title, series) in zip(axes.flat, panels):
        for name in series:
            ys = [p.get(name) for p in points]
            if all(y is None for y in ys):
                continue
            ax.plot(x, [math.nan if y is None else y for y in ys], marker="o", ms=3,
                    label=name.replace("coverage ", ""), color=COLORS.get(name))
        ax.set_title(title, fontsize=9, loc="left")
        step = max(1, len(runs) // 6)
        ax.set_xticks(x, [_run_label(r) if i % step == 0 or i == len(runs) - 1 else "" for i, r in enumerate(runs)])
        ax.tick_params(labelsize=6.5)
        ax.grid(alpha=.3)
        if ax.lines:
            ax.legend(fontsize=6.5, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return svg(fig)


def _run_label(run_id: str) -> str:
    """`20261125T152352Z-ace50e` -> `11-25 15:23:52`."""
    if len(run_id) >= 15 and run_id[8] == "T":
        return f"{run_id[4:6]}-{run_id[6:8]} {run_id[9:11]}:{run_id[11:13]}:{run_id[13:15]}"
    return run_id[:14]
