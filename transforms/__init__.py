"""Pure transforms: bytes/str in, typed records out. No Prefect, no file I/O."""
