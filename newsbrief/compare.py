"""Agreement and conflict between outlets.

Support: a summary point is supported by every independent source (wire
copies already collapsed into one :class:`Source`) that carries a sentence
saying the same thing. Conflicts are read off pairs of sentences from
different sources that talk about the same thing but differ in one checkable
detail: the role given a person, a number for the same quantity, the date of
the same event, or a negation (one says X happened, the other that it did
not). Sentences are compared by their content words with one sparse product,
so a 50-article story costs milliseconds, not an embedding pass.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .attribute import _Speakers, content_words
from .records import Citation, Claim, Conflict, Entity, Quote, Sentence, Source, SummarySentence
from .speakers import bare, is_role_head

log = logging.getLogger(__name__)

SUPPORT_OVERLAP = 0.6  # share of the shorter sentence's content words two sentences must share
SAME_TOPIC_OVERLAP = 0.45  # for sentences that may disagree on one detail
CLAIM_OVERLAP = 0.7
GENERIC_ROLES = frozenset({"leader", "head", "official", "chief", "member", "executive", "officer",
                           "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor"})
_NEGATION = re.compile(r"\b(?:not|no|never|n't|denied|denies|deny|without|neither|nor)\b|n['’]t\b", re.I)
_NUMBER = re.compile(
    r"(?P<cur>[$€£])?\b(?P<num>\d+(?:[.,]\d+)*)\s*(?P<mult>million|billion|trillion|thousand|percent|%)?"
    r"\s+(?P<unit>[a-z]{3,}(?:-[a-z]+)?)"
)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "dozen": 12, "hundred": 100}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(
    rf"\b(?P<md>{_MONTH}\s+\d{{1,2}})\b|\b(?P<dm>\d{{1,2}}\s+{_MONTH})\b"
    r"|\b(?:on|last|this|next)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_UNIT_STOP = frozenset({"the", "and", "for", "from", "with", "that", "than", "this", "per", "percent",
                        "years", "year", "was", "were", "are", "has", "had", "have", "who", "which"})


# --------------------------------------------------------------------------- shared


class _Bag:
    """Binary content-word vectors of sentences, for overlap between many pairs at once."""

    def __init__(self, texts: Sequence[str]):
        from scipy.sparse import csr_matrix

        self.words = [content_words(re.sub(r"\d", " ", t)) for t in texts]
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, words in enumerate(self.words):
            for w in words:
                rows.append(i)
                cols.append(vocab.setdefault(w, len(vocab)))
        self.matrix = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                 shape=(len(texts), max(1, len(vocab))))
        self.sizes = np.array([len(w) for w in self.words], dtype=np.float32)

    def overlap(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(shared word counts, shared / size of the smaller) for every pair."""
        if not len(rows_a) or not len(rows_b):
            empty = np.zeros((len(rows_a), len(rows_b)), dtype=np.float32)
            return empty, empty
        a, b = self.matrix[list(rows_a)], self.matrix[list(rows_b)]
        shared = np.asarray((a @ b.T).toarray(), dtype=np.float32)
        smaller = np.minimum.outer(self.sizes[list(rows_a)], self.sizes[list(rows_b)])
        return shared, shared / np.clip(smaller, 1, None)


def _citation(s: Sentence) -> Citation:
    return Citation(s.source, s.start, s.end)


# --------------------------------------------------------------------------- support


def add_support(summary: Sequence[SummarySentence], sources: Sequence[Source],
                sentences: Sequence[Sentence]) -> list[SummarySentence]:
    """Cite every source that says the same as a summary point; support = outlets citing it."""
    by_id = {s.id: s for s in sources}
    texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
    bag = _Bag(texts + [p.text for p in summary])
    points = list(range(len(sentences), len(sentences) + len(summary)))
    shared, ratio = bag.overlap(points, range(len(sentences)))
    out = []
    for row, point in enumerate(summary):
        cited = {c.source for c in point.citations}
        extra: dict[str, tuple[float, Sentence]] = {}
        for col in np.flatnonzero((ratio[row] >= SUPPORT_OVERLAP) & (shared[row] >= 4)):
            s = sentences[col]
            if s.source not in cited and ratio[row, col] > extra.get(s.source, (0.0, s))[0]:
                extra[s.source] = (float(ratio[row, col]), s)
        citations = point.citations + tuple(_citation(s) for _, s in extra.values())
        out.append(replace(point, citations=citations, support=len({c.source for c in citations})))
    return out


def single_source(items: Sequence[SummarySentence | Quote]) -> list[bool]:
    """True for each point or quote only one independent outlet carries."""
    return [len({c.source for c in item.citations}) <= 1 for item in items]


# --------------------------------------------------------------------------- conflicts


