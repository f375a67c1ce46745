"""The staging writer (`flows.warehouse.writer`): many small batches spread over partitions become
one file per partition with few row groups, rows unchanged and in order, and nothing left behind."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from flows.warehouse import writer as writer_mod
from flows.warehouse.writer import StagingWriter
from tests.flows.warehouse.test_store import rows
from transforms.schema import TABLES

YEARS = ("1966", "2006", "2009")


def _batch(i: int, n: int = 30) -> list[dict]:
    """n documents of batch i, over three years, with a long text each."""
    return [{"doc_id": f"06PARIS{i * 1000 + k}", "doc_type": "cable", "year": YEARS[k % 3],
             "text": f"paragraph {k} " * 40, "run_id": "r1"} for k in range(n)]


def _write(directory, batches: int) -> tuple[StagingWriter, list]:
    w = StagingWriter(TABLES["documents"], directory / "documents", "r1")
    for i in range(batches):
        w.write(rows("documents", _batch(i)))
    return w, w.close()


def test_small_batches_make_one_file_per_partition(tmp_path):
    w, files = _write(tmp_path, 40)
    assert sorted(f.path.split("/part-")[0] for f in files) == [f"doc_type=cable/year={y}" for y in YEARS]
    assert sum(f.rows for f in files) == w.rows == 1200
    for f in files:
        meta = pq.ParquetFile(tmp_path / "documents" / f.path).metadata
        assert meta.num_row_groups == 1 and meta.num_rows == f.rows == 400
    got = pq.read_table(tmp_path / "documents" / files[0].path).column("doc_id").to_pylist()
    want = [d["doc_id"] for i in range(40) for d in _batch(i) if d["year"] == files[0].path.split("year=")[1][:4]]
    assert got == want                                       # in the order written
    assert not (tmp_path / "documents" / writer_mod.SPOOL).exists()


def test_long_text_has_no_dictionary_and_no_statistics(tmp_path):
    _, files = _write(tmp_path, 2)
    meta = pq.ParquetFile(tmp_path / "documents" / files[0].path).metadata.row_group(0)
    by_name = {meta.column(i).path_in_schema: meta.column(i) for i in range(meta.num_columns)}
    assert not by_name["text"].is_stats_set and not by_name["text"].has_dictionary_page
    assert by_name["doc_id"].is_stats_set


# A batch gives each partition 10 rows of ~721 Arrow bytes (7.2 KB): a spool passes 50,000 bytes
# after 7 batches, so 40 batches make row groups of 70,70,70,70,70 rows and 50 at the end; files of
# at most 120,000 bytes take two such groups.
@pytest.mark.parametrize("group_bytes,file_bytes,groups,files_per_partition", [
    pytest.param(50_000, 2**30, [6], 1, id="row-groups-by-bytes"),
    pytest.param(50_000, 120_000, [2, 2, 2], 3, id="files-by-bytes"),
])
def test_memory_bounds_cut_row_groups_and_files(tmp_path, monkeypatch, group_bytes, file_bytes, groups,
                                                files_per_partition):
    monkeypatch.setattr(writer_mod, "ROW_GROUP_BYTES", group_bytes)
    monkeypatch.setattr(writer_mod, "MAX_FILE_BYTES", file_bytes)
    w, files = _write(tmp_path, 40)
    per_partition = {}
    for f in files:
        per_partition.setdefault(f.path.split("/part-")[0], []).append(f)
    assert all(len(v) == files_per_partition for v in per_partition.values()), per_partition
    assert sum(f.rows for f in files) == 1200
    for part in per_partition.values():
        assert [pq.ParquetFile(tmp_path / "documents" / f.path).metadata.num_row_groups for f in part] == groups
