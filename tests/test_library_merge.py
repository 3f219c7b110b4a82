"""The quiet-story merge during ``add``, on a real SQLite file and a real PostgreSQL server.

Our own short articles: one theme (lead in Oakdale's tap water) told as two
stories 25 days apart, so online assignment keeps them apart (the time gap
costs more than their overlap), and an unrelated story. Once the second
water story has gone quiet too (its last article more than the 5-day grace
before the newest one), the next ``add`` merges the two water stories in its
batch transaction; while it is still active, it is left alone.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from library_fixtures import postgres  # noqa: F401 (a fixture, requested by name)
from sqlalchemy import select

from newsbrief import cluster_scores, library, schema
from newsbrief.records import Article
from newsbrief.resources import Resources
from newsbrief.settings import Settings

_databases = itertools.count()
STREAM = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "duc0304_stream.jsonl"

WATER_MAY = [
    ("2024-05-01", "Lead found in Oakdale tap water",
     "Tests by the Oakdale Water Authority found lead in the tap water of 40 homes in Oakdale, Mayor Rosa "
     "Delgado said on Wednesday. The lead comes from old service pipes fed by the Clearbrook Reservoir. "
     "Families were told to drink bottled water and to run taps before use. The water authority will test "
     "every school in Oakdale for lead."),
    ("2024-05-02", "Oakdale hands out bottled water as lead tests widen",
     "Oakdale began handing out bottled water on Thursday after lead turned up in tap water across the city. "
     "Mayor Rosa Delgado said the Oakdale Water Authority would replace lead service pipes. Doctors urged "
     "parents to have children tested for lead. The Clearbrook Reservoir itself is clean, officials said."),
    ("2024-05-03", "Oakdale schools shut drinking fountains over lead",
     "Schools in Oakdale shut their drinking fountains on Friday after water tests found lead in three "
     "buildings. The Oakdale Water Authority said lead service pipes from the 1950s are to blame. Mayor Rosa "
     "Delgado said bottled water would be delivered to every school until the pipes are replaced."),
]
WATER_JUNE = [
    ("2024-05-28", "Oakdale families sue water authority over lead",
     "Forty Oakdale families sued the Oakdale Water Authority on Tuesday over lead in their tap water. The "
     "lawsuit says the authority knew for years that its lead service pipes leached lead into drinking water. "
     "Mayor Rosa Delgado said the city would keep handing out bottled water while the pipes are replaced."),
    ("2024-05-29", "Oakdale lead lawsuit seeks pipe replacement",
     "The lawsuit against the Oakdale Water Authority asks a judge to order every lead service pipe in Oakdale "
     "replaced within a year. Lead levels in tap water at some homes remain high, tests show. Mayor Rosa "
     "Delgado said bottled water deliveries to schools and families continue."),
]
WATER_LATE = [
    ("2024-05-20", "Oakdale starts digging up lead pipes",
     "Crews began digging up lead service pipes on Elm Street in Oakdale on Monday. The Oakdale Water "
     "Authority said the first 200 pipes would be replaced by July. Mayor Rosa Delgado said tap water in "
     "those homes would be tested for lead again once the new pipes are in, and bottled water continues."),
]
FESTIVAL = [
    ("2024-06-05", "Harbor kite festival draws record crowd",
     "A record 30,000 visitors flew kites at the Port Ellery Harbor Kite Festival on Wednesday. Organiser "
     "Tomasz Wierzbicki said a dragon kite 40 metres long won the grand prize. Food stalls lined the "
     "harbour wall, and a brass band played until sunset."),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def make_library(request, tmp_path, resources):
    """A factory of fresh, empty libraries on one backend, sharing the session's loaded model."""
    made = []

    def make() -> Resources:
        url = ""
        if request.param == "postgresql":
            url = request.getfixturevalue("postgres").create_database(f"merge{next(_databases)}")
        home = tmp_path / f"home{len(made)}"
        made.append(Resources(Settings(home=str(home), embedder="minilm", database_url=url),
                              embedder=resources.embedder))
        return made[-1]

    yield make
    for library_resources in made:
        library_resources.store.close()


