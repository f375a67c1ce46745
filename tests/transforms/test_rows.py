"""Arrow rows back to typed records (`transforms.rows`): the merge reads staged documents back, so
a round trip must give the very records the parsers made, nested structs and maps included."""
import pytest

from tests.conftest import CORPUS, need
from tests.transforms.cables.loader import parsed
from transforms.documents import open_source, parse_document, sha256_hex
from transforms.records import Document, Paragraph
from transforms.rows import records
from transforms.schema import DOCUMENTS, PARAGRAPHS
from transforms.tables import to_arrow

pytestmark = pytest.mark.corpus


def test_documents_and_paragraphs_round_trip():
    path = need(CORPUS / "emails" / "C05739614.txt", "dev corpus email")
    data = path.read_bytes()
    email = parse_document(next(iter(open_source(path.name, data, sha256_hex(data)))))
    docs = [email.document] + [parsed(f, i).document for f, i in (("html_wl2010", "88BAGHDAD28"),
                                                                    ("txt_fulltext", "06NEWDELHI5135"))]
    assert len(email.document.messages) == 6 and docs[1].conflicts and docs[2].recipients
    assert records(to_arrow(docs, DOCUMENTS), Document) == docs
    assert records(to_arrow(email.paragraphs, PARAGRAPHS), Paragraph) == email.paragraphs
