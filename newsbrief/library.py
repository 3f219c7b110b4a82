"""The story library's operations: add, watch, list, brief, search, recluster.

``add`` reads and cleans the inputs like a briefing does, then files the new
articles batch by batch: each batch embeds its articles' lead sentences once
(stored, so a story's briefing does not embed them again), recognises wire
copies by MinHash, assigns every article to a story online, merges stories
that have gone quiet (:func:`cluster_merge.merge_quiet_stories`), and is
written in one transaction. Killing ``add`` keeps every finished batch; running
it again skips the stored articles (same content hash) and continues where it
stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import BinaryIO

import numpy as np

from . import cluster, feeds
from .cluster import ArticleFeatures, StoryIndex, StoryState
from .cluster_merge import QUIET_MERGE, merge_quiet_stories, takes_part
from .errors import ConfigError, InputError, NewsbriefError
from .records import AddReport, Article, Briefing, NewArticle, SearchHit, Skipped, StoredArticle, Story
from .resources import Resources
from .store import Store

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
BATCH = 64
MINHASH_PERMUTATIONS = 64
MINHASH_SCHEME = "affine32"  # stored signatures must be read back with the scheme that made them
COPY_JACCARD = 0.8  # shingle-set overlap above which two articles are one text (wire copies)
SHINGLE_WORDS = 5
FEED_MESSAGE = "is a feed"
# Stories whose last article is older than this before the newest one have no quiet partner left
# within the merge's gap, so only the stories of this window are read for the quiet-story merge.
QUIET_WINDOW_DAYS = QUIET_MERGE.reach_days + QUIET_MERGE.grace_days


def _noop(stage: str, done: int, total: int) -> None:
    return None


# ---------------------------------------------------------------------------- add


def add(inputs: Sequence[str], resources: Resources, *, stdin: BinaryIO | None = None,
        progress: Progress | None = None) -> AddReport:
    """Add articles and feeds (files, directories, URLs, JSON Lines, RSS/Atom) to the library."""
    from . import clean, ingest

    progress = progress or _noop
    store: Store = resources.store
    urls = [s for s in inputs if s.lower().startswith(("http://", "https://"))]
    known_feeds = {u for u in urls if store.feed_state(u) is not None}
    seen = store.fetched(urls)
    fresh = [s for s in inputs if s not in seen]
    feed_specs = [s for s in fresh if s in known_feeds or feeds.is_feed_reference(s)]
    others = [s for s in fresh if s not in feed_specs]
    reports = []
    skipped = [Skipped(url, "already fetched into the library") for url in inputs if url in seen]
    fetcher = _Remembering(resources.fetcher)
    if others:
        documents, dropped = ingest.read_inputs(others, resources.settings, stdin=stdin, fetcher=fetcher,
                                                progress=progress)
        articles, unusable = clean.clean_documents(documents)
        # URLs that turn out to be feeds come back from ingest as skipped; read them as feeds.
        feed_specs += [s.origin for s in dropped if FEED_MESSAGE in s.reason]
        skipped += [s for s in dropped + unusable if FEED_MESSAGE not in s.reason]
        fetched = {a.origin: (a.id, "article") for a in articles if a.origin in urls}
        reports.append(file_articles(articles, resources, progress=progress, fetched=fetched))
    for spec in feed_specs:
        reports.append(poll_feed(spec, resources, progress=progress, prefetched=fetcher.pages.get(spec)))
    return _merge(reports, skipped)


class _Remembering:
    """The shared fetcher, keeping each response: a URL found to be a feed is not fetched again."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.pages: dict = {}

    def get(self, url: str, **validators):
        page = self.inner.get(url, **validators)
        self.pages[url] = page
        return page


def poll_feed(spec: str, resources: Resources, *, progress: Progress | None = None,
              prefetched=None) -> AddReport:
    """Read one feed's new items into the library."""
    store: Store = resources.store
    read = feeds.read_feed(spec, resources.fetcher, store, progress=progress, prefetched=prefetched)
    report = file_articles(read.articles, resources, progress=progress, fetched=read.fetched)
    feeds.remember_feed(store, read.feed)
    return _merge([report], read.skipped)


