"""Shared test fixtures: paths to the shared data and one real Resources per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.resources import Resources
from newsbrief.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "macron-putin-talks"
EVAL = SHARED / "eval"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.fail(f"the shared eval data is missing at {EVAL}")
    return EVAL


@pytest.fixture(scope="session")
def resources(tmp_path_factory) -> Resources:
    """The real model and spaCy, loaded once for the whole test session."""
    home = tmp_path_factory.mktemp("home")
    return Resources(Settings(home=str(home), embedder="minilm"))


@pytest.fixture(scope="session")
def tfidf_resources(tmp_path_factory) -> Resources:
    home = tmp_path_factory.mktemp("home-tfidf")
    return Resources(Settings(home=str(home), embedder="tfidf"))
