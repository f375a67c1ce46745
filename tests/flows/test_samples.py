"""The bundled samples are what `flows.samples` writes (never hand-edited, never copied)."""
from pathlib import Path

from flows.samples import sample_files
from transforms.documents import open_source, sha256_hex
from transforms.records import SourceText

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_committed_samples_equal_the_generator():
    expected = sample_files()
    found = {p.relative_to(SAMPLES).as_posix(): p.read_bytes() for p in SAMPLES.rglob("*") if p.is_file()}
    assert found == expected, "samples/ is stale: run `make samples`"


def test_samples_are_small_and_cover_every_form():
    files = sample_files()
    assert sum(len(b) for b in files.values()) < 1_000_000
    formats = set()
    for name, data in files.items():
        for s in open_source(name, data, sha256_hex(data)):
            formats.add(s.format if isinstance(s, SourceText) else s.format)
    assert {"cable_text", "cable_html", "cables_csv", "email_text", "zip"} <= formats