def watch(specs: Sequence[str], resources: Resources, *, every: float,
          on_report: Callable[[str, AddReport | NewsbriefError], None] | None = None,
          stop: threading.Event | None = None, polls: int | None = None) -> int:
    """Poll the feeds every ``every`` seconds until ``stop`` is set (or ``polls`` rounds ran).

    A feed that fails one poll is reported and tried again next round. Returns
    the number of rounds run.
    """
    if every <= 0:
        raise ConfigError(f"the polling interval must be positive, got {every:g} s")
    stop = stop or threading.Event()
    rounds = 0
    while not stop.is_set() and (polls is None or rounds < polls):
        started = time.monotonic()
        for spec in specs:
            try:
                outcome: AddReport | NewsbriefError = poll_feed(spec, resources)
            except NewsbriefError as error:
                outcome = error
            if on_report:
                on_report(spec, outcome)
            if stop.is_set():
                break
        rounds += 1
        if polls is not None and rounds >= polls:
            break
        stop.wait(max(0.0, every - (time.monotonic() - started)))
    return rounds


def parse_interval(text: str) -> float:
    """'15m', '30s', '2h', '1d' or plain seconds -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = text.strip().lower()
    try:
        if value and value[-1] in units:
            seconds = float(value[:-1]) * units[value[-1]]
        else:
            seconds = float(value)
    except ValueError:
        raise ConfigError(f"interval {text!r} is not a duration like 30s, 15m or 2h") from None
    if seconds <= 0:
        raise ConfigError(f"interval {text!r} must be positive")
    return seconds


def file_articles(articles: Sequence[Article], resources: Resources, *, progress: Progress | None = None,
                  fetched: dict[str, tuple[str | None, str]] | None = None) -> AddReport:
    """Cluster and store cleaned articles, one transaction per batch."""
    progress = progress or _noop
    store: Store = resources.store
    embedder = resources.embedder
    if not embedder.stable:
        raise ConfigError("the story library needs the MiniLM embedder (set embedder = 'minilm'); "
                          "TF-IDF vectors of separate runs cannot be compared")
    fetched = dict(fetched or {})
    unique = list({a.id: a for a in articles}.values())
    with store.writer():
        known = store.known_ids(a.id for a in unique)
        todo = [a for a in unique if a.id not in known]
        filer = _Filer(store, embedder)
        total = len(todo)
        progress("file", 0, total)
        for begin in range(0, total, BATCH):
            batch = todo[begin:begin + BATCH]
            ids = {a.id for a in batch}
            filer.file(batch, {u: v for u, v in fetched.items() if v[0] in ids})
            progress("file", min(begin + BATCH, total), total)
        # URLs whose page gave no new article are remembered too, so they are not fetched again.
        leftover = {u: v for u, v in fetched.items() if v[0] is None or v[0] in known}
        if leftover:
            store.remember_urls(leftover)
    return AddReport(added=filer.added, already_stored=len(articles) - total, copies=filer.copies,
                     new_stories=filer.new_stories, stories=tuple(sorted(filer.touched)), merged=filer.absorbed)


class _Filer:
    """Holds the story index and the copy detector across the batches of one run."""

    def __init__(self, store: Store, embedder) -> None:
        from datasketch import MinHash, MinHashLSH

        self.store, self.embedder = store, embedder
        self.index = StoryIndex(getattr(embedder, "dimensions", 384), next_id=store.next_story_id())
        self.index.load(store.story_states())
        self._template = MinHash(num_perm=MINHASH_PERMUTATIONS, scheme=MINHASH_SCHEME)
        self.lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=MINHASH_PERMUTATIONS)
        self.signatures: dict[str, np.ndarray] = {}
        self.copy_story: dict[str, int] = {}
        self.order: dict[str, int] = {}
        for article_id, story_id, signature in store.minhashes():
            self._remember(article_id, story_id, np.frombuffer(signature, dtype=np.uint64))
        self.added = self.copies = self.new_stories = self.absorbed = 0
        self.touched: set[int] = set()
        # The quiet-story merge's clock: the newest publication time filed so far (stored or this run),
        # never the wall clock, so a rerun after a kill sees the same clock as one clean run.
        self.newest = store.newest_published_time()
        self.window: dict[str, ArticleFeatures] = {}  # features of the window's articles, kept between batches

    def _remember(self, article_id: str, story_id: int, signature: np.ndarray) -> None:
        from datasketch import MinHash

        self.signatures[article_id] = signature
        self.copy_story[article_id] = story_id
        self.order[article_id] = len(self.order)
        self.lsh.insert(article_id, MinHash(num_perm=MINHASH_PERMUTATIONS, hashvalues=signature, scheme=MINHASH_SCHEME))

    def _signature(self, text: str):
        words = text.lower().split()
        shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - 4))}
        minhash = self._template.copy()
        minhash.update_batch(sorted(shingles))
        return minhash

    def _copy_of(self, minhash) -> str | None:
        """The earliest stored original this text is a copy of, if any."""
        candidates = [c for c in self.lsh.query(minhash)
                      if minhash.jaccard(_lean(self.signatures[c])) >= COPY_JACCARD]
        return min(candidates, key=self.order.__getitem__) if candidates else None

    def file(self, batch: Sequence[Article], fetched: dict) -> None:
        vectors: dict[tuple[str, int, int], np.ndarray] = {}
        rows: list[NewArticle] = []
        changed: dict[int, cluster.StoryState] = {}
        now_days = time.time() / 86400.0
        # One embedding call for the whole batch (MiniLM's output for a sentence does not depend
        # on its batch companions: checked bit for bit), so a rerun after a kill decides the same.
        spans = [cluster.lead_spans(article.text) for article in batch]
        texts = [article.text[a:b] for article, own in zip(batch, spans, strict=True) for a, b in own]
        embedded = self.embedder.encode(texts)
        bounds = np.cumsum([0] + [len(own) for own in spans])
        # Dated articles are placed first, so an undated one can join the story they form
        # instead of starting one stamped with today's date.
        published_times = [cluster.published_time(article.published) for article in batch]
        order = sorted(range(len(batch)), key=lambda i: published_times[i] is None)
        for i in order:
            article, own, published = batch[i], spans[i], published_times[i]
            lead = embedded[bounds[i]:bounds[i + 1]]
            for (a, b), v in zip(own, lead, strict=True):
                vectors[(article.id, a, b)] = v
            item = cluster.features(article, cluster.lead_vector(lead),
                                    now_days if published is None else published)
            minhash = self._signature(article.text)
            original = self._copy_of(minhash)
            if original is not None:
                story = self.index.add(item, self.copy_story[original])
                self.copies += 1
            else:
                before = self.index.next_id
                if published is None:
                    story, item = self.index.assign_undated(item)
                else:
                    story = self.index.assign(item)
                self.new_stories += self.index.next_id != before
            changed[story.id] = story
            self.touched.add(story.id)
            signature = np.asarray(minhash.hashvalues, dtype=np.uint64)
            rows.append(NewArticle(article, item, story.id, original, signature.tobytes()))
            if original is None:
                self._remember(article.id, story.id, signature)
        dated = [t for t in published_times if t is not None]
        if dated:
            self.newest = max(dated + ([self.newest] if self.newest is not None else []))
        absorbed = self._merge_quiet(rows, changed)
        if absorbed:
            rows = [replace(r, story_id=absorbed.get(r.story_id, r.story_id)) for r in rows]
        for story in changed.values():
            story.keywords_cache = story.keywords(self.index.term_idf)
        self.store.write_batch(rows, changed.values(), vectors=vectors, model=self.embedder.name,
                               fetched=fetched, absorbed=absorbed)
        self.added += len(rows)

    def _merge_quiet(self, rows: list[NewArticle], changed: dict[int, StoryState]) -> dict[int, int]:
        """Merge the stories gone quiet, and new one-article stories into them or each other
        (:func:`cluster_merge.merge_quiet_stories`); absorbed id -> kept id.

        Runs once per batch, before the batch is written, so the merge is part
        of the batch's transaction. The articles of the stories active in the
        last ``QUIET_WINDOW_DAYS`` before the newest publication time are
        compared, as the merge simulated in bench/cluster_eval.py. A merged
        story keeps the highest id of its group: the newest story number never
        disappears, so a reopened library hands out the same next number and
        no number is ever reused. The kept story is rebuilt from its members
        in time order, as ``recluster`` rebuilds stories.
        """
        if self.newest is None:
            return {}  # no publication dates: the merge has no time evidence
        recent = [s for s in self.index.stories if s.size and s.last_time >= self.newest - QUIET_WINDOW_DAYS]
        if sum(takes_part(s.last_time, s.size, self.newest) for s in recent) < 2:
            return {}
        # A recent story's partners reach back ``reach_days`` before its FIRST article: a long
        # running story that goes quiet now may still join one that ended before the recent window.
        # Never further than ``reach_days`` before the recent window, though: a story that has run
        # for months would otherwise pull the whole library into every batch's merge.
        reach = max(min(s.first_time for s in recent), self.newest - QUIET_WINDOW_DAYS) - QUIET_MERGE.reach_days
        window = [s for s in self.index.stories if s.size and s.last_time >= reach]
        ids = {s.id for s in window}
        labels = self.store.story_members(sorted(ids))  # the stored articles; this batch is not written yet
        # A back-dated article may have joined a story outside the window: that story is left alone.
        inside = [r for r in rows if r.story_id in ids]
        labels.update((r.article.id, r.story_id) for r in inside)
        self.window = {a: f for a, f in self.window.items() if a in labels}
        self.window.update((r.article.id, r.features) for r in inside)
        self.window.update((f.article_id, f) for f in self.store.features([a for a in labels if a not in self.window]))
        items = sorted(self.window.values(), key=lambda f: (f.time, f.article_id))
        merged = merge_quiet_stories(items, labels, self.newest)
        groups: dict[int, set[int]] = {}
        for article_id, story_id in merged.items():
            groups.setdefault(story_id, set()).add(labels[article_id])
        absorbed: dict[int, int] = {}
        for group in (g for g in groups.values() if len(g) > 1):
            kept = max(group)
            members = [f for f in items if labels[f.article_id] in group]
            self._rebuild(kept, members)
            changed[kept] = self.index.story(kept)
            for gone in group - {kept}:
                self._empty(gone)
                changed.pop(gone, None)
                absorbed[gone] = kept
        if absorbed:
            self.absorbed += len(absorbed)
            self.copy_story = {a: absorbed.get(s, s) for a, s in self.copy_story.items()}
            self.touched = {absorbed.get(s, s) for s in self.touched}
            log.info("quiet-story merge: %d stories merged into %d", len(absorbed) + len(set(absorbed.values())),
                     len(set(absorbed.values())))
        return absorbed

    def _rebuild(self, story_id: int, members: Sequence[ArticleFeatures]) -> None:
        """Replace a story's running sums with those of ``members`` (in time order)."""
        story = _built(StoryIndex(self.index.dimensions), story_id, members)
        self.index.stories[self.index.row_of[story_id]] = story
        self.index.put(story)  # refresh its centroid and time span in the index's matrices

    def _empty(self, story_id: int) -> None:
        """Leave an absorbed story in the index as an empty row that no article is offered."""
        story = self.index.story(story_id)
        story.vector_sum = np.zeros_like(story.vector_sum)
        story.size, story.first_time, story.last_time = 0, cluster.EMPTIED, cluster.EMPTIED
        story.entities, story.terms, story.text_terms = Counter(), Counter(), Counter()
        story.term_cache = story.text_cache = None
        self.index.put(story)


