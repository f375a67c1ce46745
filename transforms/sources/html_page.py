r"""WikiLeaks cable pages (2010 "Cable Viewer" build and the 2011 full release).

A page holds a metadata table (Reference ID, Created, Released, Classification, Origin) and one or
two `<pre>` blocks: the routing header and the cable body (a partial extract has the WikiLeaks
notice in the first block instead). Only text inside `<pre>` is kept; `<script>`/`<style>` are
dropped before any text is taken, so hostile markup never reaches the warehouse.

Known faults of the pages, each repaired and logged:
- the classification link's `title=` attribute is wrong on most pages: the *link text* is used;
- `07BERN881` (2010 edge set) has only the routing header in its first `<pre>` block; the body is
  in a second block that dumps raw cables.csv rows as tab-separated text (07BERN881 itself, then
  07TBILISI2290) with `\`-escaped newlines. The page's own row is unescaped and used as the cable
  text (`dump_row_used`); the block and the other rows are dropped (`dump_block_dropped`);
- pages of the 2011 release as mirrored in the dev corpus cut the body after `...`
  (`7575LIBREVILLE1895`: the page is marked partial), and two glue another cable's text after
  the `...` and some blank lines: `73TEHRAN2077` a row `50133  2006-01-19  06THEHAGUE131 ...`,
  `73TEHRAN8233` the cable 08THEHAGUE174 after a line `08STATE15228`. The foreign text is dropped
  (`foreign_record_dropped`) and the page is marked partial;
- the `Created` time of the 2010 pages prints the hour twice, in 24- and 12-hour form
  (`2004-09-02 11:11` for 11:35, `2009-07-29 13:01` for 13:51): a minute equal to the 12-hour
  hour is taken as unknown, set to :00 and logged (`html_created_minutes_unknown`), so the
  document says `date_minutes_unknown` when this time is the one it uses;
- the `¶` paragraph links are also put before paragraphs that start with a letter
  (`¶E. O. 11652`): those are removed (`html_pilcrow_anchor`), the ones before numbers are the
  cable's own and stay.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ..records import Repair, SourceMeta
from ..repairs import RepairLog, sub_logged

#: A `<pre>` block that is a dump of tab-separated cables.csv rows, not cable text.
_TSV_DUMP = re.compile(r"\A\s*[^\n]{0,60}?\t(?:\d{2}|XX)[A-Z]{2,30}\d{1,7}\t")
#: A row of another cable glued into the text: `50133  2006-01-19  06THEHAGUE131  Embassy ...`.
_FOREIGN_ROW = re.compile(r"(?m)^[ \t]*\d{1,7}[ \t]+\d{4}-\d{2}-\d{2}[ \t]+\d{2}[A-Z]{2,30}\d{1,7}[ \t]+[A-Z]")
#: The body cut with `...`, then blank lines and another cable's text.
_CUT_THEN_FOREIGN = re.compile(r"\.\.\.[ \t]*\n(?:[ \t]*\n){2,}(?=[ \t]*\S)")
_STRAY_PILCROW = re.compile(r"(?m)^([ \t]{0,8})\u00b6(?![ \t]?\d)")


class PageError(ValueError):
    """The page is HTML but not a cable page we can read."""


@dataclass(slots=True)
class CablePage:
    text: str
    meta: SourceMeta | None
    repairs: list[Repair] = field(default_factory=list)
    is_partial: bool = False


def _parse_dt(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _hour_twice(created: dt.datetime) -> bool:
    return created.minute == (created.hour % 12 or 12)


def _metadata(tree: HTMLParser) -> SourceMeta | None:
    table = tree.css_first("table.cable")
    if table is None:
        return None
    cells = [td.text(strip=True) for td in table.css("td")]
    if len(cells) < 5:
        return None
    return SourceMeta(
        source="metadata_html",
        doc_id=cells[0] or None,
        created=_parse_dt(cells[1]),
        released=_parse_dt(cells[2]),
        classification=cells[3] or None,      # the link text; its title= attribute is wrong
        origin=cells[4] or None,
    )


_DUMP_ROW_END = re.compile(r"(?<!\\)\n(?=\d{1,7}\t\d{4}-\d{2}-\d{2})")
_REFID = re.compile(r"^(?:\d{2}|XX)[A-Z]{2,30}\d{1,7}$")


def _dump_row(block: str, doc_id: str) -> str | None:
    """Header + content of the row for `doc_id` in a tab-separated dump block (fields: [id,] date,
    refid, origin, classification, references, header, content), unescaped."""
    for row in _DUMP_ROW_END.split(block):
        cells = row.split("\t")
        for i, cell in enumerate(cells[:3]):
            if _REFID.match(cell) and cell == doc_id and len(cells) >= i + 6:
                header, content = cells[i + 4], "\t".join(cells[i + 5:])
                text = header.replace("\\\n", "\n") + "\n" + content.replace("\\\n", "\n").replace("\\\"", "\"")
                return text.rstrip("\\ \n") + "\n"
    return None


def read_page(html: str) -> CablePage:
    """Page -> cable text, metadata from the table (or None), repairs, partial flag."""
    tree = HTMLParser(html)
    removed = [n.tag for n in tree.css("script, style, iframe, object, embed")]
    tree.strip_tags(["script", "style", "iframe", "object", "embed"])
    repairs: list[Repair] = []
    if removed:
        repairs.append(Repair("markup_removed", -1, f"{len(removed)} <{'/'.join(sorted(set(removed)))}> elements", ""))
    meta = _metadata(tree)
    if meta is not None and meta.created is not None and _hour_twice(meta.created):
        repairs.append(Repair("html_created_minutes_unknown", -1, meta.created.strftime("%H:%M"),
                              meta.created.strftime("%H:00")))
        meta.created = meta.created.replace(minute=0)
    partial = False
    kept: list[str] = []
    dumps: list[str] = []
    for block in (pre.text(deep=True) for pre in tree.css("pre")):
        if _TSV_DUMP.match(block):
            repairs.append(Repair("dump_block_dropped", -1, block[:200], ""))
            dumps.append(block)
            continue
        foreign = _CUT_THEN_FOREIGN.search(block) or _FOREIGN_ROW.search(block)
        if foreign:
            cut = foreign.start() + 3 if foreign.group(0).startswith("...") else foreign.start()
            repairs.append(Repair("foreign_record_dropped", cut, block[cut:].strip()[:200], ""))
            block = block[:cut]
            partial = True
        if block.rstrip().endswith("..."):
            partial = True                                # the page shows only the start of the body
        kept.append(block.strip("\n"))
    own = next((row for row in (_dump_row(d, meta.doc_id) for d in dumps) if row), None) if meta and meta.doc_id \
        else None
    if own is not None:
        repairs.append(Repair("dump_row_used", 0, "\n\n".join(kept)[:200], own[:200]))
        kept = [own.strip("\n")]
    if not kept:
        raise PageError("HTML page has no <pre> cable text" + ("" if meta else " and no metadata table"))
    text = "\n\n".join(kept) + "\n"
    log = RepairLog()
    text = sub_logged(_STRAY_PILCROW, r"\1", text, log, "html_pilcrow_anchor")
    repairs.extend(log.finish())
    return CablePage(text, meta, repairs, partial)

