"""Rule- and gazetteer-based entity extraction (offline, deterministic).

Every entity's `text` is `paragraph.text[char_start:char_end]`. Gazetteers are Aho-Corasick
automata (pyahocorasick) built once per process from package data and pycountry.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ahocorasick
import pycountry

from ..cables.fields import two_digit_year
from ..data import data_lines
from ..records import Entity, Paragraph

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}\b")
_PERCENT = re.compile(r"\b\d{1,3}(?:\.\d+)?(?:\s?%|\s(?:percent|per cent)\b)")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?:({_MONTHS})\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?|(\d{{1,2}})\s+({_MONTHS})(?:\s+(\d{{4}}))?)\b", re.I)
_CABLE_ID = re.compile(r"\b(\d{2})([A-Z]{4,20})(\d{1,6})\b")
_REFTEL = re.compile(r"\b(?:reftel|REFTEL|ref[ ]?tel)\b")
_STATION_REF = re.compile(r"\b(STATE|SECSTATE)\s+(\d{3,7})\b")
_TITLED = None  # built lazily from titles.txt


@dataclass(frozen=True, slots=True)
class DocContext:
    """What entity rules may know about the document: its year (for dates) and TAGS."""
    year: int | None = None
    tags: tuple[str, ...] = ()


@functools.cache
def _countries() -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            a.add_word(name, (name, c.alpha_2, "country"))
    for name, code in (("Russia", "RU"), ("Iran", "IR"), ("Syria", "SY"), ("South Korea", "KR"),
                       ("North Korea", "KP"), ("Vietnam", "VN"), ("Burma", "MM"), ("Venezuela", "VE"),
                       ("Bolivia", "BO"), ("Tanzania", "TZ"), ("Moldova", "MD"), ("Laos", "LA"),
                       ("Kyrgyzstan", "KG"), ("Britain", "GB"), ("UK", "GB")):
        a.add_word(name, (name, code, "country"))
    for city in ("Almaty", "Astana", "Zhanaozen", "Shymkent", "Kyzyl-Orda", "Pavlodar", "Semipalatinsk",
                 "Ust-Kamenogorsk", "Shetpe", "Kiev", "Paris", "London", "Moscow", "Washington", "Berlin",
                 "Brussels", "Beijing", "Tokyo", "Madrid", "Rome", "Athens", "St. Petersburg", "Central Asia",
                 "Caucasus"):
        a.add_word(city, (city, None, "city" if city not in ("Central Asia", "Caucasus") else "region"))
    a.make_automaton()
    return a


@functools.cache
def _orgs() -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for line in data_lines("transforms.entities", "data/orgs.csv"):
        surface, normalized, subtype = (x.strip() for x in line.split(","))
        a.add_word(surface, (surface, normalized, subtype))
    a.make_automaton()
    return a


@functools.cache
def _titled() -> re.Pattern[str]:
    titles = sorted(data_lines("transforms.entities", "data/titles.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(t) for t in titles)
    return re.compile(rf"\b(?:{alt})\s+((?:[A-Z][a-z'-]+|[A-Z]\.)(?:\s+[A-Z][a-z'-]+){{0,2}})")


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _gazetteer(text: str, automaton: ahocorasick.Automaton) -> list[tuple[int, int, tuple]]:
    found = []
    for end_idx, value in automaton.iter(text):
        start = end_idx - len(value[0]) + 1
        if _word_bounded(text, start, end_idx + 1):
            found.append((start, end_idx + 1, value))
    # longest match wins where matches overlap
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out, last_end = [], -1
    for s, e, v in found:
        if s >= last_end:
            out.append((s, e, v))
            last_end = e
    return out


def extract_entities(para: Paragraph, ctx: DocContext = DocContext()) -> list[Entity]:
    text = para.text
    out: list[Entity] = []

    def add(etype: str, s: int, e: int, normalized: str, method: str, conf: float, subtype: str | None = None):
        out.append(Entity(para.doc_id, para.doc_type, para.year, para.para_index, etype, text[s:e], normalized,
                          s, e, method, conf, subtype, None, para.run_id))

    for m in _EMAIL.finditer(text):
        add("EMAIL", m.start(), m.end(), m.group(0).lower(), "regex:email", 0.99)
    for m in _PERCENT.finditer(text):
        value = re.match(r"[\d.]+", m.group(0)).group(0)
        add("PERCENT", m.start(), m.end(), f"{value}%", "regex:percent", 0.95)
    for m in _DATE.finditer(text):
        month = m.group(1) or m.group(5)
        day = int(m.group(2) or m.group(4))
        year = m.group(3) or m.group(6)
        mnum = [x.lower() for x in _MONTHS.split("|")].index(month.lower()) + 1
        y = int(year) if year else ctx.year
        norm = f"{y:04d}-{mnum:02d}-{day:02d}" if y else f"--{mnum:02d}-{day:02d}"
        add("DATE", m.start(), m.end(), norm, "regex:date" + ("" if year else "+doc_year"), 0.9)
    for m in _CABLE_ID.finditer(text):
        add("REFERENCE", m.start(), m.end(), m.group(0), "regex:cable_id", 0.9)
    for m in _STATION_REF.finditer(text):
        y = f"{ctx.year % 100:02d}" if ctx.year else "XX"
        add("REFERENCE", m.start(), m.end(), f"{y}STATE{int(m.group(2))}", "regex:station_serial", 0.85)
    for m in _REFTEL.finditer(text):
        add("REFERENCE", m.start(), m.end(), "reftel", "regex:reftel", 0.8)
    for s, e, (surface, code, kind) in _gazetteer(text, _countries()):
        add("LOCATION", s, e, code or surface, "gazetteer:" + ("pycountry" if code else "places"), 0.9, kind)
    for s, e, (_surface, normalized, subtype) in _gazetteer(text, _orgs()):
        add("ORG", s, e, normalized, "gazetteer:orgs", 0.9, subtype)
    for m in _titled().finditer(text):
        add("PERSON", m.start(1), m.end(1), m.group(1), "rule:title+name", 0.8)
    if ctx.tags and para.section == "header":
        tm = re.search(r"TAGS:?", text)
        if tm:
            for code in ctx.tags:
                for cm in re.finditer(rf"\b{re.escape(code)}\b", text[tm.end():]):
                    s = tm.end() + cm.start()
                    add("TAG", s, s + len(code), code, "tags_line", 1.0)
                    break
    return out


def year_of(year: str) -> int | None:
    return int(year) if year.isdigit() else None


__all__ = ["DocContext", "extract_entities", "year_of", "two_digit_year"]
