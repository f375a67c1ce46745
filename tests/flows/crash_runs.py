"""Run `pouch ingest` several times as real processes, each with its own POUCH_FAULT, and report how
each one ended. Used by `test_atomic.py`:

    python tests/flows/crash_runs.py --parallel 2 CHECKPOINT=WAREHOUSE ... -- INGEST-ARGS...

The CLI and the pipeline are imported (and their lazy tables built) once, then every run is a
forked child that sets its fault and calls the `pouch` command line, so a run costs its own work,
not the ~8 s of imports and warm-up (the parent holds no thread when it forks). Prints one JSON object: checkpoint -> {"signal": n} or
{"exit": n}, and each child's output goes to `<warehouse>.log`.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import traceback
from pathlib import Path


def _child(point: str, warehouse: str, args: list[str]) -> None:
    os.environ["POUCH_FAULT"] = point
    fd = os.open(f"{warehouse}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from flows.cli import app
    code = 1
    try:
        app(["ingest", *args, "--warehouse", warehouse])
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:                       # never return into the parent's loop
        if sys.exc_info()[0] not in (None, SystemExit):
            traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(argv: list[str]) -> int:
    parallel = 1
    if argv[:1] == ["--parallel"]:
        parallel, argv = int(argv[1]), argv[2:]
    split = argv.index("--")
    runs = [a.split("=", 1) for a in argv[:split]]
    args = argv[split + 1:]
    from flows.config import prefect_defaults
    prefect_defaults()
    import tqdm
    tqdm.tqdm.monitor_interval = 0   # no tqdm monitor thread: the parent must hold no thread when it forks
    import flows.cli
    import flows.ingest  # noqa: F401
    from flows.batch import WorkItem, run_batch
    sample = Path(__file__).resolve().parents[2] / "samples" / "cables" / "text" / "09TASHKENT1234.txt"
    run_batch([WorkItem(str(sample), sample.stat().st_size)], "warm-up")   # gazetteers, GX: built once
    assert threading.active_count() == 1, threading.enumerate()
    results: dict[str, dict] = {}
    running: dict[int, str] = {}
    queue = list(runs)
    while queue or running:
        while queue and len(running) < parallel:
            point, warehouse = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                _child(point, warehouse, args)
            running[pid] = point
        pid, status = os.wait()
        point = running.pop(pid)
        results[point] = ({"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status)
                          else {"exit": os.WEXITSTATUS(status)})
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
