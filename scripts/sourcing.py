"""Provenance helpers shared by scripts/build_data.py and scripts/build_reported.py.

* :func:`via_republisher` marks a source whose page is a republisher's or a mirror's copy of
  another outlet's report (the list in shared/reporting/README.md, caveat 1, and
  shared/reporting/batch2/README.md, caveat 2), or whose outlet the staged row itself describes
  as a copy, mirror or reproduction.
* :func:`arabic_fits` checks that an Arabic name spells the same consonants as one of a place's
  romanised names. Arabic names come only from source fields that carry them (OCHA COD-AB
  ``ADM*_AR``, OSM ``name:ar``, Who's On First ``name:ara``); some WOF values were imported from
  GeoNames alternates and belong to another place (Al Mazra'ah "السجن", 'Ariqah "تل عمار"), so
  a WOF name is used only when its consonants match the place's romanised name.
* :func:`round_sig` and :func:`area_label` keep area figures no more precise than their
  sources: two significant figures, "≈", "(schematic)". They are defined once, in
  ``geo/core/figures.py`` (the app prints figures with them too), and imported here.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for geo/
from geo.core.figures import area_label, round_sig  # noqa: E402

__all__ = ["area_label", "arabic_fits", "is_arabic", "pick_arabic", "round_sig",
           "via_republisher"]

#: Hosts that only republish other outlets' copy (reporting README caveat 1; batch2 caveat 2).
REPUBLISHER_HOSTS = (
    "menafn.com", "am1.news", "devdiscourse.com", "greenwatchbd.com", "timesng.com",
    "conven.org", "zerohedge.com", "news.peoplentools.com", "alexa.ng", "mesazhi.com",
)
#: LBCI is listed as a republisher where it carries agency copy ("LBCI (AFP)", "LBCI (Reuters)");
#: its own TV reports ("LBCI") are not copies.
AGENCY_COPY_HOSTS = ("lbcgroup.tv",)
COPY_WORDS = re.compile(r"\bcopy\b|\bmirror\b|\breproducing\b", re.I)


def via_republisher(outlet: str, url: str | None) -> bool:
    """True when the cited page is a republisher's or mirror's copy of another report."""
    host = (urlparse(url or "").hostname or "").lower()
    on = lambda hosts: any(host == h or host.endswith("." + h) for h in hosts)  # noqa: E731
    if on(REPUBLISHER_HOSTS) or COPY_WORDS.search(outlet or ""):
        return True
    return on(AGENCY_COPY_HOSTS) and "(" in (outlet or "")


# --- Arabic names ---------------------------------------------------------------------------

ARABIC_SCRIPT = re.compile(r"^[\u0621-\u064A\u0660-\u0669\u064B-\u0652\u0670 \-]+$")
#: Arabic letters -> coarse consonant classes; long vowels, hamza seats, 'ayn and ta marbuta
#: carry no class (romanisations write them inconsistently).
_AR = {
    "ب": "B", "ت": "T", "ث": "T", "ط": "T", "ج": "K", "غ": "K", "ق": "K", "ك": "K", "خ": "K",
    "ح": "H", "ه": "H", "د": "D", "ذ": "D", "ض": "D", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S",
    "ش": "S", "ص": "S", "ف": "F", "ل": "L", "م": "M", "ن": "N",
}
#: Latin digraphs first, then single letters, in the same classes.
_LATIN_DIGRAPHS = (("kh", "K"), ("gh", "K"), ("sh", "S"), ("th", "T"), ("dh", "D"), ("ch", "S"))
_LATIN = {
    "b": "B", "p": "B", "t": "T", "j": "K", "g": "K", "q": "K", "k": "K", "c": "K", "h": "H",
    "d": "D", "r": "R", "z": "Z", "s": "S", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N",
    "x": "KS",
}
_LATIN_ARTICLES = {"al", "el", "as", "ash", "ad", "ar", "az", "at", "an", "ath", "adh", "aş",
                   "aḑ", "aţ", "aẓ", "ul", "il"}


def _word(classes: str) -> str:
    """A word's classes with doubles collapsed and a final H dropped (ta marbuta is written
    "-ah" in romanisations and ة or ه in Arabic; final ح is dropped on both sides too)."""
    out = re.sub(r"(.)\1+", r"\1", classes)
    return out[:-1] if out.endswith("H") and len(out) > 1 else out


def _join(words: Iterable[str]) -> str:
    return re.sub(r"(.)\1+", r"\1", "".join(words))


def arabic_skeleton(name: str) -> str:
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in name.split()]
    return _join(_word("".join(_AR.get(ch, "") for ch in w)) for w in words)


def _latin_word(word: str) -> str:
    text = unicodedata.normalize("NFKD", word)
    text = "".join(ch for ch in text if ch.isascii() and ch.isalpha())
    if text.endswith("at") and len(text) > 3:  # construct state: Madinat, Mazra'at
        text = text[:-1]
    for digraph, cls in _LATIN_DIGRAPHS:
        text = text.replace(digraph, cls)
    return _word("".join(ch if ch.isupper() else _LATIN.get(ch, "") for ch in text))


def latin_skeleton(name: str) -> str:
    words = [w for w in name.lower().replace("-", " ").split() if w]
    if len(words) > 1:
        words = [w for w in words if w not in _LATIN_ARTICLES]
    return _join(_latin_word(w) for w in words)


def is_arabic(name: str) -> bool:
    return bool(name) and bool(ARABIC_SCRIPT.match(name))


def arabic_fits(arabic: str, latin_names: Iterable[str]) -> bool:
    """True if ``arabic`` is Arabic script and spells the consonants of one romanised name."""
    if not is_arabic(arabic):
        return False
    skeleton = arabic_skeleton(arabic)
    return bool(skeleton) and any(latin_skeleton(n) == skeleton for n in latin_names if n)


def pick_arabic(candidates: Iterable[tuple[str, str]], latin_names: Iterable[str]
                ) -> tuple[str, str]:
    """(name, source field) of the first candidate that fits a romanised name, else ("", "")."""
    latin = [n for n in latin_names if n]
    for name, field in candidates:
        if arabic_fits(name, latin):
            return name, field
    return "", ""
