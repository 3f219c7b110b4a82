"""Fixtures shared by the library tests: our own short articles and a throwaway PostgreSQL.

The articles are written for these tests (two unrelated stories, one wire
copy); the PostgreSQL server is Debian's, started with initdb/pg_ctl on a free
loopback port in a temporary directory and stopped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path

import pytest

from newsbrief import cluster
from newsbrief.records import Article

BRIDGE = [
    ("Riverton bridge collapses during rush hour",
     "The Harlan Street bridge in Riverton collapsed during the evening rush hour on Tuesday, sending "
     "four cars into the Mill River. Mayor Dana Whitcombe said rescue crews pulled nine people from the "
     "water. The span, built in 1962, had been rated structurally deficient by state inspectors in 2019. "
     "Divers from the Riverton Fire Department searched the river until midnight."),
    ("Divers search Mill River after Riverton bridge failure",
     "Rescue divers returned to the Mill River on Wednesday after the Harlan Street bridge collapse in "
     "Riverton. Fire Chief Omar Pell said two people remain missing. Mayor Dana Whitcombe ordered "
     "inspections of every bridge in the city. Engineers said corrosion in the steel girders of the "
     "Harlan Street span may have caused the failure."),
    ("Inspectors warned about Harlan Street bridge, records show",
     "State records show inspectors warned Riverton officials in 2019 that the Harlan Street bridge needed "
     "urgent repairs to its corroded steel girders. Mayor Dana Whitcombe said the city had scheduled the "
     "work for next spring. The collapse on Tuesday sent four cars into the Mill River; two people are "
     "still missing as divers continue to search."),
]
CHESS = [
    ("Okafor takes early lead at Lisbon chess championship",
     "Grandmaster Adaeze Okafor won her first two games at the World Rapid Chess Championship in Lisbon "
     "on Saturday, beating defending champion Viktor Lindqvist with the black pieces. The tournament, held "
     "at the Lisbon Congress Centre, runs for nine rounds. Okafor, 24, is the youngest player in the field."),
    ("Lindqvist recovers as Lisbon championship reaches halfway",
     "Defending champion Viktor Lindqvist won three straight games at the World Rapid Chess Championship in "
     "Lisbon on Sunday to move within half a point of leader Adaeze Okafor. Lindqvist said his loss to "
     "Okafor on the first day had been a wake-up call. Five rounds of the chess tournament remain."),
    ("Okafor crowned rapid chess champion in Lisbon",
     "Adaeze Okafor won the World Rapid Chess Championship in Lisbon on Monday, drawing her final game to "
     "finish a full point ahead of Viktor Lindqvist. Okafor becomes the first Nigerian grandmaster to win a "
     "world chess title. The tournament drew 120 players from 41 countries to the Lisbon Congress Centre."),
]


def write_articles(path: Path, *, with_copy: bool = True) -> Path:
    """Six articles on two stories (dated), plus a wire copy of the first bridge article."""
    rows = []
    for day, (title, text) in enumerate(BRIDGE, start=3):
        rows.append({"title": title, "text": text, "outlet": f"Bridge Daily {day}", "published": f"2024-03-{day:02d}"})
    for day, (title, text) in enumerate(CHESS, start=4):
        rows.append({"title": title, "text": text, "outlet": f"Chess Weekly {day}", "published": f"2024-03-{day:02d}"})
    if with_copy:
        title, text = BRIDGE[0]
        rows.append({"title": title, "text": text + " (Copyright 2024 Wire Service.)", "outlet": "Valley Herald",
                     "published": "2024-03-03"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- PostgreSQL


def stream_features(rows: list[dict], embedder) -> list[cluster.ArticleFeatures]:
    """Clustering features of rows of the shared DUC stream, their leads embedded by ``embedder``."""
    items = []
    for row in rows:
        article = Article(id=row["id"], origin=row["id"], text=row["text"], raw_text=row["text"],
                          raw_chars=len(row["text"]), published=row["date"])
        spans = cluster.lead_spans(row["text"])
        vector = cluster.lead_vector(embedder.encode([row["text"][a:b] for a, b in spans]))
        items.append(cluster.features(article, vector, cluster.article_time(article, 0)))
    return items


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server for a test module (import this fixture into the module)."""
    server = PostgresServer()
    try:
        server.start()
    except Exception as exc:  # CI must have PostgreSQL: fail loudly, never skip
        server.stop()
        pytest.fail(f"could not start a PostgreSQL server for the tests: {exc}")
    yield server
    server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl in a temporary directory, as a non-root user when run as root."""

    def __init__(self) -> None:
        binaries = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql; see scripts/system-deps)")
        self.bin = Path(binaries[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="newsbrief-pg-"))
        self.port = _free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres" if _user_exists("postgres") else "nobody"
            shutil.chown(self.dir, self.user)
        self.data = self.dir / "data"

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> str:
        self._run(self.bin / "initdb", "-D", self.data, "-U", "newsbrief", "--auth=trust", "-E", "UTF8",
                  "--locale=C")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.dir / "log", "-w", "start")
        return f"postgresql+psycopg://newsbrief@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=newsbrief dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://newsbrief@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