def role_conflicts(sources: Sequence[Source], sentences: Sequence[Sentence]) -> list[Conflict]:
    """The same person given roles that cannot both hold, by different outlets."""
    by_name: dict[str, list[tuple[str, str, int]]] = {}
    for source in sources:
        for name, role, pos in _Speakers(source.text).role_mentions:
            by_name.setdefault(name, []).append((source.id, role, pos))
    starts = {}
    for s in sentences:
        starts.setdefault(s.source, []).append(s)
    conflicts = []
    for name, mentions in by_name.items():
        claims: dict[str, list[Citation]] = {}
        picked: list[tuple[str, str]] = []  # (source, role) kept, one per incompatible role
        for sid, role, pos in mentions:
            clash = [r for s2, r in picked if s2 != sid and not _roles_compatible(role, r)]
            same = [r for _, r in picked if _roles_compatible(role, r) and (not clash)]
            if not picked or clash or not same:
                picked.append((sid, role))
            sentence = next((s for s in starts.get(sid, []) if s.start <= pos < s.end), None)
            if sentence is not None:
                key = next((r for _, r in picked if _roles_compatible(role, r)), role)
                claims.setdefault(key, [])
                if all(c.source != sid for c in claims[key]):
                    claims[key].append(_citation(sentence))
        keys = [k for k in claims if claims[k]]
        clashing = [k for k in keys if any(not _roles_compatible(k, o) for o in keys if o != k)]
        if len(clashing) >= 2 and len({c.source for k in clashing for c in claims[k]}) >= 2:
            conflicts.append(Conflict("role", name, tuple(
                Claim(f"{name}: {k}", tuple(claims[k])) for k in clashing)))
    return conflicts


def _role_heads(role: str) -> set[str]:
    return {bare(w) for w in role.replace("’s", " ").split() if is_role_head(w)}


def _roles_compatible(a: str, b: str) -> bool:
    ha, hb = _role_heads(a), _role_heads(b)
    former_a, former_b = (bool(re.search(r"\b(?:former|ex-)", r, re.I)) for r in (a, b))
    if ha & hb:
        return former_a == former_b
    return not ha or not hb or ha <= GENERIC_ROLES or hb <= GENERIC_ROLES


def _numbers(text: str) -> dict[str, tuple[float, str]]:
    """Quantities in a sentence keyed by the word they count: {"loan": (9e10, "€90 billion loan")}."""
    out = {}
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        if re.fullmatch(r"(?:19|20)\d\d", num) or m.group("unit") in _UNIT_STOP:
            continue  # a year is a date, not a quantity
        try:
            value = float(num.replace(",", ""))
        except ValueError:
            continue
        scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}.get(m.group("mult") or "", 1)
        unit = m.group("unit").rstrip("s") if len(m.group("unit")) > 3 else m.group("unit")
        out[unit] = (value * scale, m.group().strip())
    for word, value in _WORD_NUMBERS.items():
        for m in re.finditer(rf"\b{word}\s+([a-z]{{3,}})", text):
            if m.group(1) not in _UNIT_STOP:
                out.setdefault(m.group(1).rstrip("s"), (float(value), m.group()))
    return out


def _dates(text: str) -> dict[str, str]:
    out = {}
    for m in _DATE.finditer(text):
        kind = next(k for k in ("md", "dm", "wd") if m.group(k))
        out["weekday" if kind == "wd" else "day"] = m.group(kind)
    return out


def detail_conflicts(sources: Sequence[Source], sentences: Sequence[Sentence]) -> list[Conflict]:
    """Number, date and yes/no disagreements between near-identical sentences of different outlets."""
    by_id = {s.id: s for s in sources}
    texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
    numbers = [_numbers(t) for t in texts]
    dates = [_dates(t) for t in texts]
    negated = [bool(_NEGATION.search(t)) for t in texts]
    bag = _Bag(texts)
    rows = [i for i in range(len(texts)) if numbers[i] or dates[i] or negated[i]]
    shared, ratio = bag.overlap(rows, range(len(texts)))
    found: dict[tuple[str, str], Conflict] = {}
    for r, i in enumerate(rows):
        for j in np.flatnonzero((ratio[r] >= SAME_TOPIC_OVERLAP) & (shared[r] >= 4)):
            if sentences[j].source == sentences[i].source or (j < i and j in rows):
                continue
            for kind, subject in _disagreements(i, j, numbers, dates, negated, ratio[r, j], bag):
                key = (kind, subject)
                claims = (Claim(texts[i], (_citation(sentences[i]),)), Claim(texts[j], (_citation(sentences[j]),)))
                if key not in found:
                    found[key] = Conflict(kind, subject, claims)
    return list(found.values())


def _disagreements(i, j, numbers, dates, negated, ratio, bag):
    for unit in numbers[i].keys() & numbers[j].keys():
        (a, shown_a), (b, shown_b) = numbers[i][unit], numbers[j][unit]
        if a != b:
            yield "number", f"{unit}: {shown_a} vs {shown_b}"
    for kind in dates[i].keys() & dates[j].keys():
        if dates[i][kind] != dates[j][kind]:
            yield "date", f"{dates[i][kind]} vs {dates[j][kind]}"
    if negated[i] != negated[j] and ratio >= CLAIM_OVERLAP and not numbers[i] and not numbers[j]:
        common = sorted(bag.words[i] & bag.words[j], key=len, reverse=True)[:4]
        yield "claim", " ".join(common)


def compare(sources: Sequence[Source], sentences: Sequence[Sentence], vectors,
            summary: Sequence[SummarySentence], quotes: Sequence[Quote], entities: Sequence[Entity]
            ) -> tuple[list[SummarySentence], list[Conflict]]:
    """The summary with each point's independent support, and where the outlets disagree."""
    supported = add_support(summary, sources, sentences)
    conflicts = role_conflicts(sources, sentences) + detail_conflicts(sources, sentences)
    log.info("%d conflicts; %d of %d summary points single-source", len(conflicts),
             sum(single_source(supported)), len(supported))
    return supported, conflicts
