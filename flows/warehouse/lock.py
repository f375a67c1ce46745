"""One writer at a time: an exclusive `flock` on `warehouse/.lock`.

The kernel drops a `flock` when the last descriptor of its holder closes, which happens when the
process dies by any means, SIGKILL included; so a lock cannot outlive its owner and a crashed run
needs no cleanup (stale-lock recovery is the kernel's: the next run simply gets the lock, and
`recover` then deletes what the dead run left). The descriptor is not inherited by the run's
worker processes (they start from a fork server, and Python opens it close-on-exec). Linux NFS
clients map `flock` onto NFS byte-range locks, which the server shares between hosts.

The holder writes its pid, host, run id and start time into the file, so a second run can say who
holds it; the record of a holder that died is simply overwritten by the next one.
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
from collections.abc import Callable, Iterator
from pathlib import Path


class WarehouseLocked(RuntimeError):
    pass


def read_owner(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe(owner: dict) -> str:
    if not owner:
        return "another process"
    text = (f"pid {owner.get('pid')} on {owner.get('host')} (run {owner.get('run_id')}, "
            f"since {owner.get('since')})")
    if owner.get("host") == socket.gethostname() and isinstance(owner.get("pid"), int) and not _alive(owner["pid"]):
        # the recorded pid is gone yet the lock is held: a process it started still has the file open
        text += ", a process that pid left running"
    return text


@contextlib.contextmanager
def writer_lock(path: Path, run_id: str, wait_seconds: float = 0.0,
                on_wait: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Hold the warehouse's writer lock. When another process holds it, wait up to `wait_seconds`
    (calling `on_wait` once with the holder's description), then raise `WarehouseLocked` naming
    the holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    told = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                holder = describe(read_owner(path))
                if time.monotonic() >= deadline:
                    raise WarehouseLocked(
                        f"warehouse {path.parent} is being written by {holder}; "
                        + ("try again when it finishes (or pass --wait SECONDS)" if not wait_seconds else
                           f"gave up after waiting {wait_seconds:g} s")) from None
                if on_wait is not None and not told:
                    on_wait(f"warehouse {path.parent} is being written by {holder}; waiting up to {wait_seconds:g} s")
                    told = True
                time.sleep(0.2)
        owner = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": run_id,
                 "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(owner).encode(), 0)
        os.fsync(fd)
        try:
            yield owner
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)   # closing the descriptor releases the flock
