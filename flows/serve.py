"""`pouch serve`: the ingest flow as a Prefect deployment that runs on a schedule.

`flow.serve` registers a deployment named `pouch-ingest` with the schedule and the run's
parameters, then polls the server and runs each scheduled flow run in a subprocess of its own;
the server records runs, task states, logs and the run-summary artifacts, which the UI shows.
A schedule needs a real server (Prefect refuses one on the temporary server a lone process
starts): `make server` starts one on 127.0.0.1:4200 with its state in `.prefect/`.

Runs of the deployment never overlap: the runner takes one at a time (`limit=1`), and the
warehouse lock keeps out any other writer (a scheduled run that finds the warehouse busy waits
`wait_seconds`, then fails with the holder's name). When `pouch serve` stops, its schedule is
paused, so no runs pile up while nothing serves them.
"""
from __future__ import annotations

import datetime as dt
import os
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_API_URL = "http://127.0.0.1:4200/api"
DEPLOYMENT = "pouch-ingest"


class ServeError(RuntimeError):
    pass


def api_url(explicit: str | None = None) -> str:
    """The server to use: the option, else PREFECT_API_URL, else `make server`'s address; fails
    with a clear message when nothing answers there."""
    url = (explicit or os.environ.get("PREFECT_API_URL") or DEFAULT_API_URL).rstrip("/")
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as resp:
            if resp.status == 200:
                return url
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ServeError(f"no Prefect server answers at {url} ({reason}). Start one with `make server` "
                         "(or set PREFECT_API_URL to a running server); a schedule cannot run on the "
                         "temporary server a single run starts.") from None
    raise ServeError(f"the Prefect server at {url} is not healthy")


def parameters(sources: list[str], warehouse: str, *, prune: bool = False, workers: int | None = None,
               wait_seconds: float = 600.0, write_report_html: bool = True,
               quarantine_threshold: float = 0.5) -> dict:
    """The ingest flow's parameters for every scheduled run (absolute paths: the runs do not
    start in this directory)."""
    return {"sources": [os.path.abspath(s) for s in sources], "warehouse": os.path.abspath(warehouse),
            "prune": prune, "workers": workers, "wait_seconds": wait_seconds,
            "write_report_html": write_report_html, "quarantine_threshold": quarantine_threshold}


def serve(sources: list[str], warehouse: str, *, cron: str | None = None, interval: float | None = None,
          name: str = DEPLOYMENT, url: str | None = None, **params) -> None:
    """Register the deployment and serve it until interrupted."""
    if bool(cron) == bool(interval):
        raise ServeError("give exactly one of --cron and --interval")
    missing = [s for s in sources if not Path(s).exists()]
    if missing:
        raise ServeError(f"no such source: {', '.join(missing)}")
    os.environ["PREFECT_API_URL"] = api_url(url)     # before Prefect reads its settings
    from prefect.deployments.runner import EntrypointType

    from .ingest import ingest
    ingest.serve(
        name=name,
        cron=cron or None,
        interval=dt.timedelta(seconds=interval) if interval else None,
        parameters=parameters(sources, warehouse, **params),
        description=f"pouch ingest of {', '.join(sources)} into {warehouse}",
        tags=["pouch"],
        limit=1,
        pause_on_shutdown=True,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
