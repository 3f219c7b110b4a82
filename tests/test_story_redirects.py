"""Story numbers outlive merges: a merged-away number leads to the story holding its articles.

``add`` merges stories that have gone quiet and ``recluster`` regroups the
whole library; links, bookmarks and scripts that kept a story's number must
still reach those articles (CLI, library API, JSON API and pages), and
``recluster`` must not renumber the stories it leaves alone. Real SQLite and
PostgreSQL (the ``make_library`` fixture), the real CLI in a subprocess and
the real web server on loopback; our own articles (tests/test_library_merge.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from library_fixtures import postgres  # noqa: F401 (a fixture, requested by name)
from test_library_merge import FESTIVAL, WATER_JUNE, WATER_MAY, make_library, story_of, write  # noqa: F401
from web_support import running_server

from newsbrief import library
from newsbrief.errors import NotFoundError
from newsbrief.resources import Resources
from newsbrief.settings import Settings
from newsbrief.web import create_app

MAY, JUNE = {t for _, t, _ in WATER_MAY}, {t for _, t, _ in WATER_JUNE}


def _merged_in_add(resources, tmp_path) -> tuple[int, int]:
    """Two water stories merged by ``add``: (the number merged away, the number kept)."""
    library.add([str(write(tmp_path / "water.jsonl", WATER_MAY + WATER_JUNE))], resources)
    placed = story_of(resources)
    first, second = placed[next(iter(MAY))], placed[next(iter(JUNE))]
    assert first != second
    report = library.add([str(write(tmp_path / "festival.jsonl", FESTIVAL))], resources)
    assert report.merged == 1
    return min(first, second), max(first, second)


def test_a_number_merged_away_in_add_leads_to_the_kept_story(make_library, tmp_path):  # noqa: F811 (the fixture imported above)
    resources = make_library()
    gone, kept = _merged_in_add(resources, tmp_path)
    assert library.resolve_story(resources, gone) == kept
    assert library.resolve_story(resources, kept) == kept
    story, members = library.story(resources, gone)
    assert story.id == kept and {m.title for m in members} == MAY | JUNE
    briefing = library.story_briefing(gone, resources)
    assert len(briefing.sources) == len(MAY | JUNE)
    unknown = resources.store.next_story_id() + 7
    with pytest.raises(NotFoundError, match=f"no story {unknown}"):
        library.resolve_story(resources, unknown)


def test_recluster_keeps_numbers_and_redirects_the_ones_it_merges(make_library, tmp_path):  # noqa: F811 (the fixture imported above)
    resources = make_library()
    # Added one at a time and still active, so add's quiet-story merge leaves the two water stories apart.
    library.add([str(write(tmp_path / "water.jsonl", WATER_MAY + WATER_JUNE))], resources)
    placed = story_of(resources)
    first, second = placed[next(iter(MAY))], placed[next(iter(JUNE))]
    before, after = library.recluster(resources)
    assert (before, after) == (2, 1)
    placed = story_of(resources)
    # The merged story keeps the number most of its articles had (three May articles, two June ones).
    assert set(placed.values()) == {first}
    assert library.resolve_story(resources, second) == first
    # A number recluster retired is never handed out again.
    library.add([str(write(tmp_path / "festival.jsonl", FESTIVAL))], resources)
    festival = story_of(resources)[FESTIVAL[0][1]]
    assert festival > max(first, second)
    # Reclustering again changes nothing: every story keeps its number.
    library.recluster(resources)
    assert story_of(resources) == {**{t: first for t in MAY | JUNE}, FESTIVAL[0][1]: festival}
    assert library.resolve_story(resources, second) == first


def test_a_chain_of_merges_resolves_to_the_last_heir(make_library, tmp_path):  # noqa: F811 (the fixture imported above)
    resources = make_library()
    gone, kept = _merged_in_add(resources, tmp_path)
    festival = story_of(resources)[FESTIVAL[0][1]]
    # A later merge into the festival story (as a batch writes it): the older number follows along.
    resources.store.write_batch([], [], vectors={}, model="none", absorbed={kept: festival})
    assert library.resolve_story(resources, kept) == festival
    assert library.resolve_story(resources, gone) == festival
    assert set(story_of(resources).values()) == {festival}


def test_cli_and_web_follow_a_merged_number(tmp_path, resources):
    # SQLite under NEWSBRIEF_HOME, which the CLI subprocess reads as well.
    lib = Resources(Settings(home=str(tmp_path / "home"), embedder="minilm"), embedder=resources.embedder)
    gone, kept = _merged_in_add(lib, tmp_path)
    env = {**os.environ, "NEWSBRIEF_HOME": lib.settings.home, "NEWSBRIEF_EMBEDDER": "minilm"}
    shown = subprocess.run([sys.executable, "-m", "newsbrief", "stories", "--story", str(gone)],
                           capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert f"story {gone} was merged into story {kept}" in shown.stderr
    assert f"story {kept}:" in shown.stdout

    app = create_app(lib)
    with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        moved = client.get(f"/api/stories/{gone}/articles", params={"x": "1"})
        assert moved.status_code == 301
        assert moved.headers["location"] == f"/api/stories/{kept}/articles?x=1"
        padded = client.get(f"/api/stories/00{gone}/briefing")  # the same number, written another way
        assert padded.status_code == 301 and padded.headers["location"] == f"/api/stories/{kept}/briefing"
        followed = client.get(f"/api/stories/{gone}", follow_redirects=True)
        assert followed.status_code == 200 and followed.json()["id"] == kept
        page = client.get(f"/stories/{gone}/sources/1")
        assert page.status_code == 301 and page.headers["location"] == f"/stories/{kept}"
        missing = client.get(f"/api/stories/{kept + 50}")
        assert missing.status_code == 404 and f"no story {kept + 50}" in missing.json()["error"]["message"]
