"""Articles posted to the web server: request bodies, checks, and reading them on a job.

The server takes articles three ways (JSON objects, like a line of JSON Lines
input; http(s) URLs it fetches; uploaded files) and reads them all the way the
command line does: texts through :func:`newsbrief.api.clean_documents`, URLs
and files through :func:`newsbrief.api.read_articles`. Uploads are written to
a temporary folder for that, and named by their file name afterwards.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from pydantic import BaseModel, Field, model_validator

from . import api, ingest
from .errors import InputError
from .records import Article, RawDocument, Skipped
from .resources import Resources
from .settings import Settings
from .webjobs import Job


class ArticleIn(BaseModel):
    """One article: the same fields as a line of JSON Lines input (`text` or `html`, plus metadata)."""

    text: str | None = Field(None, description="The article's text (text that is HTML is read as HTML).")
    html: str | None = Field(None, description="The article's HTML page, when given instead of `text`.")
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = Field(None, description="Where the article came from (shown as a link; not fetched).")
    published: str | None = Field(None, description="ISO date or datetime.")

    @model_validator(mode="after")
    def _has_body(self) -> ArticleIn:
        if not (self.text or "").strip() and not (self.html or "").strip():
            raise ValueError("an article needs a non-empty `text` or `html`")
        return self


class BriefingRequest(BaseModel):
    """Articles to brief: texts, URLs to fetch, or both."""

    articles: list[ArticleIn] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list, description="http(s) URLs the server fetches.")
    words: int | None = Field(None, ge=20, le=2000, description="Word budget of the summary.")


class AddRequest(BaseModel):
    """Articles to add to the story library: texts, URLs to fetch, or both."""

    articles: list[ArticleIn] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list, description="http(s) URLs the server fetches.")


def check_urls(urls: list[str]) -> list[str]:
    """Only http(s) URLs: the ingest layer would otherwise read local paths and globs."""
    clean = []
    for url in urls:
        url = url.strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError("only http:// and https:// URLs can be fetched", origin=url)
        clean.append(url)
    return clean


def check_count(settings: Settings, count: int) -> None:
    if count == 0:
        raise InputError("no articles: give at least one article text, URL or file")
    if count > settings.max_articles_per_briefing:
        raise InputError(
            f"{count} articles given; the limit is {settings.max_articles_per_briefing} per briefing "
            "(max_articles_per_briefing)"
        )


Posted = tuple[list[RawDocument], list[str], list[tuple[str, bytes]]]  # texts, URLs, uploaded files


def start_job(app: FastAPI, posted: Posted, then: Callable[[list, list, Any], Any]) -> Job:
    """Check the posted articles, then read them and run ``then(articles, skipped, progress)`` as a job."""
    resources: Resources = app.state.resources
    documents, urls, files = posted
    urls = check_urls(urls)
    check_count(resources.settings, len(documents) + len(urls) + len(files))

    def work(progress: Any) -> Any:
        articles, skipped = api.clean_documents(documents) if documents else ([], [])
        if urls or files:
            with tempfile.TemporaryDirectory(prefix="newsbrief-upload-") as folder:
                paths = _save_uploads(Path(folder), files)
                more, more_skipped = api.read_articles(urls + paths, resources, progress=progress)
            more, more_skipped = _as_uploaded(folder, more, more_skipped)
            articles, skipped = articles + more, skipped + more_skipped
        if len(articles) > resources.settings.max_articles_per_briefing:  # a JSON Lines file holds many
            check_count(resources.settings, len(articles))
        return then(articles, skipped, progress)

    return app.state.jobs.submit(work, timeout=resources.settings.briefing_timeout)


def _save_uploads(folder: Path, files: list[tuple[str, bytes]]) -> list[str]:
    """Uploaded files go through the same reader as files on disk (HTML, text, JSON Lines, feeds).

    Each goes in its own numbered folder under its own (sanitised) name, so two
    uploads may share a name and a source is still called by its file name.
    """
    paths = []
    for number, (name, content) in enumerate(files, start=1):
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name or "upload").name)
        path = folder / f"{number:03d}" / (safe.lstrip(".") or "upload")
        path.parent.mkdir()
        path.write_bytes(content)
        paths.append(str(path))
    return paths


def _as_uploaded(folder: str, articles: list[Article], skipped: list[Skipped]) -> tuple[list, list]:
    """Name uploaded inputs by their file name, not by the temporary folder they were read from."""
    prefix = re.compile(re.escape(folder + os.sep) + r"\d{3}" + re.escape(os.sep))

    def rename(text: str | None) -> str | None:
        return prefix.sub("", text) if text else text

    articles = [dataclasses.replace(a, origin=rename(a.origin), path=rename(a.path)) for a in articles]
    skipped = [dataclasses.replace(s, origin=rename(s.origin)) for s in skipped]
    return articles, skipped


def document(number: int, article: ArticleIn) -> RawDocument:
    """A posted article as the reader of JSON Lines input would make it."""
    body = (article.html or "").strip() or (article.text or "").strip()
    is_html = bool((article.html or "").strip()) or ingest.looks_like_html(body)
    title = (article.title or "").strip() or None
    return RawDocument(
        origin=f"article {number}" + (f" ({title})" if title else ""),
        content=body,
        is_html=is_html,
        url=(article.url or "").strip() or None,
        title=title,
        outlet=(article.outlet or "").strip() or None,
        author=(article.author or "").strip() or None,
        published=(article.published or "").strip() or None,
        raw_bytes=len(body.encode("utf-8")),
    )


_SEPARATOR = re.compile(r"^\s*-{3,}\s*$", re.M)


def split_pasted(texts: str) -> list[str]:
    """Pasted articles, one per block between lines holding only ``---``."""
    return [part.strip() for part in _SEPARATOR.split(texts or "") if part.strip()]


def pasted_documents(texts: str) -> list[RawDocument]:
    return [document(i, ArticleIn(text=t)) for i, t in enumerate(split_pasted(texts), start=1)]
