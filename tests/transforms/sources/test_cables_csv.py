"""cables.csv rows: the 8 fields, backslash escapes, streaming, bad rows. Truth table: rows of the
dev CSV slice checked by hand against the row's header and content fields."""
import io
import tracemalloc

import pytest

from tests.conftest import need
from tests.transforms.cables.loader import CSV_SLICE, check, csv_sources, parsed
from transforms.documents import SourceFailure, open_csv_stream, open_source
from transforms.sources.cables_csv import (
    CsvRow,
    CsvRowError,
    iter_rows,
    lines_from_chunks,
)

CASES = [
    pytest.param("66BUENOSAIRES2481", dict(
        doc_id="66BUENOSAIRES2481", date="1966-12-28 18:48", date_source="dtg", origin="Embassy Buenos Aires",
        classification="UNCLASSIFIED", tags=["EFIS", "PBTS", "AR"], references=["66STATE106206"],
        subject="EXTENDED NATIONAL JURISDICTIONS OVER HIGH SEAS", signer="Saccio", paras=list(range(1, 9))),
        id="66BUENOSAIRES2481"),
    pytest.param("90STATE255195TOSEC140301", dict(
        doc_id="90STATE255195TOSEC140301", date="1990-08-03 00:25", origin="Secretary of State",
        classification="SECRET", tags=["PREL", "MOPS", "IZ", "KU", "US"],
        subject="TFKU01: SITREP NO. 3: IRAQ/KUWAIT TASK FORCE: SITUATION AS OF 1600 EDT", signer="Kimmitt",
        paras=list(range(1, 8))), id="90STATE255195TOSEC140301-tosec"),
    pytest.param("85RIYADH5470", dict(
        doc_id="85RIYADH5470", date="1985-06-12 14:31", origin="Embassy Riyadh", classification="SECRET",
        tags=["KPRP", "PREL", "MOPS", "ENRG", "IR", "SA"], references=["84RIYADH7002"],
        subject="SAUDI POLICY TOWARD IRAN", signer="Suddarth", paras=list(range(1, 18))), id="85RIYADH5470"),
    pytest.param("02HOCHIMINHCITY336", dict(
        doc_id="02HOCHIMINHCITY336", date="2002-04-06 02:17", date_source="dtg", origin="Consulate Ho Chi Minh City",
        classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        tags=["PHUM", "PREF", "PGOV", "PINS", "SOCI", "PREL", "KIRF", "VM", "CB", "HUMANR", "ETMIN"],
        references=["02HANOI791", "02HOCHIMINHCITY201", "02HOCHIMINHCITY202"],
        subject="ETHNIC MINORITY RETURNEES -- REALITY SETS IN", signer="Yamauchi", markings={"SBU"},
        is_partial=True), id="02HOCHIMINHCITY336-extract-with-teletype-pages"),
    pytest.param("03OTTAWA81", dict(
        doc_id="03OTTAWA81", date="2003-01-09 17:40", date_source="metadata_csv", origin="Embassy Ottawa",
        classification="SECRET", tags=["ETTC", "PARM", "KNNP", "PREL", "IN", "CA"], references=["03STATE578"],
        classified_by="Brian Flora", reasons="1.5 (b) and (d)", is_partial=True, paras=[1, 2]),
        id="03OTTAWA81-partial-extract-date-from-csv"),
    pytest.param("7575LIBREVILLE1895", dict(
        doc_id="75LIBREVILLE1895", signer="Steigman", references=["75STATE272523", "75USUNNEWYORK6028"],
        flags=["doc_id_repaired:doubled_year", "metadata_conflict"]), id="7575LIBREVILLE1895-repaired"),
]


@pytest.mark.parametrize("doc_id,expected", CASES)
def test_csv_row(doc_id, expected):
    check(parsed("csv", doc_id), expected)


def test_400_rows_with_their_metadata():
    rows = csv_sources()
    assert len(rows) == 400
    assert rows[0].path.endswith("#row1") and rows[0].meta.row_id == "1"
    assert {r.format for r in rows} == {"cables_csv"}
    assert sum(1 for r in rows if r.meta.references) == 222


def test_backslash_escapes_are_undone():
    line = '"9","1/2/2004 3:04","04PARIS1","Embassy Paris","UNCLASSIFIED","","HDR","He said \\"no\\" and it\'s \\\'done\\\'"\n'
    (row,) = iter_rows(io.StringIO(line))
    assert isinstance(row, CsvRow) and row.text == 'HDR\nHe said "no" and it\'s \'done\''


def test_bad_rows_are_reported_and_reading_goes_on():
    text = ('"1","1/2/2004 3:04","04PARIS1","Embassy Paris","UNCLASSIFIED","","H","body"\n'
            '"2","1/2/2004 3:04","only","four"\n'
            '"3","1/2/2004 3:04","","Embassy Paris","UNCLASSIFIED","","H","no refid"\n'
            '"4","1/2/2004 3:04","04PARIS4","Embassy Paris","UNCLASSIFIED","","H","body"\n')
    out = list(iter_rows(io.StringIO(text)))
    assert [type(r).__name__ for r in out] == ["CsvRow", "CsvRowError", "CsvRowError", "CsvRow"]
    assert "expected 8 fields, found 4" in out[1].message and "empty refid" in out[2].message


def test_a_field_that_never_ends_is_refused_not_swallowed():
    from transforms.sources import cables_csv
    big = '"1","1/2/2004 3:04","04PARIS1","E","U","","H","' + "x" * (cables_csv.MAX_FIELD_CHARS + 10)
    out = list(iter_rows(io.StringIO(big)))
    assert out and isinstance(out[0], CsvRowError) and "field larger than field limit" in out[0].message


def test_stream_in_chunks_equals_whole_file():
    data = need(CSV_SLICE, "dev CSV slice").read_bytes()
    whole = [s for s in open_source("x.csv", data, "h")]
    chunks = (data[i:i + 997] for i in range(0, len(data), 997))      # cuts inside UTF-8 characters too
    streamed = [s for s in open_csv_stream("x.csv", chunks, "h")]
    assert len(streamed) == len(whole) == 400
    assert all(a.text == b.text and a.meta == b.meta and a.path == b.path for a, b in zip(whole, streamed))


def test_streaming_memory_does_not_grow_with_the_file():
    row = ('"{i}","1/2/2004 3:04","04PARIS{i}","Embassy Paris","UNCLASSIFIED","","R 020304Z JAN 04\\nFM AMEMBASSY PARIS",'
           '"UNCLAS PARIS {i}\\n\\n' + "1. Text of the cable. " * 200 + '"\n')

    def chunks(n_rows: int):
        buf = []
        for i in range(1, n_rows + 1):
            buf.append(row.format(i=i))
            if len(buf) == 50:
                yield "".join(buf).encode()
                buf = []
        if buf:
            yield "".join(buf).encode()

    tracemalloc.start()
    n = 0
    for src in open_csv_stream("big.csv", chunks(4000), "h"):      # ~18 MB of rows
        assert not isinstance(src, SourceFailure)
        n += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 4000
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MiB while streaming 18 MB"


def test_lines_from_chunks_normalizes_crlf_and_split_characters():
    data = "a\u00b6b\r\nc\n".encode()
    assert list(lines_from_chunks([data[:2], data[2:]])) == ["a\u00b6b\n", "c\n"]


def test_a_big_csv_that_is_not_a_cables_dump_is_refused():
    out = list(open_csv_stream("x.csv", [b"name,age\nbob,3\n"], "h"))
    assert len(out) == 1 and isinstance(out[0], SourceFailure) and "not a cables.csv dump" in out[0].message