def write(path: Path, articles) -> Path:
    rows = [{"title": title, "text": text, "outlet": f"Outlet {n}", "published": day}
            for n, (day, title, text) in enumerate(articles)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def story_of(resources: Resources) -> dict[str, int]:
    """headline -> story id of every stored article."""
    with resources.store.engine.connect() as conn:
        rows = conn.execute(select(schema.articles.c.headline, schema.articles.c.story_id))
        return {r.headline: r.story_id for r in rows}


def tables(resources: Resources) -> tuple[list, list]:
    with resources.store.engine.connect() as conn:
        stories = [tuple(r) for r in conn.execute(select(schema.stories).order_by(schema.stories.c.id))]
        articles = [tuple(r) for r in conn.execute(select(
            schema.articles.c.id, schema.articles.c.story_id, schema.articles.c.time).order_by(schema.articles.c.seq))]
    return stories, articles


def test_quiet_stories_merge_in_add_and_active_ones_wait(make_library, tmp_path):
    resources = make_library()
    may, june = {t for _, t, _ in WATER_MAY}, {t for _, t, _ in WATER_JUNE}
    library.add([str(write(tmp_path / "water.jsonl", WATER_MAY + WATER_JUNE))], resources)
    placed = story_of(resources)
    # Online assignment keeps the two water stories apart (25 days between them) ...
    assert len({placed[t] for t in may}) == 1 and len({placed[t] for t in june}) == 1
    first, second = placed[next(iter(may))], placed[next(iter(june))]
    assert first != second
    # ... and the merge leaves them apart while the second is still active (newest article: its own).

    report = library.add([str(write(tmp_path / "festival.jsonl", FESTIVAL))], resources)
    placed = story_of(resources)
    kept = max(first, second)  # a merged story keeps its group's highest number
    assert {placed[t] for t in may | june} == {kept}
    festival = placed[FESTIVAL[0][1]]
    assert festival != kept and report.stories == (festival,) and report.merged == 1
    # The absorbed number leads to the kept story (tests/test_story_redirects.py: CLI, web, recluster).
    assert library.resolve_story(resources, min(first, second)) == kept
    merged, members = library.story(resources, kept)
    assert merged.size == 5 and len(members) == 5
    assert (merged.first_seen, merged.last_seen) == ("2024-05-01", "2024-05-29")
    assert merged.title in may | june and "lead" in merged.keywords
    # The stored running sums are those of the five members: a reopened index sees one water story.
    state = next(s for s in resources.store.story_states() if s.id == kept)
    assert state.size == 5 and state.entities["oakdale water authority"] == 5
    assert [s.id for s in resources.store.story_states()] == sorted([kept, festival])


def test_a_new_article_that_starts_a_story_joins_the_quiet_story_it_continues(make_library, tmp_path):
    """17 days after the May water story went quiet, one more water article: online it starts a story
    (the time gap costs too much), then the batch's merge puts it into the quiet May story."""
    resources = make_library()
    library.add([str(write(tmp_path / "may.jsonl", WATER_MAY))], resources)
    may = {story_of(resources)[t] for _, t, _ in WATER_MAY}
    report = library.add([str(write(tmp_path / "late.jsonl", WATER_LATE))], resources)
    placed = story_of(resources)
    assert report.new_stories == 1 and report.merged == 1  # its own story first, then merged
    kept = placed[WATER_LATE[0][1]]
    assert {placed[t] for _, t, _ in WATER_MAY} == {kept} and kept not in may  # the higher number is kept
    merged, members = library.story(resources, kept)
    assert merged.size == 4 and (merged.first_seen, merged.last_seen) == ("2024-05-01", "2024-05-20")
    # An unrelated article on its own does not join it.
    library.add([str(write(tmp_path / "festival.jsonl", FESTIVAL))], resources)
    assert story_of(resources)[FESTIVAL[0][1]] != kept


def test_the_same_event_told_again_40_days_later_joins_its_story_once_quiet(make_library, tmp_path):
    """Beyond the 30-day online window, a story that shares words and names as closely as one event's
    articles do still merges (at the full bar after 40 days of gap cost), so the merge window of ``add``
    reaches back past a month; a second add a day later leaves everything as it was."""
    resources = make_library()
    later = [(f"2024-06-{12 + n}", title, text) for n, (_, title, text) in enumerate(WATER_JUNE)]
    library.add([str(write(tmp_path / "water.jsonl", WATER_MAY + later))], resources)
    placed = story_of(resources)
    may, june = {placed[t] for _, t, _ in WATER_MAY}, {placed[t] for _, t, _ in later}
    assert len(may) == 1 and len(june) == 1 and may != june  # 40 days apart: two stories online
    festival = [("2024-06-25", *FESTIVAL[0][1:])]
    report = library.add([str(write(tmp_path / "festival.jsonl", festival))], resources)
    placed = story_of(resources)
    kept = max(may | june)
    assert {placed[t] for _, t, _ in WATER_MAY + later} == {kept} and report.merged == 1
    assert placed[FESTIVAL[0][1]] != kept
    merged, _ = library.story(resources, kept)
    assert (merged.first_seen, merged.last_seen) == ("2024-05-01", "2024-06-13")


def test_merge_in_one_add_equals_merge_across_two(make_library, tmp_path):
    """A reopened library (a rerun after a kill) merges exactly as one run does."""
    whole = make_library()
    library.add([str(write(tmp_path / "all.jsonl", WATER_MAY + WATER_JUNE + FESTIVAL))], whole)
    split = make_library()
    library.add([str(write(tmp_path / "a.jsonl", WATER_MAY + WATER_JUNE))], split)
    library.add([str(write(tmp_path / "b.jsonl", FESTIVAL))], split)
    assert len(set(story_of(whole).values())) == 2
    assert tables(whole) == tables(split)


@pytest.mark.slow
def test_add_files_a_real_news_stream_into_stories(tmp_path, resources):
    """The whole DUC stream (741 articles) through ``add`` (batches of 64, the merge in each), scored
    on the tune part (DUC 2003 topics) as bench/cluster_eval.py does.

    Measured 2026-11-23: tune P 0.888 R 0.919 F1 0.903 (all: see docs/BENCHMARKS.md); without the
    lower bar for a small piece joining a larger story (``small_into_large``) P 0.893 R 0.891 F1 0.892,
    which the recall floor rejects.
    """
    if not STREAM.is_file():
        pytest.fail(f"the shared eval data is missing at {STREAM}")
    rows = [json.loads(line) for line in STREAM.open(encoding="utf-8")]
    home = Resources(Settings(home=str(tmp_path / "home"), embedder="minilm"), embedder=resources.embedder)
    articles = [Article(id=r["id"], origin=r["id"], text=r["text"], raw_text=r["text"], raw_chars=len(r["text"]),
                        published=r["date"]) for r in rows]
    library.file_articles(articles, home)
    with home.store.engine.connect() as conn:
        placed = dict(conn.execute(select(schema.articles.c.id, schema.articles.c.story_id)).all())
    home.store.close()
    tune = [r for r in rows if all(label.startswith("d300") for label in r["labels"])]
    assert len(tune) == 497
    measured = cluster_scores.clustering_scores([set(r["labels"]) for r in tune], [placed[r["id"]] for r in tune])
    assert measured["P"] >= 0.87, measured
    assert measured["R"] >= 0.91, measured
    assert measured["F1"] >= 0.90, measured
