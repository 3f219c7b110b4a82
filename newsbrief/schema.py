"""The story library's tables (SQLAlchemy Core) and its ordered migrations.

One schema serves SQLite and PostgreSQL. ``schema_version`` holds the number
of the last migration applied; :data:`MIGRATIONS` are applied in order, each in
its own transaction, so a library written by an older version is brought up to
date when it is opened. Full-text search is backend-specific: an FTS5 table
kept in step by triggers on SQLite, a generated ``tsvector`` column with a GIN
index on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

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


#: Applied in order; migration i brings the schema from version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [_initial, _text_terms]
SCHEMA_VERSION = len(MIGRATIONS)
