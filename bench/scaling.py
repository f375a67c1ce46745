"""Scaling from 1 to 2 workers: the same `pouch ingest` of N generated documents with local worker
processes (`--workers 1`, `--workers 2`) and on a Dask cluster (`--dask-address`, a
`distributed.LocalCluster` of 1, then 2 single-threaded worker processes started here).

    .venv/bin/python bench/scaling.py [--docs 5000]

Each run is `bench.scale.pouch_ingest` (a subprocess of the real command, fresh warehouse, start-up
excluded from pouch seconds); one JSON line per run, plus the speed-up of 2 workers over 1 for each
kind. The Dask workers are warmed (imports, caches) before the run, as a long-lived cluster is.
"""
from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale import pouch_ingest, warm  # noqa: E402
from bench.scale_corpus import bench_dir, text_corpus  # noqa: E402


def _warm_worker() -> int:
    import flows.warm  # noqa: F401  (what the forkserver of local workers does)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    args = ap.parse_args(argv)
    sc = text_corpus(args.docs)
    warm(sc.docs)
    rates: dict[tuple[str, int], float] = {}
    work = Path(tempfile.mkdtemp(prefix="pouch-scaling-", dir=bench_dir()))
    try:
        for n in (1, 2):
            row = pouch_ingest(f"local --workers {n}", [sc.docs], work / f"local{n}", ["--workers", str(n)])
            rates[("local", n)] = row["docs_per_s"]
            print(json.dumps({"n": args.docs, **row}), flush=True)
        from distributed import Client, LocalCluster
        for n in (1, 2):
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                              silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
                client.run(_warm_worker)
                row = pouch_ingest(f"dask {n} worker(s)", [sc.docs], work / f"dask{n}",
                                   ["--dask-address", cluster.scheduler_address])
            rates[("dask", n)] = row["docs_per_s"]
            print(json.dumps({"n": args.docs, **row}), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"n": args.docs, "run": "speed-up 1 -> 2 workers",
                      **{kind: round(rates[(kind, 2)] / rates[(kind, 1)], 2) for kind in ("local", "dask")}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
