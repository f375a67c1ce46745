"""WikiLeaks cable pages (2010 "Cable Viewer" build and the 2011 full release).

A page holds a metadata table (Reference ID, Created, Released, Classification, Origin) and one or
two `<pre>` blocks: the routing header and the cable body. Only text inside `<pre>` is kept;
`<script>`/`<style>` are dropped before any text is taken, so hostile markup never reaches the
warehouse. The classification is the *link text*: its `title=` attribute is wrong on most pages.
"""
from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ..records import Repair, SourceMeta

_TSV_DUMP = re.compile(r'\A\s*"?\d+"?\t')


class PageError(ValueError):
    """The page is HTML but not a cable page we can read."""


def _parse_dt(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def read_cable_page(html: str) -> tuple[str, SourceMeta | None, list[Repair]]:
    """Page -> (cable text, metadata from the table or None, repairs)."""
    tree = HTMLParser(html)
    removed = [n.tag for n in tree.css("script, style, iframe, object, embed")]
    tree.strip_tags(["script", "style", "iframe", "object", "embed"])
    repairs: list[Repair] = []
    if removed:
        repairs.append(Repair("markup_removed", -1, f"{len(removed)} <{'/'.join(sorted(set(removed)))}> elements", ""))
    meta = None
    table = tree.css_first("table.cable")
    if table is not None:
        cells = [td.text(strip=True) for td in table.css("td")]
        if len(cells) >= 5:
            meta = SourceMeta(
                source="metadata_html",
                doc_id=cells[0] or None,
                created=_parse_dt(cells[1]),
                released=_parse_dt(cells[2]),
                classification=cells[3] or None,
                origin=cells[4] or None,
            )
    blocks = [pre.text(deep=True) for pre in tree.css("pre")]
    kept: list[str] = []
    for i, block in enumerate(blocks):
        if _TSV_DUMP.match(block):
            # 07BERN881: a faulty second block dumps raw cables.csv rows; it is not cable text.
            repairs.append(Repair("dump_block_dropped", -1, block[:80], ""))
            continue
        kept.append(block)
    if not kept:
        raise PageError("HTML page has no <pre> cable text" + ("" if meta else " and no metadata table"))
    return "\n\n".join(b.strip("\n") for b in kept) + "\n", meta, repairs
