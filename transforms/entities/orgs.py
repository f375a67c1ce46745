"""ORG rules beyond the gazetteer: State Department office symbols (`EUR/CACEN`), embassies (`Embassy Astana`,
`AMEMBASSY ALMATY`, `U.S. Embassy`) and named institutions built on a head word
(`Central Election Commission`, `Ministry of Foreign Affairs`, `KURDISH DEMOCRATIC PARTY OF IRAN`).
"""
from __future__ import annotations

import bisect
import functools
import re

from .compiled import fast_module, finditer_at
from .gazetteer import Hit
from .lexicon import is_english, not_names, rows
from .names import display
from .spans import LISTED, SHAPE, Candidate
from .tags import tag_kind
from .tokens import Token, Words, joined, token_start
from .words import HEAD


@functools.cache
def _office_rx() -> re.Pattern[str]:
    bureaus = sorted({b for b, _ in rows("offices.csv", 2)} | {"USAID", "STATE", "DOS", "DOD", "OSD", "DHS", "DOE",
                                                                "TREASURY", "USDA", "DOC"}, key=len, reverse=True)
    alt = "|".join(re.escape(b) for b in bureaus)
    # a one-letter bureau needs an office of two letters or more ("S/CT"; not "W/O")
    return re.compile(rf"(?<![\w/.-])(?:{alt})(?:/[A-Z]{{1,8}}){{1,2}}(?![\w/])")




_fast = fast_module()


def offices(text: str) -> list[Candidate]:
    out = []
    if "/" not in text:
        return out
    for m in finditer_at(_office_rx(), text, _fast and _fast.office_starts(text)):
        code = m.group(0)
        first, rest = code.split("/", 1)
        if len(first) == 1 and len(rest.split("/")[0]) < 2:
            continue
        out.append(Candidate(m.start(), m.end(), "ORG", code, "rule:office_symbol", 0.95, LISTED, subtype="office"))
    return out


_EMBASSY = re.compile(r"(?<![\w/])(?P<kw>AMEMBASSY|AMCONSUL|USMISSION|Embassy|EMBASSY|Consulate General|"
                      r"CONSULATE GENERAL|Consulate|CONSULATE)(?:[ \t]+(?:in|IN|of|OF))?[ \t]+")
_US_BEFORE = re.compile(r"(?<![\w.])(?:U\.S\.|US|U\.N\.|UN)[ \t]*\n?[ \t]*\Z")
_US_EMBASSY = re.compile(r"(?<![\w/])(?:U\.S\.|US|American|AMERICAN)[ \t]+(?:Embassy|EMBASSY)(?![\w])")


def embassies(text: str, hits: list[Hit]) -> list[Candidate]:
    out = []
    places = {h.start: h for h in hits if h.entry.etype == "LOCATION"}
    # the keywords of both patterns, as they are written there (cheaper than a case-blind scan)
    hint = "mbassy" in text or "MBASSY" in text or "onsul" in text or "ONSUL" in text or "USMISSION" in text
    for m in (_EMBASSY.finditer(text) if hint else ()):
        h = places.get(m.end())
        if h is None:
            continue
        kw = m.group("kw").lower()
        kind = "Consulate" if kw.startswith(("consulate", "amconsul")) else "Mission" if kw == "usmission" else "Embassy"
        out.append(Candidate(m.start(), h.end, "ORG", f"{kind} {display([text[h.start:h.end]]) if text[h.start:h.end].isupper() else text[h.start:h.end]}",
                             "rule:embassy", 0.9, LISTED, subtype="embassy"))
    # "U.S. Congress", "US Senate": the country's name is part of the organisation's
    for h in hits:
        if h.entry.etype == "ORG" and h.entry.subtype in ("legislature", "agency", "government", "military",
                                                          "international") and h.entry.normalized not in ("UN", "United Nations"):
            q = _US_BEFORE.search(text, max(0, h.start - 8), h.start)
            if q:
                un = q.group(0).startswith(("U.N", "UN"))
                if not un and h.entry.subtype == "international":
                    continue                               # "U.N. Security Council", "U.S. Congress"
                prefix = "UN" if un else "US"
                norm = h.entry.normalized
                norm = norm if norm.startswith(prefix + " ") else f"{prefix} {norm}"
                out.append(Candidate(q.start(), h.end, "ORG", norm, "rule:us_org", 0.85, LISTED, subtype=h.entry.subtype))
    for m in (_US_EMBASSY.finditer(text) if hint else ()):
        out.append(Candidate(m.start(), m.end(), "ORG", "US Embassy", "rule:embassy", 0.85, LISTED, subtype="embassy"))
    return out


