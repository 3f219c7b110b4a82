"""Sentence vectors, and the similarity arithmetic every later stage shares.

Vectors are L2-normalised, so cosine similarity is a dot product, whether the
backend returns a dense array (MiniLM) or a sparse matrix (TF-IDF).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .records import Sentence, Source
from .resources import Embedder

log = logging.getLogger(__name__)


def sentence_texts(sentences: Sequence[Sentence], sources: Mapping[str, Source]) -> list[str]:
    return [sources[s.source].text[s.start : s.end] for s in sentences]


def embed_sentences(
    sentences: Sequence[Sentence], sources: Mapping[str, Source], embedder: Embedder
):
    """One row per sentence, in the order given."""
    vectors = embedder.encode(sentence_texts(sentences, sources))
    log.debug("embedded %d sentences with %s", len(sentences), embedder.name)
    return vectors


def similarity(a, b) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b``, dense."""
    product = a @ b.T
    return np.asarray(product.toarray() if hasattr(product, "toarray") else product, dtype=np.float32)


def take_rows(matrix, rows: Sequence[int]):
    """Rows of a dense or sparse matrix, in the order given."""
    return matrix[np.asarray(rows, dtype=np.int64)]


def centroid(matrix) -> np.ndarray:
    """The normalised mean row: the direction the whole set points in."""
    mean = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else mean


class SentenceVectors:
    """Vectors of a story's sentences, embedded on demand and at most once.

    The summarizer asks only for the candidates its cheap first pass keeps, so
    a 50-article story does not pay for embedding every sentence; vectors
    already stored in the library are handed in as ``known`` and reused.
    """

    def __init__(
        self,
        sentences: Sequence[Sentence],
        sources: Mapping[str, Source],
        embedder: Embedder,
        known: Mapping[tuple[str, int, int], np.ndarray] | None = None,
        *,
        on_first_embed: Callable[[], None] | None = None,
    ) -> None:
        self.sentences = list(sentences)
        # Called once, just before the model first runs (the briefing starts spaCy's load there).
        self._on_first_embed = on_first_embed
        self.sources = sources
        self.embedder = embedder
        self._rows: dict[int, np.ndarray] = {}
        if known and embedder.stable:
            for i, s in enumerate(self.sentences):
                key = (sources[s.source].article.id, s.start, s.end)
                if key in known:
                    self._rows[i] = np.asarray(known[key], dtype=np.float32)
        self._sparse_all = None  # unstable backends embed everything in one call

    @property
    def embedded(self) -> dict[tuple[str, int, int], np.ndarray]:
        """What has been computed so far, keyed for storage."""
        out = {}
        for i, vector in self._rows.items():
            s = self.sentences[i]
            out[(self.sources[s.source].article.id, s.start, s.end)] = vector
        return out

    def _embed(self, sentences: Sequence[Sentence]):
        if self._on_first_embed is not None:
            hook, self._on_first_embed = self._on_first_embed, None
            hook()
        return embed_sentences(sentences, self.sources, self.embedder)

    def rows(self, indices: Sequence[int]):
        """The vectors of the given sentence indices, in that order."""
        if not self.embedder.stable:
            # Separate calls of an unstable backend are not comparable: one call for all.
            if self._sparse_all is None:
                self._sparse_all = self._embed(self.sentences)
            return take_rows(self._sparse_all, indices)
        missing = sorted({i for i in indices if i not in self._rows})
        if missing:
            vectors = self._embed([self.sentences[i] for i in missing])
            for i, vector in zip(missing, vectors, strict=True):
                self._rows[i] = vector
        if not indices:
            return np.zeros((0, getattr(self.embedder, "dimensions", 1)), dtype=np.float32)
        return np.stack([self._rows[i] for i in indices])
