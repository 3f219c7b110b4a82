"""Which figures of two outlets disagree: one quantity, two incompatible values.

Split from :mod:`newsbrief.quantities`, which reads the figures of one
sentence (value, hedge, unit and what they count); this module pairs the
figures of different outlets' sentences that count the same thing in the same
context, and groups the disagreeing pairs into one conflict per quantity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from .quantities import (
    DISTANCES,
    DURATION,
    EVENTS,
    HAS_FIGURE,
    JUNK_LINE,
    LOOSE_DICE,
    MAGNITUDE,
    MEASURES,
    NUMBER_DICE,
    SAME_TOPIC_DICE,
    YEAR,
    Figure,
    all_figures,
    figures,
)


def number_disagreements(texts: Sequence[str], sources: Sequence[str], bag,
                         days: Sequence[float | None] | None = None) -> list[tuple[str, list[int]]]:
    """(subject, sentence indices) for each quantity outlets give different values for.

    ``bag`` is the compare stage's content-word index of the same sentences; ``days`` the
    publication day of each sentence's article where known (:func:`publication_days`)."""
    # A "sentence" that starts with a digit is a fragment ("38 caliber revolver at them."): news
    # style spells out a number that opens a sentence.
    found = [figures(t) if figure_sentence(t) and not t[:1].isdigit() and not is_headline(t) else [] for t in texts]
    by_key: dict[str, list[tuple[int, Figure]]] = {}
    given: dict[tuple[str, str], set[float]] = {}  # (key, source) -> every value that article gives
    for k, figs in enumerate(found):
        for f in figs:
            given.setdefault((f.key, sources[k]), set()).add(f.value)
        wholes = {f.key for f in figs if not f.part}
        figs = [f for f in figs if not (f.part and f.key in wholes)]
        values: dict[str, set[float]] = {}
        for f in figs:
            values.setdefault(f.key, set()).add(f.value)
        for f in figs:
            if len(values[f.key]) == 1:  # a sentence listing several values of one key is a breakdown
                by_key.setdefault(f.key, []).append((k, f))
    rows = sorted({k for entries in by_key.values() for k, _ in entries})
    if not rows:
        return []
    at = {k: r for r, k in enumerate(rows)}
    shared, _ = bag.overlap(rows, rows)
    sizes = bag.sizes[rows]
    dice = 2 * shared / np.clip(sizes[:, None] + sizes[None, :], 1, None)
    plain = {}
    closeness: dict[tuple[int, int], float] = {}
    links: dict[str, list[tuple[int, int, Figure, Figure]]] = {}
    for key, entries in by_key.items():
        if len({sources[k] for k, _ in entries}) < 2 or len(entries) > 200:
            continue
        for x, (i, a) in enumerate(entries):
            for j, b in entries[x + 1 :]:
                # A part of a total ("including $281 million in cash") meets only another outlet's part.
                if sources[i] == sources[j] or not (a.high < b.low or b.high < a.low) or (a.converted and b.converted) or (
                        a.currency != b.currency) or a.part != b.part:
                    continue
                d, s = float(dice[at[i], at[j]]), float(shared[at[i], at[j]])
                if d < LOOSE_DICE or s < 2:
                    continue
                # The size of a named body ("the 12-nation South-Pacific Fisheries Council") holds
                # wherever and whenever the sentence is set: only other quantities need the same place.
                named_body = bool(a.modifier) and key.endswith(" " + a.modifier) and key != a.modifier
                if not _same_quantity(key, a, b, d, s) or (not named_body and _elsewhere(texts[i], texts[j])):
                    continue
                if named_body and _sized_name(a, texts[i]) and any(
                        {a.value, b.value} <= given[(key, src)] for src in (sources[i], sources[j])):
                    continue  # an article naming a "17-inch MacBook" and a "15-inch MacBook": the size names a model
                if _other_subject(a, b, texts[i], texts[j]):
                    continue
                if _other_scope(found[i], found[j], key):
                    continue
                if key in TALLIES and (not _one_tally(a, b, texts[i], texts[j], d) or _grew(days, i, j, a, b)):
                    continue
                fi = plain.setdefault(i, all_figures(texts[i]))
                fj = plain.setdefault(j, all_figures(texts[j]))
                if _also_gives(b, fi, found[i], d) or _also_gives(a, fj, found[j], d):
                    continue  # one sentence gives both figures: they list them, not disagree
                links.setdefault(key, []).append((i, j, a, b))
                closeness[(i, j)] = d
    out = []
    for key, pairs in links.items():
        for component in _components(pairs):
            values = {v for _, _, a, b in component for v in (a.value, b.value)}
            # Pairs of values several times apart are two things ("almost 200 dissidents signed" / "three
            # dissidents said"), left out of a quantity of two or three values. (Longer chains are read
            # as several things' figures below, where only near-identical sentences count.)
            near = [p for p in component if key in TALLIES or not _far_apart(p[2], p[3])]
            if len(values) <= 3 and len(near) < len(component):
                out += [_group(key, part) for part in _components(near)]
                continue
            if len(values) > 3 and not (key in TALLIES and max(values) <= TALLY_SPREAD * min(values)):
                # Four or more values chained into one "quantity" are mostly the figures of several
                # places, people or moments ("three killed in Puerto Rico ... 221 in Haiti"): only the
                # pairs of near-identical sentences there are one figure given twice.
                close = [p for p in component if closeness[(p[0], p[1])] >= NUMBER_DICE]
                out += [_group(key, part) for part in _components(close)]
            else:
                out.append(_group(key, component))
    return out


