"""`pouch`: the command line. Settings are read here, at the edge, and passed down."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .config import prefect_defaults

app = typer.Typer(help="pouch: raw cables and FOIA emails in, a validated Parquet warehouse out.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console()

Warehouse = Annotated[Path, typer.Option("--warehouse", "-w", help="Warehouse directory (created if missing).")]


def _print_summary(s: dict) -> None:
    t = Table(title=f"pouch run {s['run_id']}", show_header=True)
    t.add_column("what")
    t.add_column("count", justify="right")
    for status, n in sorted(s["files"].items()):
        t.add_row(f"files {status}", str(n))
    t.add_row("documents written", str(s["docs_written"]))
    t.add_row("documents refused", str(s["docs_refused"]))
    if s.get("documents_merged"):
        t.add_row("documents merged from 2+ sources", str(s["documents_merged"]))
    for table, rows in s.get("snapshot", {}).get("rows", {}).items():
        t.add_row(f"rows in {table}", str(rows))
    t.add_row("quarantine rows (this run)", str(s["quarantine_rows"]))
    t.add_row("seconds", f"{s.get('seconds_total', 0):.1f}")
    console.print(t)
    wh = Path(s["warehouse"])
    console.print(f"warehouse: [bold]{wh}[/]  (pd.read_parquet('{wh}/documents'))")
    if s.get("report"):
        console.print(f"report:    [bold]{s['report']}[/]")


def _unwatched():
    """A run started from the command line has no runner watching it: no flow-run heartbeat thread,
    which Prefect joins at the end of every flow run (up to a second per run, for nothing). Runs of
    `pouch serve` keep theirs; PREFECT_FLOWS_HEARTBEAT_FREQUENCY, when set, wins."""
    import contextlib
    import os

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    if "PREFECT_FLOWS_HEARTBEAT_FREQUENCY" in os.environ:
        return contextlib.nullcontext()
    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or .zip archives to ingest.")],
    warehouse: Warehouse = Path("warehouse"),
    full_refresh: Annotated[bool, typer.Option(help="Reprocess every file, even unchanged ones.")] = False,
    prune: Annotated[bool, typer.Option(help="Remove the documents of source files that no longer exist.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (default: all cores; 1: everything in this "
                                         "process).")] = 0,
    dask_address: Annotated[str | None, typer.Option(help="Run the batches on this Dask cluster "
                                                     "(tcp://HOST:PORT of its scheduler) instead of local "
                                                     "processes; see README, Running at scale.")] = None,
    batch_files: Annotated[int, typer.Option(help="Files per batch task (default: 1000; fewer if they pass "
                                             "32 MiB).")] = 0,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another run's lock.")] = 0.0,
    report: Annotated[bool, typer.Option(help="Write the HTML quality report.")] = True,
    quarantine_threshold: Annotated[float, typer.Option(help="Fail (commit nothing) when more than this share "
                                                        "of documents fails validation.")] = 0.5,
    json_out: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    rehash: Annotated[bool, typer.Option(help="Hash every file, even when its size and mtime are those of the "
                                         "last run (for file systems whose mtimes cannot be trusted).")] = False,
) -> None:
    """Ingest PATHs into the warehouse (incremental: unchanged files are skipped)."""
    from .ingest import QualityGateFailed, ingest as ingest_flow
    from .warehouse.lock import WarehouseLocked
    try:
        with _unwatched():
            summary = ingest_flow(sources=[str(p) for p in paths], warehouse=str(warehouse), full_refresh=full_refresh,
                                  prune=prune, workers=workers or None, batch_files=batch_files or None,
                                  wait_seconds=wait, write_report_html=report, quarantine_threshold=quarantine_threshold,
                                  rehash=rehash, dask_address=dask_address)
    except (WarehouseLocked, QualityGateFailed) as err:
        console.print(f"[red]pouch: {err}[/]")
        raise typer.Exit(2) from None
    if json_out:
        print(json.dumps(summary, default=str))
    else:
        _print_summary(summary)


@app.command("report")
def report_cmd(warehouse: Warehouse = Path("warehouse"),
               run_id: Annotated[str | None, typer.Option(help="Run to report (default: the last).")] = None,
               data_docs: Annotated[bool, typer.Option(help="Rebuild the GX Data Docs too.")] = True) -> None:
    """Rebuild the quality report of a run (and its GX Data Docs) and print its path."""
    from .report import build_report
    from .warehouse.store import Layout
    try:
        print(build_report(Layout(warehouse.absolute()), run_id, data_docs=data_docs))
    except FileNotFoundError as err:
        console.print(f"[red]pouch: {err}[/]")
        raise typer.Exit(1) from None


@app.command("sql")
def sql_cmd(
    query: Annotated[str, typer.Argument(help="A DuckDB query; views: documents, paragraphs, entities, sources, "
                                         "messages, links, ledger, quarantine, runs, files, corpora.")],
    warehouse: Annotated[Path, typer.Option("--warehouse", "-w", envvar="POUCH_WAREHOUSE",
                                            help="Warehouse directory.")] = Path("warehouse"),
    out: Annotated[Path | None, typer.Option(help="Write the result to this .csv or .parquet file instead.")] = None,
    max_rows: Annotated[int, typer.Option(help="Rows printed at most.")] = 100,
    width: Annotated[int, typer.Option(help="Characters shown of a long value.")] = 60,
) -> None:
    """Run SQL over the warehouse's current snapshot (DuckDB) and print the result or write it."""
    import duckdb

    from .reader import Warehouse
    from .sql import NoWarehouse, render, write
    try:
        with Warehouse(warehouse) as wh:
            if out is not None:
                console.print(f"{write(wh.duckdb(), query, out)} rows -> {out}")
            else:
                print(render(wh.sql(query), max_rows, width))
    except NoWarehouse as err:
        console.print(f"[red]pouch: {err}[/]")
        raise typer.Exit(1) from None
    except (duckdb.Error, ValueError) as err:        # DuckDB's errors (parser, binder, catalog), a bad --out
        console.print(f"[red]pouch sql: {str(err).splitlines()[0]}[/]")
        raise typer.Exit(2) from None


