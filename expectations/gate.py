"""The quality gate: when too many documents of a run fail validation, the run commits nothing.

The check is on documents, not rows: a document is refused when any of its rows fails a critical
expectation (see `expectations.validate`), so the share of refused documents is what the clean
tables lose. Inputs that could not be read at all (empty, binary, encrypted ...) are not counted:
they never became documents, and one folder of junk must not block the good ones.
"""
from __future__ import annotations

#: Quarantine `expectation` of inputs that could not be read (not a validation failure).
INPUT_CHECK = "readable_input"


def gate_message(refused: int, parsed: int, threshold: float, reasons: dict[str, list]) -> str | None:
    """None when the run may commit; otherwise the one-paragraph message the run fails with.
    `reasons` maps a check to `[rows, example keys]` (the run summary's `quarantine_reasons`)."""
    if not parsed or refused / parsed <= threshold:
        return None
    top = sorted(((k, v) for k, v in reasons.items() if k != INPUT_CHECK), key=lambda kv: -kv[1][0])[:3]
    detail = "; ".join(f"{k} x{v[0]} (e.g. {', '.join(map(str, v[1][:2]))})" for k, v in top) or "none recorded"
    return (f"quality gate: {refused} of {parsed} documents failed validation ({refused / parsed:.0%} > "
            f"threshold {threshold:.0%}), so nothing was committed and the warehouse is unchanged. "
            f"Top reasons: {detail}. Fix the input or the parser, or raise --quarantine-threshold.")
