"""The story library: articles, stories, sentence vectors, feeds and fetched URLs.

SQLAlchemy Core over SQLite (the default: ``$NEWSBRIEF_HOME/library.db``, WAL
mode) or PostgreSQL (``database_url = "postgresql+psycopg://..."``). Every
batch of articles is written in one transaction, so an interrupted ``add``
keeps whole batches only and can simply be run again.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, delete, event, func, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from . import schema, writelock
from .cluster import ArticleFeatures, StoryState, published_time
from .errors import NotFoundError, StoreError
from .records import Article, NewArticle, SearchHit, StoredArticle, Story
from .schema import (
    FEATURES,
    LISTED,
    article_of,
    article_row,
    articles,
    features_of,
    feeds,
    fetched_urls,
    sentence_vectors,
    stored_of,
    stories,
    story_of,
    story_redirects,
    story_row,
    story_state,
)
from .settings import Settings

log = logging.getLogger(__name__)

WRITER_WAIT = 600.0  # seconds another add/watch/recluster may hold the library before we give up


def open_store(settings: Settings) -> Store:
    return Store(settings.resolved_database_url)


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = self._engine(url)
        self.dialect = self.engine.dialect.name
        self.migrate()

    # ------------------------------------------------------------------ opening
    @staticmethod
    def _engine(url: str) -> Engine:
        shown = url.split("@")[-1]  # never echo a password
        try:
            if url.startswith("sqlite"):
                path = url.split("///", 1)[-1]
                if path and path != ":memory:":
                    try:
                        Path(path).parent.mkdir(parents=True, exist_ok=True)
                    except OSError as exc:
                        raise StoreError(f"cannot create the library directory ({exc.strerror})",
                                         origin=str(Path(path).parent)) from None
                engine = create_engine(url, connect_args={"timeout": 30})
                event.listen(engine, "connect", _sqlite_pragmas)
                return engine
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://"):]
            return create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"unusable database URL ({exc})", origin=shown) from None

    def migrate(self) -> None:
        """Bring the schema up to :data:`schema.SCHEMA_VERSION`, one step per transaction."""
        try:
            if self._schema_version() == schema.SCHEMA_VERSION:
                return  # the common case: no lock, so readers never wait for a running add
            # Two processes opening a new library at once would both create its tables.
            with self.writer():
                with self.engine.begin() as conn:
                    schema.schema_version.create(conn, checkfirst=True)
                    if conn.execute(select(schema.schema_version.c.version)).scalar() is None:
                        conn.execute(schema.schema_version.insert().values(version=0))
                version = self._schema_version()
                if version > schema.SCHEMA_VERSION:
                    raise StoreError(f"library schema version {version} is newer than this newsbrief "
                                     f"({schema.SCHEMA_VERSION}); upgrade newsbrief", origin=self._shown)
                for number in range(version, schema.SCHEMA_VERSION):
                    with self.engine.begin() as conn:
                        schema.MIGRATIONS[number](conn)
                        conn.execute(schema.schema_version.update().values(version=number + 1))
                    log.info("library migrated to schema version %d", number + 1)
        except OperationalError as exc:
            raise StoreError(f"cannot open the library ({_reason(exc)})", origin=self._shown) from None

    def _schema_version(self) -> int:
        """The stored schema version; -1 for a library not created yet."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table(schema.schema_version.name):
                return -1
            version = conn.execute(select(schema.schema_version.c.version)).scalar()
        return -1 if version is None else version

    @property
    def _shown(self) -> str:
        return self.url.split("@")[-1]

    def close(self) -> None:
        self.engine.dispose()

    def _read(self):
        return _Guard(self.engine.connect(), self._shown)

    def writer(self, *, wait: float = WRITER_WAIT):
        """The single-writer lock: hold it from reading story state to the last batch written."""
        return writelock.writer_lock(self.engine, self.url, self._shown, wait=wait)

    def _write(self):
        return _Guard(self.engine.begin(), self._shown)

    # ------------------------------------------------------------------ writing
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        with self._read() as conn:
            for begin in range(0, len(ids), 500):
                chunk = ids[begin:begin + 500]
                found.update(conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        return found

    def write_batch(self, batch: Sequence[NewArticle], changed: Iterable[StoryState], *,
                    vectors: Mapping[tuple[str, int, int], np.ndarray], model: str,
                    fetched: Mapping[str, tuple[str | None, str]] = {},
                    absorbed: Mapping[int, int] = {}) -> None:
        """Store a batch of articles, their stories' new state, vectors and fetched URLs atomically.

        ``absorbed`` maps each story merged away during this batch to the story
        that took its members (whose new state is in ``changed``): the members
        move and the absorbed rows go in the same transaction.
        """
        now = time.time()
        with self._write() as conn:
            for story in changed:
                row = story_row(story)
                done = conn.execute(update(stories).where(stories.c.id == story.id).values(**row))
                if done.rowcount == 0:
                    conn.execute(stories.insert().values(id=story.id, **row))
            if batch:
                conn.execute(articles.insert(), [article_row(item, now) for item in batch])
            for gone, kept in sorted(absorbed.items()):
                conn.execute(update(articles).where(articles.c.story_id == gone).values(story_id=kept))
                conn.execute(delete(stories).where(stories.c.id == gone))
            _put_redirects(conn, absorbed, now)
            self._put_vectors(conn, vectors, model)
            self._put_fetched(conn, fetched, now)

    def _put_vectors(self, conn: Connection, vectors, model: str) -> None:
        rows = [{"article_id": a, "start": s, "end": e, "model": model,
                 "vector": np.asarray(v, dtype=np.float32).tobytes()} for (a, s, e), v in vectors.items()]
        if rows:
            conn.execute(self._insert_ignore(sentence_vectors, ["article_id", "start", "end", "model"]), rows)

    def _put_fetched(self, conn: Connection, fetched, now: float) -> None:
        rows = [{"url": url, "fetched_at": now, "article_id": article_id, "outcome": outcome}
                for url, (article_id, outcome) in fetched.items()]
        if rows:
            conn.execute(self._insert_ignore(fetched_urls, ["url"]), rows)

    def _insert_ignore(self, table, keys: list[str]):
        if self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        return insert(table).on_conflict_do_nothing(index_elements=keys)

    def save_vectors(self, vectors: Mapping[tuple[str, int, int], np.ndarray], model: str) -> None:
        with self._write() as conn:
            self._put_vectors(conn, vectors, model)

    def remember_urls(self, fetched: Mapping[str, tuple[str | None, str]]) -> None:
        with self._write() as conn:
            self._put_fetched(conn, fetched, time.time())

    def replace_stories(self, assignment: Mapping[str, int], states: Iterable[StoryState]) -> None:
        """Recluster: new story rows and every article's new story, in one transaction.

        A number that disappears leads to the new story holding most of its articles.
        """
        with self._write() as conn:
            states = list(states)
            before = _assignment(conn)
            # New rows first, then the articles move, then the emptied old rows go: the
            # foreign key from articles to stories holds at every step.
            keep = {s.id for s in states}
            for story in states:
                row = story_row(story)
                done = conn.execute(update(stories).where(stories.c.id == story.id).values(**row))
                if done.rowcount == 0:
                    conn.execute(stories.insert().values(id=story.id, **row))
            by_story: dict[int, list[str]] = {}
            for article_id, story_id in assignment.items():
                by_story.setdefault(story_id, []).append(article_id)
            for story_id, ids in by_story.items():
                for begin in range(0, len(ids), 500):
                    conn.execute(update(articles).where(articles.c.id.in_(ids[begin:begin + 500]))
                                 .values(story_id=story_id))
            conn.execute(delete(stories).where(stories.c.id.not_in(keep)) if keep else delete(stories))
            _put_redirects(conn, _heirs(before, assignment, keep), time.time())

    def carry_numbers(self, labels: Mapping[str, int]) -> dict[str, int]:
        """Recluster's labels renamed so that each story keeps a number it had (see :func:`carry_numbers`)."""
        with self._read() as conn:
            before = _assignment(conn)
        return carry_numbers(labels, before, self.next_story_id())

    def resolve_story(self, story_id: int) -> int:
        """The number of the story now holding story ``story_id``'s articles (itself if it still exists)."""
        with self._read() as conn:
            if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).first() is not None:
                return story_id
            heir = conn.execute(select(story_redirects.c.merged_into)
                                .where(story_redirects.c.id == story_id)).scalar()
        if heir is None:
            raise NotFoundError(f"no story {story_id} in the library")
        return heir

    # ------------------------------------------------------------------ clusterer state
    def next_story_id(self) -> int:
        """A number no story has had: a merged-away number still leads to its heir, so it is never reused."""
        with self._read() as conn:
            highest = max(conn.execute(select(func.max(stories.c.id))).scalar() or 0,
                          conn.execute(select(func.max(story_redirects.c.id))).scalar() or 0)
        return highest + 1

    def story_states(self, since: float | None = None) -> list[StoryState]:
        """Stories whose last article is at or after ``since`` (days), oldest id first."""
        query = select(stories).order_by(stories.c.id)
        if since is not None:
            query = query.where(stories.c.last_time >= since)
        with self._read() as conn:
            return [story_state(row) for row in conn.execute(query).mappings()]

    def minhashes(self, since: float | None = None) -> list[tuple[str, int, bytes]]:
        """(article id, story id, signature) of the originals (not copies) since ``since``."""
        query = (select(articles.c.id, articles.c.story_id, articles.c.minhash)
                 .where(articles.c.duplicate_of.is_(None)).order_by(articles.c.seq))
        if since is not None:
            query = query.where(articles.c.time >= since)
        with self._read() as conn:
            return [(r.id, r.story_id, r.minhash) for r in conn.execute(query)]

    def all_features(self) -> list[ArticleFeatures]:
        """The clustering features of every stored article, for reclustering."""
        with self._read() as conn:
            return [features_of(r) for r in conn.execute(select(*FEATURES).order_by(articles.c.seq))]

    def features(self, article_ids: Sequence[str]) -> list[ArticleFeatures]:
        """The clustering features of these articles (in no particular order)."""
        with self._read() as conn:
            return [features_of(r) for begin in range(0, len(article_ids), 500)
                    for r in conn.execute(select(*FEATURES).where(articles.c.id.in_(article_ids[begin:begin + 500])))]

    def story_members(self, story_ids: Sequence[int]) -> dict[str, int]:
        """article id -> story id of every stored article of these stories."""
        found: dict[str, int] = {}
        with self._read() as conn:
            for begin in range(0, len(story_ids), 500):
                query = select(articles.c.id, articles.c.story_id).where(
                    articles.c.story_id.in_(list(story_ids[begin:begin + 500])))
                found.update((r.id, r.story_id) for r in conn.execute(query))
        return found

    def newest_published_time(self) -> float | None:
        """The newest stored publication time (days), if any; an unreadable date was clustered as added: skipped."""
        query = (select(articles.c.published, articles.c.time).where(articles.c.published.is_not(None))
                 .order_by(articles.c.time.desc()))
        with self._read() as conn:
            for r in conn.execute(query):
                if published_time(r.published) is not None:
                    return r.time
        return None

    def duplicate_links(self) -> dict[str, str]:
        query = select(articles.c.id, articles.c.duplicate_of).where(articles.c.duplicate_of.is_not(None))
        with self._read() as conn:
            return {r.id: r.duplicate_of for r in conn.execute(query)}

    # ------------------------------------------------------------------ vectors
    def vectors(self, article_ids: Sequence[str], model: str) -> dict[tuple[str, int, int], np.ndarray]:
        out = {}
        with self._read() as conn:
            for begin in range(0, len(article_ids), 500):
                query = select(sentence_vectors).where(
                    sentence_vectors.c.article_id.in_(list(article_ids[begin:begin + 500])),
                    sentence_vectors.c.model == model)
                for r in conn.execute(query):
                    out[(r.article_id, r.start, r.end)] = np.frombuffer(r.vector, dtype=np.float32)
        return out

    # ------------------------------------------------------------------ reading
    def stories(self, *, since: float | None = None, query: str | None = None,
                limit: int = 100) -> list[Story]:
        """Stories, most recently active first; ``query`` keeps those with a matching article."""
        q = select(stories).order_by(stories.c.last_time.desc(), stories.c.id.desc()).limit(limit)
        if since is not None:
            q = q.where(stories.c.last_time >= since)
        if query:
            matching = [hit.article.story_id for hit in self.search(query, limit=2000)]
            if not matching:
                return []
            q = q.where(stories.c.id.in_(set(matching)))
        with self._read() as conn:
            rows = list(conn.execute(q).mappings())
            outlets = self._outlets(conn, [r["id"] for r in rows])
        return [story_of(r, outlets.get(r["id"], ())) for r in rows]

    def _outlets(self, conn: Connection, story_ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not story_ids:
            return {}
        q = (select(articles.c.story_id, articles.c.outlet).distinct()
             .where(articles.c.story_id.in_(story_ids), articles.c.outlet.is_not(None)))
        found: dict[int, list[str]] = {}
        for r in conn.execute(q):
            found.setdefault(r.story_id, []).append(r.outlet)
        return {k: tuple(sorted(v)) for k, v in found.items()}

    def story(self, story_id: int) -> Story:
        with self._read() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).mappings().first()
            if row is None:
                raise NotFoundError(f"no story {story_id} in the library")
            return story_of(row, self._outlets(conn, [story_id]).get(story_id, ()))

    def story_articles(self, story_id: int) -> list[StoredArticle]:
        q = select(*LISTED).where(articles.c.story_id == story_id).order_by(articles.c.time, articles.c.seq)
        with self._read() as conn:
            return [stored_of(r) for r in conn.execute(q).mappings()]

    def articles_of(self, story_id: int) -> list[Article]:
        """The full articles of a story, in publication order (for its briefing)."""
        q = select(articles).where(articles.c.story_id == story_id).order_by(articles.c.time, articles.c.seq)
        with self._read() as conn:
            rows = list(conn.execute(q).mappings())
        if not rows:
            raise NotFoundError(f"no story {story_id} in the library")
        return [article_of(r) for r in rows]

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        with self._read() as conn:
            if self.dialect == "sqlite":
                # Each word quoted: user text is never parsed as FTS5 syntax.
                match = " ".join('"' + w.replace('"', "") + '"' for w in words)
                sql = text(
                    "SELECT a.id, a.story_id, a.headline, a.origin, a.outlet, a.url, a.published, a.duplicate_of, "
                    "snippet(articles_fts, 1, '', '', ' ... ', 16) AS snippet FROM articles_fts "
                    "JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH :q "
                    "ORDER BY bm25(articles_fts), a.seq LIMIT :n")
                rows = conn.execute(sql, {"q": match, "n": limit}).mappings()
            else:
                sql = text(
                    "SELECT a.id, a.story_id, a.headline, a.origin, a.outlet, a.url, a.published, a.duplicate_of, "
                    "ts_headline('english', a.text, q, 'MaxWords=20, MinWords=8, StartSel=\"\", StopSel=\"\"') "
                    "AS snippet FROM articles a, plainto_tsquery('english', :q) q WHERE a.search @@ q "
                    "ORDER BY ts_rank(a.search, q) DESC, a.seq LIMIT :n")
                rows = conn.execute(sql, {"q": " ".join(words), "n": limit}).mappings()
            return [SearchHit(article=stored_of(r), snippet=" ".join(r["snippet"].split())) for r in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar() or 0,
                "stories": conn.execute(select(func.count()).select_from(stories)).scalar() or 0,
            }

    # ------------------------------------------------------------------ feeds and URLs
    def fetched(self, urls: Iterable[str]) -> set[str]:
        urls = list(urls)
        found: set[str] = set()
        with self._read() as conn:
            for begin in range(0, len(urls), 500):
                q = select(fetched_urls.c.url).where(fetched_urls.c.url.in_(urls[begin:begin + 500]))
                found.update(conn.execute(q).scalars())
        return found

    def feed_state(self, url: str) -> dict | None:
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url == url)).mappings().first()
        return dict(row) if row else None

    def save_feed_state(self, url: str, *, title: str | None, etag: str | None,
                        last_modified: str | None) -> None:
        values = {"title": title, "etag": etag, "last_modified": last_modified, "last_polled": time.time()}
        with self._write() as conn:
            done = conn.execute(update(feeds).where(feeds.c.url == url).values(**values))
            if done.rowcount == 0:
                conn.execute(feeds.insert().values(url=url, **values))


