"""Scoring entity predictions against the hand-annotated gold paragraphs (gold.jsonl).

A gold item names its paragraph by source file (relative to ../shared), optional doc_id (for a
cables.csv dump) and an anchor substring, never by paragraph number, so the gold survives changes
to paragraph segmentation. Entities are compared as multisets of (type, exact surface text): a
prediction counts only if the same text is annotated with the same type in that paragraph.
`normalized` is scored separately, over the matched pairs.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).with_name("gold.jsonl")


@dataclass(frozen=True)
class GoldItem:
    id: str
    source: str
    anchor: str
    entities: tuple[tuple[str, str, str], ...]
    doc_id: str | None = None


def load_gold(path: Path = GOLD) -> list[GoldItem]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(GoldItem(d["id"], d["source"], d["anchor"], tuple(tuple(e) for e in d["entities"]),
                                d.get("doc_id")))
    return out


@dataclass
class TypeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    norm_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def norm_accuracy(self) -> float:
        return self.norm_ok / self.tp if self.tp else 1.0


def score_item(gold: GoldItem, predicted: list[tuple[str, str, str]], scores: dict[str, TypeScore]) -> None:
    """Add one paragraph's counts to `scores` (type -> TypeScore). `predicted` holds
    (type, text, normalized) triples."""
    g_norm: dict[tuple[str, str], list[str]] = defaultdict(list)
    p_norm: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t, text, norm in gold.entities:
        g_norm[(t, text)].append(norm)
    for t, text, norm in predicted:
        p_norm[(t, text)].append(norm)
    g, p = Counter({k: len(v) for k, v in g_norm.items()}), Counter({k: len(v) for k, v in p_norm.items()})
    for key in set(g) | set(p):
        t = key[0]
        s = scores.setdefault(t, TypeScore())
        both = min(g[key], p[key])
        s.tp += both
        if p[key] > both:
            s.fp += p[key] - both
            s.errors.append(f"{gold.id}: FP {key[1]!r} x{p[key] - both}")
        if g[key] > both:
            s.fn += g[key] - both
            s.errors.append(f"{gold.id}: FN {key[1]!r} x{g[key] - both}")
        gold_forms, pred_forms = Counter(g_norm[key]), Counter(p_norm[key])
        ok = sum((gold_forms & pred_forms).values())
        s.norm_ok += min(ok, both)
        if ok < both:
            s.errors.append(f"{gold.id}: NORM {key[1]!r} gold={sorted(gold_forms)} got={sorted(pred_forms)}")


def report(scores: dict[str, TypeScore]) -> str:
    lines = [f"{'type':10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'norm':>6}"]
    for t in sorted(scores):
        s = scores[t]
        lines.append(f"{t:10} {s.tp + s.fn:5d} {s.tp + s.fp:5d} {s.precision:6.3f} {s.recall:6.3f} {s.norm_accuracy:6.3f}")
    return "\n".join(lines)
