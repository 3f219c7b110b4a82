"""Agreement and conflict. (Placeholder until the compare stage lands.)"""

from __future__ import annotations


def compare(sources, sentences, vectors, summary, quotes, entities):
    return list(summary), []
