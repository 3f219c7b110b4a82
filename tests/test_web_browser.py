"""The web pages in a real headless Chromium (Debian's), driven by Playwright, against the real server.

One browser for the whole module. Never run ``playwright install``: the tests use
/usr/bin/chromium (scripts/system-deps installs it).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from web_support import ARTICLES, launch_chromium, running_server, wait_for_job

from newsbrief.resources import Resources
from newsbrief.web import create_app

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "briefing.png"

# Untrusted article text and metadata, written to break out of every HTML context it lands in.
HOSTILE = [
    {
        "outlet": "<img src=x onerror=\"alert('outlet')\">",
        "title": "<script>alert('title')</script>Bridge vote",
        "author": "\"><svg onload=alert('author')>",
        "url": "javascript:alert('url')",
        "text": (
            "Lindenport city council voted on Tuesday to build a tidal bridge <script>alert('text')</script> "
            "across the estuary.\n\n"
            "The mayor said <b onmouseover=\"alert('hover')\">the bridge</b> would open in 2029 "
            "\" onfocus=\"alert('attr')\" autofocus x=\".\n\n"
            "Fishermen fear the works will disturb the eels <iframe src=\"javascript:alert('frame')\"></iframe>.\n\n"
            "The council approved the plan by 31 votes to 12 after a debate that lasted six hours, and "
            "construction is due to start next year."
        ),
    },
    {
        "outlet": "Quiet Courier",
        "title": "Council backs bridge",
        "url": "https://quiet.example/bridge",
        "text": (
            "Lindenport city council voted on Tuesday to build a tidal bridge across the estuary.\n\n"
            "The mayor said the bridge would open in 2029 <img src=x onerror=\"alert('img')\">.\n\n"
            "Fishermen fear the works will disturb the eels.\n\n"
            "The council approved the plan by 31 votes to 12 after a debate that lasted six hours, and "
            "construction is due to start next year, officials said."
        ),
    },
]

# Everything an injection would create; the page itself has exactly one script, its own.
INJECTED = ("script:not([src='/static/web.js']), img, svg, iframe, b, [onerror], [onload], [onmouseover], "
            "[onfocus], [autofocus], a[href^='javascript:']")


@pytest.fixture(scope="module")
def app(resources, tmp_path_factory):
    home = str(tmp_path_factory.mktemp("browser-home"))  # its own library
    return create_app(Resources(resources.settings.with_overrides(home=home), embedder=resources.embedder))


@pytest.fixture(scope="module")
def site(app):
    with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield base, client


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def _brief(client, articles) -> dict:
    response = client.post("/api/briefings", json={"articles": articles})
    assert response.status_code == 202, response.text
    done = wait_for_job(client, response.headers["location"])
    assert done["status"] == "done", done
    return done


def test_new_briefing_form_shows_progress_then_the_briefing(site, app, page):
    base, _ = site
    # The server has one briefing worker. A small job can finish before the browser follows the
    # redirect (then /jobs/<id> forwards straight to the briefing), so hold the worker until the
    # progress page has been seen: the form's job waits in the queue meanwhile.
    release = threading.Event()
    holder = app.state.jobs.submit(lambda progress: release.wait(60), timeout=90)
    try:
        page.goto(f"{base}/new")
        page.fill("#texts", "\n---\n".join(a["text"] for a in ARTICLES))
        page.click("form.new button[type=submit]")
        page.wait_for_url("**/jobs/*", timeout=30_000)
        assert page.locator("progress#job-bar").is_visible()
        expect(page.locator("#job-stage")).to_have_text("Waiting for a free worker…", timeout=10_000)
    finally:
        release.set()
    page.wait_for_url("**/briefings/*", timeout=120_000)  # the page polled and opened the briefing itself
    assert holder.status == "done"
    assert page.locator("h1.headline").inner_text().strip()
    assert page.locator(".sources li.source").count() == 3


def test_stories_page_to_briefing_to_highlighted_source_sentence(site, page):
    base, client = site
    added = client.post("/api/articles", json={"articles": ARTICLES})
    assert added.status_code == 200, added.text
    story = added.json()["stories"][0]
    briefing = client.get(f"/api/stories/{story['id']}/briefing").json()

    page.goto(f"{base}/")
    row = page.locator(".story", has_text=story["title"])
    assert "3 sources" in row.inner_text() and "3 outlets" in row.inner_text()
    page.fill("input[name=q]", "eel migration")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=eel+migration")
    assert page.locator(".story .snippet").first.inner_text()
    page.click(f".story-title >> text={story['title']}")
    page.wait_for_url(f"**/stories/{story['id']}")
    assert page.locator("h1.headline").inner_text() == briefing["headline"]

    cite = briefing["summary"][0]["citations"][0]
    source_text = next(s["text"] for s in briefing["sources"] if s["id"] == cite["source"])
    sentence = source_text[cite["start"]:cite["end"]]
    mark = page.locator(".summary .cite .mark").first
    assert mark.inner_text() == cite["source"]
    popover = page.locator(".summary .cite").first.locator(".pop")
    assert not popover.is_visible()
    mark.hover()
    popover.wait_for(state="visible")
    assert popover.locator("q.said").inner_text() == sentence

    mark.click()
    page.wait_for_url(f"**/stories/{story['id']}/sources/{cite['source']}?start={cite['start']}*")
    highlighted = page.locator("mark#cited")
    assert highlighted.inner_text() == sentence
    assert highlighted.is_visible() and highlighted.evaluate("e => getComputedStyle(e).backgroundColor") != \
        "rgba(0, 0, 0, 0)"
    # The whole source is there, the cited sentence inside it.
    assert page.locator(".source-text").inner_text().replace("\n", "") == source_text.replace("\n", "")


def test_briefing_page_shows_every_part(site, page):
    base, client = site
    job = _brief(client, ARTICLES)
    briefing = job["briefing"]
    page.goto(f"{base}/briefings/{job['id']}")
    assert page.locator(".compare .col.agree li").count() == sum(1 for s in briefing["summary"] if s["support"] > 1)
    assert page.locator(".compare .col.differ .conflict").count() == len(briefing["conflicts"])
    assert page.locator(".quotes li").count() == len(briefing["quotes"])
    outlets = page.locator(".sources .outlet").all_inner_texts()
    assert outlets == [a["outlet"] for a in ARTICLES]
    links = page.locator(".sources a.external").evaluate_all("els => els.map(e => e.href)")
    assert links == [a["url"] for a in ARTICLES]
    assert page.locator(".profile").count() == len(briefing["profiles"])


def test_hostile_article_text_stays_inert(site, page):
    base, client = site
    job = _brief(client, HOSTILE)
    pages = [f"{base}/briefings/{job['id']}"] + [
        f"{base}/briefings/{job['id']}/sources/{s['id']}?start=0&end=40" for s in job["briefing"]["sources"]]
    for url in pages:
        page.goto(url)
        for mark in page.locator(".cite .mark").all():
            if mark.is_visible():  # marks inside closed profile details are not
                mark.hover()
        for element in page.locator(".source-title a, .outlet, .sentence").all()[:20]:
            element.hover()
        page.wait_for_timeout(100)
        assert page.locator(INJECTED).count() == 0, url
        assert page.dialogs == [], url
    # The markup is shown as the text it is, not dropped.
    page.goto(pages[0])
    body = page.locator("body").inner_text()
    assert "<img src=x onerror=\"alert('outlet')\">" in body
    assert "<script>alert('title')</script>" in body


def test_screenshot_of_the_briefing_page(site, page, tmp_path):
    """Made with NEWSBRIEF_UPDATE_SCREENSHOTS=1 for docs/; otherwise into a temporary folder."""
    base, client = site
    target = SCREENSHOT if os.environ.get("NEWSBRIEF_UPDATE_SCREENSHOTS") else tmp_path / "briefing.png"
    job = _brief(client, ARTICLES)
    page.set_viewport_size({"width": 1200, "height": 1000})
    page.goto(f"{base}/briefings/{job['id']}")
    page.locator(".summary .cite .mark").nth(3).hover()
    page.locator(".summary .cite .pop").nth(3).wait_for(state="visible")
    target.parent.mkdir(parents=True, exist_ok=True)
    height = min(1900, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": 1200, "height": height})
    assert target.stat().st_size > 20_000
