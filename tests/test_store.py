"""The story library on both backends: real SQLite files and a real PostgreSQL server on loopback."""

from __future__ import annotations

import itertools
import json
import threading

import numpy as np
import pytest
from library_fixtures import BRIDGE, CHESS, postgres, write_articles  # noqa: F401 (postgres: a fixture)
from sqlalchemy import select, text, update

from newsbrief import api, library, schema
from newsbrief.errors import NotFoundError, StoreError
from newsbrief.records import NewArticle
from newsbrief.resources import Resources
from newsbrief.settings import Settings
from newsbrief.store import Store

_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def library_resources(request, tmp_path, resources):
    """A fresh, empty library on each backend, sharing the session's loaded model."""
    url = ""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"lib{next(_databases)}")
    settings = Settings(home=str(tmp_path / "home"), embedder="minilm", database_url=url)
    made = Resources(settings, embedder=resources.embedder)
    yield made
    made.store.close()


class CountingEmbedder:
    """The real MiniLM embedder, counting the sentences it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.sentences = inner, 0
        self.name, self.stable, self.dimensions = inner.name, inner.stable, inner.dimensions

    def encode(self, texts):
        self.sentences += len(texts)
        return self.inner.encode(texts)


def _tables(store: Store) -> tuple[list, list]:
    with store.engine.connect() as conn:
        stories = [tuple(r) for r in conn.execute(select(
            schema.stories.c.id, schema.stories.c.title, schema.stories.c.size, schema.stories.c.keywords)
            .order_by(schema.stories.c.id))]
        articles = [tuple(r) for r in conn.execute(select(
            schema.articles.c.id, schema.articles.c.story_id, schema.articles.c.duplicate_of)
            .order_by(schema.articles.c.seq))]
    return stories, articles


def test_add_groups_stories_links_copies_and_is_idempotent(library_resources, tmp_path):
    source = write_articles(tmp_path / "in.jsonl")
    report = api.add([str(source)], library_resources)
    assert (report.added, report.copies, report.new_stories, report.already_stored) == (7, 1, 2, 0)

    store = library_resources.store
    stories = {s.id: s for s in library.stories(library_resources)}
    assert len(stories) == 2
    by_title = {}
    for story_id in stories:
        _, members = library.story(library_resources, story_id)
        by_title[story_id] = {m.title for m in members}
    bridge = next(i for i, titles in by_title.items() if any("Riverton" in t for t in titles))
    chess = next(i for i in by_title if i != bridge)
    assert all(("chess" in t.lower()) or ("Lisbon" in t) for t in by_title[chess])
    assert len(by_title[chess]) == 3 and stories[bridge].size == 4
    assert "lisbon" in stories[chess].keywords or "okafor" in stories[chess].keywords
    copies = [m for m in library.story(library_resources, bridge)[1] if m.duplicate_of]
    assert len(copies) == 1 and copies[0].outlet == "Valley Herald"

    before = _tables(store)
    again = api.add([str(source)], library_resources)
    assert (again.added, again.already_stored, again.new_stories) == (0, 7, 0)
    assert _tables(store) == before


def test_search_finds_words_and_never_parses_user_syntax(library_resources, tmp_path):
    api.add([str(write_articles(tmp_path / "in.jsonl"))], library_resources)
    hits = library.search(library_resources, "grandmaster Okafor")
    assert {h.article.title for h in hits} <= {title for title, _ in CHESS}
    assert len(hits) == 2  # "grandmaster" appears in two of the chess articles only
    assert all("okafor" in h.snippet.lower() or "grandmaster" in h.snippet.lower() for h in hits)
    assert library.search(library_resources, 'girders AND "OR (NEAR') == []  # quoted words: nothing matches all
    assert library.search(library_resources, "(*)") == []
    with pytest.raises(Exception, match="empty"):
        library.search(library_resources, "   ")
    matching = library.stories(library_resources, query="corrosion")
    assert len(matching) == 1
    assert "Riverton" in matching[0].title or "Harlan" in matching[0].title
    assert library.stories(library_resources, since="2024-03-07") == []


def test_story_briefing_reuses_stored_vectors(library_resources, tmp_path):
    api.add([str(write_articles(tmp_path / "in.jsonl", with_copy=False))], library_resources)
    chess = library.stories(library_resources, query="Lisbon")[0]
    counting = CountingEmbedder(library_resources.embedder)
    reader = Resources(library_resources.settings, embedder=counting, nlp=library_resources.nlp,
                       store=library_resources.store)
    first = library.story_briefing(chess.id, reader)
    used_first = counting.sentences
    second = library.story_briefing(chess.id, reader)
    assert counting.sentences == used_first  # the second briefing embedded nothing
    assert first == second
    assert {s.article.title for s in first.sources} == {title for title, _ in CHESS}
    with pytest.raises(NotFoundError):
        library.story_briefing(9999, reader)


def test_lead_vectors_are_stored_at_add_time(library_resources, tmp_path):
    api.add([str(write_articles(tmp_path / "in.jsonl", with_copy=False))], library_resources)
    store = library_resources.store
    ids = [a.id for s in library.stories(library_resources) for a in library.story(library_resources, s.id)[1]]
    vectors = store.vectors(ids, "minilm")
    assert {key[0] for key in vectors} == set(ids)
    key, vector = next(iter(vectors.items()))
    article = next(a for s in library.stories(library_resources) for a in store.articles_of(s.id) if a.id == key[0])
    fresh = library_resources.embedder.encode([article.text[key[1]:key[2]]])[0]
    assert np.allclose(vector, fresh, atol=1e-5)


def test_a_failing_batch_leaves_nothing(library_resources, tmp_path):
    api.add([str(write_articles(tmp_path / "in.jsonl", with_copy=False))], library_resources)
    store = library_resources.store
    before = _tables(store)
    stored = store.articles_of(library.stories(library_resources)[0].id)[0]
    states = store.story_states()
    from newsbrief.cluster import features

    item = features(stored, np.ones(384, dtype=np.float32) / np.sqrt(384), 19800.0)
    fresh = states[0]
    fresh.size += 1
    # The same article twice in one batch violates the unique id: the whole batch must roll back.
    rows = [NewArticle(stored, item, fresh.id, None, b"\0" * 8)]
    with pytest.raises(StoreError):
        store.write_batch(rows, [fresh], vectors={(stored.id, 0, 5): np.zeros(384)}, model="minilm")
    assert _tables(store) == before


def test_migrations_are_recorded_and_a_newer_schema_is_refused(library_resources):
    store = library_resources.store
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar() == schema.SCHEMA_VERSION
    Store(store.url).close()  # reopening applies nothing twice
    with store.engine.begin() as conn:
        conn.execute(update(schema.schema_version).values(version=schema.SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="newer than this newsbrief"):
        Store(store.url)


def test_sqlite_library_uses_wal(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'lib' / 'library.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    store.close()


def test_unusable_database_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create the library directory"):
        Store(f"sqlite:///{blocker / 'sub' / 'library.db'}")
    with pytest.raises(StoreError, match="cannot open the library"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_one_writer_at_a_time(library_resources):
    store = library_resources.store
    other = Store(store.url)
    try:
        with store.writer():
            with pytest.raises(StoreError, match="another newsbrief process"):
                with other.writer(wait=0.3):
                    pass
        with other.writer(wait=0.3):  # released on exit
            pass
    finally:
        other.close()


def test_concurrent_adds_keep_stories_apart(library_resources, tmp_path):
    """Two writers at once (each with its own connection) must not hand out the same story number."""
    inputs = []
    for name, items in (("bridge", BRIDGE), ("chess", CHESS)):
        rows = [{"title": t, "text": x, "outlet": f"{name} {i}", "published": f"2024-03-0{i + 3}"}
                for i, (t, x) in enumerate(items)]
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        inputs.append(path)
    writers = [library_resources, Resources(library_resources.settings, embedder=library_resources.embedder)]
    failures: list[BaseException] = []

    def run(resources, path):
        try:
            api.add([str(path)], resources)
        except BaseException as exc:  # surfaced below: a thread's exception is otherwise lost
            failures.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(writers, inputs, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    writers[1].store.close()
    assert not failures, failures
    stories = library.stories(library_resources)
    assert sorted(s.size for s in stories) == [3, 3]
    for story in stories:
        _, members = library.story(library_resources, story.id)
        assert len(members) == story.size
        assert len({m.outlet.split()[0] for m in members}) == 1  # one topic's articles only
