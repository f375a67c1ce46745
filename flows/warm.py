"""Imported by the forkserver of the local worker pool before it forks the workers (see
`flows.executors`): the pipeline's imports (Great Expectations alone takes ~3 s) and its lazily
built caches (word lists, gazetteers, automata: ~2 s) are paid once, in the forkserver, instead of
in every worker, and the workers share those pages. Warming runs the pure stages (decode, parse,
paragraphs, entities) on the bundled synthetic samples, in memory; nothing is validated here
(validation keeps a GX context, better made in the worker that uses it)."""
from __future__ import annotations

import gc

import great_expectations  # noqa: F401  (import cost only)

import expectations.validate  # noqa: F401  (imported by run_batch when it validates)

from transforms.documents import add_entities, make_paragraphs, open_source, parse_fields
from transforms.records import SourceText

from . import batch  # noqa: F401
from .samples import sample_files


def warm() -> int:
    """Run the pure stages on the samples; returns the number of documents."""
    n = 0
    for name, data in sample_files().items():
        if name.endswith(".zip"):
            continue
        for src in open_source(name, data, "0" * 64):
            if isinstance(src, SourceText):
                add_entities(make_paragraphs(*parse_fields(src, "warm")))
                n += 1
    return n


warm()
# What is alive now (modules, word lists, automata, GX) lives as long as the process: out of the
# collector's reach, full collections no longer walk it (they cost up to ~0.3 s each in a worker),
# and forked workers do not copy its pages by touching their reference counts in a collection.
gc.collect()
gc.freeze()
# A batch makes millions of short-lived objects (tokens, candidates, records), almost all freed by
# reference counting; at the default threshold (700) the collector runs every few hundred of them
# for nothing. Measured on 2,000 documents (bench/transforms_stages.py): -5 % CPU per document.
gc.set_threshold(50_000, 20, 20)
