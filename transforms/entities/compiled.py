"""Whether the compiled fast path (`_fast.pyx`, built by setup.py when a C compiler is there) is in
use. Set POUCH_PURE_PYTHON=1 to run the pure-Python modules even where it is built (the tests
compare both)."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from types import ModuleType


def fast_module() -> ModuleType | None:
    if os.environ.get("POUCH_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    return _fast


_FAST = fast_module()


def finditer_at(rx: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`; with the compiled path, `starts` are the offsets where a match of `rx`
    may start (`_fast.digit_starts`, `acronym_starts`, `office_starts`) and `rx` is tried there only
    (`_fast.matches_at`; tests/transforms/entities/test_compiled.py checks both give the same
    matches). `starts` is None without the compiled path."""
    return rx.finditer(text) if starts is None else _FAST.matches_at(rx.match, text, starts)
