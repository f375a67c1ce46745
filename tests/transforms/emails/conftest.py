"""The dev corpus emails, parsed once per test session (they are read from ../shared, never copied).

Entities are not extracted here: these tests check the email parser, and entity extraction has its
own tests."""
from __future__ import annotations

import pytest

from transforms.documents import open_source, parse_document, sha256_hex
from transforms.records import ParsedDocument, SourceText


@pytest.fixture(scope="session")
def corpus_emails(corpus_dir) -> dict[str, ParsedDocument]:
    """File stem (the FOIA doc number) -> parsed document, for all dev corpus emails."""
    out: dict[str, ParsedDocument] = {}
    for path in sorted((corpus_dir / "emails").glob("*.txt")):
        data = path.read_bytes()
        (src,) = open_source(f"emails/{path.name}", data, sha256_hex(data))
        assert isinstance(src, SourceText), src
        out[path.stem] = parse_document(src, "test-run")
    return out
