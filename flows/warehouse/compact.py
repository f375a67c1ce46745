"""`pouch compact`: merge the small files of every partition, as a commit of its own (atomic,
under the writer lock, readers unaffected)."""
from __future__ import annotations

from pathlib import Path

from ..config import new_run_id
from .commit import StagedRun, commit
from .lock import writer_lock
from .store import Layout, Snapshot, current_snapshot, recover


def file_counts(snapshot: Snapshot) -> dict[str, int]:
    return {name: len(t["files"]) for name, t in snapshot.manifest["tables"].items()}


def compact_warehouse(root: Path, wait_seconds: float = 0.0) -> tuple[dict[str, int], Snapshot]:
    """Rewrite every partition that holds two or more small files; returns the file counts per
    table before, and the new snapshot."""
    layout = Layout(root)
    if current_snapshot(layout) is None:
        raise FileNotFoundError(f"no committed warehouse at {root}")
    run_id = f"compact-{new_run_id()}"
    with writer_lock(layout.lock_file, run_id, wait_seconds):
        recover(layout)
        before = file_counts(current_snapshot(layout))
        snap = commit(layout, StagedRun(run_id, layout.staging / run_id, extra={"operation": "compact"}),
                      compact_all=True)
    return before, snap
