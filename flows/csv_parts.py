"""A big cables.csv dump cut into parts that workers read in parallel, each in bounded memory.

A part is a byte range that starts and ends on a record boundary, with the number of the first
row in it, so a worker reads its part alone and names its rows (`cables.csv#row812`) exactly as
one reader going through the whole file would. The boundaries come from one pass over the file
(`split_csv`, run in a worker; it also hashes the file): the same CSV reader the parser uses
(`transforms.sources.cables_csv.iter_rows`, same dialect, same decoding of lines) is fed the
file's lines one at a time, and after each row it yields, the end of the last line it took is a
boundary. Boundaries are therefore where that reader starts a fresh row, bad rows included (after
a row it refused, it starts afresh on the next line too), so reading part by part gives the rows,
the refusals and the row numbers of reading the whole file.
"""
from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from transforms.detect import sniff_text
from transforms.sources.cables_csv import iter_rows

from .read import CHUNK_BYTES


@dataclass(slots=True)
class CsvPart:
    start: int          # byte offset of the part's first record
    end: int            # byte offset after its last record
    first_row: int      # 0-based number of its first row in the file


@dataclass(slots=True)
class CsvSplit:
    path: str
    sha256: str | None
    size: int
    parts: list[CsvPart] = field(default_factory=list)
    error: str | None = None


def raw_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a byte stream, each with its `\\n`, whatever the block boundaries."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        if b"\n" not in chunk:
            continue
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line + b"\n"
    if pending:
        yield pending


def _decoded(line: bytes) -> str:
    # as `lines_from_chunks` gives them: UTF-8 with U+FFFD for bad bytes, CR LF made LF
    # (a line ends in "\n", and "\n" is never inside a UTF-8 sequence, so decoding a whole line
    # alone gives what an incremental decoder gives)
    text = line.decode("utf-8", errors="replace")
    if text.endswith("\n"):
        return text[:-1].removesuffix("\r") + "\n"
    return text.removesuffix("\r")


def record_ends(lines: Iterable[bytes]) -> Iterator[tuple[int, int]]:
    """(byte offset after the row, number of the next row) for every row the cables.csv reader
    yields from these lines (a row it refuses counts; blank lines join the next row)."""
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal consumed
        for line in lines:
            consumed += len(line)
            yield _decoded(line)

    for row in iter_rows(feed()):
        yield consumed, row.index + 1


def split_csv(path: str, part_bytes: int, limit: int, part_rows: int | None = None) -> CsvSplit:
    """Hash the file and cut it into parts of about `part_bytes`, or `part_rows` rows when that
    comes first (see the module doc)."""
    digest = hashlib.sha256()
    size = 0

    def blocks() -> Iterator[bytes]:
        nonlocal size
        with open(path, "rb") as fh:
            while block := fh.read(CHUNK_BYTES):
                size += len(block)
                if size > limit:
                    raise ValueError(f"file is larger than the {limit // 2**20} MiB limit")
                digest.update(block)
                yield block

    parts: list[CsvPart] = []
    start = first = 0
    try:
        stream = blocks()
        head = next(stream, b"")
        if sniff_text(path, head[:8192].decode("utf-8", errors="replace")) != "cables_csv":
            for _ in stream:        # not a cables.csv dump: one part, whose reader says so
                pass
            return CsvSplit(path, digest.hexdigest(), size, [CsvPart(0, size, 0)])
        for end, next_row in record_ends(raw_lines(itertools.chain([head], stream))):
            if end - start >= part_bytes or (part_rows and next_row - first >= part_rows):
                parts.append(CsvPart(start, end, first))
                start, first = end, next_row
    except (OSError, ValueError) as err:
        msg = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return CsvSplit(path, None, size, error=f"cannot read file: {msg}")
    if size > start or not parts:
        parts.append(CsvPart(start, size, first))
    return CsvSplit(path, digest.hexdigest(), size, parts)


def range_chunks(path: str, start: int, end: int, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The bytes [start, end) of a file, block by block."""
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0 and (block := fh.read(min(size, left))):
            left -= len(block)
            yield block
