"""Online story clustering: each new article joins its best story or starts one.

An article is described by cheap features computed once at ``add`` time
(:class:`ArticleFeatures`): a MiniLM vector of its lead sentences, the
capitalised phrases of its opening (a stand-in for named entities that costs
microseconds instead of a spaCy pass), its most frequent content words (40 for
the lead-term score, 100 for the whole-text theme score) and its publication
time. A story keeps running sums of the same features.

Assignment is two-step so it stays fast with thousands of stored stories:
the dense story centroids live in one numpy matrix, the stories whose time span
is within ``window_days`` of the article are scored with one matrix product and
only the best ``candidates`` are re-scored with the lexical and entity overlap.
Two stories on the same kind of event (two earthquakes) look alike to the
sentence model; the names and places in the entity overlap and the time gap
tell them apart (see :class:`Params` for how time counts).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from . import segment
from .cluster_merge import MERGE, MergeParams, merge_stories
from .records import Article

LEAD_SENTENCES = 3
ENTITY_CHARS = 2500
TOP_TERMS = 40
TEXT_TERMS = 100  # most frequent words of the whole text: a story's theme vocabulary
STORY_TEXT_TERMS = 300
EMPTIED = -1e12  # first/last time of a story whose members all left (recluster passes): never a candidate

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
# A run of capitalised words, allowing short connectors inside ("Bank of England").
_CAPITALISED = re.compile(
    r"\b(?:[A-Z]\.){2,}|\b[A-Z][\w'\-]*(?:\s+(?:(?:of|de|del|la|van|von|al|bin|the)\s+)?[A-Z][\w'\-]*)*"
)
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says say told tell according mr mrs ms one two three new also last first year years would could may
    might must shall us including since still even back many much made make like get got well around however
    percent people time week day today yesterday monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
# Capitalised words that start sentences or name times, not things.
NOT_ENTITIES = (STOPWORDS - {"new"}) | frozenset(
    """
    january february march april may june july august september october november december
    mr mrs ms dr but and the in on at for it he she they we this that there his her their its if when while
    after before as an a some many most one two ap reuters afp associated press
    """.split()
)


@dataclass(frozen=True)
class ArticleFeatures:
    """What the clusterer knows about one article."""

    article_id: str
    time: float  # days since the epoch (publication, else when it was added)
    vector: np.ndarray  # L2-normalised MiniLM vector of the lead
    entities: tuple[str, ...]  # distinct lower-cased capitalised phrases
    terms: dict[str, int] = field(hash=False)  # top content words of the opening and their counts
    title: str = ""
    text_terms: dict[str, int] = field(default_factory=dict, hash=False)  # top words of the whole text


@dataclass
class StoryState:
    """The running sums a story needs to be matched against."""

    id: int
    vector_sum: np.ndarray
    size: int
    first_time: float
    last_time: float
    entities: Counter = field(default_factory=Counter)
    terms: Counter = field(default_factory=Counter)
    title: str = ""
    title_score: float = -1.0
    text_terms: Counter = field(default_factory=Counter)  # members using each whole-text word
    term_cache: tuple | None = field(default=None, repr=False, compare=False)
    text_cache: tuple | None = field(default=None, repr=False, compare=False)
    keywords_cache: list[str] | None = field(default=None, repr=False, compare=False)

    def keywords(self, idf, count: int = 8) -> list[str]:
        """Distinctive words most members use; words of the story's names count double.

        Without the names, a one-article story's keywords would be its rarest
        words, which say little about it.
        """
        common = max(1, self.size // 2)
        named = {w for phrase, n in self.entities.items() if n >= common for w in phrase.split()}
        ranked = sorted(self.terms, key=lambda t: (-self.terms[t] * idf(t) * (2 if t in named else 1), t))
        return ranked[:count]


@dataclass(frozen=True)
class Params:
    """Weights of the match score.

    Tuned on the DUC 2003 topics of the DUC stream and ECB+ topics 1-22 only;
    the DUC 2004 topics and ECB+ topics 23-45 are held out (bench/cluster_eval.py).

    Time is evidence both ways. A dated article within ``grace_days`` of a
    story's span needs only ``threshold``: news of the same few days on the
    same theme is usually one story (the broad running stories of a news
    season share theme words, not always names). Each day of gap beyond the
    grace costs ``time_penalty / window_days``, so a story quiet for a week or
    two needs a much closer match. An undated article has no such evidence and
    must clear ``undated_threshold`` on text and names alone: that is what
    keeps two events of the same kind (two earthquakes) apart.
    """

    dense: float = 0.25
    lexical: float = 0.20
    entity: float = 0.40
    text: float = 0.15  # whole-text words: the theme vocabulary a drifting story keeps
    threshold: float = 0.20
    undated_threshold: float = 0.30
    window_days: float = 30.0
    grace_days: float = 5.0  # gaps shorter than this cost nothing
    time_penalty: float = 1.2  # score lost per window of gap beyond the grace
    candidates: int = 10


def lead_spans(text: str, count: int = LEAD_SENTENCES) -> list[tuple[int, int]]:
    """The first sentences worth embedding (skipping fragments like datelines)."""
    spans = []
    for start, end in segment.split_spans(text):
        if end - start >= 25:
            spans.append((start, end))
            if len(spans) == count:
                break
    return spans or ([(0, min(len(text), 400))] if text.strip() else [])


def extract_entities(text: str) -> tuple[str, ...]:
    """Capitalised phrases of the opening, lower-cased, sentence-initial noise dropped."""
    found: dict[str, None] = {}
    for match in _CAPITALISED.finditer(text[:ENTITY_CHARS]):
        words = match.group(0).split()
        # Only the ends are trimmed: "New York" and "Bank of England" keep their inner words.
        while words and words[0].lower().strip(".") in NOT_ENTITIES:
            words.pop(0)
        while words and words[-1].lower().strip(".") in NOT_ENTITIES:
            words.pop()
        phrase = " ".join(words).lower().strip("'-")
        if len(phrase.replace(".", "")) >= 2:
            found.setdefault(phrase, None)
    return tuple(found)


def lead_vector(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of the lead sentence vectors."""
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else mean


