"""Render a :class:`~newsbrief.records.Briefing` as Markdown, JSON or one HTML page.

Rendering only reads records: it never decides what goes into a briefing. Every
optional part (quotes, conflicts, entities, profiles, skipped inputs) is shown
from its record fields when present and left out when empty, so a stage that
starts filling a part shows up without changes here.

The HTML page is built in :mod:`newsbrief.render_html` (re-exported here:
``render.html_fragment``, ``render.html_page``) so the web app can reuse it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from . import compress
from .errors import ConfigError, NewsbriefError
from .records import (
    Briefing,
    Citation,
    Claim,
    Conflict,
    Entity,
    Evidence,
    Profile,
    Quote,
    Source,
    SummarySentence,
)

FORMATS = ("markdown", "json", "html")


def check_format(fmt: str) -> str:
    """The format name, normalised; a ConfigError for anything else."""
    name = (fmt or "").strip().lower()
    if name == "md":
        name = "markdown"
    if name not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}: choose markdown, json or html")
    return name


def render(briefing: Briefing, fmt: str = "markdown") -> str:
    name = check_format(fmt)
    if name == "json":
        return to_json(briefing)
    if name == "html":
        from .render_html import html_fragment, html_page

        return html_page(briefing.headline or "Briefing", html_fragment(briefing))
    return to_markdown(briefing)


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Fail before the work, not after it, when the output cannot be written there."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise NewsbriefError("cannot write the output: it is a directory", origin=str(target))
    if not parent.is_dir():
        raise NewsbriefError("cannot write the output: its directory does not exist", origin=str(target))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise NewsbriefError("cannot write the output: its directory is not writable", origin=str(target))
    return target


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old file or the new one, never half of one."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise NewsbriefError(f"cannot write the output ({exc.strerror})", origin=str(target)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates 0600; give the file the mode a plain open() would have.
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise NewsbriefError(f"cannot write the output ({exc.strerror or exc})", origin=str(target)) from None
        raise


def _umask() -> int:
    """The process umask, read without os.umask() (which sets it, racing other threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


# --------------------------------------------------------------------------- labels


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None


def source_label(source: Source) -> str:
    """What the reader calls a source: its outlet, else the site, file or input name."""
    article = source.article
    if article.outlet:
        return article.outlet
    if article.url:
        host = _hostname(article.url)
        if host:
            return host.removeprefix("www.")
    if article.path:
        return Path(article.path).name
    return article.origin


def display_date(published: str | None) -> str:
    """The calendar date of an ISO date or datetime, else the value as given."""
    if not published:
        return ""
    match = re.match(r"\d{4}-\d{2}-\d{2}", published)
    return match.group(0) if match else published


def support_count(citations: Iterable[Citation]) -> int:
    return len({c.source for c in citations})


_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>`\\]+", re.IGNORECASE)


def safe_url(url: str | None) -> bool:
    """True only for a plain http(s) URL: anything else must never become a link."""
    return bool(url) and bool(_SAFE_URL.fullmatch(url)) and bool(_hostname(url))


def format_value(value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return "n/a"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


# --------------------------------------------------------------------------- dict / JSON


def _citations(citations: Iterable[Citation]) -> list[dict]:
    return [{"source": c.source, "start": c.start, "end": c.end} for c in citations]


def json_safe(value: object) -> object:
    """Profile facts are free-form: turn them into what JSON can hold."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value))
    if hasattr(value, "item"):  # numpy scalars
        return json_safe(value.item())
    return str(value)


def _source_dict(source: Source) -> dict:
    article = source.article
    return {
        "id": source.id,
        "outlet": source_label(source),
        "title": article.title,
        "url": article.url,
        "path": article.path,
        "published": article.published,
        "text": article.text,
        "also_carried_by": list(source.also_carried_by),
        "origin": article.origin,
        "author": article.author,
        "article_id": article.id,
        "duplicate_ids": list(source.duplicate_ids),
    }


def _quote_dict(quote: Quote) -> dict:
    return {
        "speaker": quote.speaker,
        "role": quote.role,
        "text": quote.text,
        "kind": quote.kind,
        "citations": _citations(quote.citations),
    }


def _claim_dict(claim: Claim) -> dict:
    return {"text": claim.text, "citations": _citations(claim.citations), "support": support_count(claim.citations)}


def _conflict_dict(conflict: Conflict) -> dict:
    return {"kind": conflict.kind, "subject": conflict.subject, "claims": [_claim_dict(c) for c in conflict.claims]}


def _entity_dict(entity: Entity) -> dict:
    return {
        "name": entity.name,
        "type": entity.type,
        "roles": list(entity.roles),
        "mentions": entity.mentions,
        "sources": list(entity.sources),
    }


def _raw_spans(spans: Iterable[Citation], sources: dict[str, Source]) -> list[dict]:
    """Evidence in what cleaning removed: offsets into the article's *raw* text, not ``sources[].text``.

    The raw text is not in the contract, so each span carries the removed text itself.
    """
    out = []
    for span in spans:
        source = sources.get(span.source)
        text = source.article.raw_text[span.start:span.end] if source else None
        out.append({"source": span.source, "start": span.start, "end": span.end, "text": text})
    return out


def _evidence_dict(evidence: Evidence, sources: dict[str, Source]) -> dict:
    return {
        "value": json_safe(evidence.value),
        "spans": _citations(evidence.spans),
        "note": evidence.note,
        "raw_spans": _raw_spans(evidence.raw_spans, sources),
    }


def _profile_dict(profile: Profile, sources: dict[str, Source]) -> dict:
    return {
        "source": profile.source,
        "verdict": profile.verdict,
        "flags": list(profile.flags),
        "measures": {name: _evidence_dict(ev, sources) for name, ev in profile.measures.items()},
        "facts": json_safe(dict(profile.facts)),
    }


def shown_text(sentence: SummarySentence, sources: dict[str, Source]) -> str:
    """The summary sentence as a reader sees it: "…" where words inside it were left out.

    Rebuilt from the cited source and the omitted ranges; when they do not
    give back ``sentence.text`` (a record built by hand), the text is shown as it is.
    """
    if not sentence.omitted or not sentence.citations:
        return sentence.text
    cite = sentence.citations[0]
    source = sources.get(cite.source)
    if source is None:
        return sentence.text
    cuts = tuple((span.start - cite.start, span.end - cite.start) for span in sentence.omitted)
    cited = source.text[cite.start : cite.end]
    if any(a < 0 or b > len(cited) for a, b in cuts) or compress.kept_text(cited, cuts) != sentence.text:
        return sentence.text
    return compress.marked_text(cited, cuts)


def _summary_dict(sentence: SummarySentence) -> dict:
    return {
        "text": sentence.text,
        "citations": _citations(sentence.citations),
        "support": sentence.support,
        # Ranges of the first citation's source text left out of "text" (offsets into sources[].text).
        "omitted": [{"start": span.start, "end": span.end} for span in sentence.omitted],
    }


def to_dict(briefing: Briefing) -> dict:
    """The JSON contract: fields may be added over time, never renamed."""
    return {
        "headline": briefing.headline,
        "summary": [_summary_dict(s) for s in briefing.summary],
        "sources": [_source_dict(s) for s in briefing.sources],
        "quotes": [_quote_dict(q) for q in briefing.quotes],
        "conflicts": [_conflict_dict(c) for c in briefing.conflicts],
        "entities": [_entity_dict(e) for e in briefing.entities],
        "profiles": [_profile_dict(p, {s.id: s for s in briefing.sources}) for p in briefing.profiles],
        "skipped": [{"origin": s.origin, "reason": s.reason} for s in briefing.skipped],
    }


def to_json(briefing: Briefing) -> str:
    return json.dumps(to_dict(briefing), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Markdown

# Brackets would read as citation marks or links, angle brackets as raw HTML.
_MD_SPECIAL = re.compile(r"([\\`<>\[\]])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def source_order(source_id: str) -> tuple[int, int | str]:
    """Sort key that puts source "2" before "10"."""
    return (0, int(source_id)) if source_id.isdigit() else (1, source_id)


