"""The JSON API through HTTP against the real server on loopback (uvicorn in a thread).

Every endpoint is driven with httpx, good input and bad: the errors must come back
as JSON ``{"error": {"status", "message"}}`` with the right status and a message
that says what is wrong.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from loopback_server import loopback_server
from web_support import ARTICLES, free_port, running_server, wait_for_job

from newsbrief import api, library, render
from newsbrief.resources import Resources
from newsbrief.web import LOOPBACK_HOSTS, create_app, operator_allows_private_urls

LIMITS = {"max_request_bytes": 100_000, "max_articles_per_briefing": 5}


def _app(resources: Resources, home: Path, **settings):
    """An app with its own library in ``home``, sharing the session's loaded model."""
    shared = Resources(resources.settings.with_overrides(home=str(home), **settings), embedder=resources.embedder)
    allow = settings.pop("allow_private_urls", False)
    return create_app(shared, allow_private_urls=allow)


@pytest.fixture(scope="module")
def web(resources, tmp_path_factory):
    app = _app(resources, tmp_path_factory.mktemp("web-home"), **LIMITS)
    with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield app, client


@pytest.fixture(scope="module")
def server(web):
    return web[1]


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"]["status"] == status
    return body["error"]["message"]


def test_posted_articles_are_briefed_and_every_citation_points_into_its_source(server):
    response = server.post("/api/briefings", json={"articles": ARTICLES, "words": 80})
    assert response.status_code == 202
    assert response.json()["status"] in ("queued", "running")
    location = response.headers["location"]
    done = wait_for_job(server, location)
    assert done["status"] == "done", done
    assert server.get(location).status_code == 200
    briefing = done["briefing"]
    assert [s["outlet"] for s in briefing["sources"]] == [a["outlet"] for a in ARTICLES]
    assert briefing["headline"] and briefing["summary"]
    texts = {s["id"]: s["text"] for s in briefing["sources"]}
    for sentence in briefing["summary"]:
        for cite in sentence["citations"]:
            quoted = texts[cite["source"]][cite["start"]:cite["end"]]
            assert quoted.strip() and quoted in texts[cite["source"]]
    # The council vote is told by all three outlets: the summary says so.
    vote = [s for s in briefing["summary"] if "council voted" in s["text"]]  # the weekday may be left out
    assert vote and vote[0]["support"] == 3


def test_words_left_out_of_a_summary_sentence_are_marked_on_the_briefing_page(server):
    ferry = ("The harbour authority said Friday that the ferry to Tolvik would stop running in May "
             "because of falling passenger numbers.")
    articles = [
        {"outlet": "Tolvik Post", "text": ferry + "\n\nIslanders plan a protest at the harbour next week, "
                                  "and the island school says forty pupils who cross each morning have no "
                                  "other way to reach their classes.\n\nThe authority has not said whether a "
                                  "smaller boat could replace the ferry."},
        {"outlet": "Coast Radio", "text": "The ferry to Tolvik will stop running in May, the harbour authority "
                                          "said, citing falling passenger numbers.\n\nIslanders were angry "
                                          "at a meeting in the village hall, where the council promised to look "
                                          "for money to keep a smaller boat running through the winter."},
    ]
    response = server.post("/api/briefings", json={"articles": articles, "words": 40})
    done = wait_for_job(server, response.headers["location"])
    assert done["status"] == "done", done
    point = next(s for s in done["briefing"]["summary"] if "ferry to Tolvik would stop" in s["text"])
    assert point["text"].startswith("The harbour authority said that the ferry")  # the JSON: the shown words
    assert [ferry[r["start"] - point["citations"][0]["start"]:][:7] for r in point["omitted"]] == [" Friday"]
    page = server.get(response.headers["location"].replace("/api/briefings/", "/briefings/"))
    assert page.status_code == 200 and "The harbour authority said … that the ferry" in page.text


def test_upload_gives_the_same_json_as_the_brief_command(server, resources, tmp_path):
    lines = "\n".join(json.dumps(a) for a in ARTICLES) + "\n"
    path = tmp_path / "bridge.jsonl"
    path.write_text(lines, encoding="utf-8")
    expected = render.to_dict(api.brief([str(path)], resources))  # what `brief --format json` prints

    response = server.post("/api/briefings/upload?wait=true",
                           files=[("files", ("bridge.jsonl", lines.encode(), "application/x-ndjson"))])
    assert response.status_code == 200, response.text
    got = response.json()["briefing"]
    # Only where the input sat differs: an upload is named by its file name alone.
    folder = str(tmp_path) + os.sep
    for source in expected["sources"]:
        source["origin"], source["path"] = source["origin"].replace(folder, ""), "bridge.jsonl"
    for profile in expected["profiles"]:
        for key in ("origin", "path"):
            if isinstance(profile["facts"].get(key), str):
                profile["facts"][key] = profile["facts"][key].replace(folder, "")
    assert [s["origin"] for s in got["sources"]] == [f"bridge.jsonl:{n}" for n in (1, 2, 3)]
    assert got == expected