def extract_terms(text: str, top: int = TOP_TERMS) -> dict[str, int]:
    counts = Counter(
        w for w in (m.group(0).lower().strip("'-") for m in _WORD.finditer(text))
        if len(w) > 2 and w not in STOPWORDS
    )
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])


def article_time(article: Article, fallback: float) -> float:
    """Publication time in days since the epoch; ``fallback`` when unknown or unreadable."""
    published = published_time(article.published)
    return fallback if published is None else published


def published_time(published: str | None) -> float | None:
    """A publication date's time in days since the epoch, or None when missing or unreadable."""
    from datetime import UTC, datetime

    if not published:
        return None
    text = published.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400.0


def features(article: Article, vector: np.ndarray, time: float) -> ArticleFeatures:
    opening = ((article.title or "") + ".\n" + article.text) if article.title else article.text
    text_terms = extract_terms(opening, max(TEXT_TERMS, TOP_TERMS))
    return ArticleFeatures(
        article_id=article.id,
        time=time,
        vector=np.asarray(vector, dtype=np.float32),
        entities=extract_entities(opening),
        terms=dict(list(text_terms.items())[:TOP_TERMS]),  # the same ranking, cut shorter
        title=display_title(article),
        text_terms=text_terms,
    )


def display_title(article: Article) -> str:
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    return display_title_of(article.text, article.origin)


def display_title_of(text: str, fallback: str) -> str:
    """The first real sentence of an untitled article, shortened to a headline's length."""
    spans = lead_spans(text, 1)
    if not spans:
        return fallback
    start, end = spans[0]
    first = " ".join(text[start:end].split())
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


