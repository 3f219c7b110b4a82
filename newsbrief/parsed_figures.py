"""Figures keyed by the dependency parse: what a number counts and what happened to it.

Outlets word one fact differently ("the 21-nation APEC forum" / "the 18-nation APEC
forum"; "21 others were wounded" / "wounding 24 people"; "appointed army commander
in 1988" / "in 1989"). The surface keys of :mod:`newsbrief.quantities` miss many of
these. Here a number is keyed by its head noun in the parse (people-like nouns are
one class) and by the verb that governs it, and two sentences of different outlets
disagree when they give different, incompatible values under the same key, name
the same party (a shared proper noun) and share enough of their wording. Only the
few sentences that pair with a figure-bearing sentence of another outlet are
parsed, so the cost stays a fraction of a second on a 50-article story.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .bounds import hedged_interval
from .figure_pairs import is_headline, one_tally
from .quantities import WORD_NUMBERS, all_figures

log = logging.getLogger(__name__)

CALENDAR_YEAR = "in year"  # the key noun of "appointed ... in 1988"
_SPANS = frozenset("year month week day hour minute second decade century season".split())
MIN_SHARED = 3  # content words two sentences must share to be compared at all
# Dice of content words: the sentences retell one passage and differ in a detail. Looser pairs
# mostly give figures of different events, people or seasons (read on the dev, blind2 and fresh sets).
MIN_DICE = 0.5
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Repeated lines of a page ("Updated: May 24, 2005"), not statements of the story.
_STAMP = re.compile(r"^\W*(?:updated|published|posted|last modified)\b", re.I)
MAX_PARSED = 200  # sentences parsed per story at most (the most similar pairs first)
_PEOPLE = frozenset("people person other man woman child kid adult student officer soldier civilian passenger "
                    "victim suspect protester demonstrator member resident worker".split())
# Verbs and nouns that carry no meaning of their own as a key.
_LIGHT_VERBS = frozenset("be have say do make get take include tell report add accord".split())
# Verbs of what happened to people at an event (their counts are tallies: see figure_pairs.one_tally).
_TALLY_VERBS = frozenset("kill die injure wound hurt arrest detain evacuate march".split())
_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass(frozen=True)
class ParsedFigure:
    noun: str  # what it counts ("nation", "people", "bill"); CALENDAR_YEAR for "in 1988"
    verb: str  # the verb that governs it ("wound", "appoint"), "" if none
    low: float
    high: float
    value: float
    shown: str
    names: frozenset[str] = frozenset()  # proper nouns in the clause of the figure's verb: whose figure it is


#: What hands spaCy's pipeline over on first need: ``lambda: resources.nlp`` in a briefing.
Parser = Callable[[], Any]


@functools.lru_cache(maxsize=1)
def default_parser() -> Any:
    """The pipeline for callers without :class:`~newsbrief.resources.Resources` (bench, tests)."""
    from .resources import load_spacy

    return load_spacy()


def _parse(parse: Parser, texts: list[str]):
    """Parsed docs of ``texts``; the entity recognizer is not needed and not run."""
    nlp = parse()
    return nlp.pipe(texts, batch_size=64, disable=[p for p in ("ner",) if p in nlp.pipe_names])


def _value(token) -> float | None:
    text = token.lower_
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    if _DIGITS.fullmatch(text):
        return float(text.replace(",", ""))
    return None


def _verb_of(token):
    """The nearest verb above a token, or None."""
    return next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)


def _governing_verb(token) -> str:
    verb = _verb_of(token)
    return verb.lemma_.lower() if verb is not None and verb.lemma_.lower() not in _LIGHT_VERBS else ""


def _proper_names(tokens) -> frozenset[str]:
    """The capitalised proper nouns of three letters or more among ``tokens``, lower-cased."""
    return frozenset(t.lower_ for t in tokens if t.pos_ == "PROPN" and t.text[:1].isupper() and len(t.text) > 2)


def _counted(token):
    """The token a number counts: its head noun when it modifies one ("24 people"), else itself."""
    return token.head if token.dep_ in ("nummod", "compound") else token


def _clause_names(token) -> frozenset[str]:
    verb = _verb_of(token)
    return frozenset() if verb is None else _proper_names(verb.subtree)


def parsed_figures(doc) -> list[ParsedFigure]:
    """The numbers of one parsed sentence with what they count and the verb over them."""
    out = []
    text = doc.text
    for token in doc:
        value = _value(token)
        if value is None:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        prev = doc[token.i - 1] if token.i > 0 else None
        if (nxt is not None and nxt.lower_ in ("to", "-", "–", "or", "and", "%", "percent", ":")
                and token.i + 2 < len(doc) and _value(doc[token.i + 2]) is not None):
            continue  # one end of a range ("10 to 18", "one or two")
        if prev is not None and prev.lower_ in ("to", "or", "-", "–") and token.i >= 2 and _value(doc[token.i - 2]):
            continue
        if (prev is not None and prev.text == "." and token.i >= 2 and doc[token.i - 2].like_num) or (
                nxt is not None and nxt.text == "." and token.i + 2 < len(doc) and doc[token.i + 2].like_num):
            continue  # "6 . 1": a decimal split by the source's tokenisation
        if nxt is not None and nxt.lower_ in ("a.m.", "p.m.", "am", "pm"):
            continue  # a clock time (the entity recognizer, which would tag TIME, is not run here)
        if prev is not None and prev.text in ("$", "€", "£") or (nxt is not None and nxt.lower_ in (
                "%", "percent", "million", "billion", "thousand", "trillion")):
            continue  # sums, shares and large round figures are the surface rules' (units, currencies)
        if 1900 <= value <= 2039 and re.fullmatch(r"\d{4}", token.text):
            if token.dep_ != "pobj" or token.head.lower_ != "in":
                continue  # only "in 1988": a year an event happened in
            verb = _governing_verb(token)
            if verb:
                out.append(ParsedFigure(CALENDAR_YEAR, verb, value, value, value, token.text, _clause_names(token)))
            continue
        if token.dep_ not in ("nummod", "compound", "nsubj", "nsubjpass", "dobj", "pobj", "appos"):
            continue
        head = _counted(token)
        if head.i == token.i and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
            noun = "people"  # "21 were wounded": a bare count is of people
        elif head.pos_ in ("NOUN", "PROPN"):
            noun = head.lemma_.lower()
        else:
            continue
        noun = "people" if noun in _PEOPLE else noun
        if noun.rstrip(".") in _MONTHS or noun == "time":
            continue  # "November 19" is a date; "arrested four times" counts occasions, each outlet its own
        if noun in _SPANS:
            continue  # spans of time: the surface rules know tenures, terms and elapsed time
        if any(t.text == "(" for t in doc[max(0, token.i - 3) : token.i]):
            continue  # "9 mph (15 kph)": a conversion in brackets restates the figure before it
        if re.fullmatch(r"(?:year|month|week|day)s?", noun) is None and head.lower_.endswith("-old"):
            continue
        if nxt is not None and nxt.text == "-" and token.i + 2 < len(doc) and doc[token.i + 2].lower_ == "old":
            continue
        if any(t.lower_ in ("old", "aged") for t in doc[token.i + 1 : token.i + 6]):
            continue  # ages are compared by name elsewhere
        low, high = hedged_interval(value, text, token.idx)
        out.append(ParsedFigure(noun, _governing_verb(head), low, high, value, token.text, _clause_names(head)))
    return out


def _fragment(text: str) -> bool:
    """A headline, a page stamp ("Updated: May 24, 2005") or a piece of a sentence split inside a figure ("1 -
    magnitude quake", the rest of "6.1"): news style spells out a number that opens a sentence."""
    return bool(_STAMP.match(text)) or text.lstrip()[:1].isdigit() or is_headline(text)


def parsed_disagreements(texts: Sequence[str], sources: Sequence[str], bag, candidates: Sequence[int],
                         parse: Parser) -> list[tuple[str, list[int]]]:
    """(subject, [i, j]) for sentences of different outlets that give one parsed quantity two values.

    ``bag`` is the compare stage's content-word index; ``candidates`` the sentences with figures."""
    rows = list(candidates)
    if len(rows) < 2:
        return []
    shared, _ = bag.overlap(rows, rows)
    sizes = bag.sizes[rows]
    dice = 2 * shared / np.clip(sizes[:, None] + sizes[None, :], 1, None)
    close = np.triu((shared >= MIN_SHARED) & (dice >= MIN_DICE), 1)
    stated = {k: all_figures(texts[k]) for k in rows}
    # A pair can only disagree if each sentence states a number the other does not (checked again
    # below on the parsed figures): most retold passages repeat every figure, and need no parse.
    pairs = [(float(dice[a, b]), rows[a], rows[b]) for a, b in zip(*np.nonzero(close), strict=True)
             if sources[rows[a]] != sources[rows[b]] and not _fragment(texts[rows[a]]) and not _fragment(texts[rows[b]])
             and stated[rows[a]] - stated[rows[b]] and stated[rows[b]] - stated[rows[a]]]
    if not pairs:
        return []
    pairs.sort(reverse=True)
    keep: list[int] = []
    for _, i, j in pairs:
        for k in (i, j):
            if k not in keep and len(keep) < MAX_PARSED:
                keep.append(k)
    docs = dict(zip(keep, _parse(parse, [texts[k] for k in keep]), strict=True))
    figs = {k: parsed_figures(doc) for k, doc in docs.items()}
    names = {k: _proper_names(doc) for k, doc in docs.items()}
    links: dict[tuple[str, str], list[tuple[int, int, ParsedFigure, ParsedFigure]]] = {}
    for d, i, j in pairs:
        if i not in docs or j not in docs or not figs[i] or not figs[j] or not names[i] & names[j]:
            continue
        for a in figs[i]:
            # Only a number under a verb of its own is keyed well enough ("wounding 24 people").
            b = next((b for b in figs[j] if a.verb and b.noun == a.noun and b.verb == a.verb
                      and (a.high < b.low or b.high < a.low)), None)
            if b is None:
                continue
            if a.names - names[j] and b.names - names[i]:
                continue  # each figure's clause names a party or place the other sentence lacks: two events
            if b.value in stated[i] or a.value in stated[j]:
                continue  # one sentence gives both values: it lists them, not disagrees
            if a.noun == "people" and a.verb in _TALLY_VERBS and not one_tally(
                    a.value, a.shown, texts[i], b.value, b.shown, texts[j], d, crowd=a.verb == "march"):
                continue  # what happened to people: the surface rules' test of one event's tally
            links.setdefault((a.noun, a.verb), []).append((i, j, a, b))
            break
    out = []
    for (noun, verb), found in links.items():
        values = {v for _, _, a, b in found for v in (a.value, b.value)}
        if len(values) > 2:
            continue  # three or more values of one key: several events or people, not one fact in dispute
        _, _, a, b = found[0]
        members = sorted({k for i, j, _, _ in found for k in (i, j)})
        out.append((f"{noun} {verb}: {a.shown} vs {b.shown}", members))
    return out


def _figure_token(doc, shown: str):
    """The token of ``doc`` that carries the number shown as ``shown`` ("At least 26" -> "26")."""
    words = re.findall(r"\d[\d,.]*\d|\d|[A-Za-z]+", shown)
    wanted = next((w for w in reversed(words) if _DIGITS.fullmatch(w) or w.lower() in WORD_NUMBERS), None)
    return next((t for t in doc if wanted and t.text.lower() == wanted.lower()), None)


def separate_parties(text_a: str, shown_a: str, text_b: str, shown_b: str, parse: Parser) -> bool:
    """Whether two figures belong to different named parties or places by the parse: the clause of
    each figure's verb names someone or somewhere the other sentence never mentions ("the blast in
    Nairobi killed 213" / "in Dar es Salaam, 11 were killed"; "the Orioles offered seven years" /
    "the Red Sox offered eight"). Parses the two sentences only."""
    doc_a, doc_b = _parse(parse, [text_a, text_b])
    token_a, token_b = _figure_token(doc_a, shown_a), _figure_token(doc_b, shown_b)
    if token_a is None or token_b is None:
        return False
    own_a, own_b = _subject_names(_counted(token_a)), _subject_names(_counted(token_b))
    return bool(own_a - _proper_names(doc_b)) and bool(own_b - _proper_names(doc_a))


def _subject_names(token) -> frozenset[str]:
    """Proper nouns in the grammatical subject of the verb over a token (the figure's owner)."""
    verb = _verb_of(token)
    if verb is None:
        return frozenset()
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return _proper_names(t for c in subjects if c.i != token.i for t in c.subtree)
