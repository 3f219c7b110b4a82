"""What only one source says: the cross-check behind a profile's unique contribution.

A fact sentence of one source is *shared* when another source carries the
same fact, *unique* otherwise. Deciding that for every sentence pair with an
embedding model would cost more than the rest of a briefing, so cheap tests
settle most sentences and the model sees only the undecided few.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import style
from .embed import similarity
from .records import Sentence, Source, SummarySentence
from .tfidf import tfidf_matrix

log = logging.getLogger(__name__)

# TF-IDF cosine at or above which two sentences plainly carry the same fact (no embedding needed).
TFIDF_SAME = 0.5
# MiniLM cosine at or above which a sentence with no new name or number restates another source's.
# Sentences of one story on one topic sit at 0.55-0.8 with each other; same-fact pairs above 0.6.
EMBED_SAME = 0.6
NEIGHBOURS = 3  # nearest other-source sentences (by TF-IDF) an undecided sentence is embedded against
# New embeddings the cross-check may ask for. A small story gets one batch of the model; a big
# one compares only vectors the summarizer already computed (its central sentences, the likeliest
# to be shared), since one more batch costs ~0.1-0.3 s here and profiling must stay under a tenth
# of a briefing. Sentences past the budget, the least word-overlapping last, are judged by word
# overlap alone (TFIDF_FALLBACK).
SMALL_STORY_SENTENCES = 300
EMBED_BUDGET_SMALL = 8
TFIDF_FALLBACK = 0.3


@dataclass
class UniqueFacts:
    unique: list[Sentence] = field(default_factory=list)
    shared: list[Sentence] = field(default_factory=list)
    shared_with: Counter[str] = field(default_factory=Counter)
    new_specifics: list[str] = field(default_factory=list)  # names and numbers only this source has
    with_new_specifics: int = 0  # unique sentences that name something no other source names
    alone: bool = False
    by_overlap_only: int = 0  # judged without the model, past the embedding budget


def unique_facts(
    sources: Mapping[str, Source],
    sentences: Sequence[Sentence],
    facts_of: Mapping[str, list[int]],
    vectors,
    summary: Sequence[SummarySentence] = (),
    *,
    words_of: Sequence[list[str]] | None = None,
    page_words: Mapping[str, set[str]] | None = None,
) -> dict[str, UniqueFacts]:
    """Split each source's fact sentences into those another source carries and the rest.

    A fact sentence is shared when a story-wide TF-IDF finds a near copy in
    another source, or a summary sentence cites it with another source. It is
    unique when it names a person, place or number no other source has
    (paraphrase keeps names, so that is the strongest cheap sign of a new
    fact). Only the rest are embedded, through ``vectors`` (which caches:
    what the summarizer embedded is free), against their nearest TF-IDF
    neighbours in other sources. ``words_of``: each sentence's ``style.WORD`` words, if known;
    ``page_words``: the set of words of a source's page (raw text), for the sources where known.
    """
    result = {sid: UniqueFacts(alone=len(sources) < 2) for sid in sources}
    if len(sources) < 2:
        for sid, positions in facts_of.items():
            result[sid].unique = [sentences[i] for i in positions]
        return result
    texts = [sources[s.source].text[s.start : s.end] for s in sentences]
    matrix = tfidf_matrix(texts)
    owner = np.array([s.source for s in sentences])
    # Whole pages, title and headings included: a name in another page's heading is not news.
    in_sources = specific_source_counts({sid: src.article.raw_text or src.text for sid, src in sources.items()},
                                        page_words)
    supported = _summary_support(summary)
    partner_of: dict[int, str | None] = {}
    # Every fact sentence against every sentence in one sparse product, own source masked out in
    # one comparison of source numbers, best matches in one call (per-source numpy calls cost more).
    all_positions = [i for positions in facts_of.values() for i in positions]
    all_sims, bests, tops = None, [], []
    if all_positions:
        number: dict[str, int] = {}
        owner_number = np.array([number.setdefault(s.source, len(number)) for s in sentences], dtype=np.int64)
        all_sims = similarity(take(matrix, all_positions), matrix)
        all_sims[owner_number[all_positions][:, None] == owner_number[None, :]] = -1.0
        best_columns = all_sims.argmax(axis=1)
        bests, tops = best_columns.tolist(), all_sims[np.arange(len(all_positions)), best_columns].tolist()
    undecided_rows: list[tuple[int, int]] = []  # (row of all_sims, sentence position)
    row = 0
    for sid, positions in facts_of.items():
        for i in positions:
            key = (sid, sentences[i].start, sentences[i].end)
            if tops[row] >= TFIDF_SAME:
                partner_of[i] = str(owner[bests[row]])
            elif key in supported:
                partner_of[i] = supported[key]
            else:
                new = new_specifics(texts[i], in_sources, None if words_of is None else words_of[i])
                if new:
                    partner_of[i] = None
                    result[sid].with_new_specifics += 1
                    result[sid].new_specifics.extend(n for n in new if n not in result[sid].new_specifics)
                else:
                    undecided_rows.append((row, i))
            row += 1
    undecided: list[tuple[float, int, np.ndarray]] = []
    if undecided_rows:
        neighbours = _nearest(all_sims[[row for row, _ in undecided_rows]], NEIGHBOURS)
        undecided = [(tops[row], i, near) for (row, i), near in zip(undecided_rows, neighbours, strict=True)]
    to_embed, past_budget = _within_budget(undecided, sentences, sources, vectors)
    started = time.perf_counter()
    partner_of.update(_embedded_partners(to_embed, owner, vectors))
    log.debug("cross-check: model pass %.3fs", time.perf_counter() - started)
    for top, i, near in past_budget:
        partner_of[i] = str(owner[near[0]]) if top >= TFIDF_FALLBACK else None
        result[sentences[i].source].by_overlap_only += 1
    for sid, positions in facts_of.items():
        for i in positions:
            partner = partner_of.get(i)
            if partner is None:
                result[sid].unique.append(sentences[i])
            else:
                result[sid].shared.append(sentences[i])
                result[sid].shared_with[partner] += 1
    log.debug("profile cross-check: %d sentences embedded against neighbours, %d past the budget",
              len(to_embed), len(past_budget))
    return result


def _nearest(scores: np.ndarray, k: int) -> list[np.ndarray]:
    """For each row, the indices of its k highest scores, best first, leaving out masked
    (own-source, -1) ones. One partition of all rows: per-row numpy calls cost more than the work."""
    k = min(k, scores.shape[1])
    if k < scores.shape[1]:
        top = np.argpartition(-scores, k, axis=1)[:, :k]
    else:
        top = np.broadcast_to(np.arange(k), scores.shape).copy()
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1, kind="stable")
    top, top_scores = np.take_along_axis(top, order, axis=1), np.take_along_axis(top_scores, order, axis=1)
    return [row[kept] for row, kept in zip(top, top_scores > -1.0, strict=True)]


def _summary_support(summary: Sequence[SummarySentence]) -> dict[tuple[str, int, int], str]:
    """Sentences a summary sentence cites together with another source: known to be shared."""
    out = {}
    for item in summary:
        cited = {c.source for c in item.citations}
        if len(cited) < 2:
            continue
        for c in item.citations:
            out[(c.source, c.start, c.end)] = next(s for s in sorted(cited) if s != c.source)
    return out


def _within_budget(undecided, sentences, sources, vectors):
    """The undecided sentences worth embedding within budget, most word-overlapping first.

    Vectors the summarizer already computed cost nothing; the model is only
    charged for new ones. A backend whose vectors are not stable (TF-IDF)
    encodes the whole story in one cheap call, so it has no budget.
    """
    if not getattr(vectors.embedder, "stable", False):
        return [(i, near) for _, i, near in undecided], []
    done = vectors.embedded
    cached = {i for i, s in enumerate(sentences) if (sources[s.source].article.id, s.start, s.end) in done}
    # Free comparisons first (every vector already computed), then the most word-overlapping.
    ranked = sorted(undecided, key=lambda item: (not ({item[1], *map(int, item[2])} <= cached), -item[0]))
    budget = EMBED_BUDGET_SMALL if len(sentences) <= SMALL_STORY_SENTENCES else 0
    planned: set[int] = set()
    keep, past = [], []
    for top, i, near in ranked:
        cost = ({i} | {int(j) for j in near}) - cached - planned
        if len(planned) + len(cost) <= budget:
            planned |= cost
            keep.append((i, near))
        else:
            past.append((top, i, near))
    return keep, past


def _embedded_partners(undecided, owner: np.ndarray, vectors) -> dict[int, str | None]:
    if not undecided:
        return {}
    needed = sorted({i for i, _ in undecided} | {int(j) for _, near in undecided for j in near})
    rows = vectors.rows(needed)
    where = {i: r for r, i in enumerate(needed)}
    if isinstance(rows, np.ndarray):
        # Only the pairs asked for, as plain products: a BLAS call for a few dozen rows hands work
        # to a second thread, which on a busy machine waited 20-30 ms for a core.
        left = rows[[where[i] for i, near in undecided for _ in near]]
        right = rows[[where[int(j)] for _, near in undecided for j in near]]
        pair_scores = np.einsum("ij,ij->i", left, right)
        ends = np.cumsum([len(near) for _, near in undecided])
        scores_of = np.split(pair_scores, ends[:-1])
    else:
        # One product for all pairs: row-by-row slicing of a sparse matrix costs more than the arithmetic.
        sims = similarity(take(rows, [where[i] for i, _ in undecided]), rows)
        scores_of = [sims[row, [where[int(j)] for j in near]] for row, (_, near) in enumerate(undecided)]
    out: dict[int, str | None] = {}
    for (i, near), scores in zip(undecided, scores_of, strict=True):
        if not len(near):
            out[i] = None
            continue
        best = int(np.argmax(scores))
        out[i] = str(owner[near[best]]) if scores[best] >= EMBED_SAME else None
    return out


def take(matrix, rows: list[int]):
    return matrix[np.asarray(rows, dtype=np.int64)]


# --------------------------------------------------------------------------- new names and numbers


@dataclass(frozen=True)
class StoryVocabulary:
    """How many sources use each word, and which words the story writes in lower case."""

    sources_using: Counter[str]
    lower_case: frozenset[str]
    # Whether a word has a part only one source uses, filled in as words are looked up: a story's
    # names recur in many of its sentences.
    rare: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_rare(self, token: str) -> bool:
        rare = self.rare.get(token)
        if rare is None:
            rare = self.rare[token] = any(self.sources_using[p] <= 1 for p in _parts(token))
        return rare


@functools.lru_cache(maxsize=65536)
def _key(token: str) -> str:
    token = token.lower().replace("’", "'")
    return token[:-2] if token.endswith("'s") else token


@functools.lru_cache(maxsize=65536)
def _parts(token: str) -> tuple[str, ...]:
    return tuple(p for p in _key(token).split("-") if p)


def specific_source_counts(texts: dict[str, str], known: Mapping[str, set[str]] | None = None) -> StoryVocabulary:
    """How many of the texts use each word; ``known``: the set of ``style.WORD`` words of some texts."""
    counts: Counter[str] = Counter()
    lower: set[str] = set()
    known = known or {}
    for key, text in texts.items():
        tokens = known[key] if key in known else set(style.WORD.findall(text))
        counts.update(set().union(*map(_parts, tokens)))  # each word once per source
        lower.update(map(_lower_case_key, tokens))
    lower.discard(None)
    return StoryVocabulary(counts, frozenset(lower))


@functools.lru_cache(maxsize=65536)
def _lower_case_key(token: str) -> str | None:
    return _key(token) if token[0].islower() else None


NOT_SPECIFIC, NAME, NUMBER = 0, 1, 2


@functools.lru_cache(maxsize=65536)
def _specific_kind(token: str) -> int:
    """Whether a word can be a name (capitalised) or a number; a cached call per word, so a
    sentence's plain words are passed over without a Python step each."""
    if token[0].islower():
        return NOT_SPECIFIC
    if style.DIGIT.search(token):
        return NUMBER
    return NAME if token[0].isupper() else NOT_SPECIFIC