class StoryIndex:
    """The active stories in memory: a centroid matrix plus per-story counters."""

    def __init__(self, dimensions: int, params: Params | None = None, next_id: int = 1) -> None:
        self.params = params or Params()
        self.dimensions = dimensions
        self.stories: list[StoryState] = []
        self.row_of: dict[int, int] = {}
        self._centroids = np.zeros((64, dimensions), dtype=np.float32)
        self._first = np.zeros(64)
        self._last = np.zeros(64)
        self.entity_df: Counter = Counter()
        self.term_df: Counter = Counter()
        self.text_df: Counter = Counter()
        self.documents = 0
        self.next_id = next_id

    # ------------------------------------------------------------------ state
    def load(self, stories: Iterable[StoryState]) -> None:
        for story in stories:
            self.put(story)
            self.documents += story.size
            for e, n in story.entities.items():
                self.entity_df[e] += n
            for t, n in story.terms.items():
                self.term_df[t] += n
            for t, n in story.text_terms.items():
                self.text_df[t] += n
            self.next_id = max(self.next_id, story.id + 1)

    def __contains__(self, story_id: int) -> bool:
        return story_id in self.row_of

    def put(self, story: StoryState) -> None:
        """Store a story's state in the index's matrices (a new story, or its new sums and span)."""
        row = self.row_of.get(story.id)
        if row is None:
            row = len(self.stories)
            if row == len(self._centroids):
                grow = len(self._centroids) * 2
                self._centroids = np.resize(self._centroids, (grow, self.dimensions))
                self._first = np.resize(self._first, grow)
                self._last = np.resize(self._last, grow)
            self.stories.append(story)
            self.row_of[story.id] = row
        norm = np.linalg.norm(story.vector_sum)
        self._centroids[row] = story.vector_sum / norm if norm > 0 else story.vector_sum
        self._first[row] = story.first_time
        self._last[row] = story.last_time

    def story(self, story_id: int) -> StoryState:
        return self.stories[self.row_of[story_id]]

    # ------------------------------------------------------------------ scoring
    def _idf(self, df: Counter, term: str) -> float:
        return math.log((self.documents + 1) / (df.get(term, 0) + 1)) + 1.0

    def term_idf(self, term: str) -> float:
        return self._idf(self.term_df, term)

    def text_idf(self, term: str) -> float:
        return self._idf(self.text_df, term)

    @staticmethod
    def _story_terms(story: StoryState, whole_text: bool = False) -> dict[str, int]:
        """The story's most used terms (member counts), cached until the story changes.

        The ranking ignores idf so it can be cached; ties go by the term itself,
        never by insertion order, which a reopened library would not reproduce.
        """
        cache = story.text_cache if whole_text else story.term_cache
        if cache is None or cache[0] != story.size:
            counts, limit = (story.text_terms, STORY_TEXT_TERMS) if whole_text else (story.terms, TOP_TERMS * 3)
            cache = (story.size, dict(heapq.nsmallest(limit, counts.items(), key=lambda kv: (-kv[1], kv[0]))))
            if whole_text:
                story.text_cache = cache
            else:
                story.term_cache = cache
        return cache[1]

    def _lexical(self, story: StoryState, item: ArticleFeatures) -> float:
        return self._cosine(self._story_terms(story), story.size, item.terms, self.term_idf)

    def _text(self, story: StoryState, item: ArticleFeatures) -> float:
        return self._cosine(self._story_terms(story, True), story.size, item.text_terms, self.text_idf)

    @staticmethod
    def _cosine(counts: dict[str, int], size: int, terms: dict[str, int], idf) -> float:
        """Cosine of the article's tf-idf terms and the story's (share of members x idf) terms."""
        norm_s = math.sqrt(sum((n / size * idf(t)) ** 2 for t, n in counts.items()))
        dot = norm_a = 0.0
        for term, count in terms.items():
            w = (1 + math.log(count)) * idf(term)
            norm_a += w * w
            n = counts.get(term)
            if n:
                dot += w * n / size * idf(term)
        return dot / (math.sqrt(norm_a) * norm_s) if norm_a > 0 and norm_s > 0 else 0.0

    def _entity(self, story: StoryState, item: ArticleFeatures) -> float:
        if not item.entities:
            return 0.0
        total = shared = 0.0
        for e in item.entities:
            w = self._idf(self.entity_df, e)
            total += w
            if e in story.entities:
                shared += w * min(1.0, 2 * story.entities[e] / story.size)
        return shared / total

    def score(self, story: StoryState, item: ArticleFeatures, dense: float, timed: bool = True) -> float:
        p = self.params
        gap = max(0.0, story.first_time - item.time, item.time - story.last_time) if timed else 0.0
        penalty = p.time_penalty * max(0.0, gap - p.grace_days) / p.window_days
        return (p.dense * dense + p.lexical * self._lexical(story, item)
                + p.entity * self._entity(story, item) + p.text * self._text(story, item) - penalty)

    def best_match(self, item: ArticleFeatures, timed: bool = True) -> tuple[int | None, float]:
        """The story the article should join and the score, or (None, best score).

        ``timed=False`` is for an article whose publication time is unknown:
        every story is a candidate and no gap is charged, since the time the
        article carries is only when it was added; without time evidence the
        stricter ``undated_threshold`` applies.
        """
        n = len(self.stories)
        if n == 0:
            return None, 0.0
        p = self.params
        first, last = self._first[:n], self._last[:n]
        if timed:
            active = (last >= item.time - p.window_days) & (first <= item.time + p.window_days)
        else:
            active = first > EMPTIED  # every story that still has members
        rows = np.flatnonzero(active)
        if rows.size == 0:
            return None, 0.0
        dense = self._centroids[rows] @ item.vector
        top = np.argsort(-dense, kind="stable")[: p.candidates]
        best_id, best = None, -1.0
        for i in top:
            story = self.stories[rows[i]]
            s = self.score(story, item, float(dense[i]), timed)
            if s > best:
                best_id, best = story.id, s
        threshold = p.threshold if timed else p.undated_threshold
        return (best_id, best) if best >= threshold else (None, best)

    # ------------------------------------------------------------------ updates
    def add(self, item: ArticleFeatures, story_id: int | None = None) -> StoryState:
        """Put the article into ``story_id`` (a new story when None); return that story."""
        if story_id is None:
            story = StoryState(
                id=self.next_id, vector_sum=np.zeros(self.dimensions, dtype=np.float64),
                size=0, first_time=item.time, last_time=item.time,
            )
            self.next_id += 1
        else:
            story = self.story(story_id)
            if story.size == 0:  # an emptied story (recluster's passes) starts over from this article
                story.first_time = story.last_time = item.time
        story.vector_sum = story.vector_sum + item.vector.astype(np.float64)
        story.size += 1
        story.first_time = min(story.first_time, item.time)
        story.last_time = max(story.last_time, item.time)
        story.entities.update(item.entities)
        story.terms.update({t: 1 for t in item.terms})
        story.text_terms.update({t: 1 for t in item.text_terms})
        self.entity_df.update(item.entities)
        self.term_df.update(item.terms.keys())
        self.text_df.update(item.text_terms.keys())
        self.documents += 1
        self.put(story)
        # The title is the member closest to the centroid when it joined.
        closeness = float(self._centroids[self.row_of[story.id]] @ item.vector)
        if closeness > story.title_score or not story.title:
            story.title, story.title_score = item.title, closeness
        return story

    def assign(self, item: ArticleFeatures) -> StoryState:
        story_id, _ = self.best_match(item)
        return self.add(item, story_id)

    def assign_undated(self, item: ArticleFeatures) -> tuple[StoryState, ArticleFeatures]:
        """Place an article without a publication date; return its story and its features.

        It is matched on text and entities alone, and takes the latest time of
        the story it joins: stamping it with the time it was added would push
        the story's span to today and, for an older story, charge every later
        dated member a gap that is not there (undated copies of a June story
        added in November would otherwise start a story of their own).
        """
        story_id, _ = self.best_match(item, timed=False)
        if story_id is not None:
            item = replace(item, time=self.story(story_id).last_time)
        return self.add(item, story_id), item


