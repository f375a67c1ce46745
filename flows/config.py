"""One settings object, built at the edge (CLI flags, environment) and passed down."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: File name endings pouch reads as documents; anything else is listed in the ledger as skipped.
DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".csv", ".pdf", ".zip", "")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from hurting the run."""
    max_file_bytes: int = 64 * 2**20            # one input file (larger: refused, ledger says why)
    max_csv_bytes: int = 8 * 2**30              # a cables.csv dump is streamed, so it may be large
    max_zip_members: int = 100_000
    max_zip_total_bytes: int = 2 * 2**30        # uncompressed total of one archive
    max_zip_ratio: float = 200.0                # uncompressed/compressed of one member (zip bombs)


#: Files per batch task. Validation costs a fixed ~0.5 s per batch (GX: ~7 ms per expectation per
#: call, whatever the batch size), so batches are large; memory per worker grows with them.
BATCH_FILES = 1000
#: ...or this many input bytes, whichever comes first.
BATCH_BYTES = 32 * 2**20
#: A cables.csv above this size (or above BATCH_BYTES, when smaller) is cut into parts of a batch's
#: files (as rows) or bytes, read in parallel (`flows.csv_parts`); below it, it is read whole.
CSV_SPLIT_BYTES = 8 * 2**20


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:          # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Settings:
    warehouse: Path
    sources: tuple[Path, ...]
    workers: int = field(default_factory=default_workers)
    batch_files: int = BATCH_FILES
    batch_bytes: int = BATCH_BYTES
    full_refresh: bool = False
    prune: bool = False
    quarantine_threshold: float = 0.5           # fail the run when more documents than this share fail
    write_report: bool = True
    trust_stat: bool = True                     # unchanged size+mtime means unchanged bytes (no hashing)
    dask_address: str | None = None             # tcp://HOST:PORT of a Dask scheduler: batches run there
    limits: Limits = field(default_factory=Limits)
    run_id: str = field(default_factory=lambda: new_run_id())


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def prefect_defaults(project_dir: Path | None = None) -> None:
    """Quiet, local Prefect state unless the user configured otherwise. Call before importing
    prefect."""
    base = project_dir or Path.cwd()
    os.environ.setdefault("PREFECT_HOME", str(base / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
