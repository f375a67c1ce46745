"""The repair log: every change made to a text is recorded with what it was and where."""
from __future__ import annotations

import re
from collections.abc import Callable

from .records import Repair

#: Past this many repairs of one kind in one document, further ones are counted in a single
#: summary entry instead of listed (a 50 MB file full of NUL bytes must not yield 50 M rows).
MAX_PER_KIND = 50


class RepairLog:
    """Collects `Repair`s, capping each kind at `MAX_PER_KIND` listed entries."""

    __slots__ = ("items", "_counts")

    def __init__(self, items: list[Repair] | None = None) -> None:
        self.items: list[Repair] = []
        self._counts: dict[str, int] = {}
        for r in items or ():
            self.add(r.kind, r.offset, r.before, r.after)

    def add(self, kind: str, offset: int, before: str, after: str) -> None:
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        if n <= MAX_PER_KIND:
            self.items.append(Repair(kind, offset, before[:200], after[:200]))

    def finish(self) -> list[Repair]:
        out = list(self.items)
        for kind, n in self._counts.items():
            if n > MAX_PER_KIND:
                out.append(Repair(kind, -1, f"{n - MAX_PER_KIND} more", ""))
        return out

    def __len__(self) -> int:
        return sum(self._counts.values())


def sub_logged(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str] | str, text: str,
               log: RepairLog, kind: str) -> str:
    """`pattern.sub` that records every replacement in `log` (offsets in the input text)."""
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if new == m.group(0):
            continue
        out.append(text[pos:m.start()])
        out.append(new)
        log.add(kind, m.start(), m.group(0), new)
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
