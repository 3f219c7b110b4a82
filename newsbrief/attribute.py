"""Who said what. (Placeholder until the who-said-what stage lands: returns nothing.)"""

from __future__ import annotations


def attribute(sources, sentences, vectors, resources):
    return [], []
