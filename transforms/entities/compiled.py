"""Whether the compiled fast path (`_fast.pyx`, built by setup.py when a C compiler is there) is in
use. Set POUCH_PURE_PYTHON=1 to run the pure-Python modules even where it is built (the tests
compare both)."""
from __future__ import annotations

import os
from types import ModuleType


def fast_module() -> ModuleType | None:
    if os.environ.get("POUCH_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    return _fast
