"""The local worker pool: batches run in forked worker processes, and the forkserver they are forked
from does not outlive the last pool (idle, it held ~350 MB through the commit)."""
from __future__ import annotations

import os
from multiprocessing import forkserver

from flows import executors


def _server_pid() -> int | None:
    return forkserver._forkserver._forkserver_pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_last_pool_to_close_stops_the_forkserver(monkeypatch):
    monkeypatch.setattr(executors, "PRELOAD", [])         # a cold forkserver: the test is about its life
    first, second = executors.LocalProcesses(2), executors.LocalProcesses(1)
    here = os.getpid()
    assert first.submit(os.getpid).result() != here
    server = _server_pid()
    assert server is not None and _alive(server)
    first.close()                                        # another pool is open: the server stays
    assert _server_pid() == server and _alive(server)
    assert second.submit(os.getpid).result() != here
    second.close()
    assert _server_pid() is None and not _alive(server)
    third = executors.LocalProcesses(1)                  # a new pool starts a new server
    try:
        assert third.submit(os.getpid).result() != here
        assert _server_pid() not in (None, server)
    finally:
        third.close()
    assert _server_pid() is None
