"""The web app's HTML pages: Jinja2 templates (autoescaped) over briefing records.

Article text is untrusted. Every value reaches the page through a Jinja2
template with autoescaping on, and only plain http(s) URLs ever become links
(:func:`newsbrief.render.safe_url`), so neither markup nor ``javascript:``
links in an article can act. The functions here only arrange records for
display; what a briefing says is decided upstream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import render
from .errors import NotFoundError
from .records import Briefing, Citation, Source
from .settings import Settings

_env = Environment(
    loader=PackageLoader("newsbrief", "templates/web"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

STAGE_LABELS = {
    "queued": "Waiting for a free worker…",
    "starting": "Starting…",
    "read": "Reading and fetching the articles",
    "file": "Filing the articles into stories",
    "brief": "Briefing: grouping sources, choosing sentences, finding who said what",
    "done": "Done",
}

# Profile facts the source card already shows.
_SHOWN_FACTS = {"title", "url", "outlet", "author", "date", "published", "origin", "also_carried_by", "path"}

def _page(template: str, **values: Any) -> str:
    return _env.get_template(template).render(**values)


def error_page(status: int, message: str) -> str:
    return _page("error.html", status=status, message=message, nav="")


def new_page(settings: Settings, *, error: str | None = None, form: Mapping | None = None) -> str:
    form = form or {}
    size = settings.max_request_bytes
    return _page(
        "new.html",
        nav="new",
        error=error,
        texts=str(form.get("texts", "")),
        urls=str(form.get("urls", "")),
        max_articles=settings.max_articles_per_briefing,
        max_mb=f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size:,} bytes",
        private_ok=settings.allow_private_urls,
    )


def api_page(schema: dict) -> str:
    """A local list of the JSON API's endpoints, from the app's OpenAPI schema (no CDN needed)."""
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            params = [p["name"] + ("" if p.get("required") else "?") for p in operation.get("parameters", [])
                      if p.get("in") == "query"]
            endpoints.append({"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                              "params": params})
    return _page("api.html", nav="api", endpoints=endpoints, version=schema.get("openapi", ""))


def job_page(job: dict) -> str:
    stage = job["progress"]["stage"]
    return _page("job.html", nav="new", job=job, stage_label=STAGE_LABELS.get(stage, stage))


def stories_page(stories: list[dict], query: str = "") -> str:
    """``stories``: dicts with id, title, sources, outlets, updated (ISO) and optionally snippet."""
    rows = [{"snippet": "", **s, "updated_label": _date_label(s.get("updated"))} for s in stories]
    return _page("stories.html", nav="stories", stories=rows, query=query)


def _date_label(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})", text)
    return f"{match.group(1)} {match.group(2)}" if match else render.display_date(text)


# ---------------------------------------------------------------------------- briefing page


class _Citer:
    """Citation marks: each links to the source page with the sentence highlighted."""

    def __init__(self, sources: dict[str, Source], base: str) -> None:
        self.sources, self.base, self.count = sources, base, 0

    def __call__(self, citations: Iterable[Citation]) -> list[dict]:
        marks, seen = [], set()
        for c in citations:
            if (c.source, c.start, c.end) in seen:
                continue
            seen.add((c.source, c.start, c.end))
            self.count += 1
            source = self.sources.get(c.source)
            if source is None:  # a stage cited a source the briefing does not carry
                marks.append({"sid": c.source, "href": None})
                continue
            marks.append({
                "sid": c.source,
                "pop_id": f"pop-{self.count}",
                "quote": source.text[c.start : c.end],
                "label": render.source_label(source),
                "href": f"{self.base}/sources/{c.source}?start={c.start}&end={c.end}#cited",
            })
        return marks


def _outlets(sources: dict[str, Source], citations: Iterable[Citation]) -> list[str]:
    names: list[str] = []
    for c in citations:
        if c.source in sources:
            name = render.source_label(sources[c.source])
            if name not in names:
                names.append(name)
    return names


def briefing_view(briefing: Briefing, base: str, *, story: dict | None = None) -> dict:
    """What the briefing template shows, arranged from the records."""
    sources = {s.id: s for s in briefing.sources}
    cite = _Citer(sources, base)
    summary = [{"text": render.shown_text(s, sources), "support": s.support, "cites": cite(s.citations),
                "outlets": _outlets(sources, s.citations)} for s in briefing.summary]
    profiles = {p.source: p for p in briefing.profiles}
    return {
        "headline": briefing.headline or "Briefing",
        "story": story,
        "updated": _date_label((story or {}).get("updated")),
        "outlets": len({render.source_label(s) for s in briefing.sources}),
        "summary": summary,
        "agree": [s for s in summary if s["support"] > 1],
        "single": [s for s in summary if s["support"] <= 1],
        "quotes": [{"speaker": q.speaker, "role": q.role, "text": q.text, "kind": q.kind,
                    "cites": cite(q.citations)} for q in briefing.quotes],
        "conflicts": [{"subject": c.subject, "kind": c.kind, "claims": [
            {"text": claim.text, "cites": cite(claim.citations), "outlets": _outlets(sources, claim.citations)}
            for claim in c.claims]} for c in briefing.conflicts],
        "entities": [{"name": e.name, "type": e.type, "roles": list(e.roles), "mentions": e.mentions,
                      "sources": list(e.sources)} for e in briefing.entities],
        "sources": [_source_view(s, base, profiles.get(s.id), cite) for s in briefing.sources],
        "skipped": [{"origin": s.origin, "reason": s.reason} for s in briefing.skipped],
        "json_href": "/api" + base + ("/briefing" if base.startswith("/stories/") else ""),
    }


def _source_view(source: Source, base: str, profile: Any, cite: _Citer | None) -> dict:
    article = source.article
    view = {
        "id": source.id,
        "label": render.source_label(source),
        "title": article.title or article.url or article.origin,
        "author": article.author,
        "url": article.url if render.safe_url(article.url) else None,
        "published": article.published,
        "published_label": render.display_date(article.published),
        "also": list(source.also_carried_by),
        "href": f"{base}/sources/{source.id}",
        "profile": None,
    }
    if profile is not None and cite is not None:
        view["profile"] = {
            "verdict": profile.verdict,
            "measures": [{"name": name.replace("_", " "), "value": render.format_value(ev.value),
                          "note": ev.note, "cites": cite(ev.spans)} for name, ev in profile.measures.items()],
            "facts": [(str(k).replace("_", " "), render.json_safe(v)) for k, v in profile.facts.items()
                      if k not in _SHOWN_FACTS and v not in (None, "", [], ())],
        }
    return view


def briefing_page(briefing: Briefing, *, base: str, story: dict | None = None) -> str:
    return _page("briefing.html", nav="stories" if story else "new", b=briefing_view(briefing, base, story=story))


def source_page(briefing: Briefing, source_id: str, start: int | None, end: int | None, *, base: str) -> str:
    """One source's full text, with the cited sentence ``text[start:end]`` highlighted."""
    source = next((s for s in briefing.sources if s.id == source_id), None)
    if source is None:
        raise NotFoundError("the briefing has no such source", origin=source_id)
    text = source.text
    view = _source_view(source, base, None, None)
    if start is not None and end is not None and 0 <= start < end <= len(text):
        parts = {"before": text[:start], "marked": text[start:end], "after": text[end:]}
    else:
        parts = {"before": text, "marked": None, "after": ""}
    return _page("source.html", nav="", s=view, back=f"{base}#src-{source.id}", **parts)
