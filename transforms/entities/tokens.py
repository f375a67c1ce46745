"""Words of a paragraph with their offsets, and which lines are written in capitals."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# a word: letters, joined by inner apostrophes or hyphens ("O'Neill", "Dlamini-Zuma", "al-Asad");
# a possessive ("Nazarbayev's") stays inside the word and is cut off later. Only words that start
# with a capital are kept, plus the small words that may sit inside a name or an organisation's
# name ("al", "bin", "van", "and"): no rule looks at other lower-case words, and two kept words
# with a lower-case word between them are not adjacent (see `joined`), so dropping them is safe
# and saves most of the work on mixed-case text.
_WORD = re.compile(r"(?<![^\W\d_])(?:[A-Z\u00c0-\u00d6\u00d8-\u00de]|(?:al|el|bin|ibn|abu|de|da|di|du|del|della|"
                   r"van|von|der|le|la|and)(?![^\W\d_]))(?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")
#: what may stand between two words of one name: spaces, or one line break (cables wrap names)
_NAME_GAP = re.compile(r"[ \t]{1,3}|[ \t]*\r?\n[ \t]*")


@dataclass(slots=True)
class Token:
    start: int
    end: int          # end of the name part (possessive cut off)
    text: str         # the name part
    possessive: bool
    dot: bool         # followed by "." ("E.", "Amb.")
    initial: bool     # one capital letter ("E", "J.")
    caps: bool        # two or more letters, all capitals
    titlecase: bool   # a capital, then at least one small letter


def tokenize(text: str) -> list[Token]:
    out = []
    append = out.append
    padded = text + " "
    for m in _WORD.finditer(text):
        word = m[0]
        start, end = m.span()
        poss = word[-1] in "sS" and len(word) > 2 and word[-2] in "'\u2019"
        if poss:
            word = word[:-2]
        k = len(word)
        up = word.isupper()
        append(Token(start, start + k, word, poss, padded[end] == ".", k == 1 and up, k > 1 and up,
                     k > 1 and not up and word[0].isupper()))
    return out


def joined(text: str, a: Token, b: Token, allow_possessive: bool = False, newline: bool = True) -> bool:
    """`b` follows `a` inside one name: only spaces or one line break between them (after an
    initial's period too), and `a` is not possessive (unless allowed: "People's Committee")."""
    if a.possessive and not allow_possessive:
        return False
    gap_start = a.end + 2 if a.possessive else a.end + 1 if a.dot and a.initial else a.end
    gap = text[gap_start:b.start]
    return bool(_NAME_GAP.fullmatch(gap)) and (newline or "\n" not in gap)


_NOT_UPPER = bytes(c for c in range(256) if not 65 <= c <= 90)
_NOT_LOWER = bytes(c for c in range(256) if not 97 <= c <= 122)


class CapsLines:
    """Which lines of a text are written in capitals (at least 80% of their letters, 8+ letters;
    a short line takes the paragraph's verdict). Lines are judged when first asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.flags: dict[int, bool] = {}
        self._para: bool | None = None

    @staticmethod
    def _caps(s: str) -> tuple[bool, int]:
        b = s.encode("ascii", "ignore")
        up = len(b.translate(None, _NOT_UPPER))
        low = len(b.translate(None, _NOT_LOWER))
        return up >= 4 * low, up + low

    @property
    def all_caps(self) -> bool:
        if self._para is None:
            caps, n = self._caps(self.text)
            self._para = caps and n > 0
        return self._para

    def __call__(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        flag = self.flags.get(i)
        if flag is None:
            end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
            caps, n = self._caps(self.text[self.starts[i]:end])
            flag = self.flags[i] = caps if n >= 8 else self.all_caps
        return flag
