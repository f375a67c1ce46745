"""CPU cost of the per-document stages, measured the way the pipeline runs them, on one core.

    .venv/bin/python bench/transforms_stages.py PATH... [--batch 1000] [--limit N] [--profile OUT.prof]
                                                [--json OUT.json]

Runs the pipeline's own batch function (`flows.batch.run_batch`: read, decode, parse, paragraphs,
entities, Arrow tables, GX validation) in this process over the files under PATH, in batches of
`--batch` files like the flow, after one warm-up batch (imports, GX context, word lists and
automata are paid once per worker process and are reported apart). Prints, per stage, the seconds,
ms per document and documents per second per core, then the slowest documents per stage. No
Prefect, no warehouse writes: this is the transforms' and validation's CPU cost only.

Stage times are CPU seconds of this process (`--wall` for wall-clock seconds as the pipeline
reports them): on a machine shared with other work, wall-clock stage times grow with the load,
CPU times much less. `--gc-freeze` moves everything alive after the warm-up (word lists, automata,
GX) out of the garbage collector's reach and raises its first threshold, as a worker process can:
the figures then show what the transforms cost without full collections over those caches.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def files_of(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.name not in ("SOURCES.md", "manifest.tsv"))
        else:
            out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the measured batches here")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument("--wall", action="store_true", help="stage times in wall-clock seconds (default: CPU)")
    ap.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after the warm-up, gen0 threshold 50,000")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    import flows.batch
    from flows.batch import STAGES, WorkItem, run_batch
    if not args.wall:            # the batch's stage clock reads CPU time instead of the wall clock
        import flows.layers
        flows.batch.time = flows.layers.time = types.SimpleNamespace(perf_counter=time.process_time,
                                                                     thread_time=time.thread_time)
    files = files_of(args.paths)
    if args.limit:
        files = files[:args.limit]
    items = [WorkItem(f.as_posix(), f.stat().st_size) for f in files]
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_batch(items[:20], "warm")                     # first use: GX context, word lists, automata
    t_warm = time.perf_counter() - t0
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)

    prof = None
    if args.profile:
        import cProfile
        prof = cProfile.Profile()
    stages = dict.fromkeys(STAGES, 0.0)
    slow: dict[str, list] = {}
    docs = paras = ents = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(0, len(items), args.batch):
        if prof:
            prof.enable()
        res = run_batch(items[i:i + args.batch], "bench")
        if prof:
            prof.disable()
        for k, v in res.stage_seconds.items():
            stages[k] += v
        for k, v in res.slowest.items():
            slow[k] = sorted(slow.get(k, []) + v, reverse=True)[:5]
        docs += res.documents.num_rows
        paras += res.paragraphs.num_rows
        ents += res.entities.num_rows
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if prof:
        prof.dump_stats(args.profile)

    total = sum(stages.values())
    print(f"{len(items)} files -> {docs} documents, {paras} paragraphs, {ents} entities "
          f"(batches of {args.batch}, one process; stage times: {'wall' if args.wall else 'CPU'}"
          f"{', gc frozen' if args.gc_freeze else ''})")
    print(f"start-up: imports {t_import:.2f} s, first batch (warm-up, 20 files) {t_warm:.2f} s")
    from transforms.entities import COMPILED
    print(f"entity fast path: {'compiled' if COMPILED else 'pure Python'} (transforms.entities.COMPILED={COMPILED})")
    print(f"measured: wall {wall:.2f} s, cpu {cpu:.2f} s, stages sum {total:.2f} s "
          f"-> {docs / wall:,.0f} docs/s per core, {1000 * wall / max(docs, 1):.3f} ms/doc")
    print(f"{'stage':12} {'s':>8} {'ms/doc':>8} {'docs/s':>10} {'share':>6}")
    for k in STAGES:
        s = stages[k]
        print(f"{k:12} {s:8.2f} {1000 * s / max(docs, 1):8.3f} {docs / s if s else float('inf'):10,.0f} "
              f"{100 * s / total if total else 0:5.1f}%")
    if paras and stages.get("entities"):
        print(f"entities: {paras / stages['entities']:,.0f} paragraphs/s per core")
    print("slowest documents per stage (ms):")
    for k, v in slow.items():
        print(f"  {k:10} " + ", ".join(f"{1000 * s:.1f} {Path(p).name}" for s, p in v[:3]))
    if args.json:
        args.json.write_text(json.dumps({
            "clock": "wall" if args.wall else "cpu", "gc_freeze": args.gc_freeze, "entities_compiled": COMPILED,
            "files": len(items), "docs": docs, "paragraphs": paras, "entities": ents, "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3), "import_s": round(t_import, 3), "warm_s": round(t_warm, 3),
            "stages_s": {k: round(v, 3) for k, v in stages.items()},
            "ms_per_doc": {k: round(1000 * v / max(docs, 1), 4) for k, v in stages.items()},
            "slowest": {k: [[round(1000 * s, 2), p] for s, p in v] for k, v in slow.items()}}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
