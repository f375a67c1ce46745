"""Entity extraction benchmark on the dev corpus: paragraphs/s, time per entity type (rule
group), and entity extraction's share of the pipeline's time.

    .venv/bin/python bench/entities.py [PATH ...] [--no-pipeline]

Part 1 parses every document once, runs `extract_document` over them once to warm the caches a
long-lived worker keeps warm, then times it alone in CPU seconds (per rule group with its `clock`
hook). Part 2 runs the pipeline's own batch function (`flows.batch.run_batch`: read,
decode, parse, paragraphs, entities, Arrow tables, GX validation) over the same files in this
process and reports each stage's share, so the entity figure is measured against the real total.
Times are CPU-bound wall times on this machine; run it on an idle machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from transforms.documents import open_source, parse_document, sha256_hex
from transforms.entities import COMPILED, context_of, extract_document
from transforms.records import SourceText

DEFAULT = ROOT.parent / "shared" / "corpus"


def files_of(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(f for f in p.rglob("*") if f.is_file() and f.name != "SOURCES.md") if p.is_dir() else [p]
    return out


def entity_throughput(files: list[Path]) -> None:
    t = time.perf_counter()
    from transforms.entities import gazetteer, lexicon, patterns
    gazetteer.automaton(), patterns.stations(), lexicon.given_names(), lexicon.peoples()
    warm = time.perf_counter() - t
    parsed = []
    t = time.perf_counter()
    for f in files:
        data = f.read_bytes()
        for src in open_source(f.as_posix(), data, sha256_hex(data)):
            if isinstance(src, SourceText):
                parsed.append(parse_document(src, "bench"))
    parse_s = time.perf_counter() - t
    n_para = sum(len(p.paragraphs) for p in parsed)
    # a first pass warms the caches a long-lived worker keeps warm (word shapes `tokens._SHAPES`,
    # lru caches of the rules), so the measured pass shows the steady state the pipeline runs in
    t = time.process_time()
    for p in parsed:
        extract_document(p.paragraphs, context_of(p.document))
    cold_s = time.process_time() - t
    import transforms.entities.extract as extract_mod
    extract_mod.time = types.SimpleNamespace(perf_counter=time.process_time)   # rule-group clock: CPU
    clock: dict[str, float] = {}
    n_ent = 0
    t = time.process_time()
    for p in parsed:
        n_ent += len(extract_document(p.paragraphs, context_of(p.document), clock))
    ent_s = time.process_time() - t
    extract_mod.time = time
    print(f"documents {len(parsed)}, paragraphs {n_para}, entities {n_ent}")
    print(f"entity fast path: {'compiled' if COMPILED else 'pure Python'} (transforms.entities.COMPILED={COMPILED})")
    print(f"word lists and automaton, once per process: {warm:.2f} s")
    print(f"entities, first (cold) pass: {cold_s:.2f} s CPU; measured (warm) pass below, CPU seconds")
    print(f"decode + parse + paragraphs: {parse_s:.2f} s   entities: {ent_s:.2f} s   "
          f"-> {n_para / ent_s:,.0f} paragraphs/s, {n_ent / ent_s:,.0f} entities/s")
    print("time per rule group (entity type):")
    for name, sec in sorted(clock.items(), key=lambda kv: -kv[1]):
        print(f"  {name:28} {sec:6.2f} s  {100 * sec / ent_s:5.1f}%")


def pipeline_share(files: list[Path]) -> None:
    from flows.batch import WorkItem, run_batch
    items = [WorkItem(f.as_posix(), f.stat().st_size) for f in files]
    t = time.perf_counter()
    result = run_batch(items, "bench")
    wall = time.perf_counter() - t
    stages = result.stage_seconds
    total = sum(stages.values())
    print(f"pipeline (flows.batch.run_batch, in process): {wall:.2f} s wall, stages sum {total:.2f} s")
    for name, sec in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12} {sec:6.2f} s  {100 * sec / total:5.1f}%")
    share = stages.get("entities", 0.0) / total if total else 0.0
    print(f"entity extraction: {100 * share:.1f}% of the pipeline's time (limit 50%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    ap.add_argument("--no-pipeline", action="store_true", help="skip the full-pipeline run (GX import is slow)")
    args = ap.parse_args()
    files = files_of(args.paths)
    entity_throughput(files)
    if not args.no_pipeline:
        pipeline_share(files)


if __name__ == "__main__":
    main()
