"""The typed records that flow between pipeline stages.

Every record is a frozen dataclass. Inside the pipeline, a piece of an article
is named by character offsets into that article's cleaned ``text`` (a
:class:`Span` or a :class:`Sentence`), never by a copied string; only the
output records of a briefing carry display text, because that is what the
reader gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cluster import ArticleFeatures

# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class RawDocument:
    """One document as it came in, decoded to ``str`` but not yet cleaned."""

    origin: str  # what the user named: a path, a URL, "stdin", "file.jsonl:3"
    content: str
    is_html: bool = False
    url: str | None = None
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date or datetime
    raw_bytes: int = 0


@dataclass(frozen=True)
class FetchedPage:
    """An HTTP response body the fetcher accepted."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a conditional GET answered 304


@dataclass(frozen=True)
class Removal:
    """A stretch of the extracted text that cleaning removed, and why."""

    kind: str  # "navigation", "call_to_action", "share", "byline", "credit", ...
    start: int  # offsets into Article.raw_text
    end: int


@dataclass(frozen=True)
class Article:
    """A cleaned article: the unit every later stage reads."""

    id: str  # stable: a hash of the cleaned text
    origin: str
    text: str  # the cleaned article text; all offsets point into it
    raw_text: str  # the text before line cleaning (after HTML extraction)
    raw_chars: int  # size of the input as received (HTML included)
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = None
    removed: tuple[Removal, ...] = ()
    cited_outlets: tuple[str, ...] = ()  # outlets the article names as its sources


@dataclass(frozen=True)
class Skipped:
    """An input that was dropped, with the one-line reason the user sees."""

    origin: str
    reason: str


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of one source: offsets into that source's ``text``."""

    source: str  # Source.id
    index: int  # position within the source, from 0
    start: int
    end: int


@dataclass(frozen=True)
class Source:
    """An independent source: one article, standing for its wire copies too."""

    id: str  # "1", "2", ... in input order
    article: Article
    also_carried_by: tuple[str, ...] = ()  # outlets (or origins) carrying a copy
    duplicate_ids: tuple[str, ...] = ()  # Article.id of the collapsed copies

    @property
    def text(self) -> str:
        return self.article.text


@dataclass(frozen=True)
class SentenceGroup:
    """Near-identical sentences across sources: one piece of information."""

    members: tuple[Sentence, ...]


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Citation:
    """``sources[source].text[start:end]`` is the supporting sentence."""

    source: str
    start: int
    end: int


@dataclass(frozen=True)
class SummarySentence:
    """A summary point: ``text`` is the first citation's sentence with the ``omitted`` ranges removed.

    ``omitted`` are offsets into the text of ``citations[0].source`` (inside that
    citation's span), in order; removing them from the cited span gives ``text``
    exactly (:mod:`newsbrief.compress`). Empty when the sentence is shown whole.
    """

    text: str
    citations: tuple[Citation, ...]
    support: int = 1  # independent outlets carrying it (wire copies count once)
    omitted: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One attributed statement in one source: offsets of what was said.

    ``start``/``end`` bound the words attributed (inside the quote marks for a
    direct quote; the reported clause for reported speech); ``sentence`` is
    the span of the sentence(s) carrying it, which a citation points at.
    """

    source: str  # Source.id
    start: int
    end: int
    kind: str  # "direct" | "reported"
    speaker: str  # the resolved full name ("Dmitry Peskov") or organisation
    role: str | None
    sentence: Span
    speaker_type: str = "person"  # "person" | "org"


@dataclass(frozen=True)
class Quote:
    speaker: str
    role: str | None
    text: str
    kind: str  # "direct" | "reported"
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Claim:
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Conflict:
    kind: str  # "role" | "number" | "date" | "claim"
    subject: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Entity:
    name: str
    type: str  # "person" | "org" | "place"
    roles: tuple[str, ...]
    mentions: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """A measure's value and the spans that justify it.

    ``spans`` point into the cleaned ``text`` of their source, like every
    citation; ``raw_spans`` point into ``Article.raw_text`` instead, for
    evidence found in what cleaning removed (a summary-bait block, a
    navigation bar). ``note`` says in plain words what the number counts.
    """

    value: float
    spans: tuple[Citation, ...] = ()
    note: str | None = None
    raw_spans: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Profile:
    """What one source contributes and how it is written: see ``profile.MEASURES``."""

    source: str
    measures: dict[str, Evidence] = field(default_factory=dict, hash=False)
    facts: dict[str, object] = field(default_factory=dict, hash=False)  # words, date, author, outlet...
    verdict: str = ""
    flags: tuple[str, ...] = ()  # "adds_facts", "seo_padding", "ai_style", "rewrites_others", "template"


@dataclass(frozen=True)
class Briefing:
    headline: str
    summary: tuple[SummarySentence, ...]
    sources: tuple[Source, ...]
    skipped: tuple[Skipped, ...] = ()
    quotes: tuple[Quote, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    entities: tuple[Entity, ...] = ()
    profiles: tuple[Profile, ...] = ()


# --------------------------------------------------------------------------- library


@dataclass(frozen=True)
class Story:
    """A stored story as the library lists it."""

    id: int
    title: str
    keywords: tuple[str, ...]
    size: int  # articles, copies included
    first_seen: str  # ISO date of its earliest article
    last_seen: str
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredArticle:
    """One article of the library, without its text."""

    id: str
    story_id: int
    title: str
    origin: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    duplicate_of: str | None = None  # Article.id of the first stored copy (wire copies)


@dataclass(frozen=True)
class NewArticle:
    """One article of a batch for the library, with where the clusterer put it."""

    article: Article
    features: ArticleFeatures
    story_id: int
    duplicate_of: str | None
    minhash: bytes


@dataclass(frozen=True)
class SearchHit:
    article: StoredArticle
    snippet: str  # display text around the match


@dataclass(frozen=True)
class AddReport:
    """What one ``add`` (or one feed poll) did to the library."""

    added: int  # new articles stored
    already_stored: int  # same content hash as a stored article: nothing changed
    copies: int  # new articles recognised as near-duplicates of a stored one
    new_stories: int
    stories: tuple[int, ...]  # stories that received articles
    skipped: tuple[Skipped, ...] = ()
    merged: int = 0  # stories gone quiet that the merge joined into another (their numbers are gone)
