"""Source profiles. (Placeholder until the profile stage lands.)"""

from __future__ import annotations


def profile_sources(sources, sentences, vectors, summary, quotes):
    return []
