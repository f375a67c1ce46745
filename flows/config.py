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


@dataclass(frozen=True, slots=True)
class Settings:
    warehouse: Path
    sources: tuple[Path, ...]
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    batch_files: int = 1000                     # files per batch task
    batch_bytes: int = 32 * 2**20               # ...or this many input bytes, whichever comes first
    full_refresh: bool = False
    prune: bool = False
    quarantine_threshold: float = 0.5           # fail the run when more documents than this share fail
    write_report: bool = True
    trust_stat: bool = True                     # unchanged size+mtime means unchanged bytes (no hashing)
    dask_address: str | None = None
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
