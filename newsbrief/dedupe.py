"""Collapse wire copies into independent sources, and group repeated sentences.

Two articles are copies when their word-3-shingle sets nearly coincide
(Jaccard >= ``ARTICLE_JACCARD``) or when the shorter one is almost wholly
contained in the longer one (a trimmed copy: containment >=
``ARTICLE_CONTAINMENT`` and at least ``MIN_SIZE_RATIO`` of its size).
Measured on the 2,250 within-cluster article pairs of DUC 2004 (AP and NYT
wire): median Jaccard 0.008, 99th percentile 0.97; 45 pairs sit at >= 0.8
(re-sent or lightly corrected copies, most >= 0.88), 65 between 0.2 and 0.8
(AP updates of a developing story: a rewritten top over a partly shared
body, which add news and so stay separate reports). The five corpus articles,
three of which restate the same agency reports, share at most 1% (Jaccard).

Small inputs are compared exactly (every pair); past ``EXACT_PAIRS_LIMIT``
articles MinHash LSH (datasketch) proposes the candidate pairs and the exact
shingle sets confirm them, so time grows about linearly with the articles.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from .records import Article, Sentence, SentenceGroup, Source

log = logging.getLogger(__name__)

SHINGLE_WORDS = 3
ARTICLE_JACCARD = 0.8
ARTICLE_CONTAINMENT = 0.9
#: a trimmed copy must keep at least this share of the longer one's shingles
MIN_SIZE_RATIO = 0.3
EXACT_PAIRS_LIMIT = 120  # articles; beyond this, LSH proposes the pairs
MINHASH_PERMUTATIONS = 128
#: sentences sharing this much of their word-bigram sets say the same thing in the same words
SENTENCE_JACCARD = 0.6
MIN_SENTENCE_WORDS = 4

_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    tokens = words_of(text)
    if len(tokens) < size:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def is_copy(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two shingle sets belong to the same text (near-identical or trimmed)."""
    if not a or not b:
        return a == b
    common = len(a & b)
    small, large = sorted((len(a), len(b)))
    if common / (len(a) + len(b) - common) >= ARTICLE_JACCARD:
        return True
    return small / large >= MIN_SIZE_RATIO and common / small >= ARTICLE_CONTAINMENT


def _candidate_pairs(sets: Sequence[frozenset[str]]) -> list[tuple[int, int]]:
    n = len(sets)
    if n <= EXACT_PAIRS_LIMIT:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    from datasketch import MinHash, MinHashLSH

    # A low LSH threshold so trimmed copies (Jaccard ~ size ratio) are proposed too.
    lsh = MinHashLSH(threshold=MIN_SIZE_RATIO * ARTICLE_CONTAINMENT * 0.9, num_perm=MINHASH_PERMUTATIONS)
    hashes = []
    for i, items in enumerate(sets):
        m = MinHash(num_perm=MINHASH_PERMUTATIONS)
        m.update_batch([s.encode("utf-8") for s in items])
        hashes.append(m)
        lsh.insert(str(i), m)
    pairs = set()
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _metadata_count(article: Article) -> int:
    fields = (article.title, article.outlet, article.author, article.published, article.url)
    return sum(1 for value in fields if value)


def _representative(members: list[int], articles: Sequence[Article]) -> int:
    """The copy to keep: the most words, then the richest metadata, then the earliest."""

    def rank(i: int) -> tuple:
        a = articles[i]
        published = a.published or "9999"
        return (-len(a.text.split()), -_metadata_count(a), published, i)

    return min(members, key=rank)


def _carrier(article: Article) -> str:
    return article.outlet or article.origin


def collapse_duplicates(articles: Sequence[Article]) -> list[Source]:
    """One Source per group of copies, ids "1", "2", ... in input order of the kept articles."""
    sets = [shingles(a.text) for a in articles]
    groups = _UnionFind(len(articles))
    for i, j in _candidate_pairs(sets):
        if articles[i].id == articles[j].id or is_copy(sets[i], sets[j]):
            groups.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        members[groups.find(i)].append(i)
    kept = sorted((_representative(m, articles), m) for m in members.values())
    sources = []
    for number, (keep, group) in enumerate(kept, start=1):
        article = articles[keep]
        others = [articles[i] for i in group if i != keep]
        carriers = []
        for other in others:
            name = _carrier(other)
            if name != _carrier(article) and name not in carriers:
                carriers.append(name)
        duplicate_ids = tuple(dict.fromkeys(o.id for o in others if o.id != article.id))
        sources.append(Source(str(number), article, tuple(carriers), duplicate_ids))
    if len(sources) < len(articles):
        log.info("collapsed %d articles into %d independent sources", len(articles), len(sources))
    return sources


# --------------------------------------------------------------------------- sentences


def _bigram_ids(tokens: list[str], vocabulary: dict[str, int]) -> set[int]:
    grams = [" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)] or tokens
    return {vocabulary.setdefault(g, len(vocabulary)) for g in grams}


def group_sentences(
    sentences: Sequence[Sentence],
    sources: Mapping[str, Source],
    *,
    threshold: float = SENTENCE_JACCARD,
) -> list[SentenceGroup]:
    """Near-identical sentences of different sources, grouped (groups of one left out).

    Two sentences match when their word-bigram sets overlap by ``threshold``
    Jaccard or more. Candidate pairs come from an inverted index over each
    sentence's rarest bigrams (prefix filtering, which misses no pair), so the
    work stays near-linear in sentences.
    Groups are transitive closures, ordered by their first member's position.
    """
    vocabulary: dict[str, int] = {}
    grams: list[set[int]] = []
    for s in sentences:
        tokens = words_of(sources[s.source].text[s.start : s.end])
        grams.append(_bigram_ids(tokens, vocabulary) if len(tokens) >= MIN_SENTENCE_WORDS else set())
    frequency = np.zeros(len(vocabulary), dtype=np.int64)
    for g in grams:
        for gram in g:
            frequency[gram] += 1
    # Prefix filtering (exact): sets with Jaccard >= t share one of their
    # |g| - ceil(t|g|) + 1 rarest bigrams, so only those are indexed.
    postings: dict[int, list[int]] = defaultdict(list)
    groups = _UnionFind(len(sentences))
    for i, g in enumerate(grams):
        if not g:
            continue
        ordered = sorted(g, key=lambda gram: (frequency[gram], gram))
        prefix = ordered[: len(g) - math.ceil(threshold * len(g)) + 1]
        seen: set[int] = set()
        for gram in prefix:
            for j in postings[gram]:
                if j in seen or sentences[j].source == sentences[i].source:
                    continue
                seen.add(j)
                common = len(g & grams[j])
                if common / (len(g) + len(grams[j]) - common) >= threshold:
                    groups.union(i, j)
            postings[gram].append(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sentences)):
        members[groups.find(i)].append(i)
    found = [m for m in members.values() if len({sentences[i].source for i in m}) > 1]
    found.sort(key=lambda m: m[0])
    return [SentenceGroup(tuple(sentences[i] for i in m)) for m in found]


def group_index(groups: Sequence[SentenceGroup], sentences: Sequence[Sentence]) -> np.ndarray:
    """For each sentence, the number of its group, or -1 when it stands alone."""
    position = {(s.source, s.index): i for i, s in enumerate(sentences)}
    out = np.full(len(sentences), -1, dtype=np.int64)
    for number, group in enumerate(groups):
        for member in group.members:
            out[position[(member.source, member.index)]] = number
    return out
