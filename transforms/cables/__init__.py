"""Diplomatic cables: header fields, references, cleaning and paragraphs."""
from .parse import Cable, parse_cable

__all__ = ["Cable", "parse_cable"]
