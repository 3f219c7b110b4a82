"""RSS and Atom feeds: read a feed, follow each item's link to the full article.

A feed URL is fetched with its stored ETag / Last-Modified, so an unchanged
feed costs one 304. Item links already in the library's ``fetched_urls`` are
never fetched again. Pages go through the shared cleaning stage (trafilatura
inside :func:`newsbrief.clean.clean_documents`), like any other HTML input.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import clean, ingest
from .errors import FetchError, InputError
from .records import Article, FetchedPage, RawDocument, Skipped

log = logging.getLogger(__name__)

FETCH_WORKERS = 4
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FeedItem:
    link: str | None
    title: str | None
    published: str | None  # ISO datetime
    author: str | None
    summary: str | None  # the item's own text, used when it has no link


@dataclass(frozen=True)
class Feed:
    origin: str
    title: str | None
    items: tuple[FeedItem, ...]
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass
class FeedRead:
    """The articles a poll found, and which URLs were fetched for them."""

    feed: Feed
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: url -> (article id or None, outcome): remembered with the articles, in one transaction
    fetched: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    already_fetched: int = 0


def is_feed_reference(spec: str) -> bool:
    """A file that holds a feed (URLs are only known to be feeds once fetched)."""
    path = Path(spec)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096)
    return ingest.looks_like_feed(head.decode("utf-8", "replace"))


def load_feed(spec: str, fetcher, *, etag: str | None = None, last_modified: str | None = None) -> Feed:
    """Fetch (conditionally) or read a feed and parse its items."""
    if spec.lower().startswith(("http://", "https://")):
        page: FetchedPage = fetcher.get(spec, etag=etag, last_modified=last_modified)
        if page.not_modified:
            return Feed(spec, None, (), etag=etag, last_modified=last_modified, not_modified=True)
        data, new_etag, new_modified = page.content, page.etag, page.last_modified
    else:
        try:
            data = Path(spec).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the feed ({exc.strerror})", origin=spec) from None
        new_etag = new_modified = None
    return parse_feed(spec, data, etag=new_etag, last_modified=new_modified)


def parse_feed(origin: str, data: bytes, *, etag: str | None = None, last_modified: str | None = None) -> Feed:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        problem = getattr(parsed, "bozo_exception", None)
        raise InputError(f"not a readable RSS or Atom feed ({problem or 'no items'})", origin=origin)
    items = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary")
        items.append(FeedItem(
            link=(entry.get("link") or "").strip() or None,
            title=(entry.get("title") or "").strip() or None,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            author=(entry.get("author") or "").strip() or None,
            summary=body,
        ))
    return Feed(origin, (parsed.feed.get("title") or "").strip() or None, tuple(items),
                etag=etag, last_modified=last_modified)


def _iso(parsed_time) -> str | None:
    if not parsed_time:
        return None
    return datetime(*parsed_time[:6], tzinfo=UTC).isoformat()


def read_feed(spec: str, fetcher, store, *, progress: Progress | None = None,
              prefetched: FetchedPage | None = None) -> FeedRead:
    """Poll one feed: new items' pages fetched, cleaned, and returned as articles.

    ``prefetched`` is the feed's response when the caller already fetched it
    (``add`` learns a URL is a feed only by fetching it). Nothing is written
    here; the library stores the articles together with the fetched URLs and
    then :func:`remember_feed` records the validators.
    """
    progress = progress or (lambda stage, done, total: None)
    if prefetched is not None:
        feed = parse_feed(spec, prefetched.content, etag=prefetched.etag, last_modified=prefetched.last_modified)
    else:
        state = store.feed_state(spec) or {}
        feed = load_feed(spec, fetcher, etag=state.get("etag"), last_modified=state.get("last_modified"))
    result = FeedRead(feed)
    if feed.not_modified:
        log.info("%s: not modified since the last poll", spec)
        return result
    links = [item.link for item in feed.items if item.link]
    seen = store.fetched(links)
    todo: list[FeedItem] = []
    for item in feed.items:
        if item.link and (item.link in seen or any(t.link == item.link for t in todo)):
            result.already_fetched += item.link in seen
            continue
        todo.append(item)
    documents = _documents(feed, todo, fetcher, result, progress)
    articles, dropped = clean.clean_documents(documents)
    result.articles.extend(articles)
    result.skipped.extend(dropped)
    by_origin = {a.origin: a.id for a in articles}
    linked = {item.link for item in todo if item.link}
    for doc in documents:
        if doc.origin in linked:
            article_id = by_origin.get(doc.origin)
            result.fetched[doc.origin] = (article_id, "article" if article_id else "no article text")
    return result


def _documents(feed: Feed, items: list[FeedItem], fetcher, result: FeedRead,
               progress: Progress) -> list[RawDocument]:
    def one(item: FeedItem) -> FetchedPage | FetchError:
        try:
            return fetcher.get(item.link)
        except FetchError as exc:
            return exc

    linked = [item for item in items if item.link]
    progress("fetch", 0, len(linked))
    pages = {}
    if linked:
        with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(linked))) as pool:
            for done, (item, page) in enumerate(zip(linked, pool.map(one, linked), strict=True), 1):
                pages[item.link] = page
                progress("fetch", done, len(linked))
    documents = []
    for item in items:
        meta = dict(title=item.title, outlet=feed.title, author=item.author, published=item.published)
        if not item.link:
            if item.summary and item.summary.strip():
                origin = f"{feed.origin}#{item.title or len(documents)}"
                documents.append(RawDocument(origin=origin, content=item.summary,
                                             is_html=ingest.looks_like_html(item.summary), **meta))
            continue
        page = pages[item.link]
        if isinstance(page, FetchError):
            # Not remembered: a timeout or a 503 deserves another try at the next poll.
            result.skipped.append(Skipped(item.link, str(page).removeprefix(f"{item.link}: ")))
            continue
        try:
            text = ingest.decode_bytes(page.content, item.link, _charset(page.content_type))
        except InputError as exc:
            result.fetched[item.link] = (None, "undecodable")
            result.skipped.append(Skipped(item.link, str(exc).removeprefix(f"{item.link}: ")))
            continue
        documents.append(RawDocument(origin=item.link, content=text, is_html=ingest.looks_like_html(text),
                                     url=page.final_url, raw_bytes=len(page.content), **meta))
    return documents


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def remember_feed(store, feed: Feed) -> None:
    """Store the feed's validators once its items are safely stored."""
    if not feed.not_modified:
        store.save_feed_state(feed.origin, title=feed.title, etag=feed.etag, last_modified=feed.last_modified)
