"""Entities: people, organisations, places, TAGS, emails, dates, figures and cable references,
with offsets into the paragraph text (`extract_document`), and the corpus-wide merge of people's
names (`corpus.merge_people`)."""
from .context import DocContext, context_of
from .extract import extract_document, extract_entities
from .tokens import COMPILED

__all__ = ["COMPILED", "DocContext", "context_of", "extract_document", "extract_entities"]
