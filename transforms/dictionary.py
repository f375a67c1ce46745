"""The data dictionary (warehouse/README.md), generated from `transforms.schema`."""
from __future__ import annotations

import pyarrow as pa

from . import merge
from .schema import TABLES

BEGIN = "<!-- BEGIN GENERATED: pouch dictionary --write -->"
END = "<!-- END GENERATED -->"


def _type(t: pa.DataType) -> str:
    return str(t).replace("<item: ", "<").replace("|", "\\|")


def tables_markdown() -> str:
    out: list[str] = []
    for t in TABLES.values():
        out.append(f"### `{t.name}`\n")
        out.append(t.description + "\n")
        if t.partition_by:
            out.append(f"Partitioned (hive) by {', '.join(f'`{c}`' for c in t.partition_by)}. ")
        if t.key:
            out.append(f"Key: ({', '.join(f'`{c}`' for c in t.key)}).")
        out.append("\n")
        if t.derived:
            out.append(f"Derived: {t.derived}\n")
        for note in t.notes:
            out.append(f"{note}\n")
        out.append("| column | type | null | meaning | allowed / example |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            allowed = ", ".join(f"`{a}`" for a in c.allowed) if c.allowed else (f"e.g. `{c.example}`" if c.example else "")
            out.append(f"| `{c.name}` | `{_type(c.type)}` | {'yes' if c.nullable else 'no'} | "
                       f"{c.description.replace('|', '/')} | {allowed} |")
        out.append("")
    out.append(merge_rules_markdown())
    return "\n".join(out).rstrip() + "\n"


def merge_rules_markdown() -> str:
    """The merge rules of `transforms.merge`, as they are in the code."""
    ranks = lambda d: ", ".join(f"`{k}`" for k, _ in sorted(d.items(), key=lambda kv: kv[1]))
    out = ["### Merge rules (`transforms.merge`)\n",
           "How the sources of one doc_id become documents (see `sources`):\n",
           (f"- **Same document**: at least {merge.SAME_DOCUMENT:.0%} of the shorter body's word "
            f"{merge.SHINGLE}-grams are in the other body (the whole texts when a body has fewer than "
            f"{merge.MIN_BODY_SHINGLES}); the same doc_type. Otherwise each text is its own document: the "
            f"first keeps the id, the others are `<doc_id>{merge.VARIANT_SEP}<8 hex of the text's sha256>`, "
            "all flagged `doc_id_conflict:<other id>`."),
           ("- **Rank** (the first is the primary): complete before partial; then the format (cables: "
            f"{ranks({k: v for k, v in merge.FORMAT_RANK.items() if k.startswith('cable')})}; emails: "
            f"{ranks({k: v for k, v in merge.FORMAT_RANK.items() if k.startswith('email')})}); the longer "
            "text; the path."),
           f"- **Date sources**, best first: {ranks(merge.DATE_SOURCE_RANK)}.\n",
           "| field | rule | how |", "|---|---|---|"]
    for name, (rule, why) in merge.RULES.items():
        out.append(f"| `{name}` | `{rule}` | {why.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def render_into(readme: str) -> str:
    """`readme` with the generated block replaced by the current one."""
    start, end = readme.index(BEGIN), readme.index(END)
    return readme[:start + len(BEGIN)] + "\n\n" + tables_markdown() + "\n" + readme[end:]