def new_specifics(sentence: str, vocabulary: StoryVocabulary, words: list[str] | None = None) -> list[str]:
    """Names and numbers in ``sentence`` that no other source of the story uses, as written.

    A capitalised word counts as a name unless it opens the sentence as an
    ordinary word does (it appears in lower case elsewhere in the story);
    a name is shown with the capitalised words next to it ("Emmanuel Bonne"),
    a number with its currency and magnitude ("€90 billion"). ``words``: the
    sentence's ``style.WORD`` words when the caller has them already.
    """
    found: list[str] = []
    tokens: list[re.Match[str]] = []  # the words with their offsets, found only for a hit
    words = style.WORD.findall(sentence) if words is None else words
    kinds = list(map(_specific_kind, words))
    for position in itertools.compress(range(len(words)), kinds):
        token, numeric = words[position], kinds[position] == NUMBER
        if not numeric and position == 0 and _ordinary_opening(token, vocabulary):
            continue
        if not vocabulary.is_rare(token):
            continue
        tokens = tokens or list(style.WORD.finditer(sentence))
        shown = _expand(sentence, tokens, position) if not numeric else _expand_number(sentence, tokens[position])
        if shown not in found:
            found.append(shown)
    return found


_WORD_ENDINGS = ("ing", "ed", "ly", "tion", "sion", "ment", "ness", "ity", "ous", "ive", "ful", "less",
                 "ors", "ers", "ists", "ants", "ents")  # "Negotiators", "Protesters": plural nouns


