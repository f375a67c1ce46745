"""PERSON rules for one paragraph. The span is the name only; a title before it goes to `subtype`
(`title:Ambassador`). Evidence, strongest first:

- a title from titles.txt before capitalized name words ("Ambassador Ordway", "PRESIDENT MBEKI");
- a role designator standing for one officer ("A/Political Counselor", "the Ambassador");
- an e-mail header name ("Abedin, Huma", "H" for the Secretary);
- a cable's signature line ("ORDWAY");
- a known given name before a surname ("Aurelia Bouchez", "STEVE TSHWETE");
- two or three capitalized words that are not English words, places or organisations
  ("Bakhytzhan Zhumagulov", "Magzhan Ilyassov");
- one such word with a surname ending common in the region ("Kazykhanov", "Saakashvili").

Words in capitals (cables) are judged by the same rules; the English dictionary is what keeps
"THE SECOND ROUND" from being a name.
"""
from __future__ import annotations

import bisect
import functools
import re

from .gazetteer import Hit
from .lexicon import (
    given_names,
    is_compound,
    is_english,
    is_name_word,
    not_names,
    rows,
    surnames,
)
from .names import display
from .spans import LISTED, SHAPE, Candidate
from .tokens import Token, Words, joined, token_start
from .words import GIVEN, GIVEN_AMBIGUOUS, SHAPE_START, SURNAME_ENDING, UNKNOWN

PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "da", "di", "du", "del", "della", "van", "von", "der", "le", "la"}
#: surname endings (Slavic, Caucasian, Turkic, Iranian, Greek...) that make a lone unknown
#: capitalized word a surname
SURNAME_END = re.compile(r"(?:ov|ova|ev|eva|yev|yeva|enko|chuk|vich|ovich|evich|ski|sky|skiy|dze|shvili|"
                         r"yan|zadeh|oglu|escu|poulos|bayev|bekov|uly|kyzy)$", re.IGNORECASE)
_HEADER_BODY = r"[ \t]*(?:From|To|Cc|CC|Bcc)[ \t]*:.*$"
#: a From/To/Cc line: the first line, or one after a line break (a scan that jumps from line
#: break to line break, where `^` in multi-line mode is tried at every character)
_HEADER_FIRST = re.compile(_HEADER_BODY, re.I | re.M)
_HEADER_NEXT = re.compile(rf"\n({_HEADER_BODY})", re.I | re.M)


def header_lines(text: str) -> list[tuple[int, str]]:
    """(start, text) of each From/To/Cc/Bcc line of `text`."""
    if ":" not in text:                       # every header line has its colon
        return []
    first = _HEADER_FIRST.match(text)
    out = [(0, first.group(0))] if first else []
    out += [(m.start(1), m.group(1)) for m in _HEADER_NEXT.finditer(text)]
    return out
_EMAIL_NAME = re.compile(r"(?P<sur>[A-Z][A-Za-z'\u2019-]+(?:[ -][A-Z][A-Za-z'\u2019-]+)?),[ \t]+"
                         r"(?P<given>[A-Z][a-z][A-Za-z'\u2019-]*)(?:[ \t]+(?P<mi>[A-Z])(?![\w@])\.?)?")


@functools.cache
def email_aliases() -> dict[str, str]:
    return dict(rows("email_aliases.csv", 2))


@functools.cache
def _person_names() -> frozenset[str]:
    return given_names() | surnames()


def blocked_starts(hits: list[Hit]) -> dict[int, Hit]:
    """Word starts where a place or organisation begins: such a word is not a name word."""
    out: dict[int, Hit] = {}
    for h in hits:
        if h.entry.etype in ("LOCATION", "ORG") and (h.start not in out or h.end > out[h.start].end):
            # a city named like a person ("Pereira", "Goma") may end a name
            if (h.entry.subtype == "city" and h.end - h.start == len(h.entry.surface)
                    and h.entry.surface in _person_names()):
                continue
            out[h.start] = h
    return out


