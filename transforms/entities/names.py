"""How a person's name is written in `normalized`, and the keys that decide two spellings are one
person.

Display form: given names before the surname ("Abedin, Huma" -> "Huma Abedin"), no title, no
middle initials when two or more full words remain ("Delano E. Lewis" -> "Delano Lewis"), and
words written in capitals turned into capitalized words ("DLAMINI-ZUMA" -> "Dlamini-Zuma",
"MCCAIN" -> "McCain").
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .lexicon import ascii_fold, rows

_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "da", "di", "du", "del", "della", "van", "von", "der", "le", "la"}


def _word(w: str) -> str:
    if not w.isupper() or len(w) == 1:
        return w
    parts = re.split(r"([-'\u2019])", w)
    out = []
    for p in parts:
        if p in ("-", "'", "\u2019") or not p:
            out.append(p)
        elif out and out[-1] in ("'", "\u2019") and p == "S":
            out.append("s")
        elif p.lower() in _PARTICLES and out == []:
            out.append(p.lower() if len(parts) > 1 else p.capitalize())
        elif p.startswith("MC") and len(p) > 3:
            out.append("Mc" + p[2:].capitalize())
        else:
            out.append(p.capitalize())
    return "".join(out)


def display(words: list[str]) -> str:
    return _display(tuple(words))


@functools.lru_cache(maxsize=65536)
def _display(words: tuple[str, ...]) -> str:
    words = [w.rstrip(".") for w in words if w.strip(".")]
    full = [w for w in words if len(w) > 1]
    if len(full) >= 2:
        words = full
    out = [_word(w) for w in words]
    # particles inside a name are lower case ("Abdallah bin Abdul Aziz")
    return " ".join(w.lower() if i and w.lower() in _PARTICLES else w for i, w in enumerate(out))


@functools.cache
def _translit_rules() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple((re.compile(p), r.replace("\\1", r"\1"), why) for p, r, why in rows("translit.csv", 3))


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Lower-case ASCII letters and spaces only."""
    s = ascii_fold(unicodedata.normalize("NFC", name)).lower()
    return re.sub(r"[^a-z ]+", "", s.replace("-", " ")).strip()


@functools.lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Transliteration-folded matching key: "Nazarbaev" and "Nazarbayev" share one."""
    out = []
    for w in fold(name).split():
        for rx, rep, _why in _translit_rules():
            w = rx.sub(rep, w)
        out.append(w)
    return " ".join(out)


def key_rule(a: str, b: str) -> str | None:
    """The first transliteration rule that tells `a` from `b` (for merge_rule), if any."""
    fa, fb = fold(a), fold(b)
    for rx, rep, why in _translit_rules():
        na, nb = rx.sub(rep, fa), rx.sub(rep, fb)
        if (na, nb) != (fa, fb):
            if na == nb:
                return f"translit:{why.split(' (')[0]}"
            fa, fb = na, nb
    return "translit" if fa == fb else None


#: letters OCR confuses (each pair both ways); source: errors seen in the OCR'd seed 000
#: ("Zhumaqulov") and common OCR confusions in typewritten cables ("NINISTER").
_OCR_PAIRS = {("q", "g"), ("rn", "m"), ("cl", "d"), ("l", "i"), ("l", "1"), ("o", "0"), ("n", "m"),
              ("e", "c"), ("h", "b"), ("u", "v"), ("s", "5"), ("i", "1"), ("t", "f")}


def edit1(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or transposition apart (long words only)."""
    a, b = a.lower(), b.lower()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False


class VariantIndex:
    """Finds which of a document's surnames a word misspells, by one OCR confusion (`ocr:q->g`:
    read q, meant g) or,
    for words of 7+ letters, one edit (`variant:edit1`). Built once per document: every OCR variant
    and every one-letter deletion of each surname is a dictionary key, so a lookup costs a few
    dictionary probes instead of a comparison with every surname."""

    def __init__(self, surnames: dict[str, str]) -> None:
        self.ocr: dict[str, tuple[str, str]] = {}
        self.deletes: dict[str, list[str]] = {}
        self.surnames = surnames                   # folded -> as found
        for f, surface in surnames.items():
            for x, y in _OCR_PAIRS:
                for p, q in ((x, y), (y, x)):
                    i = f.find(p)
                    while i >= 0:
                        self.ocr.setdefault(f[:i] + q + f[i + len(p):], (surface, f"ocr:{q}->{p}"))
                        i = f.find(p, i + 1)
            if len(f) >= 6:
                self.deletes.setdefault(f, []).append(f)
                for i in range(len(f)):
                    self.deletes.setdefault(f[:i] + f[i + 1:], []).append(f)

    def match(self, word: str) -> tuple[str, str] | None:
        w = word.lower()
        if w in self.surnames:
            return None
        hit = self.ocr.get(w)
        if hit:
            return hit
        if len(w) < 7:
            return None
        probes = [w] + [w[:i] + w[i + 1:] for i in range(len(w))]
        found = {f for p in probes for f in self.deletes.get(p, ()) if edit1(w, f)}
        if len(found) == 1:
            return self.surnames[found.pop()], "variant:edit1"
        return None


def variant_match(surnames: dict[str, str], word: str) -> tuple[str, str] | None:
    """`VariantIndex(surnames).match(word)` without building the index: for the few lookups a
    document makes, trying the surnames that could be a variant of `word` (length within one,
    same first or last letter: one OCR confusion or one edit keeps one end) is cheaper. The
    answer is the same, ties included (the index keeps the first surname, pair and position)."""
    w = word.lower()
    if w in surnames:
        return None
    n = len(w)
    # one OCR confusion takes at most two letters out and puts at most two in, one edit one each:
    # the letters found in only one of the two spellings are four at most
    letters = set(w)
    near = [f for f in surnames if abs(len(f) - n) <= 1 and (f[:1] == w[:1] or f[-1:] == w[-1:])
            and len(letters.symmetric_difference(f)) <= 4]
    if not near:
        return None
    for f in near:
        grow = n - len(f)
        for x, y in _OCR_PAIRS:
            for p, q in ((x, y), (y, x)):
                if len(q) - len(p) != grow:
                    continue
                i = f.find(p)
                while i >= 0:
                    if f[:i] + q + f[i + len(p):] == w:
                        return surnames[f], f"ocr:{q}->{p}"
                    i = f.find(p, i + 1)
    if n < 7:
        return None
    found = {f for f in near if len(f) >= 6 and edit1(w, f)}
    if len(found) == 1:
        return surnames[found.pop()], "variant:edit1"
    return None
