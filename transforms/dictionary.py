"""The data dictionary (warehouse/README.md), generated from `transforms.schema`."""
from __future__ import annotations

import pyarrow as pa

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
        out.append("| column | type | null | meaning | allowed / example |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            allowed = ", ".join(f"`{a}`" for a in c.allowed) if c.allowed else (f"e.g. `{c.example}`" if c.example else "")
            out.append(f"| `{c.name}` | `{_type(c.type)}` | {'yes' if c.nullable else 'no'} | "
                       f"{c.description.replace('|', '/')} | {allowed} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_into(readme: str) -> str:
    """`readme` with the generated block replaced by the current one."""
    start, end = readme.index(BEGIN), readme.index(END)
    return readme[:start + len(BEGIN)] + "\n\n" + tables_markdown() + "\n" + readme[end:]
