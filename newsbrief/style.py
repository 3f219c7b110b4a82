"""Cheap text measures of one source, for its profile: no model, regexes and counts.

Everything here reads one text and returns character offsets into it, so the
profile can cite what drives each number. The lexicons are deliberately small
and specific: a word that is as often literal as rhetorical ("path", "critical")
stays out, because a false alarm on a plain wire story costs more trust than a
missed flourish.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .tfidf import ENGLISH_STOP_WORDS

STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "it's", "that's", "there's", "let's", "we're"}
WORD = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)
_CLOSERS = "\"'”’»)]"


def _ends_sentence(text: str) -> bool:
    """``boilerplate._TERMINAL.search(text)`` on a stripped text: a full stop, ! ? or ellipsis before any closing quotes
    and brackets. String methods, not the regex: a search for ``$`` tries every position of the sentence."""
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in ".!?…"


def word_count(text: str) -> int:
    return len(WORD.findall(text))


DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=65536)
def _norm(token: str) -> str:
    """Lowercase, straight apostrophes, and plurals folded so 'conversations' repeats 'conversation'."""
    token = token.lower().replace("’", "'")
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        token = token[:-1]
    return token


# --------------------------------------------------------------------------- repetition


@dataclass(frozen=True)
class RepeatedPhrase:
    phrase: str  # as written at its first occurrence
    count: int
    spans: tuple[tuple[int, int], ...]  # every occurrence, offsets into the text


def words_and_breaks(text: str) -> list[str]:
    """The text's words (``WORD``) in order, with each clause-break character (``BREAK_CHARS``) between them."""
    return _WORD_OR_BREAK.findall(text)


def phrase_slots(text: str, found: list[str] | None = None) -> list[str | None]:
    """The text's words normalised, with a None for each clause break, for :func:`repeated_phrases`.

    ``len(slots) - slots.count(None)`` is ``word_count(text)``. ``found``:
    ``words_and_breaks(text)`` when the caller has them already.
    """
    return list(map(_slot, words_and_breaks(text) if found is None else found))


def repeated_phrases(
    text: str, *, min_count: int = 3, max_words: int = 6, slots: list[str | None] | None = None
) -> list[RepeatedPhrase]:
    """Multi-word phrases used ``min_count`` times or more, most repeated first.

    A phrase must start and end with a content word and hold two of them, so
    "of the" never counts; a phrase is dropped when a longer one containing it
    repeats as often (the longer one says more about what is being stuffed).
    Occurrences are counted without overlap. ``slots``: ``phrase_slots(text)``
    when the caller has them already.
    """
    # The words with a None for each break: a phrase never spans a break, so a key holding
    # None is no phrase. Positions below index this list ("slots"), not the words.
    slots = phrase_slots(text) if slots is None else slots
    found: dict[tuple[str, ...], list[int]] = {}
    # Apriori: an n-word phrase used min_count times has an (n-1)-word prefix used as often,
    # so only the starts of frequent shorter phrases are extended. Keeps long pages cheap.
    # A kept phrase starts on a content word at every length. Pairs are counted in C first:
    # most are used once, and only the frequent ones are placed.
    pairs = Counter(zip(slots, slots[1:], strict=False))
    often = itertools.compress(pairs.keys(), map(min_count.__le__, pairs.values()))  # no Python step a pair
    frequent_pairs = set(filter(_is_phrase_start, often))
    grams: dict[tuple[str, ...], list[int]] = defaultdict(list)
    starts: list[int] = []
    if frequent_pairs:
        firsts = {first for first, _ in frequent_pairs}
        for i in itertools.compress(range(len(slots) - 1), map(firsts.__contains__, slots[:-1])):
            key = (slots[i], slots[i + 1])
            if key in frequent_pairs:
                grams[key].append(i)
    for n in range(2, max_words + 1):
        if n > 2:
            grams = defaultdict(list)
            for i in starts:
                key = tuple(slots[i : i + n])
                if len(key) == n and None not in key:
                    grams[key].append(i)
        frequent = {key: at for key, at in grams.items() if len(at) >= min_count}
        for key, at in frequent.items():
            if _is_content(key[0]) and _is_content(key[-1]) and sum(map(_is_content, key)) >= 2:
                found[key] = at
        starts = sorted(i for at in frequent.values() for i in at)
        if not starts:
            break
    phrases: list[tuple[tuple[str, ...], list[int]]] = []
    for key, starts in found.items():
        kept = _non_overlapping(starts, len(key))
        if len(kept) >= min_count:
            phrases.append((key, kept))
    counts = {key: len(starts) for key, starts in phrases}
    kept_phrases = [(key, starts) for key, starts in phrases if not _has_longer_equal(key, counts)]
    if not kept_phrases:
        return []
    breaks = list(itertools.compress(range(len(slots)), map(operator.is_, slots, itertools.repeat(None))))
    # Offsets of the words up to the last one a kept phrase uses, not of the whole text.
    last = max(i - bisect.bisect_left(breaks, i) + len(key) for key, starts in kept_phrases for i in starts[-1:])
    tokens = list(itertools.islice(WORD.finditer(text), last))
    result = []
    for key, starts in kept_phrases:
        spans = []
        for i in starts:
            first = i - bisect.bisect_left(breaks, i)  # the slot's word: minus the Nones before it
            spans.append((tokens[first].start(), tokens[first + len(key) - 1].end()))
        result.append(RepeatedPhrase(text[spans[0][0] : spans[0][1]], len(starts), tuple(spans)))
    result.sort(key=lambda p: (-p.count, -len(p.phrase), p.spans[0][0]))
    return result


