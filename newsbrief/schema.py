"""The story library's tables (SQLAlchemy Core) and its ordered migrations.

One schema serves SQLite and PostgreSQL. ``schema_version`` holds the number
of the last migration applied; :data:`MIGRATIONS` are applied in order, each in
its own transaction, so a library written by an older version is brought up to
date when it is opened. Full-text search is backend-specific: an FTS5 table
kept in step by triggers on SQLite, a generated ``tsvector`` column with a GIN
index on PostgreSQL.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Connection

from .cluster import ArticleFeatures, StoryState
from .records import Article, NewArticle, StoredArticle, Story

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("keywords", Text, nullable=False),  # JSON list
    Column("size", Integer, nullable=False),
    Column("first_time", Float, nullable=False),  # days since the epoch
    Column("last_time", Float, nullable=False),
    # The clusterer's running sums, so an index can be rebuilt without reading articles.
    Column("vector_sum", LargeBinary, nullable=False),  # float64
    Column("entities", Text, nullable=False),  # JSON {phrase: count}
    Column("terms", Text, nullable=False),  # JSON {term: count}
    Column("title_score", Float, nullable=False),
    Column("text_terms", Text, nullable=False, server_default="{}"),  # JSON {whole-text word: members}
)
Index("stories_last_time", stories.c.last_time)

articles = Table(
    "articles", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # insertion order; FTS rowid
    Column("id", String(64), nullable=False, unique=True),  # Article.id, the content hash
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    Column("duplicate_of", String(64), nullable=True),  # the first stored copy of this text
    Column("origin", Text, nullable=False),
    Column("url", Text), Column("path", Text), Column("title", Text), Column("outlet", Text),
    Column("headline", Text, nullable=False),  # the title, else the first sentence: what listings show
    Column("author", Text), Column("published", Text), Column("language", Text),
    Column("time", Float, nullable=False),  # days since the epoch, as clustered
    Column("added_at", Float, nullable=False),  # wall clock, seconds
    Column("raw_chars", Integer, nullable=False),
    Column("cited_outlets", Text, nullable=False),  # JSON list
    Column("text", Text, nullable=False),
    Column("entities", Text, nullable=False),  # JSON list: the clusterer's features
    Column("terms", Text, nullable=False),  # JSON {term: count}
    Column("minhash", LargeBinary, nullable=False),  # uint64 signature for near-duplicate lookups
    Column("vector", LargeBinary, nullable=False),  # float32 lead vector the clusterer used
    Column("text_terms", Text, nullable=False, server_default="{}"),  # JSON {whole-text word: count}
)
Index("articles_story", articles.c.story_id)
Index("articles_time", articles.c.time)

sentence_vectors = Table(
    "sentence_vectors", metadata,
    Column("article_id", String(64), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("model", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32
)

fetched_urls = Table(
    "fetched_urls", metadata,
    Column("url", Text, primary_key=True),
    Column("fetched_at", Float, nullable=False),
    Column("article_id", String(64)),  # None when the page gave no article
    Column("outcome", Text, nullable=False),  # "added", "duplicate", or the skip reason
)

feeds = Table(
    "feeds", metadata,
    Column("url", Text, primary_key=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", Float),
)

story_redirects = Table(
    "story_redirects", metadata,
    # A story number that is gone (merged by ``add`` or ``recluster``) and the story now holding
    # its articles, so links and bookmarks to the old number still lead somewhere.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("merged_into", Integer, nullable=False),
    Column("at", Float, nullable=False),  # wall clock, seconds
)

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.seq, coalesce(old.title, ''), old.text); END",
)
_POSTGRES_FTS = (
    "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX articles_search ON articles USING gin (search)",
)


def _initial(conn: Connection) -> None:
    metadata.create_all(conn, tables=[stories, articles, sentence_vectors, fetched_urls, feeds])
    for statement in _SQLITE_FTS if conn.dialect.name == "sqlite" else _POSTGRES_FTS:
        conn.execute(text(statement))


def _text_terms(conn: Connection) -> None:
    """Version 2: the clusterer's whole-text words, per article and per story.

    A library made by version 1 gets the columns empty ('{}'): its stories
    score 0 on whole-text words until new members arrive or ``recluster``
    rebuilds them. A fresh library already has them from :func:`_initial`.
    """
    from sqlalchemy import inspect

    for table in ("stories", "articles"):
        if "text_terms" not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN text_terms TEXT NOT NULL DEFAULT '{{}}'"))


def _story_redirects(conn: Connection) -> None:
    """Version 3: where the numbers of merged-away stories lead.

    An older library has no record of the stories it merged: their numbers stay
    unknown, as before; merges from now on are recorded.
    """
    metadata.create_all(conn, tables=[story_redirects])


#: Applied in order; migration i brings the schema from version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [_initial, _text_terms, _story_redirects]
SCHEMA_VERSION = len(MIGRATIONS)


# ---------------------------------------------------------------------- row mapping

LISTED = (articles.c.id, articles.c.story_id, articles.c.headline, articles.c.origin, articles.c.outlet,
           articles.c.url, articles.c.published, articles.c.duplicate_of)


FEATURES = (articles.c.id, articles.c.time, articles.c.entities, articles.c.terms, articles.c.vector,
             articles.c.headline, articles.c.text_terms)


def features_of(r) -> ArticleFeatures:
    return ArticleFeatures(article_id=r.id, time=r.time, vector=np.frombuffer(r.vector, dtype=np.float32),
                           entities=tuple(json.loads(r.entities)), terms=json.loads(r.terms),
                           title=r.headline, text_terms=json.loads(r.text_terms))


def story_row(story: StoryState) -> dict:
    return {
        "title": story.title, "keywords": json.dumps(story.keywords_cache or []), "size": story.size,
        "first_time": story.first_time, "last_time": story.last_time,
        "vector_sum": np.asarray(story.vector_sum, dtype=np.float64).tobytes(),
        "entities": json.dumps(dict(sorted(story.entities.items()))),
        "terms": json.dumps(dict(sorted(story.terms.items()))), "title_score": story.title_score,
        "text_terms": json.dumps(dict(sorted(story.text_terms.items()))),
    }


def story_state(row) -> StoryState:
    state = StoryState(
        id=row["id"], vector_sum=np.frombuffer(row["vector_sum"], dtype=np.float64).copy(), size=row["size"],
        first_time=row["first_time"], last_time=row["last_time"],
        entities=Counter(json.loads(row["entities"])), terms=Counter(json.loads(row["terms"])),
        title=row["title"], title_score=row["title_score"], text_terms=Counter(json.loads(row["text_terms"])),
    )
    state.keywords_cache = json.loads(row["keywords"])
    return state


def iso_day(days: float) -> str:
    return datetime.fromtimestamp(days * 86400.0, tz=UTC).date().isoformat()


def story_of(row, outlets: tuple[str, ...]) -> Story:
    return Story(id=row["id"], title=row["title"], keywords=tuple(json.loads(row["keywords"])), size=row["size"],
                 first_seen=iso_day(row["first_time"]), last_seen=iso_day(row["last_time"]), outlets=outlets)


def article_row(item: NewArticle, now: float) -> dict:
    a = item.article
    return {
        "id": a.id, "story_id": item.story_id, "duplicate_of": item.duplicate_of, "origin": a.origin,
        "url": a.url, "path": a.path, "title": a.title, "headline": item.features.title, "outlet": a.outlet, "author": a.author,
        "published": a.published, "language": a.language, "time": item.features.time, "added_at": now,
        "raw_chars": a.raw_chars, "cited_outlets": json.dumps(list(a.cited_outlets)), "text": a.text,
        "entities": json.dumps(list(item.features.entities)), "terms": json.dumps(item.features.terms),
        "text_terms": json.dumps(item.features.text_terms),
        "minhash": item.minhash, "vector": np.asarray(item.features.vector, dtype=np.float32).tobytes(),
    }


def stored_of(r) -> StoredArticle:
    return StoredArticle(id=r["id"], story_id=r["story_id"], title=r["headline"], origin=r["origin"],
                         outlet=r["outlet"], url=r["url"], published=r["published"],
                         duplicate_of=r["duplicate_of"])


def article_of(r) -> Article:
    # The pre-cleaning text is not stored: offsets of a briefing point into ``text`` only.
    return Article(id=r["id"], origin=r["origin"], text=r["text"], raw_text=r["text"], raw_chars=r["raw_chars"],
                   title=r["title"], outlet=r["outlet"], author=r["author"], published=r["published"],
                   url=r["url"], path=r["path"], language=r["language"],
                   cited_outlets=tuple(json.loads(r["cited_outlets"])))
