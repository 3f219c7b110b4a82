"""Our scikit-learn-free TF-IDF must give scikit-learn's vectors (it replaces it on the hot path)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS
from sklearn.feature_extraction.text import TfidfVectorizer

from newsbrief.segment import split_spans
from newsbrief.tfidf import ENGLISH_STOP_WORDS, tfidf_matrix


def _sklearn(texts):
    return TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32).fit_transform(texts)


def test_stop_words_are_scikit_learns():
    assert ENGLISH_STOP_WORDS == frozenset(SKLEARN_STOP_WORDS)


def test_same_vectors_as_scikit_learn_on_duc_sentences(eval_dir):
    with (eval_dir / "duc2004_task2.jsonl").open(encoding="utf-8") as handle:
        docs = [doc["text"] for doc in json.loads(handle.readline())["docs"]]
    texts = [doc[a:b] for doc in docs for a, b in split_spans(doc)]
    assert len(texts) > 100
    ours, theirs = tfidf_matrix(texts), _sklearn(texts)
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    assert np.abs(ours.toarray() - theirs.toarray()).max() < 1e-6


def test_repeated_words_accents_and_case():
    texts = ["Paris, PARIS and paris again: the talks in Paris.", "Talks résumé in Zürich, talks talks.",
             "A 2024 deal; a deal is a deal.", "x y z"]
    ours, theirs = tfidf_matrix(texts), _sklearn(texts)
    assert np.abs(ours.toarray() - theirs.toarray()).max() < 1e-6
    assert ours[3].nnz == 0  # single letters are not words


@pytest.mark.parametrize("texts", [["the and of", "it is"], []])
def test_no_vocabulary_gives_zero_rows(texts):
    matrix = tfidf_matrix(texts)
    assert matrix.shape == (len(texts), 1) and matrix.nnz == 0
