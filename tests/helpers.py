"""Small helpers shared by tests."""
from __future__ import annotations

from pathlib import Path

from transforms.documents import add_entities, open_source, parse_document, sha256_hex
from transforms.records import ParsedDocument, SourceText


def parse_file(path: Path, name: str | None = None) -> list[ParsedDocument]:
    data = path.read_bytes()
    out = []
    for src in open_source(name or path.as_posix(), data, sha256_hex(data)):
        assert isinstance(src, SourceText), f"{path}: {src}"
        out.append(add_entities(parse_document(src, "test-run")))
    return out


def parse_bytes(data: bytes, name: str = "doc.txt") -> list[ParsedDocument]:
    return [add_entities(parse_document(s, "test-run")) for s in open_source(name, data, sha256_hex(data))
            if isinstance(s, SourceText)]
