"""Text layer of a PDF (pypdf, pure Python: no poppler needed on the machine), and the repair of
pypdf's layout quirks in cable PDFs."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..repairs import RepairLog, sub_logged

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


# --- layout quirks of pypdf's text for cable PDFs (wkhtmltopdf prints of WikiLeaks pages) -------------
# TAGS are links on the page and come out one per line with blank lines between them
# (`TAGS: \nEAID\n \nPREF\n \nGR\nSUBJECT:`); the ¶ link before a paragraph number comes out on a
# line of its own (`¶\n1. (SBU) ...`).
_PDF_TAGS = re.compile(r"(?m)^(?P<head>[ \t]*TAGS:?)[ \t]*\n(?P<codes>(?:[ \t]*\n|[ \t]*[A-Z][A-Z0-9_]{1,11}[ \t]*\n){1,80})"
                       r"(?=[ \t]*SUBJ)")
_PDF_PILCROW = re.compile(r"(?m)^\u00b6[ \t]*\n(?=[ \t]*\d{1,3}\.)")


def fix_cable_layout(text: str, log: RepairLog) -> str:
    """Undo pypdf's layout quirks in a cable's text layer, logging each change."""
    def tags(m: re.Match[str]) -> str:
        codes = m.group("codes").split()
        return f"{m.group('head')} {', '.join(codes)}\n"

    text = sub_logged(_PDF_TAGS, tags, text, log, "pdf_tags_joined")
    return sub_logged(_PDF_PILCROW, "\u00b6", text, log, "pdf_pilcrow_joined")
