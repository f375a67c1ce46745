"""Diplomatic cables: header fields, references, cleaning and paragraphs.

    from transforms.cables import parse_cable
    c = parse_cable(text)            # a whole cable or any header fragment
    c.doc_id, c.date, c.origin, c.classification, c.tags, c.references, c.provenance

Modules: `parse` (parse_cable, the Cable record), `fields` (DTG, banner, classification, routing,
TAGS, SUBJECT, Classified By, DECL), `references` (REF blocks), `ids` (canonical ids and their
repairs), `stations` (station codes, written forms, cables.csv origins; tables in `data/`),
`clean` (OCR and markup repairs), `paragraphs` (the cable's own numbered paragraphs), `document`
(a source -> Document, reconciled with the metadata of a page or a cables.csv row).
"""
from .parse import Cable, parse_cable
from .references import parse_references

__all__ = ["Cable", "parse_cable", "parse_references"]
