"""Cables inside a .zip archive read like the same files on disk (the member path is
`archive.zip::member`)."""
import io
import zipfile

import pytest

from flows.config import Limits
from flows.read import expand_zip
from tests.transforms.cables.loader import cables_dir
from transforms.documents import open_source, parse_document

pytestmark = pytest.mark.corpus

MEMBERS = ["html_wl2010/01PRETORIA1173.html", "pdf/00ATHENS1937.pdf", "txt_fulltext/09PARIS1007.txt",
           "txt_from_csv/89USUNNEWYORK3978.txt"]


def test_cables_in_a_zip_parse_like_the_files():
    root = cables_dir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for m in MEMBERS:
            zf.write(root / m, m)
    blobs = list(expand_zip("cables.zip", buf.getvalue(), Limits()))
    assert [b.path for b in blobs] == [f"cables.zip::{m}" for m in MEMBERS]
    for blob, member in zip(blobs, MEMBERS):
        (src,) = open_source(blob.path, blob.data, blob.sha256)
        (direct,) = open_source(member, (root / member).read_bytes(), blob.sha256)
        a, b = parse_document(src).document, parse_document(direct).document
        assert a.source_path == f"cables.zip::{member}"
        assert (a.doc_id, a.date, a.classification, a.references, a.text) == (b.doc_id, b.date, b.classification,
                                                                              b.references, b.text)
