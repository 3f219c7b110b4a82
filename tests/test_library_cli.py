"""The library through the real CLI: add, stories, search, brief --story, recluster, and SIGKILL mid-add."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_fixtures import CHESS, write_articles

STREAM = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "duc0304_stream.jsonl"


def run(home: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSBRIEF_HOME": str(home), "NEWSBRIEF_EMBEDDER": "minilm"}
    return subprocess.run([sys.executable, "-m", "newsbrief", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def start(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "NEWSBRIEF_HOME": str(home), "NEWSBRIEF_EMBEDDER": "minilm"}
    return subprocess.Popen([sys.executable, "-m", "newsbrief", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


def tables(home: Path) -> tuple[list, list]:
    with sqlite3.connect(home / "library.db") as conn:
        stories = conn.execute("SELECT id, title, keywords, size, first_time, last_time, entities, terms "
                               "FROM stories ORDER BY id").fetchall()
        articles = conn.execute("SELECT seq, id, story_id, duplicate_of, headline, time, text "
                                "FROM articles ORDER BY seq").fetchall()
    return stories, articles


def stored_articles(home: Path) -> int:
    path = home / "library.db"
    if not path.is_file():
        return 0  # connecting would create it, racing the CLI's own setup
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # schema not created yet


def test_cli_add_list_search_brief_recluster(tmp_path):
    home = tmp_path / "home"
    source = write_articles(tmp_path / "in.jsonl")
    added = run(home, "add", str(source), "--json")
    assert added.returncode == 0, added.stderr
    report = json.loads(added.stdout)
    assert (report["added"], report["copies"], report["new_stories"]) == (7, 1, 2)

    listed = json.loads(run(home, "stories", "--json").stdout)
    assert sorted(s["size"] for s in listed) == [3, 4]
    chess = next(s for s in listed if s["size"] == 3)
    assert chess["first_seen"] == "2024-03-04" and chess["last_seen"] == "2024-03-06"

    hits = json.loads(run(home, "search", "Lindqvist", "--json").stdout)
    assert {h["article"]["story_id"] for h in hits} == {chess["id"]} and len(hits) == 3

    briefing = run(home, "brief", "--story", str(chess["id"]), "--format", "json")
    assert briefing.returncode == 0, briefing.stderr
    sources = json.loads(briefing.stdout)["sources"]
    assert len(sources) == 3 and "Okafor" in briefing.stdout

    reclustered = run(home, "recluster", "--json")
    assert json.loads(reclustered.stdout) == {"stories_before": 2, "stories_after": 2}
    after = json.loads(run(home, "stories", "--json").stdout)
    assert sorted(s["size"] for s in after) == [3, 4]
    members = json.loads(run(home, "stories", "--story", str(next(s["id"] for s in after if s["size"] == 3)),
                             "--json").stdout)[0]["articles"]
    assert {m["title"] for m in members} == {title for title, _ in CHESS}


def test_cli_errors_are_one_line(tmp_path):
    home = tmp_path / "home"
    missing = run(home, "brief", "--story", "42")
    assert missing.returncode == 6 and missing.stderr.strip() == "error: no story 42 in the library"
    bad_date = run(home, "stories", "--since", "yesterday")
    assert bad_date.returncode == 2 and "Traceback" not in bad_date.stderr
    assert "--since 'yesterday' is not a date" in bad_date.stderr
    bad_every = run(home, "watch", "http://127.0.0.1:9/feed.xml", "--every", "soon")
    assert bad_every.returncode == 3 and "is not a duration" in bad_every.stderr


@pytest.mark.slow
def test_sigkill_midway_then_rerun_equals_one_clean_run(tmp_path):
    if not STREAM.is_file():
        pytest.fail(f"the shared eval data is missing at {STREAM}")
    # Three batches of 64: the third merges two stories gone quiet (the quiet-story merge of add).
    rows = [json.loads(line) for line in STREAM.open(encoding="utf-8")][:192]
    source = tmp_path / "stream.jsonl"
    source.write_text("".join(json.dumps({"text": r["text"], "outlet": r["source"], "published": r["date"]}) + "\n"
                              for r in rows), encoding="utf-8")

    killed_home = tmp_path / "killed"
    process = start(killed_home, "add", str(source))
    deadline = time.monotonic() + 600
    while stored_articles(killed_home) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert process.returncode == -signal.SIGKILL, "add finished before it could be killed"
    partial = stored_articles(killed_home)
    assert 0 < partial <= 128  # whole batches only, and the merging third batch is left for the rerun

    resumed = run(killed_home, "add", str(source), "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["already_stored"] >= partial

    clean_home = tmp_path / "clean"
    assert run(clean_home, "add", str(source)).returncode == 0
    assert tables(killed_home) == tables(clean_home)
    stories = tables(clean_home)[0]
    assert max(s[0] for s in stories) > len(stories)  # a story number was merged away (numbers are never reused)
