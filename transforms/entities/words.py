"""What a word is wherever it stands: the facts the rules test on every token, decided once per
distinct word (most words of a corpus recur) and kept as bits on the token (`Token.flags`), so a
rule picks the few tokens it cares about with one bit test each instead of list look-ups.

The word is a token's name part (`Token.text`); its case shape is that of `tokens.tokenize`.
"""
from __future__ import annotations

import functools
import re

from .lexicon import ambiguous_given_names, given_names, is_english, not_names

#: a capitalized word no list knows: not English, not boilerplate, with a vowel (see `unknown_word`)
UNKNOWN = 1
#: ... that may start a run of name words: capitalized, or of 4+ capitals
SHAPE_START = 2
#: a known given name, capitalized or in capitals (not an initial)
GIVEN = 4
#: a given name that is also a common word ("Frank", "Grant")
GIVEN_AMBIGUOUS = 8
#: a month name or abbreviation in any case ("November", "NOV", "Sept")
MONTH = 16
#: may be written like a short gazetteer key (`gazetteer.short_forms`)
SHORT_FORM = 32
#: may be a further mention of a document's person: capitalized or capitals, 3+ letters
MENTION = 64
#: cannot be a misspelled surname: an English word, under 5 letters, or a listed non-name
NO_VARIANT = 128
#: its lower-case form is an English word
ENGLISH = 256


@functools.lru_cache(maxsize=131072)
def unknown_word(w: str, titlecase: bool) -> bool:
    """Not an English word or a listed non-name, 3+ letters, a vowel, and (capitalized words) no
    run of capitals after the first letter ("McDONALD" is not a plain name)."""
    return (len(w) >= 3 and w[0].isupper() and not is_english(w.lower()) and w.lower() not in not_names()
            and any(c in "aeiouyAEIOUY" for c in w) and not re.search(r"[A-Z]{2}", w[1:] if titlecase else ""))


def word_flags(w: str, initial: bool, caps: bool, titlecase: bool) -> int:
    from .gazetteer import lower, short_forms
    from .patterns import month_of
    flags = 0
    if not initial and unknown_word(w, titlecase):
        flags |= UNKNOWN
        if titlecase or (caps and len(w) >= 4):
            flags |= SHAPE_START
    cap = w.capitalize()
    if not initial and (titlecase or caps) and cap in given_names():
        flags |= GIVEN
    if cap in ambiguous_given_names():
        flags |= GIVEN_AMBIGUOUS
    if month_of(lower(w)) is not None:
        flags |= MONTH
    if w in short_forms():
        flags |= SHORT_FORM
    low = w.lower()
    english = is_english(low)
    if english:
        flags |= ENGLISH
    if (caps or titlecase) and len(w) >= 3:
        flags |= MENTION
    if english or len(low) < 5 or low in not_names():
        flags |= NO_VARIANT
    return flags
