"""Clean: from a decoded document to an :class:`Article` holding only article text.

HTML goes through trafilatura first (text plus title, site name, author and
date). Then every text, plain or extracted, is cleaned line by line: each
logical line is judged by general signals -- its shape (short, unpunctuated,
imperative, counts, URLs, separators), its position (before the first or after
the last prose paragraph, after a comment-form or next-article marker), its
repetition (within the article, and across the articles of the run in
different contexts) and a few patterns of web furniture. Every removed line is
recorded as a :class:`Removal` with offsets into ``raw_text``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .boilerplate import (
    END_MARKER_KINDS,
    classify,
    is_title_like,
    outlet_from_line,
    parse_byline,
    parse_outlets,
    shape,
)
from .records import Article, RawDocument, Removal, Skipped

log = logging.getLogger(__name__)

MIN_WORDS = 40
#: Removal kinds that are article structure, not boilerplate (the profile's boilerplate share skips them).
STRUCTURE_KINDS = frozenset({"title", "heading", "dateline"})

_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # zero-width, soft hyphen
_DIGIT = re.compile(r"\d")
# An upper-case place, then a date or country and/or an agency in brackets, then a dash.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’\- ]{2,40}?(?:(?:,\s*[A-Z][\w .]{1,30}?)?\s*\([A-Za-z][\w&.\- ]{0,20}\)|,\s*[A-Z][\w .]{1,30}?)"
    r"\s*[-–—]+\s+(?=[A-Z\"“‘'])")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*]|[-–—](?=\s))\s*")


@dataclass
class _Unit:
    """A logical line: one or more physical lines of ``raw_text`` joined (hard wraps undone)."""

    start: int
    end: int
    text: str
    kind: str | None = None  # set when the line is removed

    @property
    def key(self) -> str:
        """The line as compared for repetition: case and digits do not matter."""
        return _line_key(self.text)


@dataclass
class _Prepared:
    doc: RawDocument
    raw_text: str
    units: list[_Unit]
    meta: dict


# --------------------------------------------------------------------------- public


def clean_documents(docs: Sequence[RawDocument]) -> tuple[list[Article], list[Skipped]]:
    """Clean every document; ones with no usable article text come back as ``Skipped``."""
    prepared: list[_Prepared] = []
    skipped: list[Skipped] = []
    for doc in docs:
        if doc.is_html:
            extracted = extract_html(doc)
            if extracted is None:
                skipped.append(Skipped(doc.origin, "no article text found in the page"))
                continue
            raw_text, meta = extracted
        else:
            raw_text, meta = doc.content.replace("\r\n", "\n").replace("\r", "\n"), {}
        prepared.append(_Prepared(doc, raw_text, _split_units(raw_text), meta))
    repeated = _repeated_across_run([p.units for p in prepared])
    articles: list[Article] = []
    for item in prepared:
        article, problem = _clean_one(item, repeated)
        if article is None:
            skipped.append(Skipped(item.doc.origin, problem))
        else:
            articles.append(article)
    return articles, skipped


def extract_html(doc: RawDocument) -> tuple[str, dict] | None:
    """The article text of an HTML page (paragraphs as lines) and its metadata, or None."""
    import trafilatura  # slow to import; only runs that hold HTML pay for it

    try:
        result = trafilatura.bare_extraction(
            doc.content, url=doc.url, with_metadata=True, include_comments=False,
            include_tables=False, deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        log.warning("%s: HTML extraction failed (%s)", doc.origin, exc)
        return None
    if result is None:
        return None
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = (data.get("text") or "").strip()
    if not text:
        return None
    meta = {k: data.get(k) for k in ("title", "sitename", "author", "date")}
    return text, meta


def _split_units(raw_text: str) -> list[_Unit]:
    """Logical lines of ``raw_text`` with their offsets; hard-wrapped paragraphs are rejoined."""
    lines = []
    offset = 0
    for physical in raw_text.split("\n"):
        text = _normalise(physical)
        if text:
            lines.append(_Unit(offset, offset + len(physical.rstrip()), text))
        else:
            lines.append(None)  # a blank line: paragraph break
        offset += len(physical) + 1
    width = _wrap_width(raw_text)
    units: list[_Unit] = []
    previous: _Unit | None = None
    for line in lines:
        if line is None:
            previous = None
            continue
        if previous is not None and width and _continues(previous.text, line.text, width):
            previous.end = line.end
            previous.text = f"{previous.text} {line.text}"
            continue
        line.start += len(raw_text[line.start:line.end]) - len(raw_text[line.start:line.end].lstrip())
        units.append(line)
        previous = line
    return units


def guess_language(text: str) -> str:
    """A cheap language code from function-word frequencies and script, or "unknown"."""
    sample = text[:3000]
    if not sample.isascii() and len(_NON_LATIN.findall(sample)) > 0.1 * len(sample):
        letters = len(_LETTER.findall(sample))
        for code, script in _SCRIPTS:
            if len(script.findall(sample)) > 0.3 * letters:
                return code
    words = _LOWER_WORD.findall(sample.lower())
    if not words:
        return "unknown"
    counts = Counter(words)
    scores = {code: sum(counts[w] for w in vocab) / len(words) for code, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.12 else "unknown"


# --------------------------------------------------------------------------- one document


def _clean_one(item: _Prepared, repeated: set[str]) -> tuple[Article | None, str]:
    doc, units = item.doc, item.units
    title = doc.title or item.meta.get("title")
    _classify_units(units, title_known=title, repeated=repeated)
    if not title:
        title = next((u.text for u in units if u.kind == "title"), None)
    kept = [u for u in units if u.kind is None]
    paragraphs = [_BULLET.sub("", u.text) for u in kept]
    dateline = _dateline(item.raw_text, kept[0]) if kept else None
    if dateline is not None:
        paragraphs[0] = paragraphs[0][dateline.end - dateline.start:]
    text = "\n\n".join(paragraphs)
    words = len(text.split())
    if words < MIN_WORDS:
        if doc.is_html:
            return None, "no article text found in the page"
        return None, f"too short: {words} words of article text after cleaning (need {MIN_WORDS})"
    author = doc.author or item.meta.get("author")
    cited: list[str] = []
    for unit in units:
        if unit.kind == "sources":
            cited.extend(o for o in parse_outlets(unit.text) if o not in cited)
        elif unit.kind == "byline" and not author:
            author = parse_byline(unit.text)
    removed = [Removal(u.kind, u.start, u.end) for u in units if u.kind is not None]
    if dateline is not None:
        removed.append(dateline)
    removed = tuple(sorted(removed, key=lambda r: r.start))
    article = Article(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        origin=doc.origin,
        text=text,
        raw_text=item.raw_text,
        raw_chars=len(doc.content),
        title=title,
        outlet=doc.outlet or item.meta.get("sitename") or _outlet_in_text(units) or _host(doc.url),
        author=author,
        published=doc.published or item.meta.get("date"),
        url=doc.url,
        path=doc.path,
        language=guess_language(text),
        removed=removed,
        cited_outlets=tuple(cited),
    )
    return article, ""


def _classify_units(units: list[_Unit], *, title_known: str | None, repeated: set[str]) -> None:
    """Set ``kind`` on every unit that is not article text."""
    counts = Counter(u.key for u in units)
    for unit in units:
        unit.kind = classify(unit.text)
    prose = [i for i, u in enumerate(units) if u.kind is None and shape(u.text).prose]
    first = prose[0] if prose else len(units)
    last = prose[-1] if prose else -1
    # Everything after a comment form or a next-article link is page furniture.
    marker = None
    for index, unit in enumerate(units):
        if unit.kind in END_MARKER_KINDS and index > first and index >= len(units) // 2:
            last = min(last, index - 1) if marker is None else last
            marker = unit.kind
        elif marker is not None and unit.kind is None:
            unit.kind = marker
    lead = _title_index(units, first)
    for index, unit in enumerate(units):
        if unit.kind is not None:
            continue
        info = shape(unit.text)
        if index == lead and _is_title(unit.text, title_known, index < first):
            unit.kind = "title"
        elif index == first - 1 and info.heading and index > 0:
            unit.kind = "heading"  # a section heading right above the first paragraph
        elif index < first or index > last:
            unit.kind = _zone_kind(info)
        elif counts[unit.key] > 1 and info.words <= 12:
            unit.kind = "repeated"
        elif unit.key in repeated:
            unit.kind = "repeated"
        elif info.heading and not (_BULLET.match(unit.text) and info.words >= 4):
            unit.kind = "heading"  # list items stay: "• no compulsory redundancies at Terminal 3"


def _outlet_in_text(units: list[_Unit]) -> str | None:
    """A plain-text page names its publisher in its copyright line, byline or masthead, best first."""
    for kind in ("disclaimer", "byline", "navigation"):
        for unit in units:
            if unit.kind == kind and (name := outlet_from_line(unit.text, kind)):
                return name
    return None


def _title_index(units: list[_Unit], first: int) -> int | None:
    """The first line that is not furniture; in a pasted page that may be the site's name,
    so a headline-length line (4+ words) before the first paragraph wins over a shorter one."""
    candidates = [i for i, u in enumerate(units[:first]) if u.kind is None and is_title_like(u.text)]
    lead = next((i for i, u in enumerate(units) if u.kind is None), None)
    if candidates and lead in candidates:
        return next((i for i in candidates if shape(units[i].text).words >= 4), lead)
    return lead


def _dateline(raw_text: str, unit: _Unit) -> Removal | None:
    """The wire dateline opening the first paragraph ("LONDON, May 2 (Reuters) - "), if any."""
    match = _DATELINE.match(unit.text)
    if match is None or not raw_text.startswith(match.group(0), unit.start):
        return None  # whitespace inside it was normalised: offsets would not line up
    return Removal("dateline", unit.start, unit.start + match.end())


def _is_title(text: str, title_known: str | None, in_head: bool) -> bool:
    if title_known:
        return _normalise(text).casefold() == _normalise(title_known).casefold()
    return in_head and is_title_like(text)


def _zone_kind(info) -> str | None:
    """Before the first or after the last prose line, anything not sentence-like is furniture."""
    if info.question_short:
        return "call_to_action"  # "No time to read?", "Want more?"
    if info.terminal and info.words >= 3:
        return None
    return "navigation"


def _repeated_across_run(all_units: list[list[_Unit]]) -> set[str]:
    """Short unpunctuated lines that several articles carry before different text.

    A heading shared by two wire copies is followed by the same paragraph in
    both, so it is not boilerplate; a site's furniture is followed by whatever
    article it was pasted into.
    """
    docs: Counter[str] = Counter()
    followers: dict[str, set[str]] = defaultdict(set)
    for units in all_units:
        seen = set()
        for index, unit in enumerate(units):
            info = shape(unit.text)
            if info.terminal or info.words > 12 or unit.key in seen:
                continue
            seen.add(unit.key)
            docs[unit.key] += 1
            following = units[index + 1].key if index + 1 < len(units) else ""
            followers[unit.key].add(following)
    return {key for key, n in docs.items() if n >= 2 and len(followers[key]) >= 2}


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=8192)
def _line_key(text: str) -> str:
    if len(text) > 200:
        return text  # only short lines are compared for repetition
    return _DIGIT.sub("0", text.casefold())


def _normalise(line: str) -> str:
    # str.split() knows every Unicode space (no-break, thin, ideographic) and runs in C.
    if not line.isascii() and _HAS_INVISIBLE.search(line):
        line = line.translate(_INVISIBLE)
    return " ".join(line.split())


def _wrap_width(raw_text: str) -> int:
    """The column a hard-wrapped text breaks at, or 0 when lines are paragraphs."""
    lengths = [len(line.rstrip()) for line in raw_text.split("\n") if line.strip()]
    long_lines = [n for n in lengths if n >= 40]
    if len(long_lines) < 4 or max(lengths) > 100:
        return 0
    ends = [line.rstrip()[-1:] for line in raw_text.split("\n") if len(line.rstrip()) >= 40]
    open_ends = sum(1 for e in ends if e not in ".!?\"”’'")
    return max(lengths) if open_ends >= 0.5 * len(ends) else 0


def _continues(previous: str, line: str, width: int) -> bool:
    """In hard-wrapped text a full-width line without a sentence end runs on."""
    return len(previous) >= 0.6 * width and not _BULLET.match(line)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return (host[4:] if host.startswith("www.") else host) or None


_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile("[\u0370-\u03ff\u0590-\u06ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_LOWER_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS = [(code, re.compile(f"[{low}-{high}]")) for code, low, high in (
    ("ja", "\u3040", "\u30ff"), ("ko", "\uac00", "\ud7af"), ("zh", "\u4e00", "\u9fff"),
    ("ar", "\u0600", "\u06ff"), ("he", "\u0590", "\u05ff"), ("el", "\u0370", "\u03ff"))]
_FUNCTION_WORDS = {
    "en": set("the of and to in is that for it with as was on be by are this from at have has he said not but an".split()),
    "fr": set("le la les de des du et est un une que qui dans pour pas sur au aux avec il elle ce sont par".split()),
    "de": set("der die das und ist nicht ein eine zu den mit von dem sich auf für im auch es sie des".split()),
    "es": set("el la los las de del y que en un una es por para con no se su al lo como más".split()),
    "it": set("il lo la gli le di del della e che in un una per non con si è sono da al".split()),
    "pt": set("o a os as de do da dos das e que em um uma para com não por se no na é".split()),
    "nl": set("de het een en van in is dat op te zijn met voor niet aan er ook als".split()),
    "ru": set("и в не на что с по это как он она к из у о за от то".split()),
    "uk": set("і в не на що з по це як він вона до з у та від але".split()),
}
