"""One writer at a time: an exclusive `flock` on `warehouse/.lock`.

The kernel drops the lock when its process dies (even by SIGKILL), so a stale lock cannot outlive
its owner on a local disk; the owner's pid, host and run id are written into the file so a second
run can say who holds it. On a network file system where `flock` is not shared between hosts, a
lock file whose owner is on this host and no longer alive is taken over.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path


class WarehouseLocked(RuntimeError):
    pass


def _owner(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def describe(owner: dict) -> str:
    if not owner:
        return "another process"
    return (f"pid {owner.get('pid')} on {owner.get('host')} (run {owner.get('run_id')}, "
            f"since {owner.get('since')})")


@contextlib.contextmanager
def writer_lock(path: Path, run_id: str, wait_seconds: float = 0.0) -> Iterator[dict]:
    """Hold the warehouse's writer lock; wait up to `wait_seconds` for it, then raise
    `WarehouseLocked` naming the holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise WarehouseLocked(
                        f"warehouse {path.parent} is being written by {describe(_owner(path))}; "
                        f"try again when it finishes (or pass --wait SECONDS)") from None
                time.sleep(0.2)
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                 "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(owner).encode(), 0)
        os.fsync(fd)
        yield owner
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)   # closing the descriptor releases the flock
