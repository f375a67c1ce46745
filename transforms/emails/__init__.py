"""FOIA email releases (pdftotext output): stamps, headers, reply chains, paragraphs."""