def _lean(signature: np.ndarray):
    from datasketch import MinHash

    return MinHash(num_perm=MINHASH_PERMUTATIONS, hashvalues=signature, scheme=MINHASH_SCHEME)


def _merge(reports: Sequence[AddReport], skipped: Sequence[Skipped]) -> AddReport:
    return AddReport(
        added=sum(r.added for r in reports), already_stored=sum(r.already_stored for r in reports),
        copies=sum(r.copies for r in reports), new_stories=sum(r.new_stories for r in reports),
        stories=tuple(sorted({s for r in reports for s in r.stories})),
        skipped=tuple(skipped) + tuple(s for r in reports for s in r.skipped),
        merged=sum(r.merged for r in reports),
    )


# ---------------------------------------------------------------------------- reading


def parse_since(text: str | None) -> float | None:
    """An ISO date (or datetime) -> days since the epoch."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip()) if "T" in text else datetime.combine(
            date.fromisoformat(text.strip()), datetime.min.time())
    except ValueError:
        raise InputError(f"--since {text!r} is not a date like 2024-05-01") from None
    return cluster.article_time(Article(id="", origin="", text="", raw_text="", raw_chars=0,
                                        published=moment.isoformat()), 0.0)


def stories(resources: Resources, *, since: str | None = None, query: str | None = None,
            limit: int = 100) -> list[Story]:
    """Stories, most recently active first; ``since`` an ISO date, ``query`` full-text."""
    return resources.store.stories(since=parse_since(since), query=query, limit=limit)


def resolve_story(resources: Resources, story_id: int) -> int:
    """The number of the story holding story ``story_id`` now: itself, or the story it was merged into."""
    return resources.store.resolve_story(story_id)


def story(resources: Resources, story_id: int) -> tuple[Story, list[StoredArticle]]:
    """A story and its articles; a merged-away number gives the story it was merged into."""
    store: Store = resources.store
    story_id = store.resolve_story(story_id)
    return store.story(story_id), store.story_articles(story_id)


def search(resources: Resources, query: str, *, limit: int = 20) -> list[SearchHit]:
    if not query.strip():
        raise InputError("the search text is empty")
    return resources.store.search(query, limit=limit)


def story_briefing(story_id: int, resources: Resources, *, words: int | None = None,
                   progress: Progress | None = None) -> Briefing:
    """The briefing of a stored story, reusing (and extending) the stored sentence vectors."""
    from . import api

    store: Store = resources.store
    articles = store.articles_of(store.resolve_story(story_id))
    model = resources.embedder.name
    known = store.vectors([a.id for a in articles], model) if resources.embedder.stable else {}
    computed: dict = {}
    briefing = api.brief_articles(articles, resources, words=words, known_vectors=known,
                                  vectors_out=computed, progress=progress)
    new = {k: v for k, v in computed.items() if k not in known}
    if new and resources.embedder.stable:
        store.save_vectors(new, model)
    log.info("story %d: %d stored sentence vectors reused, %d new", story_id, len(known), len(new))
    return briefing


def recluster(resources: Resources, *, progress: Progress | None = None) -> tuple[int, int]:
    """Re-cluster every stored article in one batch; returns (stories before, stories after)."""
    progress = progress or _noop
    store: Store = resources.store
    with store.writer():  # an add running meanwhile would file into stories about to be replaced
        before = store.counts()["stories"]
        items = store.all_features()
        if not items:
            return before, 0
        progress("recluster", 0, 1)
        dims = items[0].vector.shape[0]
        labels = cluster.cluster_batch(items, dims)
        copies = store.duplicate_links()
        for copy, original in copies.items():  # a wire copy stays with its original
            labels[copy] = labels[original]
        labels = store.carry_numbers(labels)  # links to a story recluster leaves alone keep working
        states = _states(items, labels, dims)
        store.replace_stories(labels, states)
    progress("recluster", 1, 1)
    return before, len(states)


def _states(items: Sequence[ArticleFeatures], labels: dict[str, int], dims: int) -> list[cluster.StoryState]:
    """Story rows rebuilt from their members, exactly as online adds would have built them."""
    index = StoryIndex(dims)
    by_story: dict[int, list[ArticleFeatures]] = {}
    for item in sorted(items, key=lambda f: (f.time, f.article_id)):
        by_story.setdefault(labels[item.article_id], []).append(item)
    for story_id in sorted(by_story):
        _built(index, story_id, by_story[story_id])
    for state in index.stories:
        state.keywords_cache = state.keywords(index.term_idf)
    return index.stories


def _built(index: StoryIndex, story_id: int, members: Sequence[ArticleFeatures]) -> StoryState:
    """Story ``story_id`` built in ``index`` from its members (in time order), as online adds build it."""
    index.next_id = story_id
    story = index.add(members[0], None)
    for item in members[1:]:
        index.add(item, story_id)
    return story
