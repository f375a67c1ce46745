"""A batch's three Arrow tables, from a local worker process to the flow process through files.

`concurrent.futures` pickles a worker's result into one message (protocol 4): the tables' buffers
are copied into bytes, then into the message, and the flow process reads the message whole and
rebuilds the tables from it. For a batch of 1,000 documents (~19 MB of tables) that is ~38 MB of
transient copies on each side, in the worker at the end of its batch and in the flow process
while it takes the results, and the two happen at the same moment. Here the worker writes each
table as an Arrow IPC file in the run's staging (`park`) and sends only the rest; the flow process
maps the files (`unpark`: zero-copy, the pages are the page cache's) and deletes them once mapped.

Only for local worker processes, which see the flow's staging by construction. Dask serializes
Arrow buffers out of band (no copies), and its workers may be on other machines.
"""
from __future__ import annotations

import dataclasses
import os
import uuid
from pathlib import Path

import pyarrow as pa

from .batch import BatchResult, run_batch
from .config import Limits

TABLES = ("documents", "paragraphs", "entities")
#: The folder of the run's staging where batches leave their tables (removed with the staging).
FOLDER = "_batches"


@dataclasses.dataclass(frozen=True)
class Parked:
    """Where a batch's tables wait: one Arrow IPC file per table, `<stem>.<table>.arrow`."""
    stem: str

    def path(self, table: str) -> Path:
        return Path(f"{self.stem}.{table}.arrow")


def park(result: BatchResult, folder: str) -> BatchResult:
    """The result with its tables written under `folder` and replaced by a `Parked` (in `parked`)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    where = Parked(os.path.join(folder, uuid.uuid4().hex))
    for name in TABLES:
        table: pa.Table = getattr(result, name)
        with pa.OSFile(str(where.path(name)), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    return dataclasses.replace(result, parked=where, **{name: None for name in TABLES})


def unpark(result: BatchResult) -> BatchResult:
    """The result with its tables back, mapped from their files (then deleted: the mappings stay
    valid until the tables are let go). A result that was not parked is returned as it is."""
    where = result.parked
    if where is None:
        return result
    tables = {}
    for name in TABLES:
        path = where.path(name)
        with pa.memory_map(str(path)) as source:
            tables[name] = pa.ipc.open_file(source).read_all()
        path.unlink(missing_ok=True)
    return dataclasses.replace(result, parked=None, **tables)


def run_batch_parked(folder: str, items: list, run_id: str, limits: Limits) -> BatchResult:
    """`run_batch` in a worker process, its tables left in `folder` (see the module doc)."""
    return park(run_batch(items, run_id, limits), folder)
