"""Figures in sentences, and outlets that give different figures for one quantity.

A figure is keyed by what it counts: the noun after it ("30-car pileup" counts a
pileup's size, "12 people" counts people) plus, for people, what happened to them
("12 people were arrested" and "13 in custody" are both ``people arrested``). Two
sentences of different outlets disagree when one key carries values that cannot
both hold, neither sentence also gives the other's figure, and the words around
the two figures say they are about the same thing. Sentences are indexed by key,
so reworded sentences pair up without comparing every sentence with every other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bounds import common_unit, converted_hedge, hedge_around, interval, restates_figure, rounding
from .quotes import content_words

WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.I)
_WORD_RANGE = re.compile(r"\b(?:" + "|".join(WORD_NUMBERS) + r")\s+(?:to|or)\s+$", re.I)  # "eight to 15 years"
HAS_FIGURE = re.compile(r"\d|\b(?:" + "|".join(WORD_NUMBERS) + r")\b", re.I)
# "20 , 000": thousands written with a spaced comma, as in tokenised copies of a wire text
_DIGITS = r"(?:\d{1,3}(?:\s,\s\d{3}(?!\d))+|\d+(?:,\d{3})*)(?:\.\d+)?"
_ALL_DIGITS = re.compile(r"(?<![\d.])" + _DIGITS)
_NUMBER = re.compile(
    r"(?P<cur>[$€£]\s?|\bdlrs?\.?\s)?(?P<num>(?<![\d:.,'’])" + _DIGITS +
    r"(?:(?P<abbr>bn|m)\b|(?![\d:]|[a-z]))|\b(?:"
    + "|".join(WORD_NUMBERS) + r")\b)(?:\s*(?P<mult>million|billion|trillion|thousand|percent|per cent|%))?"
    r"(?P<joined>\s?-\s?(?=[a-z]))?",
    re.I,
)
DURATION = "duration"
MAGNITUDE = "magnitude"
_MAGNITUDE_BEFORE = re.compile(r"\b(?:magnitude(?:\s+of)?|measuring|measured)\s*-?\s*$", re.I)
_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.4, "year": 365.25,
         "decade": 3652.5}
_RELATIVE_SPAN = re.compile(r"\W*\w+\s+(?:ago|later|earlier|before|after|from now|old|running|straight|in a row"
                            r"|a|an|per|each|every)\b", re.I)
_ELAPSED = re.compile(r"\W*(?:minutes?|hours?)\s+(?:later|after\s+(?:the|it|he|she|they|being|receiving))\b", re.I)
_RELATIVE_BEFORE = re.compile(r"\b(?:past|last|next|first|coming|previous|recent|few|final|every|each)\s+$", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LEGAL_TERM = re.compile(r"\b(?:prison|jail|sentenc\w*|probation|parole|behind bars|custody|term|life)\b", re.I)
_HEDGE_WORDS = frozenset("nearly almost about around roughly some just than more less over under least at the a".split())
# "after four days of riots" is the time elapsed when the outlet wrote, which grows day by day.
_SPAN_PREPS = frozenset("for in within during over".split())
# Someone's time in a job or place ("has worked at the plant for 37 years"): each person has their own.
_TENURE = re.compile(r"\b(?:worked|working|served|serving|been (?:at|with|on)|lived|living|known|married|employed|taught|played|"
                     r"stayed|spent)\b[^.;]{0,40}$", re.I)
_DURATION_WORDS = frozenset("second seconds minute minutes hour hours day days week weeks month months "
                            "year years decade decades".split())
_UNIT_STOP = frozenset("""
the a an and or for from with that than this per in of on at to by as is was were are be been has had have
who which more other additional new total just about some all its his her their our those these it
old time times ago including include included among were had been being so
""".split())
# Words that say the same thing happened to people, in the words different outlets use.
EVENTS = {
    "arrested": ("arrested", "arrest", "arrests", "custody", "detained", "detain", "apprehended"),
    "killed": ("killed", "killing", "kills", "dead", "died", "die", "deaths", "death", "fatalities", "lives", "toll",
               "perished"),
    "injured": ("injured", "injuring", "wounded", "wounding", "hurt", "injuries", "hospitalized", "hospitalised"),
    "missing": ("missing", "unaccounted"),
    "stabbed": ("stabbed",),
    "shot": ("shot",),
    "evacuated": ("evacuated", "evacuate", "evacuation"),
    # A crowd's size: "9,000 people were out on the streets", "filled the main square"
    "marched": ("marched", "marching", "streets", "rallied", "demonstrated"),
    "living": ("inhabitants",),  # a place's population: "home to 85,000 people"
}
_CROWD = frozenset("protester demonstrator marcher".split())
_OTHERS = re.compile(r"\s+others\b")
_COMPLEMENT_BEFORE = re.compile(r"(?:\d|\b(?:" + "|".join(WORD_NUMBERS) + r")\b)\s+[A-Za-z]+\s*,?\s+and\s+\Z", re.I)
# Units and words after which a following plural is not the counted noun ("five percent gains").
_NOT_COMPOUND = _DURATION_WORDS | frozenset("""percent per million billion thousand hundred mile km foot feet metre meter
dollar people person""".split())
_CROWD_CONTEXT = re.compile(r"\b(?:march|marched|marching|rally|rallies|protest|protests|demonstration|demonstrations|"
                            r"took to the streets)\b", re.I)
_POPULATION = re.compile(r"\b(?:home to|home by|(?:city|town|village|island|country|nation|region) of|population of)"
                         r"\s+(?:\w+\s+){0,2}$", re.I)
_EVENT_OF = {w: event for event, words in EVENTS.items() for w in words}
_PEOPLE = frozenset("people persons person others men women children kids adults students officers "
                    "soldiers civilians passengers victims suspects protesters demonstrators marchers members".split())
_UNIT_SYNONYMS = {"car": "vehicle", "cars": "vehicle", "vehicles": "vehicle", "feet": "foot", "ft": "foot",
                  "metres": "metre", "meters": "metre", "meter": "metre", "m": "metre", "km": "kilometre",
                  "kilometers": "kilometre", "kilometres": "kilometre", "miles": "mile", "mi": "mile",
                  "per cent": "percent", "%": "percent", "persons": "people", "person": "people",
                  "others": "people", "mountain": "peak", "summit": "peak",
                  "trip": "visit", "tour": "visit"}  # "a three-day visit" / "a four-day trip"
# A figure after these is a new level or one step, not the total another outlet gives.
_CHANGE = re.compile(r"\b(?:increased|rose|risen|fell|fallen|dropped|grew|climbed|jumped|declined|up|down|"
                     r"another|other|additional|extra|further)\s+(?:by\s+|to\s+)?$"
                     r"|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+of\s+(?:the\s+)?$", re.I)
_MOVED_TO = re.compile(r"\b(?:increased|raised|rose|risen|fell|fallen|dropped|grew|climbed|jumped|declined|reduced|"
                       r"cut|lowered|revised|updated|corrected)\b[^.;]*$", re.I)
_FORECAST = re.compile(r"\b(?:would|could|will|might|may|expected|projected|forecast|predicted|predicts)"
                       r"(?:\s+[\w-]+){0,3}\s+\Z", re.I)
# A difference between two quantities, not a quantity: "finished five rounds sooner than", "three inches
# taller than"; and one side of a pair of dimensions ("2880 x 1800 pixels").
_DIFFERENCE = re.compile(r"\s?-?\s?(?:[a-z]+\s+)?(?:sooner|earlier|later|longer|shorter|taller|higher|lower|faster|"
                         r"slower|bigger|smaller|larger|heavier|lighter|older|younger|more|fewer|less)\s+than\b", re.I)
_DIMENSIONS = re.compile(r"\s?(?:x|by)\s?\d|\s?-?\s?\w+\s+(?:x|by)\s+\d")
_DIMENSIONS_BEFORE = re.compile(r"\d\s?(?:x|by)\s?$")
# A capitalised word right before a number, inside a sentence: the number is part of a name.
_LABEL_BEFORE = re.compile(r"(?<=[a-z,]\s)([A-Z][a-z]+)\s\Z")
# A running state measured at the moment an outlet chose ("had been adrift for 15 hours" as of
# mid-morning, "has been missing for 17 hours"): each outlet's moment differs, so the span does too.
# Only hours and minutes: a span of weeks ("had spent three weeks in hospital") is reported once it ended.
_RUNNING_STATE = re.compile(r"\b(?:has|have|had)\s+been\b[^.;,]{0,30}\bfor\s+(?:about\s+|nearly\s+|almost\s+|more than\s+)?$",
                            re.I)
_CONVERTED_BEFORE = re.compile(r"\d[\d,.]*\s?-?\s?[a-z]+\s*\(\s*$")
# A measure of depth or height is not a distance from a place ("at a depth of 10 km" / "55 km from the town").
_DEPTH = re.compile(r"\b(?:depth|altitude|height|elevation)\s+of\s+(?:about\s+|around\s+|some\s+|roughly\s+)?$", re.I)
# The badly hurt are a part of all the hurt ("around 30 people seriously injured" / "50 people with injuries").
_GRAVELY = frozenset("seriously critically severely gravely badly".split())
_CLOCK_WORDS = frozenset("gmt utc ist est edt cst pst pt et bst cet local html htm php".split())
# Lines that are links, datelines or photo captions carry their own numbers, not the story's.
JUNK_LINE = re.compile(r"https?\s?:|www\s?\.|\b(?:Last\s+)?[Uu]pdated\s*(?:at|on)?\s*:?\s*\d|\.html?\b")
_ATTRIBUTION = frozenset("according said says told reported reports announced".split())
_GENERIC_NEAR = frozenset("""said says according police officials people reported told year years per million billion
trillion thousand percent""".split())
MEASURES = frozenset("money percent mile kilometre metre foot inch point".split())
# Units of a measure: with them a compound names what is measured in what ("41-year rule").
_MEASURE_UNITS = frozenset("""year month week day hour minute second foot metre mile kilometre inch yard ton tonne
pound kilogram gram ounce gallon litre acre storey story page word member seat game point lane vehicle
nation country""".split())
# Nouns that count instances of something named after "of": "counts of mischief", "charges of fraud".
_CONTAINERS = frozenset("count charge act case conviction".split())
_ANCHOR = re.compile(r"[^.;]{0,40}?\b(?:north|south|east|west|northeast|northwest|southeast|southwest|off|outside|"
                     r"from|of|away from)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")
DISTANCES = frozenset("mile kilometre metre foot inch yard".split())
_MONTH_BEFORE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$")
_MONTH_AFTER = re.compile(r"\s?(?:January|February|March|April|May|June|July|August|September|October|November|December"
                          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
_ONE_IN = re.compile(r"\b(?:one|1)\s+(?:in|out of)\s+(?:every\s+)?$", re.I)
_SPEAKER_AFTER = re.compile(r"\s*(?:,[^,]{0,50},\s*)?(?:said|says|told|reported|reports|announced)\b|\)")
_AGENCIES = frozenset("Reuters AP AFP Bloomberg CNN BBC Xinhua TASS Interfax".split())
_NAME = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_NOT_NAMES = frozenset("""The A An In On At But And He She They It This That Its His Her Their Mr Mrs Ms Dr
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Police Officials Authorities According Officers Residents Witnesses
Some Many Most Both All After Before When While As If Last Next This These Those There Here What Who""".split())
_APPOSITION = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}),\s+(?:a|an|the)\s+(?:[a-z]+\s+)?\Z")
_WORTH = re.compile(r"\b([a-z]{3,})\s+(?:worth|valued at)\s+(?:(?:about|around|nearly|almost|roughly|some|more than|"
                    r"over|up to|at least|an estimated)\s+)?(?:US)?\Z")
LOOSE_DICE = 0.12  # reworded sentences may share little beyond the quantity itself
SAME_TOPIC_DICE = 0.3
NUMBER_DICE = 0.45


@dataclass(frozen=True)
class Figure:
    key: str
    low: float
    high: float
    value: float
    shown: str
    near: frozenset[str]
    part: bool = False  # "including 64 who died": a share of a total the sentence also gives
    modifier: str = ""  # "41-year rule" -> "year", "153 Chinese passengers" -> "chinese": narrows the key
    subject: str = ""  # the nearest name before the figure in its clause ("the Orioles offered ...")
    anchor: str = ""  # for a distance, the place it is measured from ("north of Kisangani")
    converted: bool = False  # given in brackets as another figure in other units
    currency: str = ""  # "$" (also "dlrs"), "€", "£": sums in two currencies are never one figure


def figures(text: str) -> list[Figure]:
    """The figures of a sentence a reader could check against another outlet's."""
    out: list[Figure] = []
    in_units: set[int] = set()  # figures converted to the unit other outlets use for that measure
    for m in _NUMBER.finditer(text):
        qualifier, start = hedge_around(text, m.start(), m.end())
        after, before = text[m.end() : m.end() + 6], text[max(0, start - 14) : start]
        if re.match(r"\s*(?:to|-|–|or|and)\s*\d", after) or re.search(r"\d\s*(?:to|-|–|or|and)\s*$", before) or (
                _WORD_RANGE.search(before)):
            continue  # one end of a range ("8 to 12 inches") is not a figure of its own
        if _CHANGE.search(before) and not qualifier:
            continue
        if (before.endswith("to ") and _MOVED_TO.search(text[max(0, start - 100) : start])) or (
                _FORECAST.search(text[max(0, start - 40) : start])):
            continue  # a new level ("increased ... to 25") or a forecast, not the figure of record
        if _DIFFERENCE.match(text, m.end()) or _DIMENSIONS.match(text, m.end()) or _DIMENSIONS_BEFORE.search(before):
            continue  # "five rounds sooner than": a difference; "2880 x 1800": a pair of dimensions, one figure
        if _OTHERS.match(text, m.end()) and _COMPLEMENT_BEFORE.search(text, max(0, start - 40), start):
            continue  # "two engineers and 10 others were killed": the rest of a total the sentence never gives
        if re.search(r",\s*$", before) and re.match(r"\s*[,;)]", after):
            continue  # "Kevin Johnson, 25, was arrested": an age, compared by name elsewhere
        if re.match(r"\s?-\s?(?:one|two|three|four|five|six|seven|eight|nine)\b", after, re.I):
            continue  # "twenty-one": the figure is the whole compound
        num = m.group("num").lower()
        abbr = (m.group("abbr") or "").lower()
        if abbr:
            if not m.group("cur"):
                continue  # "15m" without a currency is a length, not "15 million"
            num = num[: -len(abbr)]
        if re.fullmatch(r"(?:19|20)\d\d", num) or re.match(r"\s*(?:[ap]\s?\.?\s?m\b|:\s?\d)", after, re.I) or re.search(
                r"\d\s?:\s?$", before) or _MONTH_BEFORE.search(before):
            continue  # a year, a clock time or a day of the month is a date
        if _MONTH_AFTER.match(text, m.end()) or _ONE_IN.search(text, max(0, start - 20), start):
            continue  # "14 October 2011" is a date; "one in every 500 users" a ratio, not a count
        if (re.fullmatch(r"0\d+|\d{6,}", num) or re.search(r"(?:\b(?!A\s)[A-Z]{1,4}\s?-?|\d)\s?$", before)) and not m.group("cur"):
            continue  # "07", "0845 125 2222", "AK-47", "19548736": codes, phones, models, ids, not amounts
        label = _LABEL_BEFORE.search(text, max(0, start - 20), start)
        if label and label.group(1) not in _NOT_NAMES and not m.group("cur") and not m.group("mult"):
            continue  # "Flight 93", "Apollo 13", "the Route 9 cable": a number in a name
        # "6,812-meter (22,349-foot) mountain": the same figure converted. Kept to meet another outlet's
        # main figure, but two conversions (rounded differently) never make a conflict; a currency
        # conversion ("US$1 million ($1.52 million)") depends on the day's rate and is dropped.
        converted = restates_figure(text, start)
        if converted and m.group("cur"):
            continue
        if converted and not qualifier:
            qualifier = converted_hedge(text, start)  # "about 58km (36 miles)": hedged like the figure it converts
        keyed = _key(m, text)
        if keyed is None:
            continue
        key, modifier = keyed
        value = float(WORD_NUMBERS.get(num) or _digits_value(num))
        mult = (m.group("mult") or "").lower() or {"m": "million", "bn": "billion"}.get(abbr, "")
        value *= {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}.get(mult, 1)
        if key == DURATION:
            value *= _DAYS[_duration_unit(text[m.end() : m.end() + 12])]
        window = re.sub(r"^\S*\s|\s\S*$", " ", text[max(0, m.start() - 60) : m.end() + 60])  # whole words
        near = {w for w in content_words(re.sub(r"\d", " ", window))
                if not w.startswith(key.split()[0][:4]) and w not in _GENERIC_NEAR and w not in _DURATION_WORDS}
        # A year named in the sentence dates every figure in it: two outlets' "in 1966" is shared context.
        near |= {"y" + y for y in YEAR.findall(text)}
        low, high = interval(value, qualifier)
        common = common_unit(key, modifier)
        if common:
            key, modifier, least, most = common
            slack = rounding(num)
            value, low, high = value * (least + most) / 2, low * least * (1 - slack), high * most * (1 + slack)
            in_units.add(len(out))
        part = bool(re.search(r"\b(?:including|includes|among them|of them|of whom)\s+$", before))
        anchor = _ANCHOR.match(text, m.end())
        # a converted figure is shown with its own unit ("24-ton" vs "44,000"), which says why it differs
        unit_word = re.match(r"\s?-?\s?[a-z]+", text[m.end() :]) if common else None
        shown = text[start : m.end() + (unit_word.end() if unit_word else 0)].strip(" -")
        out.append(Figure(key, low, high, value, shown, frozenset(near), part,
                          modifier, _subject_before(text, start), anchor.group(1).lower() if anchor else "",
                          converted, _currency(m.group("cur"))))
    # "8,027-meter (26,330-foot)": the figure in brackets gives it in feet already, as the outlet rounded it
    bracketed = {f.key for f in out if f.converted}
    return [f for k, f in enumerate(out) if k not in in_units or f.key not in bracketed]


