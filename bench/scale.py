"""`make bench`: the real `pouch ingest` on a generated corpus of N documents, against the floor.

    .venv/bin/python bench/scale.py [--docs N] [--csv-rows R] [--workers W] [--skip-csv] [--out FILE] [--trace]

For N documents (10,000 by default; `make bench N=100000`), in this order, on the same machine:

1. the corpus is generated (`bench/scale_corpus.py`, cached) and read once (warm page cache);
2. the floor: `../shared/tools/floor/floor.py floor --src DIR` (one core, read + split + write);
3. `pouch ingest DIR` in a fresh warehouse, as a user runs it (a subprocess of the real command:
   all stages, GX validation, the HTML report, Prefect's temporary server, default settings);
4. the same command again, nothing changed (the no-op rerun);
5. again after 1 % new files (hard links into `DIR/_new`, removed afterwards);
6. `pouch ingest` of a cables.csv of R rows (R = N by default) in its own warehouse.

`--keep` keeps the warehouses; `--reuse WAREHOUSE` (one kept by a run of the same N) skips the
floor and the full run: a `--prune` run first takes the +1 % files' documents out again (they were
removed from the corpus after step 5), then steps 4 and 5 are timed on it, so the incremental runs
of a new commit are measured at 10^6 without a 45-minute full run.

Each run prints one JSON line: documents, input bytes, wall seconds, pouch seconds (start-up
excluded: Python, imports and Prefect's temporary server until the flow starts, and Prefect's
shutdown after it, are reported apart as `startup_s` and `shutdown_s`), docs/s and MB/s over pouch
seconds, the peak memory of the whole process tree (`bench/memory.py`: sum of RSS and of PSS, and
per role), the seconds of every stage (summed over the worker processes), entity extraction's
paragraphs/s per core (`entity_paragraphs_per_s`), the flow process's own seconds (discover, plan,
waiting for batches, staging writes, commit, report) and its peak RSS at the end of each of those
steps (`flow_peak_rss_mib`, with Arrow's share in `flow_peak_arrow_mib`), the slowest 5
documents of every stage by wall time (`slowest`) and by their own CPU time (`slowest_cpu`), the
output files per table, and for the full run the floor's docs/s and the ratio pouch docs/s /
floor docs/s. The lines are also written to `bench/out/`; with
`--trace`, every memory sample of each run too (`<out>.<run>.trace.jsonl`: seconds, PSS MiB per role), and
the flow process's steps (`<out>.<run>.events.jsonl`, from `flows.trace`: start, end, RSS before/after).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.memory import TreeSampler  # noqa: E402
from bench.scale_corpus import FLOOR, ScaleCorpus, bench_dir, cables_csv, text_corpus  # noqa: E402

POUCH = ROOT / ".venv" / "bin" / "pouch"
PYTHON = ROOT / ".venv" / "bin" / "python"


def machine() -> dict:
    import psutil
    model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else None
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def warm(path: Path) -> int:
    """Read every file once so every run starts with the same (warm) page cache."""
    n = 0
    for p in path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as fh:
                while fh.read(1 << 20):
                    pass
            n += 1
    return n


def floor(src: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="pouch-floor-") as out:
        res = subprocess.run([str(PYTHON), str(FLOOR), "floor", "--src", str(src), "--out", out, "--quiet"],
                             check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _files_out(warehouse: Path) -> dict:
    """Data files per table in the committed snapshot: count, rows, median and largest size (MB)."""
    from flows.warehouse.store import Layout, current_snapshot
    snap = current_snapshot(Layout(warehouse))
    out = {}
    for name, t in snap.manifest["tables"].items():
        sizes = [f["bytes"] for f in t["files"]]
        out[name] = {"files": len(sizes), "rows": t["rows"], "median_mb": round(statistics.median(sizes) / 1e6, 2),
                     "max_mb": round(max(sizes) / 1e6, 2)}
    return out


def pouch_ingest(label: str, sources: list[Path], warehouse: Path, extra_args: list[str],
                 trace: Path | None = None) -> dict:
    """One `pouch ingest` subprocess, sampled; returns its JSON line. With `trace`, every PSS sample
    (seconds, MiB per role) is written there, one JSON line each."""
    cmd = [str(POUCH), "ingest", *map(str, sources), "--warehouse", str(warehouse), "--json",
           "--quarantine-threshold", "1.0", *extra_args]
    env = {**os.environ, "PREFECT_HOME": str(ROOT / ".prefect"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    events = trace.with_name(trace.name.replace(".trace.", ".events.")) if trace else None
    if events:                      # the flow's own steps (`flows.trace`), lined up with the samples below
        events.unlink(missing_ok=True)
        env["POUCH_TRACE"] = str(events)
    launched = time.time()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
        with TreeSampler(proc.pid) as mem:
            stdout, _ = proc.communicate()
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"bench: {label}: pouch exited {proc.returncode}:\n{err.read().decode()[-3000:]}")
    if trace:
        trace.write_text("".join(json.dumps(r) + "\n" for r in mem.trace_mib()))
        if events.exists():         # start/end as seconds of the memory trace
            rows = [json.loads(line) for line in events.read_text().splitlines()]
            for r in rows:
                r["start"], r["end"] = round(r["start"] - mem.epoch0, 2), round(r["end"] - mem.epoch0, 2)
            events.write_text("".join(json.dumps(r) + "\n" for r in rows))
    s = json.loads(stdout.decode().strip().splitlines()[-1])
    startup = dt.datetime.fromisoformat(s["started_at"]).timestamp() - launched
    pouch_s = s["seconds_total"] + s.get("seconds_report", 0.0)
    docs = s["docs_written"]
    return {
        "run": label, "docs": docs, "files": s["files"], "bytes": s["input_bytes"],
        "wall_s": round(wall, 2), "startup_s": round(startup, 2), "pouch_s": round(pouch_s, 2),
        "shutdown_s": round(wall - startup - pouch_s, 2),
        "docs_per_s": round(docs / pouch_s, 1), "mb_per_s": round(s["input_bytes"] / 1e6 / pouch_s, 2),
        **mem.report(),
        "workers": s["workers"], "batches": s["batches"],
        "stage_seconds": s["stage_seconds"], "flow_seconds": s.get("flow_seconds", {}),
        # entity extraction's throughput per core: paragraphs written / entity seconds summed over workers
        "entity_paragraphs_per_s": round(s.get("rows_written", {}).get("paragraphs", 0)
                                         / s["stage_seconds"]["entities"]) if s["stage_seconds"].get("entities") else None,
        "flow_peak_rss_mib": s.get("flow_peak_rss_mib", {}), "flow_peak_arrow_mib": s.get("flow_peak_arrow_mib", {}),
        "slowest": {k: [[round(t * 1000, 1), p.rsplit("/", 1)[-1]] for t, p in v] for k, v in s["slowest"].items()},
        # the same by the document's CPU time: wall time also counts waiting for a core
        "slowest_cpu": {k: [[round(t * 1000, 1), p.rsplit("/", 1)[-1]] for t, p in v]
                        for k, v in s.get("slowest_cpu", {}).items()},
        "slowest_unit": "ms",
        "files_out": _files_out(warehouse),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--csv-rows", type=int, default=None, help="rows of the cables.csv run (default: --docs)")
    ap.add_argument("--skip-csv", action="store_true")
    ap.add_argument("--workers", type=int, default=0, help="pouch --workers (default: pouch's default)")
    ap.add_argument("--fresh", action="store_true", help="regenerate the corpus")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the warehouses (printed)")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="the warehouse of an earlier `--keep` run of the same N: no full run; its 1 %% "
                         "files are pruned, then the no-op and +1 %% runs are timed again")
    ap.add_argument("--trace", action="store_true",
                    help="also write each run's memory samples (MiB per role) next to the output")
    args = ap.parse_args(argv)
    n = args.docs
    extra = ["--workers", str(args.workers)] if args.workers else []
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or ROOT / "bench" / "out" / f"scale-{n}-{stamp}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines: list[dict] = []

    def ingest(label: str, sources: list[Path], warehouse: Path, extra_args: list[str]) -> dict:
        slug = label.split(" ")[0]
        trace = out.with_name(f"{out.stem}.{slug}.trace.jsonl") if args.trace else None
        return pouch_ingest(label, sources, warehouse, extra_args, trace)

    def emit(row: dict) -> None:
        row = {"n": n, "date": stamp, **row}
        print(json.dumps(row), flush=True)
        lines.append(row)
        out.write_text("".join(json.dumps(r) + "\n" for r in lines))

    t = time.perf_counter()
    sc: ScaleCorpus = text_corpus(n, fresh=args.fresh)
    new_dir = sc.docs / "_new"
    shutil.rmtree(new_dir, ignore_errors=True)          # left by an interrupted bench
    gen_s = time.perf_counter() - t
    warm(sc.docs)
    emit({"run": "machine", **machine(), "corpus": str(sc.docs), "corpus_seconds": round(gen_s, 1), **sc.info()})
    work = Path(tempfile.mkdtemp(prefix="pouch-bench-wh-", dir=bench_dir()))
    wh = args.reuse or work / "warehouse"
    try:
        if args.reuse:         # back to the state after the full run: the +1 % files' documents go
            emit(ingest("prune (-1 %)", [sc.docs], wh, [*extra, "--prune"]))
        else:
            fl = floor(sc.docs)
            full = ingest("full", [sc.docs], wh, extra)
            e2e = fl["end_to_end"]
            full["floor_docs_per_s"] = e2e["docs_per_s"]
            full["floor_mb_per_s"] = e2e["mb_per_s"]
            full["floor_wall_s"] = e2e["wall_s"]
            full["ratio"] = round(full["docs_per_s"] / e2e["docs_per_s"], 4)
            emit(full)
        emit(ingest("noop", [sc.docs], wh, extra))
        new_dir.mkdir()
        for p in sorted(sc.extra.rglob("*.txt")):
            os.link(p, new_dir / p.name)
        try:
            emit(ingest(f"add_1pct (+{sc.info()['extra_docs']} files)", [sc.docs], wh, extra))
        finally:
            shutil.rmtree(new_dir, ignore_errors=True)
        if not args.skip_csv:
            rows = args.csv_rows or n
            csv_path = cables_csv(rows)
            warm(csv_path.parent)
            row = ingest(f"cables_csv ({rows} rows, {csv_path.stat().st_size / 1e6:.0f} MB)",
                         [csv_path.parent], work / "warehouse-csv", extra)
            emit(row)
    finally:
        if args.keep:
            print(f"warehouses kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"bench: lines written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
