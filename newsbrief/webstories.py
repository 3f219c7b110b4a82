"""Story-library routes (placeholder until the library lands)."""
from __future__ import annotations


def add_api_routes(app):
    return None


def add_page_routes(app):
    return None