def _name_run(text: str, toks: list[Token], i: int, blocked: dict[int, Hit], limit: int = 4,
              newline: bool = True) -> int:
    """How many tokens from `i` form a name (initials and particles inside, never at the end)."""
    n = 0
    last_full = 0
    while i + n < len(toks) and n < limit:
        t = toks[i + n]
        if n and not joined(text, toks[i + n - 1], t, newline=newline):
            break
        if t.start in blocked:
            break
        if t.initial or t.text.lower() in PARTICLES and i + n + 1 < len(toks):
            n += 1
        elif is_name_word(t.text):
            n += 1
            last_full = n
        else:
            break
        if t.possessive:
            break
    return last_full


def _person(toks: list[Token], i: int, n: int, method: str, conf: float, tier: int, subtype: str | None = None,
            rank: int = 0) -> Candidate:
    words = [t.text for t in toks[i:i + n]]
    return Candidate(toks[i].start, toks[i + n - 1].end, "PERSON", display(words), method, conf, tier,
                     subtype=subtype, rank=rank)


_TITLE_GAP = re.compile(r"\.?[ \t]{1,3}|\.?[ \t]*\r?\n[ \t]*")


def titled(text: str, toks: list[Token], hits: list[Hit],
           blocked: dict[int, Hit] | None = None) -> tuple[list[Candidate], set[int]]:
    """Names after titles; also the end offsets of titles that had a name (those are not roles).
    `blocked` is `blocked_starts(hits)` when the caller has it."""
    out, used = [], set()
    titles = [h for h in hits if h.entry.etype == "TITLE"]
    if not titles:
        return out, used
    if blocked is None:
        blocked = blocked_starts(hits)
    for h in titles:
        # first word after the title
        j = _next_token(toks, h.end)
        if j is None or not _TITLE_GAP.fullmatch(text, h.end, toks[j].start):
            continue
        n = _name_run(text, toks, j, blocked)
        if n == 0 or toks[j].initial and n == 1:
            continue
        out.append(_person(toks, j, n, "rule:title+name", 0.9, LISTED, subtype=f"title:{h.entry.normalized}"))
        used.add(h.end)
    return out, used


def _next_token(toks: list[Token], pos: int) -> int | None:
    j = bisect.bisect_left(toks, pos, key=token_start)
    return j if j < len(toks) else None


def roles(text: str, hits: list[Hit], title_ends: set[int]) -> list[Candidate]:
    out = []
    for h in hits:
        if h.entry.etype != "ROLE" or h.end in title_ends:
            continue
        # "the Ambassador", "The Secretary's call": the reporting post's own principal
        # ("Ambassador's meeting" needs no "the")
        if (h.entry.surface.lower() in ("ambassador", "secretary")
                and text[max(0, h.start - 4):h.start].lower() != "the "
                and text[h.end:h.end + 2] not in ("'s", "'S", "\u2019s")):
            continue
        out.append(Candidate(h.start, h.end, "PERSON", h.entry.normalized, "rule:role", 0.7, LISTED, subtype="role"))
    return out


def by_given_name(text: str, words: Words, hits: list[Hit], blocked: dict[int, Hit] | None = None
                  ) -> list[Candidate]:
    out = []
    # only words that are a known given name, capitalized or in capitals, start a name here
    starts = words.having(GIVEN)
    if not starts:
        return out
    toks = words.toks
    if blocked is None:
        blocked = blocked_starts(hits)
    titles = {h.start for h in hits if h.entry.etype == "TITLE"}
    for i in starts:
        t = toks[i]
        if t.possessive or t.start in blocked:
            continue
        if t.start in titles or t.caps and t.flags & GIVEN_AMBIGUOUS:
            continue                                  # "Bishop John" is a title; "GRANT AID"
        # in capitals a name does not run over a line end ("JANET DEUTSCH \nDASK PASS")
        if i + 1 >= len(toks) or not joined(text, t, toks[i + 1], newline=not t.caps):
            continue
        n = _name_run(text, toks, i + 1, blocked, limit=3, newline=not t.caps)
        if n == 0:
            continue
        last = toks[i + n]
        # one case style for the whole name ("Steve TSHWETE" is not a name)
        if (t.caps) != (last.caps):
            continue
        # a given name that is also a word ("Rose", "Press") needs a surname that is not one
        # ("Rose Gottemoeller", not "Press Highlights"); in capitals no surname may be a word
        if (t.caps or is_english(t.text.lower())) and is_english(last.text.lower()):
            continue
        # a known given name and a known surname are as good as a list ("Ana Cristina Pereira"
        # beats the city of Pereira)
        tier = LISTED if last.text.capitalize() in surnames() and not is_english(last.text.lower()) else SHAPE
        out.append(_person(toks, i, n + 1, "rule:given_name", 0.8, tier, rank=1))
    return out


