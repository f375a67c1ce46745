"""Where the batches run: in the flow process, in local worker processes, or on a Dask cluster.

The work sent is always a plain function of `flows.batch` or `flows.csv_parts` (`run_batch`,
`split_csv`) with plain data: no Prefect on the worker side, so a worker needs nothing but the
pouch package importable, and no Prefect API. The Prefect task of each batch runs in a thread of
the flow process and waits for its batch here (the UI shows one task per batch, never per
document).

- `InProcess` (`--workers 1`): the batch runs in the thread of its task.
- `LocalProcesses` (default: one per core): a forkserver process pool. The forkserver imports
  the pipeline and warms its caches (word lists, automata, gazetteers: ~5 s a process) once,
  before it forks the workers, so each worker starts warm and shares those pages with the others.
- `DaskCluster` (`--dask-address tcp://HOST:PORT`): an existing `distributed` cluster, reached
  through prefect-dask's client (a `distributed.Client`). Workers read the input files by the
  paths the flow found them under, so the sources must be on a path every worker sees the same.

Executors are registered by run id: Prefect task parameters are plain data, an executor is not.
What a batch task works on and what it gives back (a batch's files, its Arrow tables) go through
`hand_over` / `take` too, never through Prefect: Prefect keeps every task's parameters and result
with the run's futures until the flow ends (measured: +20 MB of flow-process memory per batch of
1,000 documents, so gigabytes at a million documents).
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from .config import Settings

#: Modules the forkserver imports before it forks workers (`flows.warm` warms the caches).
PRELOAD = ["flows.warm"]


class Executor(Protocol):
    kind: str
    slots: int                       # batches that run at the same time

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:   # anything with .result()
        ...

    def close(self) -> None:
        ...


class InProcess:
    kind = "in-process"
    slots = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future:
        fut: cf.Future = cf.Future()
        try:
            fut.set_result(fn(*args))
        except BaseException as err:  # noqa: BLE001 - handed to the caller through the future
            fut.set_exception(err)
        return fut

    def close(self) -> None:
        pass


class LocalProcesses:
    """The forkserver outlives its pool (multiprocessing keeps it until the process exits): idle,
    it still holds its imports and caches (~350 MB PSS once its workers are gone), through the
    merge, the commit and the report. So the last pool to close stops it; the next pool starts and
    warms a new one (~5 s)."""
    kind = "local-processes"
    _open = 0                                        # pools open in this process

    def __init__(self, workers: int) -> None:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        self.slots = workers
        self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
        with _LOCK:
            LocalProcesses._open += 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future:
        return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        with _LOCK:
            LocalProcesses._open -= 1
            last = LocalProcesses._open == 0
        if last:
            _stop_forkserver()


def _stop_forkserver() -> None:
    """Stop multiprocessing's forkserver, if it runs (`ForkServer._stop`: private, in CPython
    since 3.8; without it the server stays until the process exits, as before)."""
    from multiprocessing import forkserver
    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        stop()


class DaskCluster:
    kind = "dask"

    def __init__(self, address: str) -> None:
        from prefect_dask.client import PrefectDaskClient
        self.client = PrefectDaskClient(address, set_as_default=False, timeout="30s")
        info = self.client.scheduler_info(n_workers=-1)
        workers = info.get("workers", {})
        if not workers:
            self.client.close()
            raise RuntimeError(f"the Dask cluster at {address} has no workers")
        self.slots = sum(w.get("nthreads", 1) for w in workers.values())
        self.address = address

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        # pure=False: two batches with equal arguments (a retry) are two tasks, not one cached key
        return self.client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self.client.close()


def make_executor(settings: Settings, batches: int) -> Executor:
    """The executor a run asks for: Dask when an address is given, else local processes (when
    there is more than one worker and more than one batch), else the flow process."""
    if settings.dask_address:
        return DaskCluster(settings.dask_address)
    if settings.workers > 1 and batches > 1:
        return LocalProcesses(min(settings.workers, batches))
    return InProcess()


_OPEN: dict[str, Executor] = {}
_LOCK = threading.Lock()


@contextlib.contextmanager
def executor(settings: Settings, batches: int) -> Iterator[str]:
    """Open the run's executor; yields the key its tasks find it under (`lookup`)."""
    ex = make_executor(settings, batches)
    key = settings.run_id
    with _LOCK:
        _OPEN[key] = ex
    try:
        yield key
    finally:
        with _LOCK:
            _OPEN.pop(key, None)
        drop(key)
        ex.close()


def lookup(key: str | None) -> Executor:
    with _LOCK:
        ex = _OPEN.get(key) if key else None
    return ex or InProcess()


_HANDED: dict[tuple, Any] = {}


def hand_over(key: str, slot: tuple, value: Any) -> None:
    """Leave `value` for the step that will `take` it (see the module doc)."""
    with _LOCK:
        _HANDED[(key, *slot)] = value


def take(key: str, slot: tuple) -> Any:
    with _LOCK:
        return _HANDED.pop((key, *slot))


def drop(key: str) -> None:
    """Forget what a run left (a run that failed half way)."""
    with _LOCK:
        for k in [k for k in _HANDED if k[0] == key]:
            del _HANDED[k]


_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None


def release_memory() -> None:
    """Give back to the system what a batch's transient copies took (Arrow's allocator caches freed
    blocks, glibc keeps freed heap): the flow process's memory then stays near its floor between
    batches instead of at the high-water mark of the largest one."""
    import pyarrow as pa
    pa.default_memory_pool().release_unused()
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