@app.command()
def samples(out: Annotated[Path, typer.Option(help="Folder to write the synthetic samples to.")] = Path("samples")) -> None:
    """(Re)write the bundled synthetic sample documents."""
    from .samples import write_samples
    for p in write_samples(out):
        print(p)


@app.command()
def dictionary(
    readme: Annotated[Path, typer.Option(help="The data dictionary file.")] = Path("warehouse/README.md"),
    write: Annotated[bool, typer.Option("--write", help="Rewrite the generated block in place.")] = False,
) -> None:
    """Print (or --write into warehouse/README.md) the data dictionary generated from the schemas."""
    from transforms.dictionary import render_into, tables_markdown
    if write:
        readme.write_text(render_into(readme.read_text(encoding="utf-8")), encoding="utf-8")
        print(readme)
    else:
        print(tables_markdown())


@app.command()
def serve(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders or .zip archives to ingest on every run.")],
    warehouse: Warehouse = Path("warehouse"),
    cron: Annotated[str | None, typer.Option(help='Cron schedule, e.g. "0 * * * *" (hourly).')] = None,
    interval: Annotated[float | None, typer.Option(help="Or: run every this many seconds.")] = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "pouch-ingest",
    prune: Annotated[bool, typer.Option(help="Remove the documents of source files that no longer exist.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes per run (default: all cores).")] = 0,
    wait: Annotated[float, typer.Option(help="Seconds a run waits for another writer's lock.")] = 600.0,
    api_url: Annotated[str | None, typer.Option(help="Prefect server API (default: $PREFECT_API_URL, "
                                                "else http://127.0.0.1:4200/api from `make server`).")] = None,
) -> None:
    """Run the ingest flow on a schedule: a Prefect deployment served until Ctrl-C."""
    from .serve import ServeError
    from .serve import serve as serve_flow
    try:
        serve_flow([str(p) for p in paths], str(warehouse), cron=cron, interval=interval, name=name, url=api_url,
                   prune=prune, workers=workers or None, wait_seconds=wait)
    except ServeError as err:
        console.print(f"[red]pouch: {err}[/]")
        raise typer.Exit(2) from None


@app.command()
def compact(warehouse: Warehouse = Path("warehouse"),
            wait: Annotated[float, typer.Option(help="Seconds to wait for another run's lock.")] = 0.0) -> None:
    """Merge the small files of every partition into few sorted files (one atomic commit)."""
    from .warehouse.compact import compact_warehouse, file_counts
    from .warehouse.lock import WarehouseLocked
    try:
        before, snap = compact_warehouse(warehouse.absolute(), wait)
    except (WarehouseLocked, FileNotFoundError) as err:
        console.print(f"[red]pouch: {err}[/]")
        raise typer.Exit(2) from None
    after = file_counts(snap)
    for table, n in sorted(before.items()):
        console.print(f"{table:<12} {n:>6} files -> {after.get(table, 0)}")
    console.print(f"snapshot {snap.id}")


def main() -> None:
    prefect_defaults()
    app()


if __name__ == "__main__":
    sys.exit(main())
