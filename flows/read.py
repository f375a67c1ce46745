"""Read input files, and open .zip archives safely, in memory.

Archive members are never written to disk, so a `../` name cannot escape anywhere; such names are
refused all the same (an archive that tries it is hostile). Zip bombs are refused by the declared
sizes and again while reading (a member that inflates past its declared size or past the ratio
limit is cut off and refused).
"""
from __future__ import annotations

import hashlib
import io
import posixpath
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


def read_bytes(path: str, limit: int) -> bytes:
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"file is larger than the {limit // 2**20} MiB limit")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    for info in files:
        name = info.filename
        member = f"{path}::{name}"
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