@functools.lru_cache(maxsize=65536)
def _slot(token: str) -> str | None:
    """A word normalised, or None for a clause break (see repeated_phrases)."""
    return None if token in BREAK_CHARS else _norm(token)


def _is_content(token: str | None) -> bool:
    return token is not None and token not in STOPWORDS and not token.isdigit()


def _is_phrase_start(pair: tuple[str | None, str | None]) -> bool:
    return _is_content(pair[0]) and pair[1] is not None


def is_stuffing_candidate(phrase: str) -> bool:
    """A phrase whose repetition can be stuffing: not a plain name or title ("Hun Sen",
    "Prime Minister"), which news repeats by nature, and not a reporting formula ("officials said")."""
    tokens = WORD.findall(phrase)
    if all(t[0].isupper() or t.lower() in {"bin", "al", "de", "van", "von", "of"} for t in tokens):
        return False
    return not re.search(rf"\b(?:{ATTRIBUTION_VERBS})$", phrase, re.IGNORECASE)


BREAK_CHARS = frozenset(".!?:;\n")
# No word holds a break character, so the words found here are exactly those WORD finds.
_WORD_OR_BREAK = re.compile(WORD.pattern + r"|[.!?:;\n]")


def _non_overlapping(starts: list[int], n: int) -> list[int]:
    kept, last_end = [], -1
    for i in starts:
        if i >= last_end:
            kept.append(i)
            last_end = i + n
    return kept


