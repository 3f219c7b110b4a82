"""The briefing as ONE self-contained HTML page, and the pieces of it the web app reuses.

Article text is untrusted: every string goes through :func:`html.escape`, only
plain http(s) URLs (:func:`~newsbrief.render.safe_url`) become links, and the
page's Content-Security-Policy admits only its own style and script, by hash.
Each citation mark carries a popover with the exact cited text
``source.text[start:end]`` and the outlet: CSS shows it on hover and focus, a
few lines of script pin it on click (touch screens).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence
from importlib import resources as package_files

from .records import Briefing, Citation, Entity, Profile, Quote, Source, SummarySentence
from .render import (
    agreement_line,
    display_date,
    format_value,
    json_safe,
    ordered,
    safe_url,
    shown_roles,
    shown_text,
    source_label,
    support_count,
    support_label,
)


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _asset(name: str) -> str:
    return package_files.files("newsbrief").joinpath("templates", name).read_text(encoding="utf-8")


#: The page's style sheet and its one script, shipped in newsbrief/templates/.
CSS = _asset("briefing.css")
SCRIPT = _asset("briefing.js")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


class _Marks:
    """Builds citation marks with popovers; numbers them so each id is unique on the page."""

    def __init__(self, sources: dict[str, Source], prefix: str) -> None:
        self.sources = sources
        self.prefix = prefix
        self.count = 0

    def mark(self, citation: Citation, label: str | None = None) -> str:
        """A mark reading ``[source id]`` (or ``label``) whose popover shows the cited text."""
        self.count += 1
        pop_id = f"{self.prefix}c{self.count}"
        source = self.sources.get(citation.source)
        if source is None:  # a stage cited a source the briefing does not carry
            return f'<span class="cite missing">[{esc(citation.source)}]</span>'
        quoted = source.text[citation.start : citation.end]
        return (
            f'<span class="cite"><a class="mark" href="#{self.prefix}src-{esc(source.id)}" '
            f'aria-describedby="{pop_id}">[{esc(label or source.id)}]</a>'
            f'<span class="pop" role="tooltip" id="{pop_id}"><q>{esc(quoted)}</q>'
            f'<a class="who" href="#{self.prefix}src-{esc(source.id)}">{esc(source_label(source))}</a>'
            "</span></span>"
        )

    def marks(self, citations: Iterable[Citation]) -> str:
        return "".join(self.mark(c) for c in ordered(citations))

    def evidence(self, spans: Iterable[Citation], limit: int = 12) -> str:
        """A profile's evidence, all in its own source: numbered marks, not a row of [1][1][1]."""
        spans = ordered(spans)
        shown = "".join(self.mark(c, f"e{i}") for i, c in enumerate(spans[:limit], 1))
        more = f' <span class="note">+{len(spans) - limit} more</span>' if len(spans) > limit else ""
        return shown + more


def _h_link(url: str | None, label: str) -> str:
    if url and safe_url(url):
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(label)}</a>'
    return esc(label)


def _h_section(css_class: str, title: str, body: str) -> str:
    return f'<section class="{css_class}"><h2>{esc(title)}</h2>{body}</section>'


def _h_quotes(quotes: Sequence[Quote], marks: _Marks) -> str:
    items = []
    for quote in quotes:
        who = f'<strong>{esc(quote.speaker)}</strong>'
        for role in shown_roles(quote.speaker, [quote.role]):
            who += f' <span class="role">({esc(role)})</span>'
        said = f"<q>{esc(quote.text)}</q>" if quote.kind == "direct" else f'<span class="reported">{esc(quote.text)}</span>'
        items.append(f'<li class="{esc(quote.kind)}">{who}: {said} {marks.marks(quote.citations)}</li>')
    return _h_section("quotes", "Who said what", f"<ul>{''.join(items)}</ul>") if items else ""


def _h_entities(entities: Sequence[Entity], prefix: str) -> str:
    items = []
    for entity in entities:
        shown = shown_roles(entity.name, entity.roles)
        roles = f" — {esc('; '.join(shown))}" if shown else ""
        where = " ".join(f'<a href="#{prefix}src-{esc(sid)}">[{esc(sid)}]</a>' for sid in entity.sources)
        items.append(
            f"<li><strong>{esc(entity.name)}</strong> <span class=\"type\">{esc(entity.type)}</span>{roles}"
            f' <span class="count">{entity.mentions} mentions</span> {where}</li>'
        )
    return _h_section("entities", "Who is who", f"<ul>{''.join(items)}</ul>") if items else ""