def ordered(citations: Iterable[Citation]) -> list[Citation]:
    """Citations in source order, exact repeats dropped: marks read [1][3], not [3][1][3]."""
    return sorted(dict.fromkeys(citations), key=lambda c: (source_order(c.source), c.start))


def md_marks(citations: Iterable[Citation]) -> str:
    ids = dict.fromkeys(c.source for c in ordered(citations))
    return "".join(f"[{sid}]" for sid in ids)


def agreement_line(briefing: Briefing) -> str:
    """How much of the summary more than one outlet carries (empty for one source)."""
    if len(briefing.sources) < 2 or not briefing.summary:
        return ""
    total = len(briefing.summary)
    shared = sum(1 for s in briefing.summary if s.support > 1)
    line = f"{shared} of {total} summary sentences are carried by more than one outlet"
    if shared < total:
        line += f"; {total - shared} rest on a single source"
    return line + "."


def support_label(count: int, total: int) -> str:
    if count <= 1:
        return "single source"
    return f"{count} of {total} outlets" if total else f"{count} outlets"


def shown_roles(name: str, roles: Sequence[str | None]) -> list[str]:
    """The roles worth printing beside ``name``: an unnamed speaker's label already is its role
    ("American official (American official)" says nothing twice)."""
    return [r for r in roles if r and r.casefold() != name.casefold()]


