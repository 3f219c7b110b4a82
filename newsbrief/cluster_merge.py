"""Story-level merging for ``recluster`` and ``add``: join stories that are one running story.

Online assignment compares ONE article with each story, and an article of a
broad running story (a campaign, the follow-ups of an attack, the run-up to a
sports event) often shares the story's theme words but none of its names, so
it starts a story of its own. Once every article is placed, the stories
themselves can be compared with far more evidence: all their members at once.

Two stories merge when their spans are at most ``max_gap_days`` apart (a
month later is a new story, as for single articles) and their members agree
on theme vocabulary and names on average; up to ``long_gap_days`` apart only at
the full bar after the gap cost (one event told again weeks later). The
similarity is average linkage over member pairs: the mean over (a, b), a in
one story and b in the other, of ``text`` x the cosine of the articles'
idf-weighted whole-text words plus ``entity`` x the cosine of their
idf-weighted names. Both are dot products of
L2-normalised rows, so the average over member pairs is the dot product of the
two stories' row sums divided by their sizes; merging two stories adds their
sums, which keeps the average exact after every merge. Merges go best pair
first (agglomerative: the pair furthest above its bar), each later pair
re-scored against the merged story. The bar is lower when one side is a small
story (``recluster``, :data:`MERGE`); ``add`` merges quiet stories and new
one-article ones as articles arrive (:func:`merge_quiet_stories`, :data:`QUIET_MERGE`),
with the lower bar only for a piece of a few articles joining a larger story.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from .cluster import ArticleFeatures

BLOCK = 256  # stories whose candidate scores are computed in one sparse product


@dataclass(frozen=True)
class MergeParams:
    """Weights and bar of the story merge.

    Chosen on the DUC 2003 topics of the DUC stream (bench/cluster_eval.py):
    a small grid of text/entity weight, bar and gap cost; ``max_gap_days`` is
    fixed at the online window (30 days); past it only the full bar applies.
    """

    text: float = 0.8
    entity: float = 0.2
    threshold: float = 0.11
    max_gap_days: float = 30.0
    grace_days: float = 5.0  # gaps shorter than this cost nothing
    gap_penalty: float = 0.002  # score lost per day of gap beyond the grace
    # ``merge_quiet_stories`` only: the bar for a new one-article story (still active) to join
    # another story; 0.14-0.22 all gave the same tune F1 (0.878; 0.12 gave 0.875, 0.25 none of the
    # gain), 0.15 is in that plateau.
    open_threshold: float = 0.15
    # A pair where one side has at most ``small_stories`` articles needs only ``small_threshold``:
    # a story of a few articles is where an article of a broad running story that shared too
    # little with the rest ends up, and its few members make its average a noisy estimate.
    small_stories: int = 0
    small_threshold: float = 0.08
    # ``add`` only (``merge_quiet_stories``): the lower bar is for a piece of 2 to ``small_stories``
    # articles joining a story larger than ``small_stories``. Two small stories' averages are both
    # noisy, and a lone article has the open rule; as stories form, they joined on noise in ``add``.
    small_into_large: bool = False
    # Stories more than ``max_gap_days`` apart (up to ``long_gap_days``) merge only at the full
    # ``threshold`` after the gap cost, never at the small-story bar: the raw score needed grows
    # with the gap (0.17 at 35 days, 0.22 at 60, against 0.11 within 5 days). The same people a
    # month later is a new story unless the two pieces share words and names as closely as one
    # event's articles do. Tune F1 (recluster) 0.904 -> 0.918 at 45, 60 or 90 days.
    long_gap_days: float = 60.0

    @property
    def reach_days(self) -> float:
        """The longest gap across which two stories may merge at all."""
        return max(self.max_gap_days, self.long_gap_days)


# ``recluster``: small stories (4 articles or fewer) at the lower bar; tune F1 0.888 -> 0.904
# (3-4 articles at 0.06-0.09 all gave 0.898-0.904).
MERGE = MergeParams(small_stories=4)
# ``add``: the same weights; a piece of 2-4 articles joins a story of 5 or more at the lower bar
# (tune F1 through add 0.892 -> 0.903; 0.07-0.10, or partners of >= 4 / 8, or pieces of <= 3 all
# 0.899-0.903). Any small pair at the lower bar, as in ``recluster``, gave 0.866-0.900 (0.09 / 0.10:
# one pair's decision, not a plateau): stories still forming in ``add`` joined on noise.
QUIET_MERGE = MergeParams(small_stories=4, small_into_large=True)


def merge_stories(items: Sequence[ArticleFeatures], labels: Mapping[str, int],
                  params: MergeParams | None = None, open_stories: frozenset[int] = frozenset()) -> dict[str, int]:
    """Labels after merging stories (average linkage, see the module doc); story ids are kept.

    A merged story keeps the id of the one of the pair with the earlier first
    article. ``open_stories`` (one-article stories still taking articles, from
    :func:`merge_quiet_stories`) join another story only at ``open_threshold``,
    and a story that took one in stays out of further merges in this call.
    """
    params = params or MERGE
    if not items:
        return dict(labels)
    story_ids = sorted({labels[i.article_id] for i in items})
    row_of = {s: r for r, s in enumerate(story_ids)}
    rows = np.array([row_of[labels[i.article_id]] for i in items])
    members = sparse.csr_matrix((np.ones(len(items)), (rows, np.arange(len(items)))),
                                shape=(len(story_ids), len(items)))
    sums = (members @ _article_rows(items, params)).tocsr()
    sizes = np.asarray(members.sum(axis=1)).ravel()
    times = np.array([i.time for i in items])
    first, last = np.full(len(story_ids), np.inf), np.full(len(story_ids), -np.inf)
    np.minimum.at(first, rows, times)  # each story's span, in one pass over its members
    np.maximum.at(last, rows, times)
    is_open = np.array([s in open_stories for s in story_ids])
    merged_into = _agglomerate([sums[r] for r in range(len(story_ids))], sizes, first, last, params, is_open)
    return {a: story_ids[merged_into[row_of[s]]] for a, s in labels.items() if s in row_of} | {
        a: s for a, s in labels.items() if s not in row_of
    }


def merge_quiet_stories(items: Sequence[ArticleFeatures], labels: Mapping[str, int], now: float,
                        params: MergeParams | None = None) -> dict[str, int]:
    """Labels after merging the stories quiet for more than ``grace_days`` before ``now``.

    For a library that merges as articles arrive (after each batch of ``add``):
    merging a story that is still taking articles makes it a broad magnet that
    absorbs unrelated ones (merging all stories every 10-50 articles of the DUC
    stream lowered online precision to 0.75-0.78), while a quiet story already
    pays a time penalty for every new article. The one exception is a story of
    a single article that is still active: it has no members to drift with, so
    it may join a quiet story or another such article at the higher
    ``open_threshold`` (a second look at an article that missed the online bar);
    the story that takes it in is then active and merges no further this time.
    ``items`` need only cover the stories of the last ``reach_days +
    grace_days`` before ``now`` plus the batch: older stories have no partner
    left within the gap.
    """
    params = params or QUIET_MERGE
    last: dict[int, float] = {}
    size: Counter = Counter()
    for item in items:
        story = labels[item.article_id]
        last[story] = max(last.get(story, item.time), item.time)
        size[story] += 1
    open_stories = frozenset(s for s, t in last.items() if t >= now - params.grace_days and size[s] == 1)
    taken = [i for i in items if takes_part(last[labels[i.article_id]], size[labels[i.article_id]], now, params)]
    merged = merge_stories(taken, {i.article_id: labels[i.article_id] for i in taken}, params, open_stories)
    return {**labels, **merged}


def _article_rows(items: Sequence[ArticleFeatures], params: MergeParams) -> sparse.csr_matrix:
    """One row per article: sqrt(weight) x each L2-normalised feature block, side by side.

    The dot product of two rows is then ``text`` x text cosine + ``entity`` x name cosine.
    """
    words = _normalised_rows(items, lambda f: f.text_terms.items(), sublinear=True)
    names = _normalised_rows(items, lambda f: ((e, 1) for e in f.entities), sublinear=False)
    return sparse.hstack([words * math.sqrt(params.text), names * math.sqrt(params.entity)]).tocsr()


def takes_part(last_time: float, size: int, now: float, params: MergeParams = QUIET_MERGE) -> bool:
    """Whether a story (last article at ``last_time``, ``size`` articles) takes part in
    :func:`merge_quiet_stories` at ``now``: quiet for more than ``grace_days``, or a single article."""
    return last_time < now - params.grace_days or size == 1


def _normalised_rows(items: Sequence[ArticleFeatures], pairs, sublinear: bool) -> sparse.csr_matrix:
    """Articles x features, (sublinear tf or 1) x idf over these articles, each row L2-normalised.

    One Python pass collects the keys; the weights are computed in numpy (this runs on every
    article of the window in every batch of ``add``).
    """
    keys: list[str] = []
    counts: list[int] = []
    lengths: list[int] = []
    for item in items:
        own = list(pairs(item))  # each key once per article (dict keys, distinct names)
        lengths.append(len(own))
        keys.extend(key for key, _ in own)
        counts.extend(count for _, count in own)
    column = {key: c for c, key in enumerate(sorted(set(keys)))}
    cols = np.fromiter((column[key] for key in keys), dtype=np.int64, count=len(keys))
    df = np.bincount(cols, minlength=len(column))
    idf = np.log((len(items) + 1) / (df + 1.0)) + 1.0
    values = idf[cols] * ((1.0 + np.log(np.asarray(counts, dtype=float))) if sublinear else 1.0)
    rows = np.repeat(np.arange(len(items)), lengths)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(items), max(1, len(column))))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _dot(a: sparse.csr_matrix, b: sparse.csr_matrix) -> float:
    """Dot product of two one-row sparse matrices (a tenth of the time of ``a.multiply(b).sum()``)."""
    _, ia, ib = np.intersect1d(a.indices, b.indices, assume_unique=True, return_indices=True)
    return float(a.data[ia] @ b.data[ib])


def _agglomerate(sums: list, sizes: np.ndarray, first: np.ndarray, last: np.ndarray,
                 params: MergeParams, is_open: np.ndarray) -> list[int]:
    """Merge best-first (by score above the pair's bar); returns for each story row the row it ended up in."""
    sizes, first, last, is_open = sizes.astype(float), first.copy(), last.copy(), is_open.copy()
    neighbours, heap = _candidate_pairs(sums, sizes, first, last, params, is_open)
    version = [0] * len(sums)
    owner = list(range(len(sums)))
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if version[a] != version_a or version[b] != version_b or owner[a] != a or owner[b] != b:
            continue  # stale: one side has merged since this score was computed
        if -negative < 0:
            break
        if first[b] < first[a] or (first[b] == first[a] and b < a):
            a, b = b, a  # the earlier story keeps its id
        sums[a] = sums[a] + sums[b]
        sizes[a] += sizes[b]
        first[a], last[a] = min(first[a], first[b]), max(last[a], last[b])
        is_open[a] = is_open[a] or is_open[b]
        owner[b] = a
        version[a] += 1
        neighbours[a] = (neighbours[a] | neighbours.pop(b)) - {a, b}
        for c in neighbours[a]:
            neighbours[c].discard(b)
            neighbours[c].add(a)
            m = _margin(_dot(sums[a], sums[c]), a, c, sizes, first, last, is_open, params)
            if m >= 0:
                heapq.heappush(heap, (-m, min(a, c), max(a, c), version[min(a, c)], version[max(a, c)]))
    return [_root(owner, r) for r in range(len(sums))]


def _bar(a: int, b: int, sizes: np.ndarray, is_open: np.ndarray, params: MergeParams) -> float:
    """The score a pair must reach: ``threshold``, ``small_threshold`` when one side is small,
    ``open_threshold`` with an open one-article story; never (inf) for a story that has taken an
    open one in, so it cannot grow further while active."""
    if is_open[a] or is_open[b]:
        if (is_open[a] and sizes[a] > 1) or (is_open[b] and sizes[b] > 1):
            return math.inf
        return params.open_threshold
    small, large = min(sizes[a], sizes[b]), max(sizes[a], sizes[b])
    if small <= params.small_stories and (
            not params.small_into_large or (small >= 2 and large > params.small_stories)):
        return params.small_threshold
    return params.threshold


def _candidate_pairs(sums: list, sizes: np.ndarray, first: np.ndarray, last: np.ndarray,
                     params: MergeParams, is_open: np.ndarray) -> tuple[dict[int, set[int]], list]:
    """Stories within ``reach_days`` of each other (neighbours) and a heap of those clearing the bar.

    Stories are taken in order of first article, so the stories a block can
    pair with are a contiguous run: that keeps each sparse product small on a
    library of many months.
    """
    order = np.argsort(first, kind="stable")
    starts = first[order]
    stacked = sparse.vstack([sums[r] for r in order]).tocsr()
    neighbours: dict[int, set[int]] = {r: set() for r in range(len(sums))}
    heap: list = []
    for lo in range(0, len(order), BLOCK):
        hi = min(len(order), lo + BLOCK)
        reach = int(np.searchsorted(starts, last[order[lo:hi]].max() + params.reach_days, side="right"))
        dots = (stacked[lo:hi] @ stacked[lo:reach].T).toarray()
        for i in range(hi - lo):
            a = int(order[lo + i])
            for j in range(i + 1, reach - lo):
                b = int(order[lo + j])
                if starts[j + lo] - last[a] > params.reach_days:
                    continue  # b starts more than the gap after a ends (a starts no later than b)
                neighbours[a].add(b)
                neighbours[b].add(a)
                m = _margin(dots[i, j], a, b, sizes, first, last, is_open, params)
                if m >= 0:
                    heapq.heappush(heap, (-m, min(a, b), max(a, b), 0, 0))
    return neighbours, heap


def _margin(dot: float, a: int, b: int, sizes: np.ndarray, first: np.ndarray, last: np.ndarray,
            is_open: np.ndarray, params: MergeParams) -> float:
    """A pair's score (its row sums' ``dot`` over the sizes) less the gap cost and the pair's bar;
    -inf for a pair that may not merge (an infinite cost or bar)."""
    gap = _gap(a, b, first, last)
    return dot / (sizes[a] * sizes[b]) - _gap_cost(gap, params) - _pair_bar(a, b, sizes, is_open, gap, params)


def _pair_bar(a: int, b: int, sizes: np.ndarray, is_open: np.ndarray, gap: float, params: MergeParams) -> float:
    """:func:`_bar`, and never below ``threshold`` for stories more than ``max_gap_days`` apart."""
    bar = _bar(a, b, sizes, is_open, params)
    if gap > params.max_gap_days:
        return max(bar, params.threshold)
    return bar


def _gap(a: int, b: int, first: np.ndarray, last: np.ndarray) -> float:
    """Days between two stories' spans (0 when they overlap)."""
    return max(0.0, first[b] - last[a], first[a] - last[b])


def _gap_cost(gap: float, params: MergeParams) -> float:
    """Score lost for ``gap`` days between two stories' spans; infinite past ``reach_days``."""
    if gap > params.reach_days:
        return math.inf
    return params.gap_penalty * max(0.0, gap - params.grace_days)


def _root(owner: list[int], row: int) -> int:
    while owner[row] != row:
        row = owner[row]
    return row
