"""The self-contained HTML briefing page in a real headless Chromium (Debian's), opened from a file.

Checks what only a browser can: the page's own script runs under its
Content-Security-Policy (the hash matches), a click on a citation mark shows
exactly the cited text, and hostile article text creates no element and fires
no script.
"""

from __future__ import annotations

import pytest
from helpers import HOSTILE, story_articles
from web_support import launch_chromium

from newsbrief import api, render

INJECTED = "img, svg, iframe, b, [onerror], [onload], [onmouseover], a[href^='javascript:'], a[href^=' ']"


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.events = []
    page.on("dialog", lambda dialog: (page.events.append("dialog: " + dialog.message), dialog.dismiss()))
    page.on("console", lambda message: page.events.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.events.append(f"error: {error}"))
    page.goto(path.as_uri())
    return page


def test_click_on_a_mark_shows_exactly_the_cited_sentence(browser, resources, tmp_path):
    briefing = api.brief_articles(story_articles(), resources, words=80)
    path = tmp_path / "story.html"
    render.write_atomic(path, render.render(briefing, "html"))
    page = open_page(browser, path)
    first = briefing.summary[0]
    cited = render.ordered(first.citations)[0]
    source = next(s for s in briefing.sources if s.id == cited.source)

    mark = page.locator(".summary .cite .mark").first
    popover = page.locator(".summary .cite").first.locator(".pop")
    assert mark.inner_text() == f"[{cited.source}]"
    page.mouse.move(0, 0)
    assert not popover.is_visible()
    mark.click()  # the page's script pins it open: it ran, so the CSP hash admits it
    assert popover.is_visible()
    assert popover.locator("q").inner_text() == source.text[cited.start : cited.end]
    assert popover.locator(".who").inner_text() == render.source_label(source)
    page.mouse.move(0, 0)
    assert popover.is_visible(), "a click pins the popover; it stays when the pointer leaves"
    page.keyboard.press("Escape")
    assert not popover.is_visible()
    assert not [e for e in page.events if "Refused" in e or e.startswith("error")], page.events


def test_hostile_article_text_creates_nothing_and_runs_nothing(browser, resources, tmp_path):
    briefing = api.brief_articles(HOSTILE, resources, words=60)
    path = tmp_path / "hostile.html"
    render.write_atomic(path, render.render(briefing, "html"))
    page = open_page(browser, path)
    # Unfold every profile, then hover and click every citation mark: injected handlers would fire now.
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    for mark in page.locator(".cite .mark").all():
        mark.hover()
        mark.click()
    assert page.locator(INJECTED).count() == 0
    assert page.locator("script").count() == 1
    assert not [e for e in page.events if e.startswith(("dialog", "error"))], page.events
    assert "<script>alert('council')</script>" in page.locator(".briefing").inner_text()
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("#") or h.startswith("https://") for h in hrefs), hrefs
