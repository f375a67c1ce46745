"""A set of strings that grows by a million without a Python object for each: the doc_ids a run
has staged (`flows.warehouse.merge.Merger.seen`).

A Python set of a million ids costs ~95 bytes an id in the flow process (the string, the set's
slot; measured: +93 MB for 10^6 ids of 14 characters, +27 MB here). Here the latest ids stay a
plain set (`flush_at` of them), and older ones are kept as sorted runs of 16-byte BLAKE2b digests
(16 bytes an id). Two different ids share a digest with a probability of ~n²/2^129 (~10^-25
for ten million ids), so a digest match is taken as the id itself, as Git takes a hash for
its object. The ids themselves are in the run's `CopyLog` when they are needed as strings.

`among` answers for a batch of ids at once (one vectorized search per run). Ids are added one
by one to the plain set, and moved to a run only by `settle`, between batches: a batch's answers
from `among` stay true while it adds its ids (a second copy of an id in the same batch is found
in the plain set).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np


def _digests(values: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """The 16-byte digests of `values` as two uint64 arrays (first and second halves)."""
    raw = b"".join(hashlib.blake2b(v.encode("utf-8", "surrogatepass"), digest_size=16).digest() for v in values)
    both = np.frombuffer(raw, dtype="<u8").reshape(-1, 2)
    return both[:, 0], both[:, 1]


class IdSet:
    def __init__(self, flush_at: int = 1 << 16) -> None:
        self.flush_at = flush_at
        self.recent: set[str] = set()
        #: digests by their first half, sorted, with their second halves: `flush_at` ids or so each
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._flushed = 0

    def __len__(self) -> int:
        return self._flushed + len(self.recent)

    def __contains__(self, value: str) -> bool:
        return value in self.recent or bool(self._in_runs([value])[0])

    def among(self, values: list[str]) -> np.ndarray:
        """Which of `values` are in the set, as a bool array."""
        hit = self._in_runs(values)
        if self.recent:
            hit |= np.fromiter((v in self.recent for v in values), bool, len(values))
        return hit

    def add(self, value: str) -> None:
        """Add `value`, known to be absent (asked with `among` or `in`)."""
        self.recent.add(value)

    def settle(self) -> None:
        """Between batches: the latest ids to a sorted run of digests, once there are `flush_at`."""
        if len(self.recent) >= self.flush_at:
            hi, lo = _digests(self.recent)
            order = np.argsort(hi)
            self.runs.append((hi[order], lo[order]))
            self._flushed += len(self.recent)
            self.recent = set()

    def _in_runs(self, values: list[str]) -> np.ndarray:
        hit = np.zeros(len(values), bool)
        if not self.runs or not values:
            return hit
        qhi, qlo = _digests(values)
        for hi, lo in self.runs:            # a search on the first halves, then the second compared
            left = np.searchsorted(hi, qhi, "left")
            right = np.searchsorted(hi, qhi, "right")
            one = right - left == 1
            hit[one] |= lo[left[one]] == qlo[one]
            for i in np.flatnonzero(right - left > 1):      # first halves equal: ~n²/2^65, checked all the same
                hit[i] |= bool((lo[left[i]:right[i]] == qlo[i]).any())
        return hit
