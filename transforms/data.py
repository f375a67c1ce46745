"""Package data files (gazetteers, vocabularies). They ship inside the package and are part of
the code, so reading them is not the pipeline's I/O; each file is read once per process."""
from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def data_lines(package: str, name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a package data file."""
    raw = resources.files(package).joinpath(name).read_bytes().decode("utf-8")
    return tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#"))
