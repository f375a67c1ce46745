"""Parser version. Bump it when a change to `transforms/` changes what is extracted from a source:
the incremental loader reprocesses every file that was loaded with an older version."""
PARSER_VERSION = "0.2.0"
