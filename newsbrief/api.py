"""The library API: every shell (CLI, web app, JSON) calls these functions.

A briefing runs the stages in order, each a plain function from records to
records: ingest -> clean -> dedupe -> segment -> (embed on demand) ->
summarize -> attribute -> compare -> profile. Heavy resources come from a
:class:`~newsbrief.resources.Resources` built once per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO

import numpy as np

from . import attribute, clean, compare, dedupe, ingest, profile, segment, summarize
from .embed import SentenceVectors
from .errors import NoArticlesError
from .records import Article, Briefing, RawDocument, Skipped
from .resources import Resources
from .settings import Settings, load_settings

log = logging.getLogger(__name__)

#: progress(stage, done, total): the shells turn this into progress bars.
Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _import_solver() -> None:
    """The summarizer's ILP solver (scipy.optimize, ~0.3 s to import), imported off the critical path."""
    import scipy.optimize  # noqa: F401


def _warm_up(resources: Resources) -> None:
    """Imports and loads later stages need, started as the model first runs.

    The model run releases the GIL, so Python-heavy loading overlaps it on the
    second core: the solver import always, spaCy only when it types names.
    """
    if resources.settings.ner == "spacy":
        resources.warm_nlp(then=_import_solver)
    else:
        threading.Thread(target=_import_solver, name="newsbrief-warm-up", daemon=True).start()


def make_resources(settings: Settings | None = None, **overrides) -> Resources:
    """Resources for a run; build once and pass to every call in a process."""
    settings = settings or load_settings()
    if overrides:
        settings = settings.with_overrides(**overrides)
    return Resources(settings)


def read_articles(
    inputs: Sequence[str],
    resources: Resources,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], list[Skipped]]:
    """Read and clean every input; unusable ones come back as ``Skipped``."""
    documents, skipped = ingest.read_inputs(
        inputs, resources.settings, stdin=stdin, fetcher=resources.fetcher, progress=progress or _noop
    )
    articles, dropped = clean.clean_documents(documents)
    return articles, skipped + dropped


def clean_documents(documents: Sequence[RawDocument]) -> tuple[list[Article], list[Skipped]]:
    return clean.clean_documents(documents)


def brief(
    inputs: Sequence[str],
    resources: Resources | None = None,
    *,
    words: int | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> Briefing:
    """Read the inputs (paths, globs, directories, URLs, ``-``) and brief them."""
    resources = resources or make_resources()
    articles, skipped = read_articles(inputs, resources, stdin=stdin, progress=progress)
    return brief_articles(articles, resources, words=words, skipped=skipped, progress=progress)


def brief_articles(
    articles: Sequence[Article],
    resources: Resources,
    *,
    words: int | None = None,
    skipped: Sequence[Skipped] = (),
    known_vectors: Mapping[tuple[str, int, int], np.ndarray] | None = None,
    progress: Progress | None = None,
    vectors_out: dict | None = None,
) -> Briefing:
    """Brief already-cleaned articles.

    ``known_vectors`` are stored sentence embeddings keyed by (article id,
    start, end); the ones computed here are written to ``vectors_out`` so the
    library can store them.
    """
    progress = progress or _noop
    if not articles:
        detail = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
        raise NoArticlesError("no usable article in the input" + (f" ({detail})" if detail else ""))
    words = words or resources.settings.words
    steps = ("dedupe", "summarize", "attribute", "compare", "profile")
    progress("brief", 0, len(steps))
    sources = dedupe.collapse_duplicates(articles)
    by_id = {s.id: s for s in sources}
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, by_id, resources.embedder, known=known_vectors,
                              on_first_embed=lambda: _warm_up(resources))
    progress("brief", 1, len(steps))
    headline, summary = summarize.summarize(sources, sentences, vectors, words=words)
    progress("brief", 2, len(steps))
    quotes, entities = attribute.attribute(sources, sentences, vectors, resources)
    progress("brief", 3, len(steps))
    summary, conflicts = compare.compare(sources, sentences, vectors, summary, quotes, entities, resources)
    progress("brief", 4, len(steps))
    profiles = profile.profile_sources(sources, sentences, vectors, summary, quotes)
    progress("brief", 5, len(steps))
    if vectors_out is not None:
        vectors_out.update(vectors.embedded)
    return Briefing(
        headline=headline,
        summary=tuple(summary),
        sources=tuple(sources),
        skipped=tuple(skipped),
        quotes=tuple(quotes),
        conflicts=tuple(conflicts),
        entities=tuple(entities),
        profiles=tuple(profiles),
    )


# --------------------------------------------------------------------------- the story library
# The library's operations are reached here too (``api.add``, ``api.stories``...), but imported
# on first use: the library pulls in SQLAlchemy (~0.4 s), which a one-off briefing never needs.
_LIBRARY = frozenset(
    {"add", "parse_interval", "poll_feed", "recluster", "resolve_story", "search", "stories", "story",
     "story_briefing", "watch"}
)


def __getattr__(name: str):
    if name in _LIBRARY:
        from . import library

        value = getattr(library, name)
        globals()[name] = value  # later lookups skip this hook
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LIBRARY)