def _md_quotes(quotes: Sequence[Quote]) -> list[str]:
    lines = []
    for quote in quotes:
        who = f"**{md_escape(quote.speaker)}**"
        for role in shown_roles(quote.speaker, [quote.role]):
            who += f" ({md_escape(role)})"
        said = f"“{md_escape(quote.text)}”" if quote.kind == "direct" else md_escape(quote.text)
        verb = "said" if quote.kind == "direct" else "said (reported)"
        lines.append(f"- {who} {verb}: {said} {md_marks(quote.citations)}".rstrip())
    return lines


def _md_entities(entities: Sequence[Entity]) -> list[str]:
    lines = []
    for entity in entities:
        line = f"- **{md_escape(entity.name)}** ({md_escape(entity.type)})"
        if roles := shown_roles(entity.name, entity.roles):
            line += " — " + "; ".join(md_escape(r) for r in roles)
        line += f" — {entity.mentions} mention{'s' if entity.mentions != 1 else ''}"
        if entity.sources:
            line += " in " + "".join(f"[{sid}]" for sid in entity.sources)
        lines.append(line)
    return lines


def _md_agreement(briefing: Briefing) -> list[str]:
    total = len(briefing.sources)
    lines = [f"- {agreement_line(briefing)}"] if agreement_line(briefing) else []
    for conflict in briefing.conflicts:
        lines.append(f"- **{md_escape(conflict.subject)}** ({md_escape(conflict.kind)}):")
        for claim in conflict.claims:
            count = support_count(claim.citations)
            lines.append(
                f"  - “{md_escape(claim.text)}” {md_marks(claim.citations)} — {support_label(count, total)}"
            )
    return lines


def _md_sources(briefing: Briefing) -> list[str]:
    profiles = {p.source: p for p in briefing.profiles}
    lines = []
    for source in briefing.sources:
        article = source.article
        parts = [f"**{md_escape(source_label(source))}**"]
        if article.title:
            parts.append(f"“{md_escape(article.title)}”")
        if article.published:
            parts.append(md_escape(display_date(article.published)))
        where = article.url or article.path
        if where:
            parts.append(f"<{where}>" if safe_url(where) else md_escape(where))
        lines.append(f"- [{source.id}] " + ", ".join(parts))
        if source.also_carried_by:
            lines.append("  - Also carried by: " + ", ".join(md_escape(o) for o in source.also_carried_by))
        profile = profiles.get(source.id)
        if profile and (profile.verdict or profile.flags):
            flags = ", ".join(f"`{flag}`" for flag in profile.flags)
            verdict = md_escape(profile.verdict) if profile.verdict else ""
            lines.append("  - Profile: " + " — ".join(p for p in (verdict, flags and f"flags: {flags}") if p))
    return lines


def to_markdown(briefing: Briefing) -> str:
    blocks = [f"# {md_escape(briefing.headline or 'Briefing')}"]
    if briefing.summary:
        sources = {s.id: s for s in briefing.sources}
        blocks.append(
            " ".join(f"{md_escape(shown_text(s, sources))} {md_marks(s.citations)}".rstrip() for s in briefing.summary)
        )
    sections = (
        ("Who said what", _md_quotes(briefing.quotes)),
        ("Who is who", _md_entities(briefing.entities)),
        ("Where outlets agree and differ", _md_agreement(briefing)),
        ("Sources", _md_sources(briefing)),
        ("Skipped inputs", [f"- {md_escape(s.origin)}: {md_escape(s.reason)}" for s in briefing.skipped]),
    )
    for title, lines in sections:
        if lines:
            blocks.append(f"## {title}\n\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


_HTML_NAMES = frozenset({"html_fragment", "html_page", "CSS", "SCRIPT", "csp_hash", "esc"})


def __getattr__(name: str):
    # The HTML builder lives in its own module, loaded only when HTML is asked for.
    if name in _HTML_NAMES:
        from . import render_html

        return getattr(render_html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
