"""Entities: people, organisations, places, TAGS, emails, dates, figures and cable references,
with offsets into the paragraph text."""
from .extract import extract_entities

__all__ = ["extract_entities"]