#: Counts of what happened to people at one event ("40 killed", "55 wounded", "20,000 marched"): outlets
#: covering one event often give them differently, and a reader wants both shown.
TALLIES = frozenset(f"people {event}" for event in EVENTS) | {"people injured gravely"}
#: One event's count as different outlets give it stays within this factor ("some 30" / "40" / "42"
#: killed); a count several times another is another event or scope ("213" in Nairobi, "11" in Dar).
TALLY_SPREAD = 2.0
_STATISTICS = frozenset("""yard touchdown td passe pass carry carrie reception catche catch rebound assist sack
interception goal inning run hit strikeout homer game season start appearance tackle field drive punt kick return
""".split())  # plays too ("a 45-yard field goal", "a 73-yard drive"): a game has many of each
FIGURE_SPREAD = 4.0
MAGNITUDE_SLACK = 0.4
UPDATE_DAYS = 2.0  # a day apart is still one news cycle ("21 wounded" / "wounding 24" the next day)
RETOLD_DICE = 0.8  # one passage retold by two outlets, a detail or two changed
CROWD_SPREAD = 10.0
# A running total of a days-long story, or a count that grew: a later report updates it.
_RUNNING = re.compile(r"\b(?:since|so far|to date|as of|rose|risen|rising|climbed|climbing|mounting|reached|now|"
                      r"latest|updated|revised|earlier|initially|first reported)\b", re.I)
# A total over all places or incidents: it meets another outlet's total, not one place's count.
_TOTAL = re.compile(r"\b(?:in all|in total|overall|altogether)\b", re.I)
# Another incident of the same kind in the story ("another UN school", "a separate attack").
_OTHER_EVENT = re.compile(r"\b(?:another|separate|similar|previous|last year|in (?:19|20)\d\d)\b", re.I)


def _sized_name(f: Figure, text: str) -> bool:
    """A size written before a name ("the 17-inch MacBook Pro"), not before a common noun ("41-year rule")."""
    at = text.find(f.shown)
    # the unit may be part of what is shown already ("24-ton", a figure converted to pounds)
    return at >= 0 and bool(re.match(r"(?:\s?-?\s?[a-z]+)?\s+[A-Z]", text[at + len(f.shown) :]))


def _far_apart(a: Figure, b: Figure) -> bool:
    """Values several times apart: outlets misstate one figure by rounding, an update or a rival
    estimate, not by a factor of four ("almost 200 dissidents signed" / "three dissidents said" are
    two groups). Tallies have their own spread (:data:`TALLY_SPREAD`, crowds :data:`CROWD_SPREAD`)."""
    low, high = sorted((a.value, b.value))
    return low > 0 and high > FIGURE_SPREAD * low


