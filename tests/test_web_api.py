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

import httpx
import pytest
from loopback_server import loopback_server
from web_support import ARTICLES, free_port, running_server, wait_for_job

from newsbrief import api, render
from newsbrief.resources import Resources
from newsbrief.web import create_app, operator_allows_private_urls

LIMITS = {"max_request_bytes": 100_000, "max_articles_per_briefing": 5}


def _app(resources: Resources, **settings):
    # Every app here shares the session's loaded model.
    shared = Resources(resources.settings.with_overrides(**settings), embedder=resources.embedder)
    allow = settings.pop("allow_private_urls", False)
    return create_app(shared, allow_private_urls=allow)


@pytest.fixture(scope="module")
def server(resources):
    with running_server(_app(resources, **LIMITS)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


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
    vote = [s for s in briefing["summary"] if "voted on Tuesday" in s["text"]]
    assert vote and vote[0]["support"] == 3


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


def test_oversized_body_is_a_413_with_or_without_content_length(server):
    big = {"articles": [{"text": "word " * 30_000}]}
    assert "limit is 100,000 bytes" in _error(server.post("/api/briefings", json=big), 413)

    def chunks():  # no Content-Length: the server must count what arrives
        for _ in range(30):
            yield b"x" * 10_000

    response = server.post("/api/briefings", content=chunks(), headers={"content-type": "application/json"})
    assert "limit is 100,000 bytes" in _error(response, 413)


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


def test_loopback_url_is_refused_by_default_and_fetched_when_the_operator_allows_it(server, resources):
    with loopback_server() as site:
        url = f"{site}/article"
        response = server.post("/api/briefings?wait=true", json={"urls": [url]})
        message = _error(response, 422)
        assert url in message and "loopback" in message

        with running_server(_app(resources, allow_private_urls=True)) as base:
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


def test_a_briefing_past_its_time_limit_fails_with_504(resources):
    with running_server(_app(resources, briefing_timeout=0.001)) as base:
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
