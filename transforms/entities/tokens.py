"""Words of a paragraph with their offsets, and which lines are written in capitals."""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass

from .compiled import fast_module
from .words import (
    GIVEN,
    HEAD,
    HYPHENATED,
    INERT,
    MAY_MISSPELL,
    MONTH,
    SHAPE_START,
    SHORT_FORM,
    word_flags,
)

# a word: letters, joined by inner apostrophes or hyphens ("O'Neill", "Dlamini-Zuma", "al-Asad");
# a possessive ("Nazarbayev's") stays inside the word and is cut off later. Only words that start
# with a capital are kept, plus the small words that may sit inside a name or an organisation's
# name ("al", "bin", "van", "and"): no rule looks at other lower-case words, and two kept words
# with a lower-case word between them are not adjacent (see `joined`), so dropping them is safe
# and saves most of the work on mixed-case text.
_LETTER = r"[^\W\d_]"
_CAP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
# Written for speed, same words: the first letter is matched first (a capital, or the first letter
# of a particle), so the engine can skip other characters without trying the pattern; then "no
# letter before it" and which particle; then letter runs joined by one apostrophe or hyphen each.
_WORD = re.compile(rf"[{_CAP}abdeilv](?<!{_LETTER}.)(?:(?<=[{_CAP}]){_LETTER}*|(?<=a)(?:l|bu|nd)(?!{_LETTER})|"
                   rf"(?<=e)l(?!{_LETTER})|(?<=b)in(?!{_LETTER})|(?<=i)bn(?!{_LETTER})|"
                   rf"(?<=d)(?:e|a|i|u|el|ella|er)(?!{_LETTER})|(?<=v)[ao]n(?!{_LETTER})|(?<=l)[ea](?!{_LETTER}))"
                   rf"(?:['\u2019-]{_LETTER}+)*")
#: the same on ASCII text, where a letter is [A-Za-z] (a bitmap test instead of a Unicode lookup)
_WORD_ASCII = re.compile(r"[A-Zabdeilv](?<![A-Za-z].)(?:(?<=[A-Z])[A-Za-z]*|(?<=a)(?:l|bu|nd)(?![A-Za-z])|"
                         r"(?<=e)l(?![A-Za-z])|(?<=b)in(?![A-Za-z])|(?<=i)bn(?![A-Za-z])|"
                         r"(?<=d)(?:e|a|i|u|el|ella|er)(?![A-Za-z])|(?<=v)[ao]n(?![A-Za-z])|(?<=l)[ea](?![A-Za-z]))"
                         r"(?:['-][A-Za-z]+)*")
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
    flags: int = 0    # `words` bits: what the word is, wherever it stands


#: a token's start, the key to `bisect` a token list by offset
token_start = operator.attrgetter("start")


def tokenize(text: str) -> list[Token]:
    """Every word of `text` (see `_WORD`)."""
    return words(text, every=True).toks


@dataclass(slots=True)
class Words:
    """The words of a text, the union of their `words` flags (a rule whose bit is not in it has no
    word to look at in this text), and the indices of the words that carry a bit some rule picks
    its words by (`PICKED`): such a rule reads those few instead of every word (`having`)."""
    toks: list[Token]
    flags: int
    picked: list[int]

    def having(self, bit: int) -> list[int]:
        """Indices of the words with flag `bit` (a bit of `PICKED`), in text order."""
        if not self.flags & bit:
            return []
        toks = self.toks
        return [i for i in self.picked if toks[i].flags & bit]


#: the bits rules pick words by (see `Words.having`)
PICKED = MONTH | GIVEN | SHAPE_START | SHORT_FORM | HYPHENATED | HEAD | MAY_MISSPELL