def _one_tally(a: Figure, b: Figure, text_a: str, text_b: str, dice: float) -> bool:
    return one_tally(a.value, a.shown, text_a, b.value, b.shown, text_b, dice, crowd=a.key == "people marched",
                     state=a.key == "people living")


def one_tally(value_a: float, shown_a: str, text_a: str, value_b: float, shown_b: str, text_b: str, dice: float,
              crowd: bool = False, state: bool = False) -> bool:
    """Whether two counts of what happened to people can be one event's, given differently: no
    running total or other incident, both totals or neither, and values within one spread (crowds: police
    and organisers' estimates differ widely) unless the sentences are close. A ``state`` (a population)
    belongs to no incident: only the update and spread tests apply."""
    if not state and (_OTHER_EVENT.search(text_a) or _OTHER_EVENT.search(text_b)):
        return False
    if _RUNNING.search(_around(shown_a, text_a)) or _RUNNING.search(_around(shown_b, text_b)):
        return False
    if not state and bool(_TOTAL.search(text_a)) != bool(_TOTAL.search(text_b)):
        return False
    small, large = sorted((max(value_a, 1.0), max(value_b, 1.0)))
    spread = CROWD_SPREAD if crowd else TALLY_SPREAD
    return large <= spread * small or dice >= NUMBER_DICE


def publication_days(sentences: Sequence, sources: Sequence) -> list[float | None]:
    """The publication day of each sentence's article (None where the article gives no ISO date)."""
    by_id = {s.id: _day(s.article.published) for s in sources}
    return [by_id.get(s.source) for s in sentences]


def _day(published: str | None) -> float | None:
    # The date part only: a day's resolution is all the update test needs, and it needs no time zone.
    try:
        return float(date.fromisoformat((published or "").strip()[:10]).toordinal())
    except ValueError:
        return None


def _grew(days: Sequence[float | None] | None, i: int, j: int, a: Figure, b: Figure) -> bool:
    """A count that is higher in an article published two or more days later: a days-long story's
    toll updated (bodies found, the injured dying), not a dispute. A lower later count, or one a day
    apart, still disagrees."""
    if days is None or days[i] is None or days[j] is None or abs(days[i] - days[j]) < UPDATE_DAYS:
        return False
    return (days[j] - days[i]) * (b.value - a.value) > 0


def _around(shown: str, text: str) -> str:
    """The words around a figure: a running total or another incident is said next to its count (the
    deadliest strike "so far" elsewhere in the sentence says nothing of the count)."""
    at = text.find(shown)
    return text if at < 0 else text[max(0, at - 40) : at + len(shown) + 30]


def figure_sentence(text: str) -> bool:
    """A sentence whose figures are worth pairing: it states one, is no link or page stamp, and is no scrap."""
    return bool(HAS_FIGURE.search(text)) and not JUNK_LINE.search(text) and len(text.split()) >= 6