def _unknown(t: Token, blocked: dict[int, Hit]) -> bool:
    """A capitalized word no list knows: not English, not a place/organisation, not boilerplate."""
    return t.start not in blocked and t.flags & UNKNOWN


def by_shape(text: str, words: Words, hits: list[Hit], caps_at, blocked: dict[int, Hit] | None = None
             ) -> list[Candidate]:
    """Runs of 2-3 unknown capitalized words; a lone unknown word with a surname ending."""
    out = []
    # words that may start a run: unknown, and capitalized or of 4+ capitals (decided per word)
    starts = words.having(SHAPE_START)
    if not starts:
        return out
    toks = words.toks
    if blocked is None:
        blocked = blocked_starts(hits)
    nxt = 0
    for i in starts:
        if i < nxt:
            continue
        t = toks[i]
        if t.start in blocked:
            continue
        n = 1
        while (n < 3 and i + n < len(toks) and not toks[i + n - 1].possessive
               and joined(text, toks[i + n - 1], toks[i + n], newline=False) and _unknown(toks[i + n], blocked)
               and toks[i + n].caps == t.caps and (not t.caps or len(toks[i + n].text) >= 4)):
            n += 1
        nxt = i + n
        if n >= 2 and t.caps and any(is_compound(toks[k].text.lower()) for k in range(i, i + n)):
            continue                                 # "GAMEBOOK KARUNANIDHI"
        if n >= 2 and not (t.caps and not caps_at(t.start)):
            out.append(_person(toks, i, n, "rule:name_shape", 0.6 if t.titlecase else 0.5, SHAPE, rank=2))
        elif n == 1 and t.flags & SURNAME_ENDING:           # 5+ letters matching SURNAME_END
            out.append(_person(toks, i, 1, "rule:surname_ending", 0.6, SHAPE, rank=2))
    return out


def email_names(text: str, lines: list[tuple[int, str]] | None = None) -> list[Candidate]:
    """Names in From/To/Cc header lines: "Surname, Given [M]" and the account aliases ("H").
    `lines` is `header_lines(text)` when the caller has it."""
    out = []
    lines = header_lines(text) if lines is None else lines
    if not lines:
        return out
    aliases = email_aliases()
    for seg_start, seg in lines:
        for m in _EMAIL_NAME.finditer(seg):
            if m.group("sur").split()[0] in ("From", "To", "Cc", "Sent", "Subject"):
                continue
            words = [m.group("given"), *m.group("sur").split()]
            out.append(Candidate(seg_start + m.start(), seg_start + m.end(), "PERSON", display(words),
                                 "rule:email_name", 0.9, LISTED))
        for m in re.finditer(r"(?<![\w@.'-])([A-Z]{1,3})(?=[ \t]*(?:$|<|[ \t][A-Z][a-z]|;|,))", seg):
            if m.group(1) in aliases:
                out.append(Candidate(seg_start + m.start(1), seg_start + m.end(1), "PERSON", aliases[m.group(1)],
                                     "rule:email_alias", 0.8, LISTED))
    return out


