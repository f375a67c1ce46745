"""Text layer of a PDF (pypdf, pure Python: no poppler needed on the machine)."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_PAGES = 500


class PdfError(ValueError):
    """The PDF cannot give text; the message is one line for the ledger."""


def pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise PdfError("encrypted PDF: a password is needed to read it")
            except (NotImplementedError, PdfReadError) as err:
                raise PdfError(f"encrypted PDF: {err}") from err
        if len(reader.pages) > MAX_PAGES:
            raise PdfError(f"PDF has {len(reader.pages)} pages, more than the {MAX_PAGES} allowed")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfError:
        raise
    except Exception as err:  # pypdf raises many types on damaged files
        raise PdfError(f"unreadable PDF: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]) from err
    text = "\n\f".join(pages)
    if not text.strip():
        raise PdfError("PDF has no text layer (a scan?): run OCR first")
    return text
