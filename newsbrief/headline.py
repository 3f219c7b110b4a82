"""A headline that invents nothing.

Either the article title best supported by the story (its content words are
carried by the summary and by many sources) when titles exist and do not read
as clickbait, or the summary's top sentence compressed only by deleting
words: framing, attribution, parentheticals and trailing clauses go, the
words that remain are the sentence's own, in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import salience
from .records import Source, SummarySentence

MAX_WORDS = 14
MIN_WORDS = 4

_CLICKBAIT = re.compile(
    r"(?:[?!]\s*$|\byou\b|\byour\b|\bwhat happened\b|\bhere's\b|\bhere is\b|\bthis is why\b|"
    r"\bwhy\b|\bhow to\b|\bguys\b|\bshocking\b|\bunbelievable\b|\bmust see\b|\bwatch\b|\b\d+ (?:things|ways|reasons)\b|"
    r"\blive\b|\bupdates?\b:)",
    re.IGNORECASE,
)


def is_clickbait(title: str) -> bool:
    words = title.split()
    if not MIN_WORDS <= len(words) <= 20:
        return True
    letters = [ch for ch in title if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.7:
        return True
    return bool(_CLICKBAIT.search(title))


def _content(text: str) -> set[str]:
    return {salience.normalise(w) for w in salience.tokens(text)} - salience.STOPWORDS


def from_titles(sources: Sequence[Source], summary: Sequence[SummarySentence]) -> str | None:
    """The best-supported usable title, or None when no source has one."""
    titled = [(source, title) for source in sources
              if (title := (source.article.title or "").strip()) and not is_clickbait(title)]
    if not titled:
        return None  # without a usable title there is nothing to score: skip reading every text
    summary_words = set().union(*(_content(s.text) for s in summary)) if summary else set()
    texts = [_content(s.text) for s in sources]
    best, best_score = None, 0.0
    for source, title in titled:
        words = _content(title)
        if not words:
            continue
        # Support: the share of the title's words that other sources use, and that the summary says.
        carried = sum(len(words & t) / len(words) for s, t in zip(sources, texts, strict=True) if s.id != source.id)
        carried /= max(1, len(sources) - 1)
        in_summary = len(words & summary_words) / len(words) if summary_words else 0.0
        score = carried + in_summary
        if score > best_score:
            best, best_score = title, score
    # A title that shares little with the rest of the story is about something else.
    return best if best is not None and best_score >= 0.5 else None


# --------------------------------------------------------------------------- compression

_LEAD_FRAME = re.compile(r"^[^:]{0,80}:\s+(?=[A-Z])")
_LEAD_ATTRIBUTION = re.compile(
    r"^(?:According to [^,]{1,60},\s*|(?:On|In|At|By|For|After|Before|During|Despite|Amid|As|With|Last|Earlier|Later)"
    r" [^,]{1,100},\s*)"
)
# Parentheses, dash pairs (newswire writes " _ " for a dash) and non-restrictive relative clauses.
_PARENTHETICAL = re.compile(
    r"\s*\([^)]*\)|\s*[\u2014\u2013_]\s[^\u2014\u2013_]{1,100}\s[\u2014\u2013_](?=\s)|\s*,\s(?:who|which)\s[^,]{1,80},"
)
_TRAILING_ATTRIBUTION = re.compile(r",\s*(?:\w+\s){0,4}(?:said|says|told|stated|added|noted)\b[^,]*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r",\s|\s(?=(?:amid|after|as|while|despite|following|because|although|though|but|which|who|when|where|"
    r"since|until|before|with|without|during|over|against|in|on|at|for|from|to|by)\s)"
)


def _strip(text: str) -> str:
    return text.strip().strip("\"'\u201c\u201d\u2018\u2019`").rstrip(" .;:,").strip()


def compress(sentence: str) -> str:
    """The sentence shortened to at most ``MAX_WORDS`` words by deletions only."""
    text = _strip(sentence)
    if not text:
        return ""
    for pattern in (_LEAD_FRAME, _LEAD_ATTRIBUTION):
        shorter = pattern.sub("", text, count=1)
        if len(shorter.split()) >= MIN_WORDS + 2:
            text = shorter
    text = _PARENTHETICAL.sub("", text)
    shorter = _TRAILING_ATTRIBUTION.sub("", text)
    if len(shorter.split()) >= MIN_WORDS + 2:
        text = shorter
    text = _strip(text)
    if len(text.split()) <= MAX_WORDS:
        return _capitalise(text)
    # Cut at the last clause boundary that leaves a short but whole-looking headline.
    best = None
    for match in _CLAUSE_BREAK.finditer(text):
        head = _strip(text[: match.start()])
        if MIN_WORDS + 1 <= len(head.split()) <= MAX_WORDS:
            best = head
    if best is None:
        best = " ".join(text.split()[:MAX_WORDS])
    return _capitalise(_strip(best))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