def _has_longer_equal(key: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> bool:
    n, count = len(key), counts[key]
    for other, other_count in counts.items():
        if len(other) > n and other_count >= count:
            for i in range(len(other) - n + 1):
                if other[i : i + n] == key:
                    return True
    return False


# --------------------------------------------------------------------------- restatement


def restating_sentences(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    max_new: float = 0.35,
    min_words: int = 6,
    tokens_of: Sequence[list[str]] | None = None,
) -> list[tuple[int, float]]:
    """Sentences that add (almost) no word the source has not already used.

    Returns (sentence position, share of new content words) for each sentence
    whose share of content words unseen earlier in the text is at most
    ``max_new``. A sentence carrying a new name or number is never a
    restatement: that is how a follow-up fact usually shows itself.
    ``tokens_of``: each span's ``WORD.findall(text, start, end)`` when the caller has them already.
    """
    seen: set[str] = set()
    out = []
    for position, (start, end) in enumerate(spans):
        tokens = WORD.findall(text, start, end) if tokens_of is None else tokens_of[position]
        normed = list(map(_norm, tokens))
        content = list(itertools.filterfalse(STOPWORDS.__contains__, normed))
        if len(tokens) >= min_words and len(content) >= 4:
            share = (len(content) - sum(map(seen.__contains__, content))) / len(content)
            # Most sentences bring many new words: look for a new name or number only when not.
            if share <= max_new and not any(
                (t[0].isupper() or t[0].isdigit()) and n not in seen for t, n in zip(tokens[1:], normed[1:], strict=True)
            ):
                out.append((position, share))
        seen.update(content)
    return out


# --------------------------------------------------------------------------- sentence style

HEDGES = re.compile(
    r"\b(might|could|perhaps|possibly|potential(?:ly)?|likely|unlikely|probably|apparently|"
    r"seem(?:s|ed)?|appear(?:s|ed)? to|suggest(?:s|ed)?|tentative(?:ly)?|uncertain|"
    r"remains? to be seen|not (?:yet )?clear|unclear|albeit|arguably|presumably|"
    r"it is possible|there is a chance)\b",
    0,  # run on lower-cased text: faster than IGNORECASE
)
COMMENTARY = re.compile(
    r"\b(underscor(?:e|es|ing|ed)|serves? as a|highlights?|is a (?:stark |gentle )?reminder|a testament to|"
    r"it['’]?s about|this means|in other words|make no mistake|let['’]?s|you know|guys|"
    r"we['’]?re talking|think about it|big deal|high-stakes|crucial|vital|immense|invaluable|"
    r"delicate|essential|fundamentally|profound|undeniabl[ye]|clearly|of course|"
    r"observers note|it is worth|it['’]?s worth|needless to say|the world (?:is watching|hopes|relies)|"
    r"a (?:complex|delicate|critical) (?:dynamic|balance|web|legacy)|"
    r"signals? (?:a|that)|reflects? (?:how|a|the)|demonstrates?|defines? the|"
    # Generalisations stand in for reporting in padded copy: "talks often centre on...".
    r"often|invariably|consistently|typically|usually|generally|tends? to|historically|inherent(?:ly)?|"
    r"reveals? (?:that|a)|requires looking|involves (?:recognizing|bridging)|"
    r"^(?:understanding|examining|analy[sz]ing|navigating|exploring) )\b",
    0,  # run on lower-cased text: faster than IGNORECASE
)
METAPHOR = re.compile(
    r"\b(tapestry|woven|threads? of|dance of|high-wire|off-ramp|ripple effect|test the waters|"
    r"glimmer of hope|take[sn]? a backseat|backseat|laser-focused|fault ?lines|echo(?:es)? of|"
    r"bridge rather than|sky-high|storm clouds|tightrope|chess ?board|rollercoaster|"
    r"shades of nuance|the table|door open|keep the door|red lines|lines of communication|"
    r"channels? of (?:communication|words)|landscape|navigat(?:e|ing) (?:the )?(?:complex|perilous|uncertain)|"
    r"nitty-gritty|in a vacuum|at the heart of)\b",
    0,  # run on lower-cased text: faster than IGNORECASE
)
ATTRIBUTION_VERBS = (
    r"said|says|say|told|tells|stated|states|noted|notes|added|adds|argued|argues|emphasi[sz]ed|"
    r"stressed|acknowledged|declared|declares|warned|warns|explained|insisted|insists|conveyed|"
    r"announced|announces|confirmed|confirms|denied|denies|claimed|claims|wrote|writes|reported|"
    r"reports|asserted|urged|cautioned|described|suggested|commented|replied|responded|recalled|"
    r"admitted|estimated|predicted|revealed"
)
ATTRIBUTION = re.compile(
    rf"\b(?:{ATTRIBUTION_VERBS}|according to|in (?:an|a) (?:interview|statement)|quoted)\b"
    r"|[\"“][^\"”]{12,}[\"”]",
)  # run on lower-cased text: faster than IGNORECASE


def _split_alternatives(body: str) -> list[str]:
    """The top-level alternatives of a regex body ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    alternatives, current, depth, in_class, i = [], "", 0, False, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            current += body[i : i + 2]
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            alternatives.append(current)
            current = ""
            i += 1
            continue
        current += char
        i += 1
    return alternatives + [current]


def _by_first_letter(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same ``\\b(a|b|...)\\b...`` lexicon with its words grouped by first letter.

    Python's regex engine tries every alternative at every word start; grouped, it
    tries one letter's few. Matches the same sentences (the lexicons are only
    searched for, never read back), about 1.5x faster. The lexicons above stay
    the readable source; tests/test_profile.py checks the two agree.
    """
    body, tail = re.fullmatch(r"\\b\((?:\?:)?(.*)\)\\b(.*)", pattern.pattern, re.DOTALL).groups()
    groups: dict[str, list[str]] = {}
    others = []
    for alternative in _split_alternatives(body):
        if alternative[:1].isalpha() and alternative[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(alternative[0], []).append(alternative[1:])
        else:
            others.append(alternative)
    grouped = [letter + "(?:" + "|".join(rests) + ")" for letter, rests in groups.items()] + others
    return re.compile(r"\b(?:" + "|".join(grouped) + r")\b" + tail, pattern.flags)


_FAST = {pattern.pattern: _by_first_letter(pattern) for pattern in (ATTRIBUTION, HEDGES, COMMENTARY, METAPHOR)}
_ATTRIBUTION_FAST, _HEDGES_FAST = _FAST[ATTRIBUTION.pattern], _FAST[HEDGES.pattern]
_COMMENTARY_FAST, _METAPHOR_FAST = _FAST[COMMENTARY.pattern], _FAST[METAPHOR.pattern]


class SentenceStyle(NamedTuple):
    """How one sentence is written. A named tuple: one is built per sentence of a story, ~3x faster
    than a frozen dataclass."""

    hedging: bool
    commentary: bool
    metaphor: bool
    attributed: bool  # reports what someone said: its opinions are the speaker's, not the outlet's
    question: bool
    fact_like: bool  # a complete sentence with something specific in it
    words: int = 0  # words in the sentence (style.WORD)

    @property
    def rhetoric(self) -> bool:
        return not self.attributed and (self.hedging or self.commentary or self.metaphor or self.question)


def _has_specific(sentence: str, tokens: list[str] | None = None) -> bool:
    if DIGIT.search(sentence):
        return True
    tokens = WORD.findall(sentence) if tokens is None else tokens
    return any(map(_capitalised, itertools.islice(tokens, 1, None)))


@functools.lru_cache(maxsize=65536)
def _capitalised(token: str) -> bool:
    return token[0].isupper()  # cached: a sentence's words are tested without a Python step each


_MAY = re.compile(r"\bmay\b")


def sentence_style(sentence: str, tokens: list[str] | None = None) -> SentenceStyle:
    """``tokens``: ``WORD.findall(sentence)`` when the caller has them already."""
    low = sentence.lower()
    attributed = bool(_ATTRIBUTION_FAST.search(low))
    question = sentence.rstrip("\"'”’ )").endswith("?")
    if attributed:
        # The speaker's hedges and metaphors are reported, not the outlet's: no need to look.
        hedging = commentary = metaphor = False
    else:
        # "may" hedges; "May" is a month.
        hedging = bool(_HEDGES_FAST.search(low)) or ("may" in sentence and bool(_MAY.search(sentence)))
        commentary = bool(_COMMENTARY_FAST.search(low)) or sentence.rstrip().endswith("!")
        metaphor = bool(_METAPHOR_FAST.search(low))
    rhetoric = not attributed and (hedging or commentary or metaphor or question)
    tokens = WORD.findall(sentence) if tokens is None else tokens  # one tokenisation for length and names
    fact_like = (
        not rhetoric and not question and _ends_sentence(sentence.strip())
        and len(tokens) >= 6 and _has_specific(sentence, tokens)
    )
    return SentenceStyle(hedging, commentary, metaphor, attributed, question, fact_like, len(tokens))


# --------------------------------------------------------------------------- sourcing

_NAME = r"(?:[A-Z][\w'’\-]+)(?:\s+(?:[A-Z][\w'’\-]+|de|van|von|al-|bin))*"
_NOT_NAMES = frozenset(
    "He She It They We I You This That These Those The A An His Her Their Its There Here But And Or "
    "So Yet In On At For As If When While Meanwhile However Also What Why How Who "
    "European Russian French American Ukrainian British German Chinese Western "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday".split()
)
_TITLES = frozenset(
    "President Vice-President Prime Minister Foreign Chancellor Spokesman Spokeswoman Secretary Senator "
    "Governor Mayor General Chief Deputy King Queen Prince Pope Mr Mrs Ms Dr Prof".split()
)
_SPEAKER_PATTERNS = (
    re.compile(rf"\baccording to (?:the |a |an )?(?:[a-z]+ ){{0,3}}?({_NAME})"),
    re.compile(rf"({_NAME})(?:,[^,.]{{1,80}},)?\s+(?:{ATTRIBUTION_VERBS})\b"),
    re.compile(rf"\b(?:{ATTRIBUTION_VERBS})\s+({_NAME})"),
    re.compile(rf"\b(?:spokesman|spokeswoman|spokesperson|minister|adviser|advisor|envoy|president|"
               rf"official|aide|assistant)\s+({_NAME})"),
)


def attribution_cues(
    text: str, spans: Iterable[tuple[int, int]], attributed: Sequence[bool] | None = None
) -> list[tuple[int, list[str]]]:
    """(sentence position, names near the cue) for each sentence that attributes a statement.

    ``attributed`` (from :func:`sentence_style`) saves searching for the cue again.
    """
    out = []
    for position, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if not (attributed[position] if attributed is not None else _ATTRIBUTION_FAST.search(sentence.lower())):
            continue
        names = []
        for pattern in _SPEAKER_PATTERNS:
            for match in pattern.finditer(sentence):
                name = _clean_name(match.group(1))
                if name and name not in names:
                    names.append(name)
        out.append((position, names))
    return out


def _clean_name(name: str) -> str | None:
    parts = name.split()
    while parts and (parts[0] in _NOT_NAMES or parts[0] in _TITLES):
        parts.pop(0)
    if not parts or parts[-1].endswith(("'s", "’s")):
        return None  # a possessive ("Russia's stated aims") is not a speaker
    return " ".join(parts)


def name_counts(cues: Sequence[tuple[int, list[str]]]) -> Counter[str]:
    """Names counted once per sentence, surname forms folded into the fullest form seen."""
    counts: Counter[str] = Counter()
    for _, names in cues:
        counts.update(list(dict.fromkeys(names)))  # once a sentence, in order seen: the same list every run
    full = sorted(counts, key=len, reverse=True)
    folded: Counter[str] = Counter()
    for name in counts:
        target = next((f for f in full if len(f) > len(name) and f.split()[-1] == name.split()[-1]), name)
        folded[target] += counts[name]
    return folded


_UNNAMED = frozenset(
    "side official officials source sources spokesman spokeswoman spokesperson diplomat diplomats aide aides "
    "analyst analysts expert experts government ministry office police authorities".split()
)


def is_named_speaker(speaker: str, role: str | None) -> bool:
    """'Dmitry Peskov' is a named source; 'the Russian side' or 'an American official' is not."""
    speaker = speaker.strip()
    if not speaker or not speaker[0].isupper() or speaker == role:
        return False
    return speaker.split()[-1].lower() not in _UNNAMED
