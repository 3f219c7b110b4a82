"""Helpers for the web tests: a real uvicorn server on loopback, and articles written for these tests.

The articles are fiction written for newsbrief's tests (no third-party text), about one
made-up story told by three made-up outlets, with a quote, a shared fact and a number
they disagree on.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import uvicorn

ARTICLES = [
    {
        "outlet": "Harbour Gazette",
        "title": "Lindenport council approves new tidal bridge",
        "url": "https://gazette.example/news/lindenport-bridge",
        "published": "2026-03-04",
        "text": (
            "Lindenport city council voted on Tuesday to build a new tidal bridge across the Marrow estuary.\n\n"
            "The bridge will cost 120 million euros and should open to traffic in 2029, the council said.\n\n"
            "\"This bridge ends forty years of waiting for the people of the north shore,\" said mayor "
            "Clara Osei after the vote.\n\n"
            "Fishermen in the old harbour fear the construction will disturb the eel migration each spring.\n\n"
            "The council approved the plan by 31 votes to 12 after a debate that lasted six hours."
        ),
    },
    {
        "outlet": "North Shore Courier",
        "title": "Tidal bridge gets green light after six-hour debate",
        "url": "https://courier.example/2026/03/04/bridge-vote",
        "published": "2026-03-04",
        "text": (
            "After a six-hour debate, Lindenport city council voted on Tuesday to build a new tidal bridge "
            "across the Marrow estuary.\n\n"
            "Officials put the cost of the bridge at 150 million euros, including new access roads.\n\n"
            "Mayor Clara Osei said the bridge would end forty years of waiting for the north shore.\n\n"
            "Opposition councillor Piet Vandermeer said the budget was unrealistic and called for an "
            "independent review of the costs.\n\n"
            "Construction is due to start next year."
        ),
    },
    {
        "outlet": "Estuary Daily",
        "title": "Eel fishermen worry as Lindenport backs bridge",
        "url": "https://estuary-daily.example/bridge-eels",
        "published": "2026-03-05",
        "text": (
            "Lindenport city council voted on Tuesday to build a tidal bridge across the Marrow estuary, "
            "despite protests from the fishing community.\n\n"
            "Fishermen in the old harbour fear the construction will disturb the eel migration each spring.\n\n"
            "\"We were not asked, and the eels cannot vote,\" said Jonas Kerr, who chairs the harbour "
            "fishermen's association.\n\n"
            "The council said environmental studies would be published before work begins.\n\n"
            "The bridge should open to traffic in 2029."
        ),
    },
]

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(app):
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_for_job(client, location: str, timeout: float = 120.0) -> dict:
    """Poll a briefing job until it is done or failed; returns the last JSON."""
    deadline = time.monotonic() + timeout
    while True:
        data = client.get(location).json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(0.2)


@contextmanager
def launch_chromium():
    """Debian's Chromium driven by Playwright (the browser is never downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