def cluster_batch(items: Sequence[ArticleFeatures], dimensions: int, params: Params | None = None,
                  passes: int = 2, timed: bool = True, merge: MergeParams | None = MERGE) -> dict[str, int]:
    """Cluster a whole set at once (the ``recluster`` command).

    The first pass is the online pass in time order; later passes re-assign
    each article against the finished stories minus itself, which fixes
    articles that arrived before their story had formed; then stories that are
    one running story merge (``merge``, None to skip: :mod:`newsbrief.cluster_merge`; needs
    time evidence, so not with ``timed=False``, which clusters a set without
    publication dates on text and names alone).
    """
    ordered = sorted(items, key=lambda f: (f.time, f.article_id))
    index = StoryIndex(dimensions, params)
    labels: dict[str, int] = {}
    for item in ordered:
        story_id, _ = index.best_match(item, timed)
        labels[item.article_id] = index.add(item, story_id).id
    for _ in range(max(0, passes - 1)):
        changed = 0
        for item in ordered:
            current = labels[item.article_id]
            _remove(index, item, current)
            story_id, _ = index.best_match(item, timed)
            if story_id is None and current in index and index.story(current).size == 0:
                story_id = current  # its old story is empty: keep the id, not a new one
            story = index.add(item, story_id)
            changed += story.id != current
            labels[item.article_id] = story.id
        if not changed:
            break
    if timed and merge is not None:
        labels = merge_stories(ordered, labels, merge)
    return _renumber(labels, ordered)


def _remove(index: StoryIndex, item: ArticleFeatures, story_id: int) -> None:
    story = index.story(story_id)
    story.vector_sum = story.vector_sum - item.vector.astype(np.float64)
    story.size -= 1
    story.entities.subtract(item.entities)
    story.entities = +story.entities
    story.terms.subtract({t: 1 for t in item.terms})
    story.terms = +story.terms
    story.text_terms.subtract({t: 1 for t in item.text_terms})
    story.text_terms = +story.text_terms
    index.entity_df.subtract(item.entities)
    index.term_df.subtract(item.terms.keys())
    index.text_df.subtract(item.text_terms.keys())
    index.documents -= 1
    if story.size == 0:
        story.vector_sum = np.zeros_like(story.vector_sum)
        story.first_time, story.last_time = EMPTIED, EMPTIED
    index.put(story)


def _renumber(labels: dict[str, int], ordered: Sequence[ArticleFeatures]) -> dict[str, int]:
    """Story numbers 1, 2, ... in order of each story's earliest article."""
    mapping: dict[int, int] = {}
    for item in ordered:
        mapping.setdefault(labels[item.article_id], len(mapping) + 1)
    return {a: mapping[s] for a, s in labels.items()}
