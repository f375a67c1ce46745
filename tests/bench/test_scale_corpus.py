"""The benchmark's scale corpora (`bench/scale_corpus.py`): deterministic, unique ids, the size
asked for, and read by pouch's own readers as they should be."""
from __future__ import annotations

import hashlib
import re
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))

from bench import scale_corpus  # noqa: E402
from flows.csv_parts import raw_lines, record_ends  # noqa: E402
from transforms.sources.cables_csv import CsvRow, iter_rows  # noqa: E402

pytestmark = [pytest.mark.corpus]


@pytest.fixture
def bench_dir(tmp_path, monkeypatch, corpus_dir):
    monkeypatch.setenv("POUCH_BENCH_DIR", str(tmp_path / "bench"))
    return tmp_path / "bench"


def _digest(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_text_corpus_has_n_documents_with_unique_ids_and_one_percent_aside(bench_dir):
    sc = scale_corpus.text_corpus(300)
    docs = sorted(sc.docs.rglob("*.txt"))
    extra = sorted(sc.extra.rglob("*.txt"))
    assert len(docs) == 300 and len(extra) == 3
    names = [p.stem for p in docs + extra]
    assert len(set(names)) == 303
    assert sc.info()["bytes"] == sum(p.stat().st_size for p in docs)
    assert not list(sc.docs.rglob("manifest.tsv"))           # the floor and pouch read the same files
    # a copy of a cable carries its new serial in its text too (floor.py rewrites it there)
    copies = [p for p in docs if re.fullmatch(r"\d\d[A-Z]+\d{3}", p.stem)]       # copies 100..299
    assert copies
    for p in copies:
        serial = re.fullmatch(r"\d\d[A-Z]+(\d+)", p.stem).group(1)
        assert re.search(rf"[A-Z] {{0,2}}0*{serial}(?!\d)", p.read_text(errors="replace")), p.name


def test_text_corpus_depends_only_on_n(bench_dir):
    first = _digest(scale_corpus.text_corpus(40).root / "docs")
    again = _digest(scale_corpus.text_corpus(40, fresh=True).root / "docs")
    assert first == again


def test_cables_csv_has_n_rows_with_unique_ids_that_the_reader_takes(bench_dir):
    path = scale_corpus.cables_csv(450)           # more rows than the 400 of the dev dump: it cycles
    data = path.read_bytes()
    assert len(list(record_ends(raw_lines([data])))) == 450
    rows = list(iter_rows(line + "\n" for line in data.decode().split("\n")[:-1]))
    assert all(isinstance(r, CsvRow) for r in rows) and len(rows) == 450
    ids = [r.meta.doc_id for r in rows]
    assert len(set(ids)) == 450
    assert [r.meta.row_id for r in rows[:3]] == ["1", "2", "3"] and rows[400].meta.row_id == "401"
    # row 401 is source row 1 again, its serial rewritten in the refid and in the text
    assert (ids[0], ids[400]) == ("66BUENOSAIRES0001", "66BUENOSAIRES0401")
    assert "BUENOS AIRES 0001" in rows[0].text and "BUENOS AIRES 0401" in rows[400].text
    assert scale_corpus.cables_csv(450).read_bytes() == data                # cached, same bytes
