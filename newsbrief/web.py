"""The web shell: HTML pages and a JSON API over :mod:`newsbrief.api` and the library.

No briefing logic lives here: routes parse and check requests, call the
library API, and hand records to :mod:`newsbrief.webpages` (HTML) or
:func:`newsbrief.render.to_dict` (JSON). ``create_app`` builds the app;
``newsbrief serve`` runs it with uvicorn, bound to loopback by default.

Limits (from the settings): request bodies over ``max_request_bytes`` get
413, more than ``max_articles_per_briefing`` articles get 422, a briefing
running past ``briefing_timeout`` fails with 504. URLs fetched on a user's
behalf may not reach private addresses unless the operator allows it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import api, render, webpages, webposted
from .errors import NewsbriefError, NotFoundError
from .records import Briefing, RawDocument
from .resources import Resources
from .settings import Settings, explicit_settings, load_settings
from .webcache import StoryCache
from .webguard import LOOPBACK_HOSTS, BodyLimit, RequestGuard, SecurityHeaders
from .webjobs import Job, JobRunner, status_for

log = logging.getLogger(__name__)

__all__ = ["LOOPBACK_HOSTS", "create_app", "operator_allows_private_urls", "rendered", "server_settings"]

STATIC_DIR = Path(__file__).parent / "static"

# ---------------------------------------------------------------------------- request bodies


class JobOut(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    progress: dict[str, Any]
    error: dict[str, Any] | None = None
    links: dict[str, str]
    briefing: dict[str, Any] | None = Field(None, description="When done: the same JSON as `brief --format json`.")


# ---------------------------------------------------------------------------- the app


def operator_allows_private_urls(config: str | os.PathLike[str] | None = None,
                                 environ: Mapping[str, str] | None = None) -> bool:
    """True when the operator *explicitly* set ``allow_private_urls`` on (config file or environment).

    The setting's default is on for the CLI (which fetches what its own user
    names); a server must not inherit that default, only an explicit choice.
    """
    if "allow_private_urls" not in explicit_settings(config, environ):
        return False
    return load_settings(config, environ).allow_private_urls


def server_settings(settings: Settings, *, allow_private_urls: bool = False) -> Settings:
    """The settings a server runs with: private URLs refused unless the operator allowed them."""
    return settings.with_overrides(allow_private_urls=allow_private_urls)


def create_app(
    settings_or_resources: Settings | Resources | None = None, *, allow_private_urls: bool = False,
    allowed_hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The web app. Private/loopback URLs are refused unless ``allow_private_urls`` is True.

    ``allowed_hosts``: the host names the server answers to (None: any); ``newsbrief serve``
    bound to loopback passes :data:`~newsbrief.webguard.LOOPBACK_HOSTS`.
    """
    if isinstance(settings_or_resources, Resources):
        given = settings_or_resources
        settings = server_settings(given.settings, allow_private_urls=allow_private_urls)
        resources = given.with_settings(settings)
    else:
        settings = server_settings(settings_or_resources or load_settings(),
                                   allow_private_urls=allow_private_urls)
        resources = api.make_resources(settings)

    jobs = JobRunner(workers=1, keep=50)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="newsbrief",
        version="0.1.0",
        description="Many articles on one story in, one cited briefing out. "
        "Every JSON briefing is the same as `newsbrief brief --format json`.",
        docs_url=None,  # Swagger UI loads from a CDN; /api is a local page over the same schema
        redoc_url=None,
    )
    app.state.resources = resources
    app.state.jobs = jobs
    app.state.cache = StoryCache(capacity=64)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestGuard, allowed_hosts=allowed_hosts)

    app.add_middleware(SecurityHeaders)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_error_handlers(app)
    _add_api_routes(app)
    _add_page_routes(app)
    return app


# ---------------------------------------------------------------------------- errors


