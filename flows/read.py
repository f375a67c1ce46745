"""Read input files, and open .zip archives safely, in memory.

Archive members are never written to disk, so a `../` name cannot escape anywhere; such names are
refused all the same (an archive that tries it is hostile). Zip bombs are refused by the declared
sizes and again while reading (a member that inflates past its declared size or past the ratio
limit is cut off and refused).
"""
from __future__ import annotations

import hashlib
import io
import os
import posixpath
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from .config import DOCUMENT_SUFFIXES, Limits


@dataclass(slots=True)
class Blob:
    """Bytes of one input (a file, or a member of an archive) or the reason there are none."""
    path: str
    parent: str | None
    size: int
    data: bytes | None = None
    sha256: str | None = None
    error: str | None = None
    fmt: str | None = None        # format, when already known from the error
    skip: str | None = None
    stream: str | None = None     # a large cables.csv read block by block from this path, not held whole


def read_bytes(path: str, limit: int) -> bytes:
    """The file's bytes, refused above `limit`. A regular file is read by its size (`readall`):
    a bounded `read(limit + 1)` asks for the whole limit up front (64 MiB for every 5 KB file:
    measured 28-46 us of CPU a file against 9 with `readall`, and worse on a busy machine)."""
    too_big = f"file is larger than the {limit // 2**20} MiB limit"
    with open(path, "rb", buffering=0) as fh:
        st = os.fstat(fh.fileno())
        regular = stat.S_ISREG(st.st_mode)
        if regular and st.st_size > limit:
            raise ValueError(too_big)
        data = fh.readall() if regular else _read_upto(fh, limit + 1)   # readall: to the end, if it grew
    if len(data) > limit:
        raise ValueError(too_big)
    return data


def _read_upto(fh, n: int) -> bytes:
    """Up to `n` bytes of an unbuffered stream (a pipe returns what it holds at each read)."""
    parts, left = [], n
    while left > 0 and (block := fh.read(min(left, CHUNK_BYTES))):
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: A .csv file above this size is streamed (hashed, then parsed row by row in 1 MiB blocks).
STREAM_CSV_BYTES = 32 * 2**20
CHUNK_BYTES = 2**20


def file_chunks(path: str, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while block := fh.read(size):
            yield block


def sha256_file(path: str, limit: int) -> tuple[str, int]:
    """(sha256, size) of a file read block by block; ValueError above `limit` bytes."""
    digest = hashlib.sha256()
    size = 0
    for block in file_chunks(path):
        size += len(block)
        if size > limit:
            raise ValueError(f"file is larger than the {limit // 2**20} MiB limit")
        digest.update(block)
    return digest.hexdigest(), size


def _unsafe(name: str) -> str | None:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return "'..' path (would escape the extraction folder)"
    return None


def expand_zip(path: str, data: bytes, limits: Limits) -> Iterator[Blob]:
    """Members of the archive as Blobs; one Blob with `error` set when the archive is refused."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        yield Blob(path, None, len(data), error=f"corrupt zip archive: {err}", fmt="zip")
        return
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.max_zip_members:
        yield Blob(path, None, len(data), error=f"zip has {len(files)} members, above the limit of {limits.max_zip_members}", fmt="zip")
        return
    declared = sum(i.file_size for i in files)
    if declared > limits.max_zip_total_bytes:
        yield Blob(path, None, len(data), error=f"zip bomb refused: {declared / 2**20:.0f} MiB uncompressed, above "
                   f"{limits.max_zip_total_bytes // 2**20} MiB", fmt="zip")
        return
    copies: dict[str, int] = {}
    for info in files:
        name = info.filename
        member = f"{path}::{name}"
        copies[name] = copies.get(name, 0) + 1
        if copies[name] > 1:        # zipfile writes them (with a warning); which one is "the" file?
            yield Blob(f"{member} (copy {copies[name]})", path, info.file_size, fmt="zip",
                       error="duplicate member name in the archive: only the first copy is read")
            continue
        if (why := _unsafe(name)) is not None:
            yield Blob(member, path, info.file_size, error=f"unsafe member name refused: {why}", fmt="zip")
            continue
        if info.flag_bits & 0x1:
            yield Blob(member, path, info.file_size, error="encrypted zip member: a password is needed", fmt="zip")
            continue
        suffix = posixpath.splitext(name)[1].lower()
        if posixpath.basename(name).startswith(".") or name.startswith("__MACOSX/"):
            yield Blob(member, path, info.file_size, skip="hidden file or macOS resource fork")
            continue
        if suffix not in DOCUMENT_SUFFIXES:
            yield Blob(member, path, info.file_size, skip=f"not a document type pouch reads ({suffix})")
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > limits.max_zip_ratio:
            yield Blob(member, path, info.file_size, error=f"zip bomb refused: compression ratio {ratio:.0f}:1 above "
                       f"{limits.max_zip_ratio:.0f}:1", fmt="zip")
            continue
        cap = min(limits.max_file_bytes, info.file_size)
        try:
            with zf.open(info) as fh:
                content = fh.read(cap + 1)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as err:
            yield Blob(member, path, info.file_size, error=f"unreadable zip member: {err}", fmt="zip")
            continue
        if len(content) > cap:
            yield Blob(member, path, info.file_size, error="zip member larger than declared or above the file limit "
                       "(refused as a possible bomb)", fmt="zip")
            continue
        yield Blob(member, path, len(content), content, sha256(content))