#: head word -> subtype. A head needs a capitalized word before it or an "of X" after it.
_HEADS = {
    "Ministry": "ministry", "Party": "party", "Institute": "institute", "Commission": "agency",
    "Committee": "agency", "Council": "agency", "Court": "court", "Agency": "agency", "Assembly": "legislature",
    "Parliament": "legislature", "Front": "party", "Movement": "party", "Union": "union",
    "Organization": "organization", "Organisation": "organization", "Foundation": "ngo", "Bank": "bank",
    "Fund": "fund", "Academy": "institute", "University": "institute", "Corporation": "company",
    "Association": "ngo", "Federation": "organization", "Coalition": "party", "Alliance": "party",
    "League": "organization", "Guards": "military", "Guard": "military", "Secretariat": "agency",
    "Administration": "government", "Government": "government", "Procuracy": "agency", "Service": "agency",
    "Army": "military", "Police": "agency", "Authority": "agency", "Directorate": "agency",
}
#: in capitals these heads are too often plain nouns ("THE SECURITY FORCES", "THE ARMY")
_CAPS_HEADS = {"MINISTRY", "PARTY", "INSTITUTE", "COMMISSION", "COMMITTEE", "COUNCIL", "COURT", "AGENCY",
               "ASSEMBLY", "PARLIAMENT", "FRONT", "MOVEMENT", "FOUNDATION", "ORGANIZATION", "ALLIANCE", "LEAGUE",
               "GUARDS", "FEDERATION", "UNIVERSITY", "GOVERNMENT"}
#: heads that are an ORG only with "of X" ("Government of Kazakhstan", not "the Kazakh Government")
_NEED_OF = {"government", "service", "army", "police", "administration", "union", "bank", "fund", "front"}
#: words that are no part of an organisation's name before its head word (see also `words.INERT`)
FUNCTION_WORDS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "both",
                  "each", "every", "no", "some", "any", "and", "or", "of", "for", "to", "in", "on", "at", "by",
                  "with", "from", "as", "but", "also", "while", "which", "who", "when", "if", "after", "before",
                  "during", "said", "told", "new", "former", "acting", "ruling", "pro", "local", "national", "mr",
                  "ms", "mrs"}
#: capitalized words that start a heading or a legal phrase, not a name ("Contracting Party")
_GENERIC = re.compile(r"(?i)^(?:contracting|next|own|single|whole|same|other|first|second|third|fourth|fifth|"
                      r"sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)|work|ad|high-level|would|such|any|"
                      r"underground|terrorist|travel|executive|political|prime|main|major|new|old|january|february|"
                      r"march|april|may|june|july|august|september|october|november|december)$")
_OF = re.compile(r"[ \t\n]{1,4}(?:of|for|OF|FOR)[ \t\n]{1,4}(?:(?:the|THE)[ \t\n]{1,4})?")


def _org_word(t: Token, caps: bool) -> bool:
    return (t.caps if caps else t.titlecase or t.caps and len(t.text) <= 5) and t.text.lower() not in FUNCTION_WORDS


HEAD_WORDS = frozenset(_HEADS) | _CAPS_HEADS