def _error_json(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return _error_json(status, message)
    return HTMLResponse(webpages.error_page(status, message), status_code=status)


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            return 400, f"request body is not valid JSON ({reason})"
    parts = []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return 422, "; ".join(parts)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsbriefError)
    async def on_library_error(request: Request, exc: NewsbriefError) -> Response:
        return _error_response(request, status_for(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, exc: RequestValidationError) -> Response:
        status, message = _validation_message(exc)
        return _error_response(request, status, message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return _error_response(request, exc.status_code, message)


# ---------------------------------------------------------------------------- briefing jobs


def _start_briefing(app: FastAPI, documents: list[RawDocument], urls: list[str],
                    files: list[tuple[str, bytes]], words: int | None) -> Job:
    resources: Resources = app.state.resources

    def brief(articles: list, skipped: list, progress: Any) -> Briefing:
        return api.brief_articles(articles, resources, words=words, skipped=skipped, progress=progress)

    return webposted.start_job(app, (documents, urls, files), brief)


def rendered(app: FastAPI, key: str, version: Any, briefing: Callable[[], Briefing], *, base: str,
             story: Callable[[], dict] | None = None, envelope: Callable[[dict], dict] | None = None) -> dict:
    """A briefing's JSON (bytes) and HTML page, built once per version and then served from memory.

    ``story()`` gives the story's details for the page (called only when building).
    """

    def build() -> dict:
        record = briefing()
        data = render.to_dict(record)
        body = envelope(data) if envelope else data
        return {
            "briefing": record,
            "json": json.dumps(body, ensure_ascii=False).encode("utf-8"),
            "html": webpages.briefing_page(record, base=base, story=story() if story else None),
        }

    return app.state.cache.get(key, version, build)


def _done_job(app: FastAPI, job: Job) -> dict:
    def envelope(data: dict) -> dict:
        out = _job_json_head(job)
        out["briefing"] = data
        return out

    return rendered(app, f"job:{job.id}", "done", lambda: job.briefing, base=f"/briefings/{job.id}",
                    envelope=envelope)


def _job_json_head(job: Job) -> dict:
    out = job.as_dict()
    out["links"] = {"self": f"/api/briefings/{job.id}", "page": f"/briefings/{job.id}"}
    return out


def _finished_job(app: FastAPI, job_id: str) -> Job:
    job = app.state.jobs.get(job_id)
    if job is None:
        raise NotFoundError("no such briefing (briefings made here are kept in memory until restart)",
                            origin=job_id)
    return job


# ---------------------------------------------------------------------------- JSON API


def _add_api_routes(app: FastAPI) -> None:
    def settings() -> Settings:
        return app.state.resources.settings

    @app.post("/api/briefings", status_code=202, response_model=JobOut, tags=["briefings"],
              summary="Brief posted articles (texts and/or URLs)")
    def create_briefing(body: webposted.BriefingRequest, wait: bool = Query(
            False, description="Answer when the briefing is done (200), not at once (202).")) -> Response:
        documents = [webposted.document(i, a) for i, a in enumerate(body.articles, start=1)]
        job = _start_briefing(app, documents, body.urls, [], body.words)
        return _job_response(app, job, wait, settings())

    @app.post("/api/briefings/upload", status_code=202, response_model=JobOut, tags=["briefings"],
              summary="Brief uploaded files, pasted texts and URLs (multipart form)")
    async def upload_briefing(
        files: Annotated[list[UploadFile] | None, File(description="HTML, text, JSON Lines or feed files")] = None,
        urls: Annotated[str, Form(description="URLs, one per line")] = "",
        texts: Annotated[str, Form(description="Pasted articles, separated by a line holding only ---")] = "",
        words: Annotated[int | None, Form(ge=20, le=2000)] = None,
        wait: bool = Query(False),
    ) -> Response:
        uploads = [(f.filename or "upload", await f.read()) for f in files or [] if f.filename]
        documents = webposted.pasted_documents(texts)
        job = _start_briefing(app, documents, urls.splitlines(), uploads, words)
        return _job_response(app, job, wait, settings())

    @app.get("/api/briefings/{job_id}", response_model=JobOut, tags=["briefings"],
             summary="A briefing's progress, and the briefing once done")
    def get_briefing(job_id: str) -> Response:
        job = _finished_job(app, job_id)
        return _job_status_response(app, job)

    @app.post("/api/articles", tags=["stories"], summary="Add articles (texts and/or URLs) to the story library")
    def add_articles(body: webposted.AddRequest) -> Response:
        documents = [webposted.document(i, a) for i, a in enumerate(body.articles, start=1)]
        return _add_to_library(app, (documents, body.urls, []))

    @app.post("/api/articles/upload", tags=["stories"],
              summary="Add uploaded files, pasted texts and URLs to the story library (multipart form)")
    async def add_upload(
        files: Annotated[list[UploadFile] | None, File(description="HTML, text, JSON Lines or feed files")] = None,
        urls: Annotated[str, Form(description="URLs, one per line")] = "",
        texts: Annotated[str, Form(description="Pasted articles, separated by a line holding only ---")] = "",
    ) -> Response:
        uploads = [(f.filename or "upload", await f.read()) for f in files or [] if f.filename]
        documents = webposted.pasted_documents(texts)
        return await run_in_threadpool(_add_to_library, app, (documents, urls.splitlines(), uploads))

    _add_library_routes(app)


def _add_to_library(app: FastAPI, posted: webposted.Posted) -> Response:
    """File the posted articles into stories; answers what was added and which stories changed."""
    from . import library, webstories

    resources: Resources = app.state.resources

    def add(articles: list, skipped: list, progress: Any) -> Any:
        report = library.file_articles(articles, resources, progress=progress)
        return dataclasses.replace(report, skipped=tuple(skipped) + report.skipped)

    job = webposted.start_job(app, posted, add)
    report = job.outcome(resources.settings.briefing_timeout + 5)
    stories = [webstories.story_dict(library.story(resources, sid)[0]) for sid in report.stories]
    return JSONResponse({
        "added": report.added, "already_stored": report.already_stored, "copies": report.copies,
        "new_stories": report.new_stories, "stories": stories,
        "skipped": [{"origin": s.origin, "reason": s.reason} for s in report.skipped],
    })


def _job_response(app: FastAPI, job: Job, wait: bool, settings: Settings) -> Response:
    if wait:
        job.wait(settings.briefing_timeout + 5)
        return _job_status_response(app, job)
    return _job_status_response(app, job, headers={"location": f"/api/briefings/{job.id}"})


def _job_status_response(app: FastAPI, job: Job, headers: dict | None = None) -> Response:
    if job.status == "done":
        return Response(_done_job(app, job)["json"], media_type="application/json", headers=headers)
    data = _job_json_head(job)
    if job.status == "failed":
        return JSONResponse(data, status_code=job.error_status or 500, headers=headers)
    return JSONResponse(data, status_code=202, headers=headers)


def _add_library_routes(app: FastAPI) -> None:
    from . import webstories

    webstories.add_api_routes(app)


# ---------------------------------------------------------------------------- HTML pages


def _add_page_routes(app: FastAPI) -> None:
    from . import webstories

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page() -> HTMLResponse:
        return HTMLResponse(webpages.api_page(app.openapi()))

    @app.get("/new", response_class=HTMLResponse, include_in_schema=False)
    def new_page() -> HTMLResponse:
        return HTMLResponse(webpages.new_page(app.state.resources.settings))

    @app.post("/new", include_in_schema=False)
    async def new_submit(request: Request) -> Response:
        form = await request.form()
        files = [(f.filename, await f.read()) for f in form.getlist("files")
                 if hasattr(f, "read") and getattr(f, "filename", "")]
        documents = webposted.pasted_documents(str(form.get("texts", "")))
        try:
            job = _start_briefing(app, documents, str(form.get("urls", "")).splitlines(), files, None)
        except NewsbriefError as error:
            page = webpages.new_page(app.state.resources.settings, error=str(error), form=form)
            return HTMLResponse(page, status_code=status_for(error))
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(job_id: str) -> Response:
        job = _finished_job(app, job_id)
        if job.status == "done":
            return RedirectResponse(f"/briefings/{job.id}", status_code=303)
        return HTMLResponse(webpages.job_page(job.as_dict()), status_code=200)

    @app.get("/briefings/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def briefing_page(job_id: str) -> Response:
        job = _finished_job(app, job_id)
        if job.status != "done" or job.briefing is None:
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        return HTMLResponse(_done_job(app, job)["html"])

    @app.get("/briefings/{job_id}/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
    def briefing_source_page(job_id: str, source_id: str, start: int | None = None,
                             end: int | None = None) -> Response:
        job = _finished_job(app, job_id)
        if job.briefing is None:
            return RedirectResponse(f"/jobs/{job.id}", status_code=303)
        page = webpages.source_page(job.briefing, source_id, start, end, base=f"/briefings/{job.id}")
        return HTMLResponse(page)

    webstories.add_page_routes(app)
