"""The values a figure allows: its hedge, its rounding and its unit.

"more than 30" allows 30 and up, "nearly 1,600" a little less than 1,600, "six or more bombs" six and
up; "the 24-ton Zarya" is a weight outlets also give in pounds ("the 44,000-pound Zarya"), and a
figure converted from other units is only as exact as the digits it was written with. Used by
:mod:`newsbrief.quantities`, which reads the figures, and :mod:`newsbrief.parsed_figures`.
"""

from __future__ import annotations

import re

# Looked for only in the few characters before a figure: as part of the figure's own pattern it
# would be tried at every position of every sentence.
_QUALIFIER = re.compile(r"\b(?P<q>more than|over|at least|as many as|as much as|up to|nearly|almost|less than|under"
                        r"|about|around|roughly|approximately|some|just over|just under|an estimated|estimated)\s+\Z",
                        re.I)
_LOWER = {"more than", "over", "at least", "just over"}
_UPPER = {"as many as", "as much as", "up to", "less than", "under", "just under"}
# Hedges written after the figure: "three-plus seasons", "six or more bombs", "five minutes or less", "20 or so"
_PLUS = re.compile(r"\s?-?\s?plus\b")
_OR_MORE = re.compile(r"(?:\s?-?\s?[a-z]+)?\s+or\s+(more|longer|less|fewer|so)\b(?!\s+than)", re.I)
_AFTER = {"more": "at least", "longer": "at least", "so": "about"}  # else "up to"
# A figure in brackets right after another figure and its unit restates it in other units or currency.
_CONVERSION = re.compile(r"\d[\d,.]*\s?(?:-\s?)?(?:[a-z]+\.?\s?){0,2}\(\s*(?:about\s+|approximately\s+|roughly\s+)?"
                         r"(?:[A-Z]{0,3}\s?[$€£]\s?)?$", re.I)
# The figure a bracketed conversion restates, with its hedge: "about 58km (36 miles)"
_HEDGED_MAIN = re.compile(r"\b(about|around|roughly|approximately|nearly|almost|some|more than|over|up to|at least)"
                          r"\s+\d[\d,.]*\s?-?\s?[a-z]*\.?\s*\(\s*(?:about\s+)?\Z", re.I)
#: unit -> (the unit compared in, least and most factor): a ton may be short (2,000 lb) or metric (2,204.6 lb).
CONVERT = {"ton": ("pound", 2000.0, 2204.6), "tonne": ("pound", 2204.6, 2204.6), "kilogram": ("pound", 2.2046, 2.2046),
           "metre": ("foot", 3.2808, 3.2808), "kilometre": ("mile", 0.6214, 0.6214)}


def hedge_around(text: str, start: int, end: int) -> tuple[str, int]:
    """(the hedge of the figure at text[start:end], lower-cased or "", where the figure with its hedge
    starts). A hedge before the figure wins over one after it."""
    hedge = _hedge_before(text, start)
    qualifier = hedge.group("q").lower() if hedge else ""
    if _PLUS.match(text, end):
        qualifier = "more than"  # "three-plus seasons": at least three
    bound = _OR_MORE.match(text, end)
    if bound and not qualifier:
        qualifier = _AFTER.get(bound.group(1).lower(), "up to")
    return qualifier, hedge.start() if hedge else start


def restates_figure(text: str, start: int) -> bool:
    """Whether the figure starting at ``start`` is in brackets right after another figure and its unit,
    restating it in other units or currency ("6,812-meter (22,349-foot) mountain")."""
    return bool(_CONVERSION.search(text[max(0, start - 40) : start]))


def converted_hedge(text: str, start: int) -> str:
    """The hedge of the figure a bracketed conversion starting at ``start`` restates ("about 58km (36 miles)")."""
    main = _HEDGED_MAIN.search(text, max(0, start - 50), start)
    return main.group(1).lower() if main else ""


def interval(value: float, qualifier: str) -> tuple[float, float]:
    """The values a hedged figure allows: "more than 30" is no conflict with "more than 40"."""
    if qualifier in _LOWER:
        return value, float("inf")
    if qualifier in _UPPER:
        return 0.0, value
    if qualifier in {"nearly", "almost"}:
        return value * 0.95, value  # "nearly 1,600" is more than 1,500
    if qualifier in {"estimated", "an estimated"}:
        return value * 0.75, value * 1.25  # an estimate is looser than "about": "an estimated 9,000" dead
    if qualifier:
        return value * 0.9, value * 1.1
    return value, value


def hedged_interval(value: float, text: str, start: int) -> tuple[float, float]:
    """The values a figure starting at ``start`` allows under the hedge written right before it."""
    hedge = _hedge_before(text, start)
    return interval(value, hedge.group("q").lower() if hedge else "")


def _hedge_before(text: str, start: int) -> re.Match | None:
    """The hedge ("more than", "about") ending right where a figure starts at ``start``."""
    return _QUALIFIER.search(text, max(0, start - 24), start)


def common_unit(key: str, modifier: str) -> tuple[str, str, float, float] | None:
    """(key, modifier, least and most factor) in the unit other outlets use for the same measure, or None.

    "the 24-ton Zarya" / "the 44,000-pound Zarya" are one measure in two units (a ton may be short or
    metric, so it converts to a range); "19 nautical miles" is the "22 miles" another outlet gives."""
    if modifier == "nautical":
        return key, "", 1.1508, 1.1508
    if modifier in CONVERT and key.endswith(" " + modifier):
        unit, least, most = CONVERT[modifier]
        return key[: -len(modifier)] + unit, unit, least, most
    return None


def rounding(num: str) -> float:
    """How far a figure converted from other units may stray: the rounding its digits show ("10" metres
    may be 9.5 to 10.5, i.e. 5%; "13" about 4%), at least 3% and at most as loose as "about" (10%)."""
    if not num[:1].isdigit():  # a figure written out in words: its rounding is unknown
        return 0.1
    digits = re.sub(r"[\s,]", "", num)
    whole, _, decimals = digits.partition(".")
    place = 10.0 ** -len(decimals) if decimals else 10.0 ** (len(whole) - len(whole.rstrip("0")))
    return min(0.1, max(0.03, 0.5 * place / max(float(digits), 1e-9)))
