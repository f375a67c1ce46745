"""Containers -> `SourceText`s: one per document inside a file (a text file, a WikiLeaks page,
each row of a cables.csv dump, the text layer of a PDF)."""