def signature(text: str, toks: list[Token]) -> list[Candidate]:
    """A cable's signature paragraph: one line of one to three name words ("ORDWAY", "Rosenblatt")."""
    if "\n" in text.strip() or not toks or len(toks) > 3:
        return []
    if not all(is_name_word(t.text) or t.initial for t in toks):
        return []
    if any(t.text.lower() in not_names() or t.text in ("NNNN", "BT") for t in toks):
        return []
    return [Candidate(toks[0].start, toks[-1].end, "PERSON", display([t.text for t in toks]), "rule:signature",
                      0.85, LISTED)]


#: "DEPARTMENT FOR EUR/CACEN (JMUDGE)", "NSC FOR TSHANNON AND CBARTON": who a cable is for
_FOR_LINE = re.compile(r"(?m)(?:^|(?<=[ \t]))FOR[ \t]+(?P<rest>[A-Z](?:(?!\bFOR\b)[^\n;])*)")
#: two consonants that start English words; a code starting with two others is initial + surname
_ONSETS = {"bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kh", "kl", "kr", "ph", "pl", "pr", "sc",
           "sh", "sk", "sl", "sm", "sn", "sp", "st", "sw", "th", "tr", "ts", "tw", "wh", "wr", "zh", "sz", "schm"}
_PAREN_CODE = re.compile(r"\((?P<w>[A-Z]{4,14})\)")
_ITEM = re.compile(r"(?:(?<=[,;])|(?<=^)|(?<=\bAND\b))[ \t]*(?P<w>[A-Z]{4,14})[ \t]*(?=$|[,;]|AND\b|\()")


def _addressee_name(word: str) -> str:
    """`JMUDGE` -> `J. Mudge` when the rest is a known surname; else `Scheinman`."""
    rest = word[1:].capitalize()
    low = word.lower()
    if (rest in surnames() and word.capitalize() not in surnames()) or (
            low[0] not in "aeiouy" and low[1] not in "aeiouy" and low[:2] not in _ONSETS):
        return f"{word[0]}. {rest}"
    return word.capitalize()


def addressees(text: str, hits: list[Hit]) -> list[Candidate]:
    """Names and name codes on a cable's "X FOR ..." addressing lines (header only)."""
    out = []
    listed = {h.start for h in hits if h.entry.etype in ("LOCATION", "ORG", "TITLE", "ROLE")}
    seen: set[int] = set()
    for line in _FOR_LINE.finditer(text):
        whole = text[text.rfind("\n", 0, line.start()) + 1:text.find("\n", line.end()) % (len(text) + 1)]
        whole_start = text.rfind("\n", 0, line.start()) + 1
        for rx, rest_start, rest in ((_PAREN_CODE, whole_start, whole), (_ITEM, line.start("rest"), line.group("rest"))):
            for m in rx.finditer(rest):
                s = rest_start + m.start("w")
                w = m.group("w")
                vowels = sum(c in "AEIOUY" for c in w)
                if (s in seen or s in listed or is_english(w.lower()) or w.lower() in not_names() or vowels < 2
                        or w.startswith(("US", "UN"))):
                    continue
                seen.add(s)
                out.append(Candidate(s, s + len(w), "PERSON", _addressee_name(w), "rule:addressee", 0.6, LISTED,
                                     subtype="addressee"))
    return out


_HANDLE = re.compile(r"(?<![\w.@])(?P<first>[a-z]{2,20})\.(?P<last>[a-z]{2,30})(?![\w@.])")


def email_handles(text: str, lines: list[tuple[int, str]] | None = None) -> list[Candidate]:
    """"To: Huma Abedin; jake.sullivan": an address book entry written as first.last. `lines` is
    `header_lines(text)` when the caller has it."""
    out = []
    for line_start, line in header_lines(text) if lines is None else lines:
        for m in _HANDLE.finditer(line):
            if m.group("last") in ("gov", "com", "org", "net", "edu", "mil", "int", "mail"):
                continue                                      # a domain ("state.gov"), not a name
            s = line_start + m.start()
            out.append(Candidate(s, line_start + m.end(), "PERSON",
                                 f"{m.group('first').capitalize()} {m.group('last').capitalize()}",
                                 "rule:email_handle", 0.7, LISTED))
    return out
