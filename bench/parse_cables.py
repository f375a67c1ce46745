"""Cable parse throughput per input format on the dev corpus, and the slowest cables.

    .venv/bin/python bench/parse_cables.py [--corpus ../shared/corpus/cables] [--repeat 3] [--top 10]

For every cable file (and every row of the CSV slice) it times two stages, best of `--repeat`
runs so a busy machine does not inflate the figures:
  open    bytes -> SourceText (decode, HTML page / PDF text layer / CSV row)
  parse   SourceText -> Document + Paragraphs (cleaning, header fields, references, paragraphs)
and prints docs/s and MB/s per format for each stage and for both, then the slowest cables by
parse time. Exit status 1 when any single cable takes more than `--limit-ms` (50 ms) to parse,
which is the issue's bound; the open stage of a PDF (pypdf) is reported, not bounded.
No Prefect, GX or entity extraction runs here: this measures the cable parser only.
"""
from __future__ import annotations

import argparse
import collections
import functools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.documents import SourceFailure, open_source, parse_document, sha256_hex

FOLDERS = ("html_wl2010", "html_wl2010_edge", "html_wl2011", "pdf", "txt_fulltext", "txt_from_csv", "csv")


def _best(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "cables")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--limit-ms", type=float, default=50.0)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    # warm the caches (data files, compiled patterns) so the first cable does not pay for them
    warm = next((args.corpus / "txt_fulltext").glob("*"))
    for s in open_source(warm.name, warm.read_bytes(), "warm"):
        parse_document(s)

    totals: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0, 0.0, 0.0])   # docs, bytes, open, parse
    per_doc: list[tuple[float, str, str, int]] = []
    failures = []
    for folder in FOLDERS:
        for path in sorted((args.corpus / folder).glob("*")):
            data = path.read_bytes()
            sha = sha256_hex(data)
            t_open, srcs = _best(functools.partial(_open, f"{folder}/{path.name}", data, sha), args.repeat)
            srcs = [s for s in srcs if not isinstance(s, SourceFailure)] or failures.append(path) or []
            t_parse_all = 0.0
            for src in srcs:
                t_parse, parsed = _best(functools.partial(parse_document, src), args.repeat)
                t_parse_all += t_parse
                per_doc.append((t_parse, folder, parsed.document.doc_id, len(src.text.encode("utf-8"))))
            row = totals[folder]
            row[0] += len(srcs)
            row[1] += len(data)
            row[2] += t_open
            row[3] += t_parse_all

    print(f"cable parse throughput, best of {args.repeat} runs, corpus {args.corpus}")
    print(f"{'format':18} {'docs':>5} {'MB':>7} | {'open docs/s':>11} {'MB/s':>7} | {'parse docs/s':>12} {'MB/s':>7} |"
          f" {'both docs/s':>11} {'MB/s':>7}")
    all_row = [0, 0, 0.0, 0.0]
    for folder, (n, size, t_open, t_parse) in totals.items():
        for i, v in enumerate((n, size, t_open, t_parse)):
            all_row[i] += v
        _line(folder, n, size, t_open, t_parse)
    _line("all", *all_row)
    per_doc.sort(reverse=True)
    print(f"\nslowest {args.top} cables (parse stage):")
    for t, folder, doc_id, size in per_doc[:args.top]:
        print(f"  {t * 1000:7.2f} ms  {doc_id:26} {folder:18} {size / 1024:7.1f} KiB")
    worst = per_doc[0][0] * 1000 if per_doc else 0.0
    over = [d for d in per_doc if d[0] * 1000 > args.limit_ms]
    print(f"\nmax {worst:.2f} ms per cable; {len(over)} cables above {args.limit_ms:.0f} ms")
    if failures:
        print(f"{len(failures)} files failed to open: {', '.join(p.name for p in failures)}")
    return 1 if over else 0


def _open(name: str, data: bytes, sha: str) -> list:
    return list(open_source(name, data, sha))


def _line(name: str, n: int, size: int, t_open: float, t_parse: float) -> None:
    mb = size / 1e6
    both = t_open + t_parse
    print(f"{name:18} {n:5d} {mb:7.2f} | {n / t_open:11.0f} {mb / t_open:7.2f} | {n / t_parse:12.0f} {mb / t_parse:7.2f} |"
          f" {n / both:11.0f} {mb / both:7.2f}")


if __name__ == "__main__":
    sys.exit(main())
