"""A small in-memory cache of stories' rendered briefings for the web server.

Building a story's briefing costs seconds; serving it should cost
milliseconds. Each entry is keyed by the story id and remembers the story's
*version* (anything that changes when the story changes: its update time and
article count); a request that finds another version rebuilds it, so a story
that gained articles is never served stale. Concurrent requests for the same
missing entry build it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class StoryCache:
    def __init__(self, capacity: int = 128) -> None:
        self._entries: OrderedDict[str, tuple[Hashable, dict[str, Any]]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self.hits = 0
        self.builds = 0

    def get(self, key: str, version: Hashable, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The entry for ``key`` at ``version``, building it (once) when missing or stale."""
        found = self._lookup(key, version)
        if found is not None:
            return found
        with self._lock:
            builder = self._building.setdefault(key, threading.Lock())
        with builder:
            found = self._lookup(key, version)  # another request may have built it meanwhile
            if found is not None:
                return found
            value = build()
            with self._lock:
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._capacity:
                    self._entries.popitem(last=False)
                self.builds += 1
            return value

    def _lookup(self, key: str, version: Hashable) -> dict[str, Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]
