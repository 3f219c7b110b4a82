"""The web app's story-library routes: stories, a story's briefing, articles, search.

A thin shell over the library (:mod:`newsbrief.library` and the store). A
story's rendered briefing (JSON and page) is cached in memory and keyed by the
ids of the story's articles, so it is built once and rebuilt only when the
story changes (an article added, or the story re-clustered).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from . import library, webpages
from .records import Briefing, SearchHit, StoredArticle, Story
from .resources import Resources


def _resources(app: FastAPI) -> Resources:
    return app.state.resources


def _moved(app: FastAPI, request: Request, story_id: int, *, same_path: bool = True) -> RedirectResponse | None:
    """A permanent redirect when the story was merged into another; None when it is still here.

    Links and bookmarks to a story outlive ``add``'s story merges and ``recluster``;
    an unknown number raises NotFoundError (404). ``same_path=False`` leads to the
    heir's page itself (a source's number means another article in the merged story).
    """
    heir = library.resolve_story(_resources(app), story_id)
    if heir == story_id:
        return None
    if not same_path:
        return RedirectResponse(f"/stories/{heir}", status_code=301)
    # The route's own path with the heir's number: a number written "007" or "+7" still leads there.
    route = request.scope["route"]
    path = route.url_path_for(route.name, **{**request.path_params, "story_id": heir})
    return RedirectResponse(path + (f"?{request.url.query}" if request.url.query else ""), status_code=301)


def story_dict(story: Story) -> dict:
    return {
        "id": story.id,
        "title": story.title,
        "keywords": list(story.keywords),
        "articles": story.size,
        "outlets": list(story.outlets),
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "links": {"self": f"/api/stories/{story.id}", "briefing": f"/api/stories/{story.id}/briefing",
                  "page": f"/stories/{story.id}"},
    }


def article_dict(article: StoredArticle) -> dict:
    return {
        "id": article.id,
        "story_id": article.story_id,
        "title": article.title,
        "origin": article.origin,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "duplicate_of": article.duplicate_of,
    }


def hit_dict(hit: SearchHit) -> dict:
    return {"article": article_dict(hit.article), "snippet": hit.snippet}


def _story_row(story: Story) -> dict:
    """What the stories page shows of a story."""
    return {"id": story.id, "title": story.title, "sources": story.size, "outlets": len(story.outlets),
            "updated": story.last_seen}


def _story_briefing(app: FastAPI, story_id: int) -> Briefing:
    """Built on the job pool, so the briefing timeout and the worker limit hold here too."""
    settings = _resources(app).settings
    job = app.state.jobs.submit(lambda progress: library.story_briefing(story_id, _resources(app),
                                                                         progress=progress),
                                timeout=settings.briefing_timeout)
    return job.outcome(settings.briefing_timeout + 5)


def _rendered_story(app: FastAPI, story_id: int) -> dict:
    """The story's briefing as JSON bytes and page, from the cache unless the story changed.

    The cache key's version is the ids of the story's articles: adding an
    article to the story, or re-clustering it, changes it.
    """
    from .web import rendered

    # One indexed query per request decides whether the cached rendering is current.
    version = tuple(a.id for a in _resources(app).store.story_articles(story_id))
    if not version:
        library.story(_resources(app), story_id)  # raises NotFoundError -> 404

    def build() -> Briefing:
        return _story_briefing(app, story_id)

    def meta() -> dict:
        story, _ = library.story(_resources(app), story_id)
        return {**story_dict(story), "updated": story.last_seen}

    return rendered(app, f"story:{story_id}", version, build, base=f"/stories/{story_id}", story=meta)


def add_api_routes(app: FastAPI) -> None:
    @app.get("/api/stories", tags=["stories"], summary="Stories in the library, most recently active first")
    def list_stories(q: str = Query("", description="Only stories with an article matching these words"),
                     limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
        stories = library.stories(_resources(app), query=q.strip() or None, limit=limit)
        return {"stories": [story_dict(s) for s in stories]}

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="One story and its articles")
    def get_story(story_id: int, request: Request) -> Any:
        if moved := _moved(app, request, story_id):
            return moved
        story, stored = library.story(_resources(app), story_id)
        return {**story_dict(story), "article_list": [article_dict(a) for a in stored]}

    @app.get("/api/stories/{story_id}/articles", tags=["stories"], summary="A story's articles (without text)")
    def get_story_articles(story_id: int, request: Request) -> Any:
        if moved := _moved(app, request, story_id):
            return moved
        _, stored = library.story(_resources(app), story_id)
        return {"articles": [article_dict(a) for a in stored]}

    @app.get("/api/stories/{story_id}/briefing", tags=["stories"],
             summary="A story's briefing: the same JSON as newsbrief brief --format json")
    def get_story_briefing(story_id: int, request: Request) -> Response:
        if moved := _moved(app, request, story_id):
            return moved
        return Response(_rendered_story(app, story_id)["json"], media_type="application/json")

    @app.get("/api/search", tags=["stories"], summary="Articles matching words, with a snippet")
    def search(q: str = Query(..., min_length=1, description="Words to look for"),
               limit: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
        return {"query": q, "hits": [hit_dict(h) for h in library.search(_resources(app), q, limit=limit)]}


def add_page_routes(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(q: str = "") -> HTMLResponse:
        query = q.strip()
        rows = [_story_row(s) for s in library.stories(_resources(app), query=query or None, limit=200)]
        if query and rows:
            snippets: dict[int, str] = {}
            for hit in library.search(_resources(app), query, limit=200):
                snippets.setdefault(hit.article.story_id, hit.snippet)
            rows = [{**r, "snippet": snippets.get(r["id"], "")} for r in rows]
        return HTMLResponse(webpages.stories_page(rows, query))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: int, request: Request) -> Response:
        if moved := _moved(app, request, story_id):
            return moved
        return HTMLResponse(_rendered_story(app, story_id)["html"])

    @app.get("/stories/{story_id}/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_source_page(request: Request, story_id: int, source_id: str, start: int | None = None,
                          end: int | None = None) -> Response:
        if moved := _moved(app, request, story_id, same_path=False):
            return moved
        # The cached briefing: the same source ids as the page that linked here.
        briefing = _rendered_story(app, story_id)["briefing"]
        return HTMLResponse(webpages.source_page(briefing, source_id, start, end, base=f"/stories/{story_id}"))

