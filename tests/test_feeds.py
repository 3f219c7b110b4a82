"""Feeds against a real HTTP server on 127.0.0.1: items followed, validators honoured, no URL fetched twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from library_fixtures import BRIDGE, CHESS

from newsbrief import api, feeds, library
from newsbrief.errors import InputError
from newsbrief.resources import Resources
from newsbrief.settings import Settings


def _page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip())
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Subscribe to our newsletter</footer></body></html>").encode()


class Site:
    """A tiny news site: /feed.xml (RSS with an ETag) and one page per item."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.items: list[tuple[str, str, int]] = []  # (path, title, day)
        self.hits: Counter = Counter()
        self.version = 1
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.hits[self.path] += 1
                if self.path == "/feed.xml":
                    etag = f'"v{site.version}"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    body, kind = site.feed(), "application/rss+xml"
                    self.send_response(200)
                    self.send_header("ETag", etag)
                elif self.path in site.pages:
                    body, kind = site.pages[self.path], "text/html; charset=utf-8"
                    self.send_response(200)
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, path: str, title: str, text: str, day: int) -> None:
        self.pages[path] = _page(title, text)
        self.items.append((path, title, day))
        self.version += 1

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>{title}</title><link>{self.base}{path}</link>"
            f"<pubDate>{format_datetime(datetime(2024, 3, day, 9, 0, tzinfo=UTC))}</pubDate></item>"
            for path, title, day in self.items)
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test Gazette</title>"
                f"<link>{self.base}/</link><description>news</description>{entries}</channel></rss>").encode()


@pytest.fixture
def site():
    made = Site()
    for n, (title, text) in enumerate(BRIDGE[:2], start=1):
        made.publish(f"/bridge-{n}.html", title, text, 2 + n)
    made.publish("/chess-1.html", *CHESS[0], 4)
    yield made
    made.server.shutdown()


@pytest.fixture
def library_resources(tmp_path, resources):
    settings = Settings(home=str(tmp_path / "home"), embedder="minilm", fetch_timeout=5.0)
    return Resources(settings, embedder=resources.embedder)


def test_feed_items_are_followed_cleaned_and_never_fetched_twice(site, library_resources):
    report = api.add([f"{site.base}/feed.xml"], library_resources)
    assert report.added == 3 and report.new_stories == 2
    assert all(site.hits[p] == 1 for p, _, _ in site.items)
    stored = {a.title: a for s in library.stories(library_resources)
              for a in library.story(library_resources, s.id)[1]}
    assert set(stored) == {BRIDGE[0][0], BRIDGE[1][0], CHESS[0][0]}
    assert stored[CHESS[0][0]].published.startswith("2024-03-04")
    assert stored[CHESS[0][0]].outlet == "Test Gazette"
    article = library_resources.store.articles_of(stored[CHESS[0][0]].story_id)[0]
    assert "Okafor" in article.text and "newsletter" not in article.text  # trafilatura kept the article only

    # Unchanged feed: one conditional GET answered 304, no page fetched again.
    again = library.poll_feed(f"{site.base}/feed.xml", library_resources)
    assert again.added == 0 and site.hits["/feed.xml"] == 2
    assert all(site.hits[p] == 1 for p, _, _ in site.items)

    # A new item: only its page is fetched, and it joins the chess story.
    site.publish("/chess-2.html", *CHESS[1], 5)
    third = library.poll_feed(f"{site.base}/feed.xml", library_resources)
    assert third.added == 1 and third.new_stories == 0
    assert third.stories == (stored[CHESS[0][0]].story_id,)
    assert all(site.hits[p] == 1 for p, _, _ in site.items)


def test_watch_polls_until_told_to_stop(site, library_resources):
    seen = []
    stop = threading.Event()

    def on_report(feed, outcome):
        seen.append(outcome)
        if len(seen) == 1:
            site.publish("/bridge-3.html", *BRIDGE[2], 5)
        else:
            stop.set()

    rounds = library.watch([f"{site.base}/feed.xml"], library_resources, every=0.2, on_report=on_report, stop=stop)
    assert rounds == 2
    assert [r.added for r in seen] == [3, 1]
    assert site.hits["/bridge-3.html"] == 1


def test_feed_errors_are_clear(site, library_resources, tmp_path):
    with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
        feeds.parse_feed("broken.xml", b"just some words, no markup")
    failures = []
    library.watch([f"{site.base}/missing.xml"], library_resources, every=0.1,
                  on_report=lambda feed, outcome: failures.append(outcome), polls=1)
    assert len(failures) == 1 and "404" in str(failures[0])


def test_an_atom_file_is_read_as_a_feed(tmp_path, site, library_resources):
    atom = tmp_path / "news.atom"
    entries = "".join(
        f"<entry><title>{t}</title><link href='{site.base}{p}'/><id>{p}</id>"
        f"<updated>2024-03-0{d}T09:00:00Z</updated></entry>" for p, t, d in site.items)
    atom.write_text("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Atom Times</title>"
                    f"<id>x</id><updated>2024-03-05T00:00:00Z</updated>{entries}</feed>", encoding="utf-8")
    assert feeds.is_feed_reference(str(atom))
    report = api.add([str(atom)], library_resources)
    assert report.added == 3