def _currency(symbol: str | None) -> str:
    symbol = (symbol or "").strip().lower()
    return "$" if symbol.startswith("dlr") else symbol


def _subject_before(text: str, start: int) -> str:
    """The last capitalised name in the clause before a figure, lower-cased ("" if none)."""
    clause = re.split(r"[;:(]|,\s+(?:and|but|while|which|who)\b|\b(?:while|whereas)\b", text[max(0, start - 200) : start])[-1]
    # A capitalised word used as an adjective ("an Australian climber") names no party, nor does
    # the speaker or agency a figure is attributed to ("Chief Mike Richey said", "(Reuters)").
    # "The Colts embarked on a 73-yard drive": the name without the capitalised article that opens it.
    found = [(re.sub(r"^(?:The|A|An)\s+", "", m.group()), m) for m in _NAME.finditer(clause)]
    names = [name for name, m in found if name.split()[0] not in _NOT_NAMES
             and not (" " not in name and re.search(r"(?:an|ese|ish|ic)$", name)
                      and re.match(r"\s+[a-z]", clause[m.end() :]))
             and not _SPEAKER_AFTER.match(clause, m.end()) and not clause[: m.start()].endswith("according to ")
             and not re.search(r"\b(?:in|at|near|from|outside|inside|across|off|(?:coast|shores?) of)\s+(?:the\s+)?$",
                               clause[: m.start()])
             and name not in _AGENCIES]
    return names[-1].lower() if names else ""