def test_pasted_texts_are_split_on_dashes(server):
    texts = "\n---\n".join(a["text"] for a in ARTICLES)
    response = server.post("/api/briefings/upload?wait=true", data={"texts": texts})
    assert response.status_code == 200, response.text
    assert len(response.json()["briefing"]["sources"]) == 3


def test_malformed_json_is_a_400_naming_the_problem(server):
    response = server.post("/api/briefings", content=b'{"articles": [', headers={"content-type": "application/json"})
    assert "not valid JSON" in _error(response, 400)


def test_empty_article_list_is_refused(server):
    assert "no articles" in _error(server.post("/api/briefings", json={"articles": []}), 422)
    message = _error(server.post("/api/briefings", json={"articles": [{"text": "  "}]}), 422)
    assert "articles.0" in message and "non-empty `text` or `html`" in message
    assert "articles" in _error(server.post("/api/briefings", json={"articles": "not a list"}), 422)


def test_too_many_articles_is_refused(server):
    many = [{"text": f"Article number {n} about the bridge."} for n in range(6)]
    message = _error(server.post("/api/briefings", json={"articles": many}), 422)
    assert "6 articles" in message and "limit is 5" in message
    # One JSON Lines file may hold many articles: the limit holds for what is read from it.
    lines = "\n".join(json.dumps({"text": a["text"] + f" Copy {n}.", "outlet": f"Outlet {n}"})
                      for n, a in enumerate(ARTICLES * 2)).encode()
    upload = server.post("/api/briefings/upload?wait=true", files=[("files", ("many.jsonl", lines))])
    assert "6 articles given; the limit is 5" in _error(upload, 422)


def test_oversized_body_is_a_413_with_or_without_content_length(server):
    big = {"articles": [{"text": "word " * 30_000}]}
    assert "limit is 100,000 bytes" in _error(server.post("/api/briefings", json=big), 413)

    def chunks():  # no Content-Length: the server must count what arrives
        for _ in range(30):
            yield b"x" * 10_000

    response = server.post("/api/briefings", content=chunks(), headers={"content-type": "application/json"})
    assert "limit is 100,000 bytes" in _error(response, 413)
    form = server.post("/new", files=[("files", ("big.txt", b"x" * 200_000))])
    assert form.status_code == 413 and "limit is 100,000 bytes" in form.text
    assert form.headers["content-type"].startswith("text/html")


def test_bad_words_and_bad_urls_are_refused(server):
    assert "words" in _error(server.post("/api/briefings", json={"articles": ARTICLES, "words": 3}), 422)
    message = _error(server.post("/api/briefings", json={"urls": ["file:///etc/passwd"]}), 422)
    assert message.startswith("file:///etc/passwd") and "http" in message
    message = _error(server.post("/api/briefings", json={"urls": ["/etc/passwd"]}), 422)
    assert "only http:// and https://" in message


def test_unknown_briefing_and_route_are_404_json(server):
    assert "no such briefing" in _error(server.get("/api/briefings/nope"), 404)
    assert "no such page" in _error(server.get("/api/nothing-here"), 404)


def test_openapi_documents_the_api(server):
    schema = server.get("/openapi.json").json()
    for path in ("/api/briefings", "/api/briefings/upload", "/api/briefings/{job_id}"):
        assert path in schema["paths"]
    assert "ArticleIn" in schema["components"]["schemas"]


def test_loopback_url_is_refused_by_default_and_fetched_when_the_operator_allows_it(server, resources, tmp_path):
    with loopback_server() as site:
        url = f"{site}/article"
        response = server.post("/api/briefings?wait=true", json={"urls": [url]})
        message = _error(response, 422)
        assert url in message and "loopback" in message

        with running_server(_app(resources, tmp_path, allow_private_urls=True)) as base:
            allowed = httpx.post(f"{base}/api/briefings?wait=true", json={"urls": [url]}, timeout=60)
    assert allowed.status_code == 200, allowed.text
    source = allowed.json()["briefing"]["sources"][0]
    assert source["url"] == url and "Grey Point lighthouse" in source["text"]


def test_operator_setting_is_what_allows_private_urls(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert not operator_allows_private_urls(environ={"NEWSBRIEF_HOME": str(home)})  # default stays off
    assert operator_allows_private_urls(environ={"NEWSBRIEF_HOME": str(home), "NEWSBRIEF_ALLOW_PRIVATE_URLS": "1"})
    (home / "config.toml").write_text("[newsbrief]\nallow_private_urls = true\n")
    assert operator_allows_private_urls(environ={"NEWSBRIEF_HOME": str(home)})


def test_a_briefing_past_its_time_limit_fails_with_504(resources, tmp_path):
    with running_server(_app(resources, tmp_path, briefing_timeout=0.001)) as base:
        response = httpx.post(f"{base}/api/briefings?wait=true", json={"articles": ARTICLES}, timeout=60)
    message = _error(response, 504)
    assert "longer than 0.001 s" in message


def _listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses a local socket listens on for ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_serve_command_binds_loopback_by_default(tmp_path):
    port = free_port()
    env = {**os.environ, "NEWSBRIEF_HOME": str(tmp_path), "NEWSBRIEF_EMBEDDER": "tfidf"}
    process = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port)],
                               env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert _listening_addresses(port) == {"127.0.0.1"}
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert f"serving http://127.0.0.1:{port}/" in stderr.decode()


