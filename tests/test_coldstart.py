"""What a briefing's cold start loads: heavy libraries only when used, spaCy off the main path."""

from __future__ import annotations

import subprocess
import sys
import threading

import numpy as np
import pytest

from newsbrief import api
from newsbrief.errors import ConfigError
from newsbrief.resources import MiniLMEmbedder, Resources
from newsbrief.settings import Settings

PROBE = """
import sys
import newsbrief.api as api
before = sorted(m for m in ("sklearn", "sqlalchemy", "spacy", "trafilatura", "httpx", "datasketch", "onnxruntime")
                if m in sys.modules)
api.stories  # a library operation, reached through api
print(before, "sqlalchemy" in sys.modules)
"""


def test_importing_the_api_loads_no_heavy_library_until_one_is_used():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["[]", "True"]


def test_library_operations_stay_reachable_through_the_api():
    from newsbrief import library

    assert api.add is library.add and api.story_briefing is library.story_briefing
    assert {"add", "stories", "watch"} <= set(dir(api))
    with pytest.raises(AttributeError):
        api.no_such_operation  # noqa: B018


def test_spacy_warmed_in_the_background_is_the_one_later_readers_get(tmp_path):
    resources = Resources(Settings(home=str(tmp_path), embedder="tfidf"))
    resources.warm_nlp()
    loader = next(t for t in threading.enumerate() if t.name == "newsbrief-spacy")
    # Another resource is not held up by the load.
    assert resources.embedder.name == "tfidf"
    nlp = resources.nlp  # waits for the background load instead of starting a second one
    loader.join(timeout=60)
    assert not loader.is_alive()
    assert resources.nlp is nlp and "ner" in nlp.pipe_names
    resources.warm_nlp()  # already loaded: no new thread
    assert not any(t.name == "newsbrief-spacy" for t in threading.enumerate())


def test_negative_model_threads_are_refused():
    with pytest.raises(ConfigError, match="embed_threads"):
        MiniLMEmbedder(threads=-1)


def _one_source():
    from newsbrief.dedupe import collapse_duplicates
    from newsbrief.records import Article
    from newsbrief.segment import segment

    text = "The council met on Monday. It approved the budget. The mayor said the vote was close."
    article = Article(id="a1", origin="fixture", text=text, raw_text=text, raw_chars=len(text))
    source = collapse_duplicates([article])[0]
    return source, segment([source])


def test_the_first_model_run_calls_the_hook_once_and_stored_vectors_do_not(resources):
    from newsbrief.embed import SentenceVectors

    source, sentences = _one_source()
    calls = []
    vectors = SentenceVectors(sentences, {source.id: source}, resources.embedder,
                              on_first_embed=lambda: calls.append(1))
    assert calls == []
    vectors.rows([0, 1])
    vectors.rows([2, 0])
    assert calls == [1]
    stored = SentenceVectors(sentences, {source.id: source}, resources.embedder, known=vectors.embedded,
                             on_first_embed=lambda: calls.append(2))
    assert np.allclose(stored.rows([0, 1, 2]), vectors.rows([0, 1, 2]))
    assert calls == [1]  # every vector was stored: the model never ran