def _h_agreement(briefing: Briefing, marks: _Marks) -> str:
    total = len(briefing.sources)
    line = agreement_line(briefing)
    if "single" in line:
        line += " Those are underlined in the summary."
    items = [f"<li>{esc(line)}</li>"] if line else []
    for conflict in briefing.conflicts:
        claims = "".join(
            f"<li><q>{esc(c.text)}</q> {marks.marks(c.citations)} "
            f'<span class="support">{esc(support_label(support_count(c.citations), total))}</span></li>'
            for c in conflict.claims
        )
        items.append(
            f'<li class="conflict"><strong>{esc(conflict.subject)}</strong> '
            f'<span class="kind">{esc(conflict.kind)}</span><ul>{claims}</ul></li>'
        )
    return _h_section("agreement", "Where outlets agree and differ", f"<ul>{''.join(items)}</ul>") if items else ""


def _h_profile(profile: Profile, marks: _Marks) -> str:
    rows = []
    for name, evidence in profile.measures.items():
        note = f' <span class="note">{esc(evidence.note)}</span>' if evidence.note else ""
        rows.append(
            f"<li>{esc(name.replace('_', ' '))}: <strong>{esc(format_value(evidence.value))}</strong>{note} "
            f"{marks.evidence(evidence.spans)}</li>"
        )
    for name, value in profile.facts.items():
        if value is None or value == "" or value == [] or value == ():
            continue
        shown = ", ".join(str(json_safe(v)) for v in value) if isinstance(value, (list, tuple)) else json_safe(value)
        rows.append(f"<li>{esc(str(name).replace('_', ' '))}: {esc(shown)}</li>")
    verdict = esc(profile.verdict) if profile.verdict else "Profile"
    flags = profile.flags
    if flags:
        rows.insert(0, "<li>flags: " + ", ".join(f'<span class="flag">{esc(f.replace("_", " "))}</span>' for f in flags) + "</li>")
    if not rows:
        return f'<p class="verdict">{verdict}</p>'
    return f'<details class="profile"><summary>{verdict}</summary><ul>{"".join(rows)}</ul></details>'


def _h_sources(briefing: Briefing, marks: _Marks, prefix: str) -> str:
    profiles = {p.source: p for p in briefing.profiles}
    items = []
    for source in briefing.sources:
        article = source.article
        title = article.title or article.url or article.path or article.origin
        parts = [f"<strong>{esc(source_label(source))}</strong>", _h_link(article.url, title)]
        if article.published:
            parts.append(f'<time datetime="{esc(article.published)}">{esc(display_date(article.published))}</time>')
        if article.path and not article.url:
            parts.append(f'<code>{esc(article.path)}</code>')
        body = " · ".join(parts)
        if source.also_carried_by:
            body += f'<div class="also">Also carried by {esc(", ".join(source.also_carried_by))}</div>'
        if source.id in profiles:
            body += _h_profile(profiles[source.id], marks)
        items.append(f'<li id="{prefix}src-{esc(source.id)}"><span class="sid">[{esc(source.id)}]</span> {body}</li>')
    return _h_section("sources", "Sources", f"<ol>{''.join(items)}</ol>") if items else ""


def _h_sentence(sentence: SummarySentence, single: bool, sources: dict[str, Source]) -> str:
    # "…" where words were left out; the popover of the first mark quotes the sentence whole.
    text = esc(shown_text(sentence, sources))
    if single:
        return f'<span class="sentence single" title="reported by one outlet only">{text}</span>'
    return f'<span class="sentence">{text}</span>'


def html_fragment(briefing: Briefing, *, id_prefix: str = "") -> str:
    """The briefing as an ``<article>`` element: no page chrome, styles or script.

    ``id_prefix`` keeps element ids unique when a page shows several briefings.
    """
    prefix = esc(id_prefix)
    sources = {s.id: s for s in briefing.sources}
    marks = _Marks(sources, prefix)
    parts = [f"<h1>{esc(briefing.headline or 'Briefing')}</h1>"]
    if briefing.summary:
        many = len(briefing.sources) > 1
        sentences = " ".join(
            _h_sentence(s, many and s.support <= 1, sources) + marks.marks(s.citations) for s in briefing.summary
        )
        parts.append(f'<section class="summary"><p>{sentences}</p></section>')
    parts.append(_h_quotes(briefing.quotes, marks))
    parts.append(_h_entities(briefing.entities, prefix))
    parts.append(_h_agreement(briefing, marks))
    parts.append(_h_sources(briefing, marks, prefix))
    if briefing.skipped:
        skipped = "".join(f"<li><code>{esc(s.origin)}</code>: {esc(s.reason)}</li>" for s in briefing.skipped)
        parts.append(_h_section("skipped", "Skipped inputs", f"<ul>{skipped}</ul>"))
    return '<article class="briefing">' + "".join(p for p in parts if p) + "</article>"


def html_page(title: str, body: str, *, extra_css: str = "", lang: str = "en") -> str:
    """One self-contained page: inline style and script, no external asset.

    The Content-Security-Policy allows exactly the page's own style and script
    (by hash), so even markup that slipped past escaping could not run.
    """
    css = CSS + extra_css
    policy = (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(SCRIPT)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
