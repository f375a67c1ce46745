"""cables.csv dumps: 8 quoted fields, no header row, backslash escapes, literal newlines.

Columns: id, date (M/D/YYYY H:MM, UTC), refid, origin, classification, references (`|`-separated),
header, content. Rows are streamed: `iter_rows` takes any iterable of lines (a text file, or
`lines_from_chunks` over the bytes of a 1 GB dump read in pieces), so memory does not grow with
the file. A field is capped at `MAX_FIELD_CHARS` (a quote that never closes would otherwise
swallow the rest of the file into one field): the row is refused with a one-line error and
reading goes on with the next line.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..records import SourceMeta

N_FIELDS = 8
#: The longest cable in Cablegate is about 0.6 MB; csv's default limit (128 KiB) would refuse ~1 %
#: of rows, so the limit is raised to this.
MAX_FIELD_CHARS = 8 * 2**20


@dataclass(slots=True)
class CsvRow:
    index: int              # 0-based row number in the file
    meta: SourceMeta
    text: str


@dataclass(slots=True)
class CsvRowError:
    index: int
    message: str


def _date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value.strip(), "%m/%d/%Y %H:%M").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def iter_rows(lines: Iterable[str], first_index: int = 0) -> Iterator[CsvRow | CsvRowError]:
    """Parse a cables.csv stream (an iterable of lines, e.g. a text file object). `first_index`:
    the number of the first row, when the lines start inside a dump (a part of a big file)."""
    if csv.field_size_limit() != MAX_FIELD_CHARS:    # the limit is process-wide: set it, whoever changed it
        csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(lines, escapechar="\\", strict=False)
    index = first_index - 1
    while True:
        index += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield CsvRowError(index, f"CSV row {index + 1}: {err}")
            continue
        if not row or row == [""]:
            continue
        if len(row) != N_FIELDS:
            yield CsvRowError(index, f"CSV row {index + 1}: expected {N_FIELDS} fields, found {len(row)}")
            continue
        row_id, date, refid, origin, classification, refs, header, content = row
        meta = SourceMeta(
            source="metadata_csv",
            doc_id=refid.strip() or None,
            created=_date(date),
            classification=classification.strip() or None,
            origin=origin.strip() or None,
            references=[r.strip() for r in refs.split("|") if r.strip()],
            row_id=row_id,
        )
        if not meta.doc_id:
            yield CsvRowError(index, f"CSV row {index + 1}: empty refid")
            continue
        sep = "" if header.endswith("\n") else "\n"
        yield CsvRow(index, meta, header + sep + content)


def lines_from_chunks(chunks: Iterable[bytes]) -> Iterator[str]:
    """Lines of a UTF-8 byte stream given in pieces (a file read block by block), with CR LF
    made LF. Invalid bytes become U+FFFD (cables.csv dumps are UTF-8)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        if "\n" not in pending:
            continue
        *complete, pending = pending.split("\n")
        for line in complete:
            yield (line.removesuffix("\r")) + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending.removesuffix("\r")