def test_cross_site_posts_are_refused(server):
    evil = {"origin": "http://evil.example"}
    response = server.post("/api/articles/upload", data={"texts": ARTICLES[0]["text"]}, headers=evil)
    assert "cross-site request from http://evil.example refused" in _error(response, 403)
    assert server.get("/api/stories", headers=evil).status_code == 200  # reading is not a write
    form = server.post("/new", data={"texts": "x"}, headers=evil)
    assert form.status_code == 403 and form.headers["content-type"].startswith("text/html")


def test_loopback_server_refuses_other_host_names(resources, tmp_path):
    shared = Resources(resources.settings.with_overrides(home=str(tmp_path)), embedder=resources.embedder)
    app = create_app(shared, allowed_hosts=LOOPBACK_HOSTS)
    with running_server(app) as base:
        assert httpx.get(f"{base}/api/stories").status_code == 200
        assert httpx.get(f"{base}/api/stories", headers={"host": "localhost:1234"}).status_code == 200
        rebound = httpx.get(f"{base}/api/stories", headers={"host": "rebind.example:8000"})
    assert "does not serve the host name 'rebind.example:8000'" in _error(rebound, 421)


def test_pages_carry_a_script_policy(server):
    page = server.get("/new")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    api_page = server.get("/api")
    assert "/api/stories/{story_id}/briefing" in api_page.text and "content-security-policy" in api_page.headers
    missing = server.get("/stories/4242/sources/1")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


FOURTH = {
    "outlet": "Lindenport Evening Post",
    "title": "Bridge vote: what happens next",
    "published": "2026-03-05",
    "text": (
        "Lindenport city council voted on Tuesday to build a new tidal bridge across the Marrow estuary, "
        "and the first contracts will be tendered this summer.\n\n"
        "The council said environmental studies of the eel migration would be published before work begins.\n\n"
        "Mayor Clara Osei said the bridge would end forty years of waiting for the north shore, and that "
        "the city would hold public meetings on the design in April."
    ),
}


def test_library_stories_briefing_articles_and_search(web, resources):
    app, client = web
    added = client.post("/api/articles", json={"articles": ARTICLES})
    assert added.status_code == 200, added.text
    report = added.json()
    assert report["added"] == 3 and report["new_stories"] == 1
    story = report["stories"][0]
    sid = story["id"]
    assert story["outlets"] == sorted(a["outlet"] for a in ARTICLES) and story["articles"] == 3

    listed = client.get("/api/stories").json()["stories"]
    assert [s["id"] for s in listed] == [sid]
    detail = client.get(f"/api/stories/{sid}").json()
    assert sorted(a["title"] for a in detail["article_list"]) == sorted(a["title"] for a in ARTICLES)
    assert client.get(f"/api/stories/{sid}/articles").json()["articles"] == detail["article_list"]

    # The story's briefing is the library's briefing, in the brief --format json contract.
    first = client.get(f"/api/stories/{sid}/briefing")
    assert first.status_code == 200
    reader = Resources(app.state.resources.settings, embedder=resources.embedder)
    assert first.json() == render.to_dict(library.story_briefing(sid, reader))
    builds = app.state.cache.builds
    assert client.get(f"/api/stories/{sid}/briefing").content == first.content
    assert client.get(f"/stories/{sid}").status_code == 200
    assert app.state.cache.builds == builds  # served from the cache, not recomputed

    # A new article in the story invalidates its cached briefing.
    upload = client.post("/api/articles/upload", files=[("files", ("evening.jsonl", json.dumps(FOURTH).encode()))])
    assert upload.status_code == 200, upload.text
    assert [s["id"] for s in upload.json()["stories"]] == [sid]
    outlets = [s["outlet"] for s in client.get(f"/api/stories/{sid}/briefing").json()["sources"]]
    assert "Lindenport Evening Post" in outlets and app.state.cache.builds == builds + 1

    hits = client.get("/api/search", params={"q": "eel migration"}).json()["hits"]
    assert {h["article"]["story_id"] for h in hits} == {sid} and all(h["snippet"] for h in hits)
    assert [s["id"] for s in client.get("/api/stories", params={"q": "eel"}).json()["stories"]] == [sid]
    assert client.get("/api/stories", params={"q": "zeppelin"}).json()["stories"] == []


def test_library_errors(server):
    assert "no story 4242" in _error(server.get("/api/stories/4242/briefing"), 404)
    assert "story_id" in _error(server.get("/api/stories/not-a-number"), 422)
    assert "q" in _error(server.get("/api/search", params={"q": ""}), 422)
    assert "no articles" in _error(server.post("/api/articles", json={"articles": []}), 422)
