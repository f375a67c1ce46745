"""Find input files under the given paths. Never follows symlinked directories (no loops);
every file found, readable or not, becomes a `FileRef` so the ledger accounts for it."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .config import DOCUMENT_SUFFIXES


@dataclass(slots=True)
class FileRef:
    path: str                 # as shown in the ledger (absolute, POSIX)
    size: int
    mtime_ns: int
    error: str | None = None  # set when the file cannot be used (broken link, loop, unreadable)
    skip: str | None = None   # set when the file is not a document type pouch reads


def shown(path: str) -> str:
    """The path as the ledger can store it: bytes of a file name that are not UTF-8 (kept by
    Python as surrogates) become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _outside(p: Path, roots: tuple[Path, ...]) -> bool:
    """A symlinked file whose target is outside every folder given to the run."""
    if not p.is_symlink() or not roots:
        return False
    target = p.resolve()
    return not any(target == r or r in target.parents for r in roots)


def _ref(p: Path, roots: tuple[Path, ...] = ()) -> FileRef:
    path = p.absolute().as_posix()
    if shown(path) != path:
        return FileRef(shown(path), 0, 0, error="file name is not valid UTF-8: rename the file to read it")
    try:
        st = p.stat()          # follows a file symlink
    except OSError as err:
        kind = "symlink loop" if err.errno == 40 else "broken symlink" if p.is_symlink() else "cannot stat"
        return FileRef(path, 0, 0, error=f"{kind}: {err.strerror}")
    if not stat.S_ISREG(st.st_mode):
        return FileRef(path, 0, 0, error="not a regular file (device, socket or FIFO)")
    if _outside(p, roots):
        # a link inside a source folder must not pull in /etc/passwd or another user's files
        return FileRef(path, 0, 0, error="symlink points outside the input folders (not followed)")
    ref = FileRef(path, st.st_size, st.st_mtime_ns)
    if not os.access(p, os.R_OK):
        ref.error = "permission denied: the file is not readable"
    elif p.suffix.lower() not in DOCUMENT_SUFFIXES:
        ref.skip = f"not a document type pouch reads ({p.suffix.lower()})"
    return ref


def discover(paths: list[Path] | tuple[Path, ...]) -> list[FileRef]:
    """All files under `paths` (files are taken as given), sorted, each once."""
    seen: set[str] = set()
    out: list[FileRef] = []

    def add(ref: FileRef) -> None:
        if ref.path not in seen:
            seen.add(ref.path)
            out.append(ref)

    for root in paths:
        root = Path(root)
        if root.is_dir() and not root.is_symlink():
            def unreadable(err: OSError) -> None:
                add(FileRef(shown(Path(err.filename).absolute().as_posix()), 0, 0,
                            error=f"cannot list directory: {err.strerror}"))

            roots = tuple(Path(r).resolve() for r in paths if Path(r).is_dir())
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
                for d in sorted(dirnames):
                    if d.startswith("."):       # .git, .cache: listed once, not searched
                        add(FileRef(shown((Path(dirpath) / d).absolute().as_posix()), 0, 0,
                                    skip="hidden directory: not searched"))
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for d in list(dirnames):
                    if (Path(dirpath) / d).is_symlink():
                        dirnames.remove(d)
                        add(FileRef(shown((Path(dirpath) / d).absolute().as_posix()), 0, 0,
                                    error="symlinked directory not followed (loops and escapes are refused)"))
                for name in sorted(filenames):
                    ref = _ref(Path(dirpath) / name, roots)
                    if name.startswith(".") and not ref.error:
                        ref.skip = "hidden file: not read"
                    add(ref)
        elif root.is_dir():
            add(FileRef(root.absolute().as_posix(), 0, 0, error="symlinked directory not followed"))
        elif root.exists() or root.is_symlink():
            add(_ref(root))
        else:
            add(FileRef(root.absolute().as_posix(), 0, 0, error="no such file or directory"))
    out.sort(key=lambda r: r.path)
    return out
