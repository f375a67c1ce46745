"""The warehouse store: snapshots, staging writer, atomic commit, writer lock."""
