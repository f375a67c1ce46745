"""Incremental loading benchmark on the dev corpus: a full run, a second run over the same files,
a run after 1 % new files, then many no-op runs (file counts stay bounded by compaction).

    .venv/bin/python bench/incremental.py [--corpus PATH] [--noop-runs N] [--out bench/out/incremental.json]

Everything happens in this one process, after Prefect's temporary server has started (a warm-up
flow) and the pipeline is imported, so "excluding process start" holds. Each run is timed two
ways: `flow` is the wall time of the `ingest(...)` call, Prefect's bookkeeping included; `pouch`
is the flow's own work as it measures it (`seconds_total`: from taking the lock to the end of the
commit). Runs go as `pouch ingest` runs them, without Prefect's flow-run heartbeat thread (see
`flows.cli._unwatched`); one no-op run is repeated with it, as a `pouch serve` run has it: Prefect
joins that thread at the end of every flow run, which adds up to a second whatever the run did. The HTML report is left out of
the runs (`--report` puts it back) and timed once at the end: it is the same work whatever a run
changed. Holding out 1 % of the files:
the full run is over the other 99 %, and the held-out files are then added.

The tables after the second run are compared with those after the first: documents, paragraphs
and entities, sorted by key, must be equal value for value (`pandas.testing`), and their Arrow IPC
bytes must hash the same.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT.parent / "shared" / "corpus"
KEYS = {"documents": ["doc_id"], "paragraphs": ["doc_id", "para_index"],
        "entities": ["doc_id", "para_index", "char_start", "char_end", "entity_type", "normalized"]}


def held_out(files: list[Path], share: float = 0.01) -> list[Path]:
    """Every k-th file (never the CSV, which holds 400 documents in one file), about `share` of all."""
    candidates = [f for f in files if f.suffix != ".csv"]
    n = max(1, math.ceil(len(files) * share))
    step = len(candidates) // n
    return candidates[step // 2::step][:n]


def tables(wh: Path) -> dict:
    import pandas as pd
    import pyarrow as pa
    out = {}
    for name, key in KEYS.items():
        df = pd.read_parquet(wh / name)
        for c in ("doc_type", "year"):
            df[c] = df[c].astype(str)
        df = df.sort_values(key).reset_index(drop=True)
        sink = pa.BufferOutputStream()
        t = pa.Table.from_pandas(df, preserve_index=False)
        with pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t)
        out[name] = (df, hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--noop-runs", type=int, default=30)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "incremental.json")
    ap.add_argument("--report", action="store_true", help="Write the HTML report in every run (timed apart "
                    "otherwise: it is the same work whatever the run changed).")
    args = ap.parse_args()
    from flows.config import prefect_defaults
    prefect_defaults(ROOT)
    import pandas as pd
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest

    @flow
    def warm_up() -> None:
        pass

    warm_up()
    work = Path(tempfile.mkdtemp(prefix="pouch-bench-"))
    src, wh = work / "corpus", work / "warehouse"
    shutil.copytree(args.corpus, src)
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    (src / "SOURCES.md").unlink(missing_ok=True)
    extra = held_out(files)
    aside = work / "held-out"
    aside.mkdir()
    for f in extra:
        f.rename(aside / f.name)

    def run(label: str, heartbeat: bool = False) -> dict:
        t = time.perf_counter()
        with contextlib.nullcontext() if heartbeat else temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            s = ingest(sources=[str(src)], warehouse=str(wh), quarantine_threshold=1.0, write_report_html=args.report)
        wall = time.perf_counter() - t
        row = {"run": label, "flow": round(wall, 3), "pouch": round(s["seconds_total"], 3),
               "files": s["files"], "batches": s["batches"], "docs_written": s["docs_written"]}
        print(json.dumps(row))
        return row

    result: dict = {"corpus": str(args.corpus), "files": len(files), "held_out": [f.name for f in extra]}
    full = run("full (99 % of the files)")
    before = tables(wh)
    noop = run("second run, nothing changed")
    after = tables(wh)
    for name in KEYS:
        pd.testing.assert_frame_equal(after[name][0], before[name][0])
    result["tables_equal"] = {name: after[name][1] == before[name][1] for name in KEYS}
    noop_hb = run("second run again, with the heartbeat thread", heartbeat=True)
    for f in extra:
        (aside / f.name).rename(f)
    added = run(f"+{len(extra)} new files (1 %)")
    runs = [full, noop, noop_hb, added]
    for i in range(args.noop_runs):
        runs.append(run(f"no-op run {i + 1}"))
    from flows.warehouse.store import Layout, current_snapshot
    snap = current_snapshot(Layout(wh))
    result["files_per_table_after"] = {k: len(v["files"]) for k, v in snap.manifest["tables"].items()}
    from flows.report import build_report
    t = time.perf_counter()
    build_report(Layout(wh))
    result["report_seconds"] = round(time.perf_counter() - t, 3)
    result["runs"] = runs
    result["ratios"] = {
        "noop_pouch_vs_full_pouch": round(noop["pouch"] / full["pouch"], 4),
        "noop_flow_vs_full_flow": round(noop["flow"] / full["flow"], 4),
        "noop_flow_with_heartbeat_vs_full_flow": round(noop_hb["flow"] / full["flow"], 4),
        "add_1pct_flow_vs_full_flow": round(added["flow"] / full["flow"], 4),
        "add_1pct_pouch_vs_full_pouch": round(added["pouch"] / full["pouch"], 4),
    }
    print(json.dumps({k: result[k] for k in ("tables_equal", "ratios", "files_per_table_after", "report_seconds")},
                     indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
