"""Reading one input file whole, within the size limit."""
from __future__ import annotations

import os
import threading

import pytest

from flows.read import read_bytes


def test_a_file_is_read_whole(tmp_path):
    data = os.urandom(70_001) + b"\x00tail"
    (tmp_path / "a.bin").write_bytes(data)
    assert read_bytes((tmp_path / "a.bin").as_posix(), 2**20) == data
    (tmp_path / "empty.txt").write_bytes(b"")
    assert read_bytes((tmp_path / "empty.txt").as_posix(), 2**20) == b""


def test_a_file_at_the_limit_loads_and_one_byte_more_is_refused(tmp_path):
    limit = 3 * 2**20
    (tmp_path / "at.txt").write_bytes(b"x" * limit)
    (tmp_path / "over.txt").write_bytes(b"x" * (limit + 1))
    assert len(read_bytes((tmp_path / "at.txt").as_posix(), limit)) == limit
    with pytest.raises(ValueError, match="larger than the 3 MiB limit"):
        read_bytes((tmp_path / "over.txt").as_posix(), limit)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_stream_without_a_size_is_cut_at_the_limit(tmp_path):
    """A pipe has no size to read by: it is read up to the limit, and refused past it."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    limit = 2**20

    def write() -> None:
        with open(fifo, "wb") as fh:
            try:
                fh.write(b"y" * (4 * limit))      # more than the limit: the reader stops early
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with pytest.raises(ValueError, match="larger than the 1 MiB limit"):
        read_bytes(fifo.as_posix(), limit)
    writer.join(timeout=5)
