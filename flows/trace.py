"""The flow process's events, for memory and time studies: with `POUCH_TRACE=FILE` in the
environment, each traced step (a batch's results taken, a partition's spool written as a row
group, a partition file closed, the run settled) appends one JSON line to FILE: its start and end
(seconds since the epoch), its fields, and the process's resident memory (MiB) before and after.
`bench/scale.py --trace` sets it and lines the events up with its memory samples, so that a
spike of the flow process can be named. Unset (the default), a traced step costs one `if`.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator

ENV = "POUCH_TRACE"
_PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0.0


def _rss_mib() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:      # Linux; elsewhere the field stays 0
            return round(int(fh.read().split()[1]) * _PAGE_MIB)
    except OSError:
        return 0


@contextlib.contextmanager
def traced(event: str, **fields) -> Iterator[None]:
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    before, start = _rss_mib(), time.time()
    try:
        yield
    finally:
        row = {"start": round(start, 3), "end": round(time.time(), 3), "event": event, **fields,
               "rss_before": before, "rss_after": _rss_mib()}
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, default=str) + "\n")