def words(text: str, every: bool = False) -> Words:
    """The words of `text` (see `_WORD`), less the function words every rule reads as the end of
    a name (`words.INERT`: "THE", "OF", "With"; a fifth of a cable's words): two words with one of
    them between are not adjacent (`joined`), just as with it there. The last word of the text
    always stays, so "a word follows" stays true where it was (a particle before it is not a
    name's end). `every` keeps them all (for a rule that counts a text's words)."""
    out: list[Token] = []
    picked: list[int] = []
    append = out.append
    shapes = _SHAPES
    n = len(text)
    flags = 0
    skip = 0 if every else INERT
    tail = None
    for m in (_WORD_ASCII if text.isascii() else _WORD).finditer(text):
        word = m[0]
        shape = shapes.get(word) or _shape(word)
        f = shape[6]
        flags |= f
        if f & skip:
            tail = m
            continue
        tail = None
        start = m.start()
        end = start + len(word)
        if f & PICKED:
            picked.append(len(out))
        append(Token(start, start + shape[0], shape[1], shape[2], end < n and text[end] == ".", shape[3], shape[4],
                     shape[5], f))
    if tail is not None:
        start, end = tail.span()
        shape = shapes.get(tail[0]) or _shape(tail[0])
        append(Token(start, start + shape[0], shape[1], shape[2], end < n and text[end] == ".", shape[3], shape[4],
                     shape[5], shape[6]))
    return Words(out, flags, picked)


_fast = fast_module()      # the compiled twins, when built (see `compiled`)
_PyToken, _py_words, _py_having = Token, words, Words.having
if _fast is not None:
    Token = _fast.Token                                          # noqa: F811

    def words(text: str, every: bool = False) -> Words:          # noqa: F811
        toks, flags, picked = _fast.words_of(text, 0 if every else INERT, PICKED, _SHAPES, _shape, _WORD)
        return Words(toks, flags, picked)

    words.__doc__ = _py_words.__doc__

    def _having(self: Words, bit: int) -> list[int]:
        return _fast.having(self.toks, self.picked, bit) if self.flags & bit else []

    _having.__doc__ = Words.having.__doc__
    Words.having = _having

#: whether the compiled fast path is in use (`transforms.entities.COMPILED`)
COMPILED = _fast is not None


#: word -> (length of the name part, name part, possessive, initial, caps, titlecase, flags): a
#: word's shape and `words` flags do not depend on where it stands, and most words of a corpus recur
_SHAPES: dict[str, tuple[int, str, bool, bool, bool, bool, int]] = {}
_MAX_SHAPES = 200_000          # ~35 MB at most; a full cache starts over


def _shape(word: str) -> tuple[int, str, bool, bool, bool, bool, int]:
    poss = word[-1] in "sS" and len(word) > 2 and word[-2] in "'\u2019"
    core = word[:-2] if poss else word
    k = len(core)
    up = core.isupper()
    initial, caps, titlecase = k == 1 and up, k > 1 and up, k > 1 and not up and core[0].isupper()
    flags = word_flags(core, initial, caps, titlecase)
    if poss:
        flags &= ~INERT                      # "The's" is no function word
    shape = (k, core, poss, initial, caps, titlecase, flags)
    if len(_SHAPES) >= _MAX_SHAPES:
        _SHAPES.clear()
    _SHAPES[word] = shape
    return shape


def joined(text: str, a: Token, b: Token, allow_possessive: bool = False, newline: bool = True) -> bool:
    """`b` follows `a` inside one name: only spaces or one line break between them (after an
    initial's period too), and `a` is not possessive (unless allowed: "People's Committee")."""
    if a.possessive and not allow_possessive:
        return False
    gap_start = a.end + 2 if a.possessive else a.end + 1 if a.dot and a.initial else a.end
    gap = text[gap_start:b.start]
    if gap == " ":                               # most gaps: no pattern needed
        return True
    return bool(_NAME_GAP.fullmatch(gap)) and (newline or "\n" not in gap)


_NOT_UPPER = bytes(c for c in range(256) if not 65 <= c <= 90)
_NOT_LOWER = bytes(c for c in range(256) if not 97 <= c <= 122)


_NEWLINE = re.compile("\n")


class CapsLines:
    """Which lines of a text are written in capitals (at least 80% of their letters, 8+ letters;
    a short line takes the paragraph's verdict). Lines are judged when first asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None      # line starts, found when first needed
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
        starts = self.starts
        if starts is None:
            starts = self.starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        i = bisect.bisect_right(starts, offset) - 1
        flag = self.flags.get(i)
        if flag is None:
            end = starts[i + 1] - 1 if i + 1 < len(starts) else len(self.text)
            caps, n = self._caps(self.text[starts[i]:end])
            flag = self.flags[i] = caps if n >= 8 else self.all_caps
        return flag