def is_headline(text: str) -> bool:
    """A title ("Indian Navy Ship Interdicts Three Pirate Vessels", "CHARGED WITH MURDER: ..."): headlines
    round and compress their figures, so they are not another outlet's account of one."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3]
    title_case = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
    # A short line with no closing punctuation is a title in sentence case ("Five dead, dozens hurt
    # in quake"); a sentence of running text ends with a full stop, a question mark or a quote.
    unpunctuated = not re.search(r"[.!?\"'”’)]\s*$", text)
    return (title_case or unpunctuated and len(re.findall(r"\w+", text)) <= 12) and not text.rstrip().endswith(".") or bool(
        re.match(r"\W*[A-Z]{3,}(?:\s+[A-Z]{2,})+\s*:", text))


def _also_gives(f: Figure, plain: set[float], found: Sequence[Figure], dice: float) -> bool:
    """Whether a sentence also states the other outlet's figure, other than as another count of what
    happened to people ("18 people had been injured ... and 12 arrested" does not give 12 injured) or,
    in a retold sentence, as the figure of another thing ("jailed three guards, two clerks"
    / "jailed two guards, two clerks")."""
    if f.value not in plain:
        return False
    others = TALLIES - {f.key} if f.key in TALLIES else set()
    if dice >= RETOLD_DICE:
        others = {g.key for g in found} - {f.key}
    return not any(g.value == f.value and g.key in others for g in found)


def _other_scope(a: Sequence[Figure], b: Sequence[Figure], key: str) -> bool:
    """Two sentences that give figures for several of the same things and agree on none are
    about different scopes ("54 games with the Angels" and "157 games in all"), not at odds."""
    other = {f.key for f in a} & {f.key for f in b} - {key}
    if not other:
        return False
    return not any(x.value == y.value for x in a for y in b if x.key == y.key and x.key != key)


def _other_subject(a: Figure, b: Figure, text_a: str, text_b: str) -> bool:
    """Each figure belongs to a different named party ("the Orioles offered seven years", "Lowe
    wants five"): names that neither sentence shares (first letters compared: Gaddafi/Gadhafi)."""
    if not a.subject or not b.subject:
        return False
    last_a, last_b = a.subject.split()[-1], b.subject.split()[-1]
    if last_a[:3] == last_b[:3]:
        return False
    return last_a not in text_b.lower() and last_b not in text_a.lower()


def _same_quantity(key: str, a: Figure, b: Figure, dice: float, shared: float) -> bool:
    """Whether the words around two figures say they count the same thing."""
    near = len(a.near & b.near)
    same_subject = bool(a.subject and b.subject and a.subject.split()[-1][:3] == b.subject.split()[-1][:3])
    if key == DURATION:
        if a.modifier.split()[0] != b.modifier.split()[0]:
            return False  # "three months" and "3 years" in one story are usually two spans (two prison terms)
        # Spans of time are everywhere in news; only a span of one shared event, in close context, is
        # one quantity given twice. One preposition before both ("hospitalized for four weeks", "in
        # hospital for three weeks"; "the third fire in six weeks", "the third such incident in five
        # weeks") says the span plays the same part in both sentences.
        same_role = " " in a.modifier and a.modifier == b.modifier
        return (dice >= NUMBER_DICE or near >= 1) and same_role
    if key.split()[0] in _STATISTICS:
        # A player's yards, touchdowns or games differ from game to game and season to season: only a
        # retold sentence gives one of them twice.
        return dice >= NUMBER_DICE
    if key == MAGNITUDE:
        # Agencies differ by a few tenths on one quake; more apart, or an aftershock, is another quake.
        return abs(a.value - b.value) <= MAGNITUDE_SLACK and dice >= LOOSE_DICE
    if a.modifier and b.modifier and a.modifier != b.modifier:
        return False  # "Chinese passengers" and "American passengers" are two counts
    if key.split()[0] in DISTANCES and a.anchor and b.anchor and a.anchor[:4] != b.anchor[:4]:
        return False  # "120 km north of Kisangani" and "4 km outside Kindu" are two distances
    if key.split()[0] in DISTANCES and a.anchor and a.anchor[:4] == b.anchor[:4] and same_subject:
        return True  # one named thing's distance from one named place ("Area 51, 125 miles northwest of Las Vegas")
    if a.modifier and a.modifier == b.modifier:
        # A compound ("41-year rule") or a proper adjective ("153 Chinese passengers") names the
        # quantity so narrowly that a little shared context is enough.
        return near >= 1 or same_subject or dice >= SAME_TOPIC_DICE
    if key.split()[-1] in EVENTS and " " in key:
        return near >= 1 or shared >= 3  # what happened to whom is itself the shared context
    if key.endswith(" rate") and key.split()[0] not in MEASURES | DISTANCES:
        return near >= 1 or dice >= SAME_TOPIC_DICE  # "meteors an hour": the counted noun and "per" name it
    if key.split()[0] in ("money", "percent") and len(key.split()) > 1 and dice >= SAME_TOPIC_DICE:
        return True  # "$2.1 billion in debt" / "$2.2 billion in debt" in sentences on one topic
    if dice < SAME_TOPIC_DICE:
        return near >= 4  # reworded sentences: only when much of the context is shared
    if key.split()[0] in MEASURES or key.startswith("point"):
        # Distances, sums and poll points: a story holds many, only close context tells them apart.
        return dice >= NUMBER_DICE or near >= 3
    return dice >= NUMBER_DICE or near >= 1


_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_PLACE = re.compile(r"\b(?:in|at|near|across)\s+((?:[A-Z][a-z]+\s?)+)")


def _elsewhere(a: str, b: str) -> bool:
    """Both sentences say when or where, and never the same day, year or place."""
    for pattern in (_WEEKDAY, _PLACE, YEAR):
        wa = {w.strip() for w in pattern.findall(a)}
        wb = {w.strip() for w in pattern.findall(b)}
        if wa and wb and not wa & wb:
            return True
    return False


def _components(pairs: list[tuple[int, int, Figure, Figure]]) -> list[list[tuple[int, int, Figure, Figure]]]:
    """Disagreeing pairs of one key that share a sentence: one disputed quantity."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for i, j, _, _ in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list] = {}
    for p in pairs:
        groups.setdefault(root(p[0]), []).append(p)
    return list(groups.values())


def _group(key: str, pairs: list[tuple[int, int, Figure, Figure]]) -> tuple[str, list[int]]:
    shown: dict[float, str] = {}
    members: list[int] = []
    for i, j, a, b in pairs:
        shown.setdefault(a.value, a.shown)
        shown.setdefault(b.value, b.shown)
        members += [m for m in (i, j) if m not in members]
    return f"{key}: " + " vs ".join(shown[v] for v in sorted(shown, key=lambda v: -v)), members


# "There were no casualties", "no one was killed or injured": a claim another outlet's toll contradicts.
_NONE_HURT = re.compile(
    r"\b(?:no|without)\s+(?P<both>casualties)\b"
    r"|\b(?:no\s*one|nobody|none)\s+(?:was|were|had been|has been)\s+(?P<what>killed|hurt|injured|wounded)"
    r"(?:\s+or\s+(?P<also>killed|hurt|injured|wounded))?"
    r"|\bno\s+(?P<noun>deaths|fatalities|injuries)\b", re.I)


def tally_denials(texts: Sequence[str], sources: Sequence[str], bag) -> list[tuple[str, list[int]]]:
    """(subject, sentence indices) where one outlet says nobody was killed or hurt and another gives a
    toll of the same incident (the two sentences share their wording or a name)."""
    denied: dict[int, set[str]] = {}
    for k, text in enumerate(texts):
        for m in _NONE_HURT.finditer(text):
            words = {w.lower() for w in m.group("what", "also", "noun") if w}
            kinds = {"killed", "injured"} if m.group("both") else {
                "killed" if w in ("killed", "deaths", "fatalities") else "injured" for w in words}
            denied.setdefault(k, set()).update(kinds)
    if not denied:
        return []
    tolls = [(k, f) for k, t in enumerate(texts) if k not in denied and HAS_FIGURE.search(t)
             for f in figures(t) if f.key in ("people killed", "people injured") and f.low >= 1]
    found: list[tuple[int, int, Figure]] = []
    for i, kinds in denied.items():
        for j, f in tolls:
            if sources[i] == sources[j] or f.key.split()[1] not in kinds or _OTHER_EVENT.search(texts[j]):
                continue
            shared, _ = bag.overlap([i], [j])
            if shared[0, 0] >= 2 or _names(texts[i]) & _names(texts[j]):
                found.append((i, j, f))
    if not found:
        return []
    # The incident's tolls lie within one spread of the smallest; "some 2 million killed" in the same
    # story is a war's, not this attack's.
    least = {f.key: min(g.value for _, _, g in found if g.key == f.key) for _, _, f in found}
    members: list[int] = []
    shown: dict[str, list[str]] = {}
    for i, j, f in found:
        if f.value <= TALLY_SPREAD * least[f.key]:
            members += [k for k in (i, j) if k not in members]
            shown.setdefault(f.key.split()[1], []).append(f.shown)
    # One claim per story: which outlet says nobody was hurt, and the tolls the others give.
    tolls_shown = "; ".join(f"{kind} {' / '.join(dict.fromkeys(values))}" for kind, values in sorted(shown.items()))
    return [(f"casualties: none vs {tolls_shown}", members)]


def _names(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"(?<=\w[\s,] )[A-Z][a-z]{2,}", text)}