def institutions(text: str, words: Words) -> list[Candidate]:
    out = []
    toks = words.toks
    for i in words.having(HEAD):                       # words in HEAD_WORDS
        ht = toks[i]
        head = ht.text
        if ht.possessive:
            continue
        caps = head.isupper()
        # capitalized words right before the head, in its case style, not function words
        j = i
        while j > 0 and i - j < 4:
            prev = toks[j - 1]
            if (not _org_word(prev, caps) or prev.possessive and prev.text.lower() not in ("people", "peoples", "workers")
                    or not joined(text, prev, toks[j], allow_possessive=True) or prev.dot):
                break
            j -= 1
        end = ht.end
        post_words = 0
        o = _OF.match(text, end)
        if o:
            k = bisect.bisect_left(toks, o.end(), key=token_start)
            last = None
            while k < len(toks) and post_words < 4:
                t = toks[k]
                if last is not None and not joined(text, last, t):
                    break
                if t.text.lower() == "and" and k + 1 < len(toks) and _org_word(toks[k + 1], caps):
                    last = t
                    k += 1
                    continue
                if not _org_word(t, caps) or (last is None and t.start != o.end()) or t.text in HEAD_WORDS:
                    break                                  # "... Committee of the Organization of ..."
                last = t
                post_words += 1
                end = t.end
                k += 1
                if t.possessive:
                    break
        if head.lower() in _NEED_OF and not post_words:
            continue
        if j == i and not post_words:
            continue
        if caps:
            # in capitals, leading plain English words are context, not name ("ESTABLISHED
            # IRANIAN RESURGENCE PARTY" -> "IRANIAN RESURGENCE PARTY")
            while j < i and is_english(toks[j].text.lower()) and any(
                    not is_english(t.text.lower()) for t in toks[j + 1:i]):
                j += 1
        pre = [t.text for t in toks[j:i]]
        if pre and _GENERIC.match(pre[0]):
            continue
        # in capitals every word is capitalized: a name needs a word that is not plain English
        # ("IRANIAN RESURGENCE PARTY", "MARDOM PARTY"; not "POLITICAL PARTY", "TRAVEL AGENCY")
        if caps and not any(not is_english(w.lower()) for w in pre + text[ht.end:end].split()[2:]):
            continue
        start = toks[j].start
        surface = re.sub(r"\s+", " ", text[start:end])
        norm = surface
        if caps:
            norm = re.sub(r"\b(Of|For|And|The)\b", lambda x: x.group(1).lower(), display(surface.split()))
        out.append(Candidate(start, end, "ORG", norm, "rule:org_head", 0.75 if not caps else 0.65, LISTED,
                             subtype=_HEADS.get(head.capitalize(), "organization"), rank=1))
    return out


# (the first capital first, then "nothing before it": the engine jumps from capital to capital)
_ACRONYM = re.compile(r"[A-Z](?<![\w/.&-].)(?:[A-Z]{0,3}\d\+\d|[A-Z]{2,7}|[A-Z]{0,3}\d{1,3}|(?<=G)-\d{1,2})"
                      r"(?![\w/&+-]|\.\w)")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def acronyms(text: str, hits: list[Hit], caps_at) -> list[Candidate]:
    """An unknown acronym on a mixed-case line is an organisation ("MONUSCO", "FARDC", "M23",
    "ENRESA", "G-15"); on an all-capitals line every word looks like one, so none is taken."""
    out = []
    if caps_at.all_caps:
        return out
    known = {h.start for h in hits}
    for m in finditer_at(_ACRONYM, text, _fast and _fast.acronym_starts(text)):
        w = m.group(0)
        if m.start() in known:
            continue
        if (w.startswith("G-") or (w[0] == "G" and w[1:].isdigit())) and not caps_at(m.start()):
            out.append(Candidate(m.start(), m.end(), "ORG", f"G-{w.lstrip('G-')}", "rule:group_of_n", 0.8, SHAPE,
                                 subtype="international"))
            continue
        low = w.lower()
        if is_english(low) or low in not_names() or _ROMAN.match(w) or tag_kind(w) in ("subject", "program"):
            continue
        if caps_at(m.start()):
            continue
        out.append(Candidate(m.start(), m.end(), "ORG", w, "rule:acronym", 0.5, SHAPE, subtype="acronym", rank=3))
    return out
