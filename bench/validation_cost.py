"""What Great Expectations validation costs a document, at each batch size, against the floor.

    .venv/bin/python bench/validation_cost.py [--docs 4000] [--sizes 250,500,1000,2000,4000] [--repeat 3]
                                        [--json OUT]

Parses the first `--docs` documents of the generated scale corpus (`bench/scale_corpus.py`, 100,000
documents) once, turns them into the three tables as a batch does, then times `validate_batch` (the
helper columns of `expectations.frames` plus the three GX suites, as a worker runs them) on the
first n documents for each n of `--sizes`, in CPU seconds of this one process, after one warm-up
call per size (the least of `--repeat` timings). A straight line through the points splits the
cost into a fixed part per batch (GX builds and resolves its metric graph per expectation
whatever the rows) and a part per document (~61 entity rows, ~13 paragraph rows and one document
row here). The floor (`../shared/tools/floor/floor.py`) runs on the same 100,000 documents in
the same call, so the issue's target can be turned into CPU time per document:

    target docs/s = 0.35 x floor docs/s;  budget = cores / target docs/s  (CPU seconds per document)

and compared with what validation alone takes. Prints a table and one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

TARGET_RATIO = 0.35


def tables_of(files: list[Path]):
    """The documents, paragraphs and entities tables of `files` (records made Arrow as a batch does)."""
    from transforms.documents import add_entities, open_source, parse_document, sha256_hex
    from transforms.records import SourceText
    from transforms.schema import DOCUMENTS, ENTITIES, PARAGRAPHS
    from transforms.tables import to_arrow
    docs, paras, ents = [], [], []
    for f in files:
        data = f.read_bytes()
        for src in open_source(str(f), data, sha256_hex(data)):
            if isinstance(src, SourceText):
                p = add_entities(parse_document(src, "bench"))
                docs.append(p.document)
                paras += p.paragraphs
                ents += p.entities
    return to_arrow(docs, DOCUMENTS), to_arrow(paras, PARAGRAPHS), to_arrow(ents, ENTITIES)


def first(tables, n: int):
    """The first n documents of the batch and their rows."""
    import pyarrow.compute as pc
    docs, paras, ents = tables
    ids = docs.column("doc_id").slice(0, n)
    return (docs.slice(0, n), paras.filter(pc.is_in(paras.column("doc_id"), ids)),
            ents.filter(pc.is_in(ents.column("doc_id"), ids)))


def cpu(fn, *args) -> float:
    t = time.process_time()
    fn(*args)
    return time.process_time() - t


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line seconds = fixed + per_doc * n."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return my - slope * mx, slope


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--sizes", default="250,500,1000,2000,4000")
    ap.add_argument("--corpus", type=int, default=100_000,
                    help="generated corpus to read from and run the floor on (the target is set at 10^5)")
    ap.add_argument("--repeat", type=int, default=3, help="timings per size (the least is kept)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if int(s) <= args.docs]

    import scale
    import scale_corpus
    sc = scale_corpus.text_corpus(args.corpus)
    scale.warm(sc.docs)
    floor = scale.floor(sc.docs)["end_to_end"]

    from expectations.frames import frames
    from expectations.validate import validate_batch
    from flows import warm  # noqa: F401  (as a worker: word lists, automata, gc frozen)
    files = sorted(f for f in sc.docs.rglob("*") if f.is_file())[:args.docs]
    tables = tables_of(files)
    rows = [t.num_rows for t in tables]
    points, out_sizes = [], []
    for n in sizes:
        batch = first(tables, n)
        validate_batch(*batch, "warm")
        whole = min(cpu(validate_batch, *batch, "bench") for _ in range(args.repeat))
        helper = min(cpu(frames, *batch) for _ in range(args.repeat))
        points.append((n, whole))
        out_sizes.append({"docs": n, "paragraphs": batch[1].num_rows, "entities": batch[2].num_rows,
                          "validate_s": round(whole, 3), "ms_per_doc": round(1000 * whole / n, 3),
                          "helper_columns_ms_per_doc": round(1000 * helper / n, 3)})
    fixed, per_doc = fit(points)
    cores = os.cpu_count() or 1
    target = TARGET_RATIO * floor["docs_per_s"]
    budget_ms = 1000 * cores / target
    result = {"bench": "validation_cost", "docs": args.docs,
              "rows": dict(zip(("documents", "paragraphs", "entities"), rows)),
              "sizes": out_sizes, "fixed_s_per_batch": round(fixed, 3), "marginal_ms_per_doc": round(1000 * per_doc, 3),
              "floor_docs_per_s": floor["docs_per_s"], "cores": cores, "target_docs_per_s": round(target),
              "budget_ms_per_doc": round(budget_ms, 3)}
    print(f"{args.docs} documents: {rows[1]:,} paragraphs, {rows[2]:,} entities; validation in one process, CPU s")
    print(f"{'batch':>6} {'validate s':>11} {'ms/doc':>8} {'helper cols ms/doc':>19}")
    for s in out_sizes:
        print(f"{s['docs']:>6} {s['validate_s']:>11.3f} {s['ms_per_doc']:>8.3f} {s['helper_columns_ms_per_doc']:>19.3f}")
    print(f"fit: {fixed:.3f} s per batch + {1000 * per_doc:.3f} ms per document")
    print(f"floor {floor['docs_per_s']:,.0f} docs/s -> target {target:,.0f} docs/s on {cores} cores -> "
          f"{budget_ms:.3f} ms of CPU per document for everything; validation alone: "
          f"{out_sizes[-1]['ms_per_doc']:.3f} ms at batches of {out_sizes[-1]['docs']}, "
          f"{1000 * per_doc:.3f} ms however large the batch")
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
