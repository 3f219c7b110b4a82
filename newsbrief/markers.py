"""Template and AI-rewrite markers of one page, for its profile: summary-bait blocks,
AI-image disclaimers, stock AI phrases and lists of outlets as sources.

Regexes and substring tests only; every marker is a span of character offsets
into the text it was found in (the cleaned text or the raw page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

AI_STYLE_MARKERS = frozenset({"ai_image", "stock_phrase"})  # the kinds that read machine-written


@dataclass(frozen=True)
class Marker:
    kind: str  # "summary_bait" | "ai_image" | "stock_phrase" | "source_list"
    start: int
    end: int


MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("summary_bait", re.compile(
        r"no time to read\??\s*(?:get|read) (?:a|the) summary|get a summary|tl;\s?dr|"
        r"summary (?:generated|written) by (?:ai|artificial intelligence)|ai[- ]generated summary|"
        r"too long\?? didn['’]?t read", re.IGNORECASE)),
    ("ai_image", re.compile(
        r"ai image disclaimer|(?:images?|graphics?|visuals?|illustrations?|photos?) (?:are|is|were|was) "
        r"(?:ai|artificially)[- ]generated|ai[- ]generated (?:image|graphic|illustration|photo)|"
        r"for representation,? not reality|generated (?:with|by|using) (?:ai|midjourney|dall-?e)",
        re.IGNORECASE)),
    ("stock_phrase", re.compile(
        r"in a clear update rooted in [\w ]{0,40}|let['’]?s dive (?:in(?:to)?|deep)|dive into the nitty-gritty|"
        r"it['’]?s (?:super |really |very )?important to (?:remember|note)|hey (?:guys|folks|everyone)|"
        r"let['’]?s be real|let['’]?s talk about|alright, let['’]?s|so, what exactly|in today['’]?s fast-paced world|"
        r"in the ever-evolving (?:world|landscape)|without further ado|buckle up|"
        r"(?:sometimes )?the world feels like a (?:delicate )?tapestry|it invites a gentle reflection|"
        r"in (?:this|today['’]?s) (?:article|post),? we(?:'ll| will)|stay tuned for more",
        re.IGNORECASE)),
    ("source_list", re.compile(
        r"^[^\w\n]{0,4}[ \t]*sources?[ \t]*:?[ \t]*[^\n]{3,}$", re.IGNORECASE | re.MULTILINE)),
)


# Every marker pattern, for lower-cased text: case-insensitive matching costs ~5x more.
_LOWER_MARKERS = {kind: re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE) for kind, pattern in MARKERS}

# Substrings one of which every match of a kind contains: a plain substring test skips the
# regex on almost every page. ("hey guys", not "hey ": that one is in every "they ".)
_MARKER_HINTS = {
    "summary_bait": ("summary", "tl;", "too long"),
    "ai_image": ("generated", "ai image", "representation"),
    "stock_phrase": ("update rooted", "let's", "let’s", "lets ", "nitty", "important to", "hey guys", "hey folks",
                     "hey everyone", "so, what", "fast-paced", "ever-evolving", "without further", "buckle",
                     "tapestry", "reflection", "this article", "this post", "today's article", "today’s article",
                     "stay tuned"),
    # "sources said" is everywhere in news; a list of sources opens a line.
    "source_list": ("sources:", "source:", "📰", "\nsources", "\nsource "),
}


def find_markers(text: str, start: int = 0, end: int | None = None) -> list[Marker]:
    """Template and AI-rewrite markers in ``text[start:end]``, offsets into ``text``."""
    end = len(text) if end is None else end
    found = []
    lowered = text[start:end].lower()
    hinted = "\n" + lowered  # so a list on the first line shows its line start
    for kind, pattern in MARKERS:
        if not any(hint in hinted for hint in _MARKER_HINTS[kind]):
            continue
        for s, e in _marker_matches(kind, pattern, text, start, end, lowered):
            if kind == "source_list" and not _is_source_list(text[s:e]):
                continue
            found.append(Marker(kind, s, e))
    found.sort(key=lambda m: m.start)
    return _drop_nested(found)


def _marker_matches(kind: str, pattern: re.Pattern[str], text: str, start: int, end: int, lowered: str):
    """(start, end) of each match in ``text[start:end]``, found in its lower-cased copy when
    lower-casing keeps every offset (it does except for a few letters such as 'İ')."""
    if len(lowered) != end - start:
        return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    spans = [(start + m.start(), start + m.end()) for m in _LOWER_MARKERS[kind].finditer(lowered)]
    if spans and spans[0][0] == start and start > 0 and text[start - 1] != "\n" and kind == "source_list":
        spans = spans[1:]  # "^" matched the slice's start, which is not a line start in the text
    return spans


def _drop_nested(markers: list[Marker]) -> list[Marker]:
    kept: list[Marker] = []
    for marker in markers:
        if kept and marker.start < kept[-1].end:
            continue
        kept.append(marker)
    return kept


def source_list_names(line: str) -> list[str]:
    """The outlets of a delimited 'Sources: A | B | C' line, as written.

    An undelimited list ("Sources Republika Euronews The Guardian") cannot be
    split into outlets without a gazetteer: it yields no names, and the marker
    shows the line as written instead.
    """
    body = _source_list_body(line)
    if not re.search(r"[|,;·•/]", body):
        return []
    names = [p.strip(" .") for p in re.split(r"\s*[|,;·•/]\s*", body)]
    return [n for n in names if n and len(n) <= 40 and (n[0].isupper() or n[0].isdigit())]


def _source_list_body(line: str) -> str:
    return re.sub(r"^[^\w]*sources?\s*:?\s*", "", line.strip(), flags=re.IGNORECASE)


def _is_source_list(line: str) -> bool:
    if len(source_list_names(line)) >= 2:
        return True
    body = _source_list_body(line)
    capitals = re.findall(r"\b[A-Z][\w'’.&-]*", body)
    lower = re.findall(r"\b[a-z][\w'’-]*", body)
    return len(capitals) >= 3 and len(lower) <= 1


MARKER_NAMES = {
    "summary_bait": "summary-bait block",
    "ai_image": "AI-generated-image disclaimer",
    "stock_phrase": "stock AI phrase",
    "source_list": "list of outlets as sources",
}


def describe_markers(located: Sequence[tuple[Marker, str]]) -> str:
    """"2 summary-bait blocks ('No time to read? Get a summary')" from markers and their text."""
    shown: dict[str, list[str]] = {}
    for marker, piece in located:
        shown.setdefault(marker.kind, []).append(" ".join(piece.split()))
    parts = []
    for kind, pieces in shown.items():
        name = MARKER_NAMES.get(kind, kind)
        examples = ", ".join(f"'{e[:60]}'" for e in list(dict.fromkeys(pieces))[:2])
        parts.append(f"{len(pieces)} {name}{'s' if len(pieces) > 1 else ''} ({examples})")
    return ", ".join(parts)
