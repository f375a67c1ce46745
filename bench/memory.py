"""Peak memory of a process tree, sampled with psutil while it runs.

RSS counts a page shared by several processes once in each of them (forked workers share the
pages of the modules their parent had loaded), so the sum of RSS over a tree overstates what it
uses; PSS splits each shared page among the processes sharing it, so the sum of PSS is what the
tree really holds. Both peaks are reported, with the peak of each role (the pouch process, its
worker processes, the Prefect server it started), in MiB.
"""
from __future__ import annotations

import threading
import time

import psutil

MIB = 2**20


def _role(p: psutil.Process, root: int) -> str:
    if p.pid == root:
        return "flow"
    try:
        cmd = " ".join(p.cmdline())
    except (psutil.Error, OSError):
        return "other"
    if "uvicorn" in cmd or "prefect" in cmd and "server" in cmd:
        return "prefect_server"
    if "forkserver" in cmd or "multiprocessing" in cmd or "dask" in cmd or "distributed" in cmd:
        return "workers"
    return "other"


class TreeSampler:
    """Samples the tree under `pid` every `interval` seconds in a thread (PSS every `pss_every`-th
    sample: reading smaps costs a few ms a process)."""

    def __init__(self, pid: int, interval: float = 0.2, pss_every: int = 5) -> None:
        self.pid = pid
        self.interval = interval
        self.pss_every = pss_every
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_by_role: dict[str, int] = {}
        self.pss_at_peak: dict[str, int] = {}
        #: (seconds since start, {role: PSS bytes}) for every PSS sample
        self.trace: list[tuple[float, dict[str, int]]] = []
        self.epoch0 = 0.0           # time.time() at the trace's second 0 (to line up other timings)
        self.max_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._roles: dict[int, str] = {}

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        t0 = time.perf_counter()
        self.epoch0 = time.time()
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            self.samples += 1
            with_pss = self.samples % self.pss_every == 1
            rss = pss = 0
            by_role: dict[str, int] = {}
            pss_by_role: dict[str, int] = {}
            for p in procs:
                try:
                    if with_pss:
                        mi = p.memory_full_info()
                        pss += mi.pss
                        role = self._roles.get(p.pid) or self._roles.setdefault(p.pid, _role(p, self.pid))
                        pss_by_role[role] = pss_by_role.get(role, 0) + mi.pss
                    else:
                        mi = p.memory_info()
                except (psutil.Error, OSError):
                    continue
                rss += mi.rss
                role = self._roles.get(p.pid) or self._roles.setdefault(p.pid, _role(p, self.pid))
                by_role[role] = by_role.get(role, 0) + mi.rss
            self.max_processes = max(self.max_processes, len(procs))
            self.peak_rss = max(self.peak_rss, rss)
            if with_pss:
                self.trace.append((time.perf_counter() - t0, pss_by_role))
            if with_pss and pss > self.peak_pss:
                self.peak_pss = pss
                self.pss_at_peak = pss_by_role
            for k, v in by_role.items():
                self.peak_by_role[k] = max(self.peak_by_role.get(k, 0), v)
            self._stop.wait(self.interval)

    def trace_mib(self) -> list[dict]:
        return [{"t": round(t, 1), **{k: round(v / MIB) for k, v in sorted(r.items())}} for t, r in self.trace]

    def report(self) -> dict:
        return {"peak_rss_mib": round(self.peak_rss / MIB, 1), "peak_pss_mib": round(self.peak_pss / MIB, 1),
                "peak_rss_by_role_mib": {k: round(v / MIB, 1) for k, v in sorted(self.peak_by_role.items())},
                # where the tree's PSS was when it peaked
                "pss_at_peak_by_role_mib": {k: round(v / MIB, 1) for k, v in sorted(self.pss_at_peak.items())},
                "max_processes": self.max_processes}
