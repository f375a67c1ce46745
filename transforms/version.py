"""Parser version. Bump it when a change to `transforms/` changes what is extracted from a source:
the incremental loader reprocesses every file that was loaded with an older version."""
#: 0.3.0: copies of one document from several sources merge into one row (`transforms.merge`)
#: instead of the later ones being refused; a warehouse loaded before is read again whole.
PARSER_VERSION = "0.3.0"
