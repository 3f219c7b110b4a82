"""Online story clustering with the real MiniLM model: names, time and real news separate stories."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from library_fixtures import BRIDGE, CHESS, stream_features

from newsbrief import cluster, cluster_scores
from newsbrief.records import Article

STREAM = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "duc0304_stream.jsonl"

# A second bridge collapse: the same kind of event, other places and people.
OTHER_BRIDGE = [
    ("Port Allyn footbridge gives way during festival",
     "A pedestrian footbridge over the Sable Canal in Port Allyn gave way on Friday during the harbour "
     "festival, injuring fourteen people. Governor Lucia Brandt said the timber bridge had been closed "
     "for repairs in May and reopened in July. Police Commissioner Henrik Aalto said crowds had been "
     "warned about the load limit."),
    ("Port Allyn festival bridge had failed inspection",
     "The Sable Canal footbridge that collapsed during the Port Allyn harbour festival had failed an "
     "inspection in May, Governor Lucia Brandt confirmed on Saturday. Fourteen people were injured when "
     "the timber span gave way. Commissioner Henrik Aalto opened an inquiry into the festival organisers."),
]


def _items(resources, stories, start_day: float = 19_800.0, gap: float = 1.0):
    """Features for (title, text) pairs, one day apart, embedded with the real model."""
    out = []
    day = start_day
    for title, text in stories:
        article = Article(id=f"a{len(out)}-{title[:8]}", origin=title, text=text, raw_text=text,
                          raw_chars=len(text), title=title)
        spans = cluster.lead_spans(text)
        vector = cluster.lead_vector(resources.embedder.encode([text[a:b] for a, b in spans]))
        out.append(cluster.features(article, vector, day))
        day += gap
    return out


def test_entities_are_capitalised_phrases_without_sentence_starts():
    found = cluster.extract_entities(
        "The Bank of England raised rates on Thursday. But Governor Andrew Bailey said the U.S. economy "
        "was slowing. In New York, shares fell.")
    assert "bank of england" in found and "new york" in found and "u.s." in found
    assert "governor andrew bailey" in found
    assert not {"the", "but", "thursday", "in"} & set(found)


def test_two_events_of_the_same_kind_stay_apart(resources):
    index = cluster.StoryIndex(384)
    items = _items(resources, BRIDGE + OTHER_BRIDGE + CHESS)
    stories = [index.assign(item).id for item in items]
    riverton, port_allyn, chess = stories[:3], stories[3:5], stories[5:]
    assert len(set(riverton)) == 1 and len(set(port_allyn)) == 1 and len(set(chess)) == 1
    assert len({riverton[0], port_allyn[0], chess[0]}) == 3
    story = index.story(riverton[0])
    assert story.title in {title for title, _ in BRIDGE}
    assert {"riverton", "harlan"} & set(story.keywords(index.term_idf))


def test_the_same_people_a_month_later_is_a_new_story(resources):
    index = cluster.StoryIndex(384)
    first, second, later = _items(resources, BRIDGE)
    index.assign(first)
    index.assign(second)
    same_day = replace(later, time=second.time + 1)
    month_later = replace(later, article_id=later.article_id + "x", time=second.time + 45)
    assert index.best_match(same_day)[0] is not None
    assert index.best_match(month_later)[0] is None


def test_an_undated_article_joins_its_story_on_text_and_names(resources):
    """An article without a date carries only the time it was added (here a year on):
    matched with that time it would start a story; undated, it joins the dated story."""
    index = cluster.StoryIndex(384)
    first, second, third = _items(resources, BRIDGE)
    chess = _items(resources, CHESS[:1])[0]
    story = index.assign(first)
    index.assign(second)
    added_later = replace(third, time=second.time + 365)
    assert index.best_match(added_later)[0] is None
    joined, placed = index.assign_undated(added_later)
    assert joined.id == story.id and joined.size == 3
    assert placed.time == second.time and joined.last_time == second.time
    other, _ = index.assign_undated(replace(chess, time=second.time + 365))
    assert other.id != story.id


def test_an_undated_article_must_clear_the_stricter_bar(resources):
    """Without a date there is no time evidence: the undated threshold applies, the dated one does not."""
    first, second = _items(resources, BRIDGE[:2])
    strict_undated = cluster.Params(threshold=0.0, undated_threshold=0.99)
    index = cluster.StoryIndex(384, strict_undated)
    story = index.assign(first)
    assert index.best_match(second)[0] == story.id
    assert index.best_match(second, timed=False)[0] is None
    lenient_undated = cluster.Params(threshold=0.99, undated_threshold=0.0)
    index = cluster.StoryIndex(384, lenient_undated)
    story = index.assign(first)
    assert index.best_match(second)[0] is None
    assert index.best_match(second, timed=False)[0] == story.id


def test_one_story_told_by_dated_and_undated_outlets_is_one_story(tmp_path):
    """examples/port-strike: one strike, six inputs, two of the five distinct articles dated June 2025."""
    from newsbrief import library
    from newsbrief.resources import Resources
    from newsbrief.settings import Settings

    folder = Path(__file__).resolve().parents[1] / "examples" / "port-strike"
    report = library.add([str(folder)], Resources(Settings(home=str(tmp_path), embedder="minilm")))
    assert report.added == 5 and report.new_stories == 1 and len(report.stories) == 1


def test_batch_reclustering_numbers_stories_in_time_order(resources):
    items = _items(resources, CHESS + BRIDGE)
    labels = cluster.cluster_batch(items, 384)
    assert [labels[i.article_id] for i in items] == [1, 1, 1, 2, 2, 2]


@pytest.mark.slow
def test_real_news_stream_is_clustered_precisely(resources):
    if not STREAM.is_file():
        pytest.fail(f"the shared eval data is missing at {STREAM}")
    rows = [json.loads(line) for line in STREAM.open(encoding="utf-8")][:80]
    index = cluster.StoryIndex(384)
    predicted = [index.assign(item).id for item in stream_features(rows, resources.embedder)]
    measured = cluster_scores.clustering_scores([set(r["labels"]) for r in rows], predicted)
    precision, recall = measured["P"], measured["R"]
    # Merging unrelated news is the costly mistake for a reader: precision must be high;
    # recall well above what one-story-per-article (0) gives.
    assert precision >= 0.85, (precision, recall)
    assert recall >= 0.4, (precision, recall)


def test_a_library_from_before_whole_text_words_is_migrated_and_keeps_clustering(tmp_path, resources):
    """A version-1 library has no whole-text word columns: opening it adds them empty, and
    new articles and ``recluster`` work on it."""
    from library_fixtures import write_articles
    from sqlalchemy import create_engine, select, text, update

    from newsbrief import library, schema
    from newsbrief.resources import Resources
    from newsbrief.settings import Settings

    settings = Settings(home=str(tmp_path / "home"), embedder="minilm")
    first = Resources(settings, embedder=resources.embedder)
    library.add([str(write_articles(tmp_path / "a.jsonl", with_copy=False))], first)
    url = first.store.url
    first.store.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # back to what version 1 wrote
        for table in ("stories", "articles"):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN text_terms"))
        conn.execute(update(schema.schema_version).values(version=1))
    engine.dispose()

    reopened = Resources(settings, embedder=resources.embedder)
    store = reopened.store
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar() == schema.SCHEMA_VERSION
    assert all(not state.text_terms for state in store.story_states())
    fresh = tmp_path / "b.jsonl"
    fresh.write_text(json.dumps({"title": "Riverton bridge inquiry opens", "published": "2024-03-07",
                                 "text": "An inquiry into the Harlan Street bridge collapse in Riverton opened on "
                                         "Thursday. Mayor Dana Whitcombe told the inquiry the Mill River bridge "
                                         "had been due for repairs in the spring. Engineers said the steel "
                                         "supports under the Riverton span had rusted through, and rescue crews "
                                         "described pulling nine people from the Mill River on the evening of "
                                         "the collapse."}) + "\n", encoding="utf-8")
    report = library.add([str(fresh)], reopened)
    assert report.added == 1 and report.new_stories == 0
    assert library.recluster(reopened) == (2, 2)
    assert any(state.text_terms for state in reopened.store.story_states())
    reopened.store.close()


def test_a_story_emptied_by_recluster_starts_over_from_its_next_article(resources):
    first, second = _items(resources, BRIDGE[:2], start_day=19_800.0, gap=3.0)
    index = cluster.StoryIndex(first.vector.shape[0])
    story = index.add(first)
    cluster._remove(index, first, story.id)
    assert story.first_time == story.last_time == cluster.EMPTIED
    index.add(second, story.id)
    assert (story.first_time, story.last_time) == (second.time, second.time)  # not the sentinel