class _Guard:
    """A connection context that turns database errors into one-line StoreErrors."""

    def __init__(self, context, shown: str) -> None:
        self._context, self._shown = context, shown

    def __enter__(self) -> Connection:
        try:
            return self._context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the library ({_reason(exc)})", origin=self._shown) from None

    def __exit__(self, kind, value, tb) -> bool:
        try:
            self._context.__exit__(kind, value, tb)
        except SQLAlchemyError as exc:
            raise StoreError(f"library write failed ({_reason(exc)})", origin=self._shown) from None
        if isinstance(value, SQLAlchemyError):
            raise StoreError(f"library error ({_reason(value)})", origin=self._shown) from None
        return False


def _reason(exc: SQLAlchemyError) -> str:
    inner = getattr(exc, "orig", None) or exc
    return str(inner).strip().splitlines()[0]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the web app) work while a feed poll writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def carry_numbers(labels: Mapping[str, int], before: Mapping[str, int], first_free: int) -> dict[str, int]:
    """New story labels renamed to the old numbers they share most articles with.

    Greedy, largest overlap first, one old number per new story, so a story that
    recluster leaves (mostly) alone keeps its number and links to it keep
    working; a new story with no old number left gets a fresh one (from
    ``first_free``, in label order).
    """
    overlap = Counter((label, before[a]) for a, label in labels.items() if a in before)
    named: dict[int, int] = {}
    used: set[int] = set()
    for (label, old), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if label not in named and old not in used:
            named[label] = old
            used.add(old)
    for label in sorted(set(labels.values()) - set(named)):
        named[label] = first_free
        first_free += 1
    return {a: named[label] for a, label in labels.items()}


def _assignment(conn: Connection) -> dict[str, int]:
    """article id -> story id of every stored article."""
    return {r.id: r.story_id for r in conn.execute(select(articles.c.id, articles.c.story_id))}


def _heirs(before: Mapping[str, int], after: Mapping[str, int], kept: set[int]) -> dict[int, int]:
    """For each number gone after a recluster, the new story holding most of its articles."""
    votes = Counter((old, after[a]) for a, old in before.items() if old not in kept and a in after)
    heirs: dict[int, int] = {}
    for (old, new), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        heirs.setdefault(old, new)
    return heirs


def _put_redirects(conn: Connection, heirs: Mapping[int, int], now: float) -> None:
    """Record where gone numbers lead; older numbers that led to a gone one now lead to its heir."""
    for gone, heir in sorted(heirs.items()):
        conn.execute(update(story_redirects).where(story_redirects.c.merged_into == gone)
                     .values(merged_into=heir, at=now))
        conn.execute(delete(story_redirects).where(story_redirects.c.id == gone))
        conn.execute(story_redirects.insert().values(id=gone, merged_into=heir, at=now))
