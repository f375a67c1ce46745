"""A big cables.csv read in parts (`flows.csv_parts`) gives the rows, the refusals and the row
numbers of one reader going through the whole file."""
from __future__ import annotations

import pytest

from flows.csv_parts import CsvPart, raw_lines, record_ends, split_csv
from flows.read import file_chunks
from transforms.documents import open_csv_stream

HEAD = '"1","12/28/1966 18:48","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED","","H1","'


def _row(n: int, refid: str, body: str) -> str:
    return f'"{n}","1/2/2006 10:00","{refid}","Embassy Paris","UNCLASSIFIED","","HEADER","{body}"\n'


# a quoted body over several lines, an escaped quote, a CR LF line, a row with 7 fields, blank lines
DUMP = (_row(1, "06PARIS1", "line one\nline two\n\nline four")
        + _row(2, "06PARIS2", 'he said \\"no\\"\r\nthen left')
        + '"3","1/2/2006 10:00","06PARIS3","Embassy Paris","UNCLASSIFIED","","HEADER"\n'
        + "\n\n"
        + _row(5, "06PARIS5", "last"))


@pytest.mark.parametrize("chunk", [1, 7, 4096], ids=["1-byte-blocks", "7-byte-blocks", "one-block"])
def test_record_ends_of_a_hand_made_dump(chunk):
    data = DUMP.encode()
    blocks = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    ends = list(record_ends(raw_lines(blocks)))
    first = data.index(b'"2",')
    second = data.index(b'"3",')
    third = data.index(b'"HEADER"\n\n\n') + len(b'"HEADER"\n')
    # (offset after the row, number of the next row); the blank lines count as rows of their own
    # for the reader (numbers 4 and 5 are skipped), so the last row is row 6
    assert ends == [(first, 1), (second, 2), (third, 3), (len(data), 6)]


def test_raw_lines_keep_every_byte():
    data = b"a\nbb\r\n\nccc"
    for size in (1, 2, 3, 100):
        assert b"".join(raw_lines([data[i:i + size] for i in range(0, len(data), size)])) == data
    assert list(raw_lines([data])) == [b"a\n", b"bb\r\n", b"\n", b"ccc"]


def _read(path, parts: list[CsvPart], sha: str) -> list[tuple[str, str]]:
    from flows.csv_parts import range_chunks
    out = []
    for p in parts:
        for s in open_csv_stream(str(path), range_chunks(str(path), p.start, p.end), sha, p.first_row):
            out.append((s.path, getattr(s, "text", None) or s.message))
    return out


def test_parts_of_a_hand_made_dump_read_as_the_whole(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_bytes(DUMP.encode())
    split = split_csv(str(path), part_bytes=1, limit=2**20)          # a part per row
    whole = [(s.path, getattr(s, "text", None) or s.message) for s in open_csv_stream(str(path), file_chunks(str(path)), split.sha256)]
    assert [p.first_row for p in split.parts] == [0, 1, 2, 3]
    assert _read(path, split.parts, split.sha256) == whole
    assert [w[0].rsplit("#", 1)[1] for w in whole] == ["row1", "row2", "row3", "row6"]
    assert "expected 8 fields, found 7" in whole[2][1]


def test_parts_of_the_dev_dump_read_as_the_whole(corpus_dir):
    path = corpus_dir / "cables" / "csv" / "cables_csv_slice_dev.csv"
    split = split_csv(str(path), part_bytes=200_000, limit=2**30)
    assert len(split.parts) == 12 and split.parts[-1].end == split.size == path.stat().st_size
    assert all(a.end == b.start for a, b in zip(split.parts, split.parts[1:]))
    whole = [(s.path, s.text) for s in open_csv_stream(str(path), file_chunks(str(path)), split.sha256)]
    assert len(whole) == 400
    assert _read(path, split.parts, split.sha256) == whole


def test_a_csv_that_is_not_a_cables_dump_is_one_part(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("name,value\n" + "a,1\n" * 1000)
    split = split_csv(str(path), part_bytes=100, limit=2**20)
    assert split.parts == [CsvPart(0, path.stat().st_size, 0)]
    assert [s.message for s in open_csv_stream(str(path), file_chunks(str(path)), split.sha256)] == [
        "CSV file that is not a cables.csv dump (8 quoted fields, no header)"]


def test_a_csv_above_the_limit_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(DUMP.encode() * 100)
    split = split_csv(str(path), part_bytes=1000, limit=5000)
    assert split.parts == [] and split.error.startswith("cannot read file: file is larger than")