def _key(m: re.Match, text: str) -> tuple[str, str] | None:
    """(what a figure counts or measures, in a spelling shared across outlets; what narrows it),
    or None if unclear."""
    # The words after the figure, across commas ("eight people, including two children, were hurt");
    # a conversion in brackets ("6,812-meter (22,349-foot) mountain") is not among them.
    after = re.sub(r"^(\s?-?\s?[a-z]+)\s*\([^)]{1,40}\)", r"\1", text[m.end() : m.end() + 120].lower())
    following = re.findall(r"[a-z]+(?:[’'-][a-z]+)*|\d[\d,.]*", after[:80])
    mult = (m.group("mult") or "").lower()
    modifier = ""
    joined = bool(m.group("joined"))
    if following[:1] == ["plus"]:
        following, joined = following[1:], False  # "three-plus seasons" counts seasons, at least three
    if joined:
        if following[:1] and (re.match(r"(?:(?:year|month|week|day)s?-old|times?)\b", following[0]) or re.match(
                r"(?:year|month|week|day)s?$", following[0]) and following[1:2] == ["old"]):
            return None  # "13-year-old", "three-time champion": ages and records, not counts
        # "30-car pileup" counts the pileup's size; the pileup is the thing, "car" says in what.
        modifier = _UNIT_SYNONYMS.get(following[0], following[0]) if following else ""
        modifier = modifier[:-1] if modifier.endswith("s") and len(modifier) > 3 else modifier
        following = following[1:]
        named = re.match(r"\s?-?\s?[a-z]+\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)*(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)*){0,3})\b",
                         text[m.end() : m.end() + 80])
        if named and modifier in _MEASURE_UNITS:
            # "the 600-member Palestinian National Council": the council, by its whole name
            return " ".join(named.group(1).lower().split()) + f" {modifier}", modifier
        described = _APPOSITION.search(text, max(0, m.start() - 60), m.start())
        if described and modifier in _MEASURE_UNITS and described.group(1).split()[0] not in _NOT_NAMES:
            # "Zarya, a 42,000-pound space tug": the figure describes the name before the comma
            return " ".join(described.group(1).lower().split()) + f" {modifier}", modifier
    if modifier == "magnitude" or following[:1] == ["magnitude"] or _MAGNITUDE_BEFORE.search(
            text[max(0, m.start() - 16) : m.start()]):
        return MAGNITUDE, ""  # "a 6.1-magnitude quake", "magnitude 6.1", "measuring 7.6": one scale
    if following[:1] and following[0] in _DURATION_WORDS and not joined:
        # "six weeks", "11 hours of talk": a span of time, compared in days. Spans counted back from
        # the day of writing ("three weeks ago", "the past two years") differ with the day of writing.
        elapsed = _ELAPSED.match(text, m.end())
        if elapsed:
            # "an ambulance arrived four minutes later" / "six minutes after the alarm": minutes or
            # hours between two moments of one incident (a response time), unlike days counted back
            return DURATION, _duration_unit(following[0]) + " after"
        if _RELATIVE_SPAN.match(text, m.end()) or _RELATIVE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            return None
        if _LEGAL_TERM.search(text[max(0, m.start() - 40) : m.end() + 40]):
            return None  # prison terms come sought, possible, imposed and served: many spans per story
        if _TENURE.search(text[max(0, m.start() - 45) : m.start()]) or (
                following[0] in ("minute", "minutes", "hour", "hours")
                and _RUNNING_STATE.search(text[max(0, m.start() - 60) : m.start()])):
            return None
        # The unit is kept as the modifier: outlets giving one span mostly give it in one unit, while
        # "three months" and "3 years" in one story are usually two spans (two prison terms).
        # The preposition before the span, past a hedge ("for nearly four weeks"): its part in the sentence.
        words_before = [w for w in re.findall(r"[a-z]+", text[max(0, m.start() - 40) : m.start()].lower())
                        if w not in _HEDGE_WORDS][-1:]
        prep = words_before[0] if words_before and words_before[0] in _SPAN_PREPS else ""
        return DURATION, _duration_unit(following[0]) + (f" {prep}" if prep else "")
    if following[:1] and following[0] in {"other", "more", "additional", "another"}:
        return None  # "three other states": a part, not the total another outlet gives
    if following[:1] and following[0] == "of" and mult not in ("percent", "per cent", "%"):
        return None  # "three of the victims" is a part; "70 percent of men" names what is measured
    # Proper adjectives ("153 Chinese passengers") say whose, not what: the noun is the unit.
    words = [w for w in following if w not in _UNIT_STOP]
    proper = re.match(r"\s*([A-Z][a-z]+)\s+[a-z]", text[m.end() : m.end() + 40])
    if len(words) > 1 and proper:
        words = words[1:]
        modifier = modifier or proper.group(1).lower()
    if mult in ("percent", "per cent", "%"):
        return "percent " + (words[0] if words else ""), modifier  # "percent of adults" and "of voters" differ
    if m.group("cur"):
        noun = words[0] if words and words[0] not in _EVENT_OF and words[0] not in _ATTRIBUTION else ""
        worth = _WORTH.search(text, max(0, m.start() - 50), m.start())
        if worth:
            noun = worth.group(1).lower()  # "a deal worth about $50 million over four years" is the deal's sum
        if noun == "cash" and re.match(r"\W*(?:in\s+)?cash\s+and\s+(?:stock|shares|equity)", after):
            noun = "cash and stock"  # a deal's whole price, not its cash part ("$334 million in cash and stock")
        return "money " + noun, modifier
    if _POPULATION.search(text[max(0, m.start() - 40) : m.start()]) and (
            not following or following[0] in _UNIT_STOP or following[0] in ("population", "inhabitants")):
        return "people living", modifier  # "Vardenia, a country of 3 million that is ..."
    if not words or words[0][0].isdigit():
        return None
    head = _compound_head(following, words[0])
    unit = _UNIT_SYNONYMS.get(head, head)
    if unit == "mile" and words[0] == "nautical":
        return "mile", "nautical"  # converted to statute miles by the caller (bounds.common_unit)
    if unit in ("population", "inhabitants"):
        return "people living", modifier  # "Vardenia's 3.6 million population"
    if unit in _CLOCK_WORDS:
        return None
    if unit in _EVENT_OF:  # "12 arrested", "13 dead": people to whom that happened
        return f"people {_EVENT_OF[unit]}", modifier
    unit = unit[:-1] if unit.endswith("s") and len(unit) > 3 and not unit.endswith("ss") else unit
    if unit == "line" and modifier == "yard":
        return None  # "the Colts' 27-yard line" is a place on the field, not a length
    if unit in ("sentence", "term") and modifier in ("year", "month"):
        return None  # "a 12-year sentence": prison terms come sought, imposed and served, as spans do
    # past a figure this one converts: "at a height of 4,100 meters (13,450 feet)"
    if unit in DISTANCES and _DEPTH.search(_CONVERTED_BEFORE.sub("", text[max(0, m.start() - 60) : m.start()])):
        unit += " depth"
    if modifier and modifier in _MEASURE_UNITS:
        unit = f"{unit} {modifier}"  # a "24-ton Zarya" and a "12.4-meter Zarya" are two measures
    if unit in _CONTAINERS:
        # "five counts of criminal mischief" and "two counts of assault" are two quantities.
        of = re.match(r"\s*\S+\s+of\s+([^,;.()]+?)(?=\s*(?:[,;.()]|\band\b|\bor\b|$))", text[m.end() : m.end() + 90])
        if of and content_words(of.group(1)):
            unit = f"{unit} of {of.group(1).split()[-1].lower()}"
    # "43 miles (69 kilometers) per second": the conversion in brackets does not break the rate
    if re.match(r"\W*\w+\s+(?:a|an|per)\s+(?:hour|day|week|month|year|minute|second)\b",
                re.sub(r"\s*\([^)]{1,40}\)", "", text[m.end() : m.end() + 70])):
        unit += " rate"  # "2-3 inches an hour" is a rate, not an amount
    if unit in _PEOPLE or unit + "s" in _PEOPLE or unit == "people":
        before = re.findall(r"[a-z]+", text[max(0, m.start() - 30) : m.start()].lower())[-3:]
        # What happened to them: the first event word before the next figure, else the verb before.
        clause = []
        after_unit = following[following.index(words[0]) + 1 :][:10] if words[0] in following else []
        for k, w in enumerate(after_unit):
            if (w[0].isdigit() or w in WORD_NUMBERS) and (k == 0 or after_unit[k - 1] != "including"):
                break  # the next figure's clause ("three stabbed, and 12 arrested")
            clause.append(w)
        # An event verb right before the figure governs it ("killed 65 people and injured 157 others").
        lead = [w for w in before if w not in _HEDGE_WORDS][-1:]
        event = next((_EVENT_OF[w] for w in lead + clause + before[::-1] if w in _EVENT_OF), None)
        if unit in _CROWD:
            unit, event = "people", event or "marched"  # "20,000 protesters" is a crowd's size
        elif unit == "people" and not event:
            # "a town of 80,000 people", "home to 85,000 people": a population; "police put the
            # march at roughly 30,000 people": a crowd
            if _POPULATION.search(text[max(0, m.start() - 40) : m.start()]):
                event = "living"
            elif _CROWD_CONTEXT.search(text):
                event = "marched"
        if event == "injured" and _GRAVELY & set(before[-2:] + clause[:3]):
            event = "injured gravely"
        if unit in ("man", "men") and event:
            unit = "people"  # "14 men were wounded" / "16 people were injured": one count of the wounded
        return (f"{unit} {event}" if event else unit), modifier
    return unit, modifier