def _ordinary_opening(token: str, vocabulary: StoryVocabulary) -> bool:
    """A capitalised first word that is probably just a word ("Commenting", "Prior"), not a name."""
    key = _key(token)
    if key in vocabulary.lower_case or key in style.STOPWORDS:
        return True
    common = common_words()
    return key in common or (key.endswith("s") and key[:-1] in common) or key.endswith(_WORD_ENDINGS)


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Whole words of the MiniLM tokenizer's vocabulary: ~20k common English words, no model run.

    Empty when the tokenizer package is absent; callers then fall back to word endings.
    """
    from .resources import minilm_files

    files = minilm_files()
    if files is None:
        return frozenset()
    try:
        vocab = json.loads(files[1].read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError):
        return frozenset()
    return frozenset(w for w in vocab if w.isalpha() and not w.startswith("##"))


def _expand(sentence: str, tokens: list[re.Match[str]], position: int) -> str:
    first = last = position
    while first > 0 and tokens[first - 1].group()[0].isupper() and _adjacent(sentence, tokens[first - 1], tokens[first]):
        first -= 1
    opening = _key(tokens[0].group())
    if first == 0 and first < position and (opening in style.STOPWORDS or opening in common_words()):
        first = 1  # "When Compaq ...": the opening word is not part of the name
    while (last + 1 < len(tokens) and tokens[last + 1].group()[0].isupper()
           and _adjacent(sentence, tokens[last], tokens[last + 1])):
        last += 1
    shown = sentence[tokens[first].start() : tokens[last].end()]
    return _POSSESSIVE.sub("", shown)


_POSSESSIVE = re.compile(r"['’]s$")


def _adjacent(sentence: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return sentence[left.end() : right.start()] == " " and left.group()[0] != "'"


_MAGNITUDE = re.compile(r"\s*(?:%|percent|per cent|thousand|million|billion|trillion|bn|m)\b")


def _expand_number(sentence: str, match: re.Match[str]) -> str:
    start, end = match.start(), match.end()
    if start > 0 and sentence[start - 1] in "$€£¥":
        start -= 1
    magnitude = _MAGNITUDE.match(sentence, end)
    if magnitude:
        end = magnitude.end()
    return sentence[start:end]
