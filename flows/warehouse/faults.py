"""Fault injection for the crash tests: `POUCH_FAULT=<checkpoint>[:pause]`.

The write path calls `checkpoint(name)` at the moments a crash matters (see `CHECKPOINTS`). When
the variable names that checkpoint the process SIGKILLs itself there, exactly as a power cut or
the OOM killer would (no `finally`, no atexit, no flush). With `:pause` it instead writes
`<warehouse>/.fault-<checkpoint>` (so a test knows it got there) and sleeps until killed; with
`:sleep=SECONDS` it writes the same file, sleeps that long and carries on. Tests use both to run a
second writer against one that holds the lock. Unset, a checkpoint costs one dictionary lookup.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ENV = "POUCH_FAULT"
CHECKPOINTS = (
    "staged",          # the first batch's rows are in the staging writers (run in progress)
    "before-commit",   # staging files closed and fsynced, commit not started
    "commit-linked",   # the next snapshot is half built (some files hard-linked, some not)
    "commit-rewrote",  # ... and a file holding replaced documents has been rewritten
    "before-swap",     # the next snapshot is complete and renamed, `_current` not yet moved
    "after-swap",      # `_current` moved; staging not yet cleaned, old snapshots not yet collected
)


def checkpoint(name: str, root: Path | None = None) -> None:
    want = os.environ.get(ENV)
    if not want:
        return
    point, _, action = want.partition(":")
    if point != name:
        return
    if action == "pause" or action.startswith("sleep="):
        if root is not None:
            (root / f".fault-{name}").write_text(str(os.getpid()))
        if action == "pause":
            while True:
                time.sleep(1)
        time.sleep(float(action.removeprefix("sleep=")))
        return
    os.kill(os.getpid(), signal.SIGKILL)
