"""Cable stations: the post code of a reference id (`06PARIS5734` -> `PARIS`), its written forms
(`HO CHI MINH CITY`, `HCMC`, `SECSTATE WASHDC`) and the origin name cables.csv gives it.

The tables are data files (`data/stations.csv`, `data/station_aliases.csv`) with their sources noted.
"""
from __future__ import annotations

import functools
import re

from ..data import data_lines

_NON_ALPHA = re.compile(r"[^A-Z]")
_SPACES = re.compile(r"\s+")

#: FM-line prefixes -> the origin word cables.csv uses (for posts the station table lacks).
_ORIGIN_PREFIX = (
    ("AMEMBASSY ", "Embassy "),
    ("AMCONSUL ", "Consulate "),
    ("AMCOMSUL ", "Consulate "),       # a common typo of the 1970s teletype (72TEHRAN1381)
    ("USMISSION ", "Mission "),
    ("USINT ", "US Interests Section "),
    ("USOFFICE ", "US Office "),
    ("AIT ", "American Institute Taiwan, "),
)


def _csv_rows(name: str) -> list[list[str]]:
    import csv
    lines = data_lines("transforms.cables", name)
    return [row for row in csv.reader(lines[1:])]


@functools.cache
def _stations() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in _csv_rows("data/stations.csv")}


@functools.cache
def _aliases() -> dict[str, str]:
    return {row[0]: row[1] for row in _csv_rows("data/station_aliases.csv")}


def known_station(code: str) -> bool:
    return code in _stations()


def station_code(written: str) -> str | None:
    """`HO CHI MINH CITY` -> `HOCHIMINHCITY`, `SECSTATE WASHDC` -> `STATE`, `HCMC` ->
    `HOCHIMINHCITY`; None when the words are not a known post."""
    w = _SPACES.sub(" ", written.strip().upper())
    alias = _aliases().get(w)
    if alias:
        return alias
    code = _NON_ALPHA.sub("", w)
    return code if code in _stations() else None


def normalize_station(written: str) -> str:
    """Station code of a banner's station words: the known code (OCR `0TTAWA` read as `OTTAWA`
    when that is a known post), else the letters only."""
    code = station_code(written)
    if code:
        return code
    swapped = station_code(written.upper().replace("0", "O").replace("1", "I"))
    return swapped or _NON_ALPHA.sub("", written.upper())


def origin_of(code: str | None) -> str | None:
    """Origin name (cables.csv vocabulary) of a station code, or None when unknown."""
    if not code:
        return None
    entry = _stations().get(code)
    return entry[0] if entry and entry[0] else None


def origin_is_verified(code: str) -> bool:
    entry = _stations().get(code)
    return bool(entry and entry[1] == "corpus")


_KEEP_UPPER = {"UN", "USUN", "USEU", "USNATO", "USOSCE", "UNVIE", "USTR", "OSCE", "EU", "NATO", "IAEA", "CD",
               "USAU", "USUNESCO", "ICAO", "OECD", "UNESCO"}


def _title(words: str) -> str:
    return " ".join(w if w in _KEEP_UPPER else w.capitalize() for w in words.split())


def origin_from_fm(station: str | None) -> str | None:
    """`AMEMBASSY PARIS` -> `Embassy Paris`: the FM line's sender in cables.csv words, used only
    for posts the station table does not know."""
    if not station:
        return None
    s = _SPACES.sub(" ", station.strip().upper())
    code = station_code(s)
    if code and origin_of(code):
        return origin_of(code)
    for prefix, name in _ORIGIN_PREFIX:
        if s.startswith(prefix):
            rest = s[len(prefix):]
            code = station_code(rest)
            if code and origin_of(code):
                return origin_of(code)
            return name + _title(rest)
    return _title(s)


def stations_starting(prefix: str) -> list[str]:
    """Known station codes that start with `prefix` (a station name cut short)."""
    return [code for code in _stations() if code.startswith(prefix)]
