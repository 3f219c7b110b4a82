"""One writer at a time per library.

Filing articles reads every active story's state, decides where each new
article goes and writes the batch. Two ``add`` runs (or ``watch`` and an
``add``, or two uploads to the web app) doing that at once would both hand
out the same new story numbers and each overwrite the other's story state, so
the whole read-decide-write run holds a lock: an advisory lock file beside a
SQLite library, a session advisory lock on PostgreSQL. Readers never take it.
"""

from __future__ import annotations

import logging
import os
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from .errors import StoreError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
# Arbitrary but fixed: every newsbrief process must ask PostgreSQL for the same key.
PG_KEY = zlib.crc32(b"newsbrief library writer")


@contextmanager
def writer_lock(engine: Engine, url: str, shown: str, *, wait: float) -> Iterator[None]:
    """Hold the library's single-writer lock, waiting up to ``wait`` seconds for it."""
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, shown, wait):
            yield
        return
    path = url.split("///", 1)[-1] if url.startswith("sqlite") else ""
    if not path or path == ":memory:" or "mode=memory" in path:
        yield  # a private in-memory database has one connection: nobody to race
        return
    with _file_lock(Path(path.split("?", 1)[0] + ".writer"), shown, wait):
        yield


@contextmanager
def _file_lock(path: Path, shown: str, wait: float) -> Iterator[None]:
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the writer lock {path.name} ({exc.strerror})", origin=shown) from None
    try:
        _wait_for(lambda: _try_flock(handle), shown, wait)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock, also if the process is killed


def _try_flock(handle: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt locks a byte range instead
        import msvcrt
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _postgres_lock(engine: Engine, shown: str, wait: float) -> Iterator[None]:
    with engine.connect() as conn:
        def attempt() -> bool:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": PG_KEY}).scalar()
            conn.commit()
            return bool(got)

        _wait_for(attempt, shown, wait)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_KEY})
            conn.commit()


def _wait_for(attempt, shown: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while not attempt():
        if time.monotonic() >= deadline:
            raise StoreError(f"another newsbrief process has been writing to the library for over "
                             f"{wait:g} s; try again when it is done", origin=shown)
        if not told:
            log.info("waiting for another newsbrief process to finish writing to %s", shown)
            told = True
        time.sleep(POLL_SECONDS)
