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
#: the head word of an institution's name ("Ministry", "PARTY"; `orgs.HEAD_WORDS`)
HEAD = 512
#: 5+ letters ending like a surname of the region ("Kazykhanov"; `people.SURNAME_END`)
SURNAME_ENDING = 1024
#: longer than a short gazetteer key, with a hyphen: its parts may be short keys ("Iran-Iraq")
HYPHENATED = 2048
#: MENTION and not NO_VARIANT: may misspell a document's surname
MAY_MISSPELL = 4096
#: a function word ("THE", "With", "OF") that every rule reads as the end of a name: none of the
#: bits above that rules pick words by, in `orgs.FUNCTION_WORDS` and `lexicon.not_names`, not a
#: particle or "and" (which may stand inside a name), no hyphen or apostrophe. `tokens.words`
#: leaves such words out (see there).
INERT = 8192
#: the bits a rule may pick a word by, or read it as part of a name by
_ACTIVE = UNKNOWN | SHAPE_START | GIVEN | MONTH | SHORT_FORM | HEAD | HYPHENATED | MAY_MISSPELL


@functools.lru_cache(maxsize=131072)
def unknown_word(w: str, titlecase: bool) -> bool:
    """Not an English word or a listed non-name, 3+ letters, a vowel, and (capitalized words) no
    run of capitals after the first letter ("McDONALD" is not a plain name)."""
    return (len(w) >= 3 and w[0].isupper() and not is_english(w.lower()) and w.lower() not in not_names()
            and any(c in "aeiouyAEIOUY" for c in w) and not re.search(r"[A-Z]{2}", w[1:] if titlecase else ""))


@functools.cache
def _rules() -> tuple:
    """What the rule modules say about words (imported here, once: they import this module)."""
    from .gazetteer import SHORT_KEY, lower, short_forms
    from .orgs import FUNCTION_WORDS, HEAD_WORDS
    from .patterns import month_of
    from .people import PARTICLES, SURNAME_END
    return SHORT_KEY, lower, short_forms(), FUNCTION_WORDS, HEAD_WORDS, month_of, PARTICLES, SURNAME_END


def word_flags(w: str, initial: bool, caps: bool, titlecase: bool) -> int:
    short_key, lower, short_forms, function_words, head_words, month_of, particles, ending = _rules()
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
    if w in short_forms:
        flags |= SHORT_FORM
    low = w.lower()
    english = is_english(low)
    if english:
        flags |= ENGLISH
    if (caps or titlecase) and len(w) >= 3:
        flags |= MENTION
    if english or len(low) < 5 or low in not_names():
        flags |= NO_VARIANT
    elif flags & MENTION:
        flags |= MAY_MISSPELL
    if w in head_words:
        flags |= HEAD
    if len(w) >= 5 and ending.search(w):
        flags |= SURNAME_ENDING
    if len(w) > short_key and "-" in w:
        flags |= HYPHENATED
    if (not initial and not flags & _ACTIVE and low in function_words and low != "and" and low not in particles
            and low in not_names() and not any(c in w for c in "-'\u2019")):
        flags |= INERT
    return flags