def _compound_head(following: list[str], first: str) -> str:
    """The counted noun of a compound: "five pirate boats" counts boats, "three artillery shells" shells,
    "31 county office buildings" buildings (a singular noun run ending in a plural one)."""
    if first not in following[:2] or first.endswith("s") or first in _EVENT_OF or first in _NOT_COMPOUND:
        return first
    at = following.index(first)  # past a proper adjective ("two Israeli tank shells")
    for k in (at + 1, at + 2):
        word = following[k] if len(following) > k else ""
        if not word.isalpha() or word in _UNIT_STOP or word in _EVENT_OF or word in _NOT_COMPOUND:
            return first
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            return word
        if word.endswith(("ed", "ing", "ly")):
            return first
    return first


def _duration_unit(after: str) -> str:
    word = re.match(r"\W*([a-z]+)", after.lower())
    unit = word.group(1) if word else "day"
    unit = unit[:-1] if unit.endswith("s") else unit
    return unit if unit in _DAYS else "day"


def all_figures(text: str) -> set[float]:
    """Every number a sentence states, with or without a unit."""
    out = {_digits_value(n) for n in _ALL_DIGITS.findall(text)}
    return out | {float(WORD_NUMBERS[w.lower()]) for w in _NUMBER_WORD.findall(text)}


def _digits_value(digits: str) -> float:
    """The value of a figure written in digits, "1,600" or "20 , 000" alike."""
    return float(re.sub(r"[\s,]", "", digits))
