"""Discovery as columns (`flows.discover.discover_table`): sorted, each file once, every file accounted for."""
from __future__ import annotations

from flows.discover import FOUND, discover, discover_table, refs_table


def test_each_file_once_sorted_whatever_the_sources(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.txt", "a.txt", "notes.md"):
        (tmp_path / name).write_text("x")
    given = [tmp_path / "b" / "1.txt", tmp_path, tmp_path / "b", tmp_path / "gone.txt"]
    table = discover_table(given)
    assert table.schema == FOUND
    paths = table.column("path").to_pylist()
    assert paths == sorted(set(paths)) and len(paths) == 5
    rows = {r["path"].removeprefix(tmp_path.as_posix()): r for r in table.to_pylist()}
    assert rows["/gone.txt"]["error"] == "no such file or directory"
    assert rows["/notes.md"]["skip"].startswith("not a document type") and rows["/a.txt"]["size"] == 1
    assert refs_table(discover(given)).equals(table.combine_chunks())      # the FileRef view is the same rows
