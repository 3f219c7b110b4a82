"""Rendering: the JSON contract, Markdown sections, and an HTML page that stays inert
on hostile article text. Briefings come from the real pipeline stages."""

from __future__ import annotations

import dataclasses
import json
import os
from html.parser import HTMLParser

import pytest
from helpers import HOSTILE, assert_citations_valid, story_articles

from newsbrief import api, render
from newsbrief.errors import ConfigError, NewsbriefError
from newsbrief.records import Article, Briefing, Citation, Evidence, Profile, Source, Span, SummarySentence

CONTRACT_KEYS = {"headline", "summary", "sources", "quotes", "conflicts", "entities", "profiles", "skipped"}
SOURCE_KEYS = {"id", "outlet", "title", "url", "path", "published", "text", "also_carried_by"}


@pytest.fixture(scope="module")
def corpus_briefing(corpus_dir, resources) -> Briefing:
    articles, skipped = api.read_articles([str(corpus_dir)], resources)
    return api.brief_articles(articles, resources, skipped=skipped)


@pytest.fixture(scope="module")
def story_briefing(resources) -> Briefing:
    return api.brief_articles(story_articles(), resources, words=80)


# --------------------------------------------------------------------------- JSON


def test_json_contract_on_the_real_corpus(corpus_briefing):
    data = json.loads(render.render(corpus_briefing, "json"))
    assert data == render.to_dict(corpus_briefing)
    assert set(data) >= CONTRACT_KEYS
    assert isinstance(data["headline"], str) and data["headline"].strip()
    assert data["summary"], "five articles on one story must give a summary"
    assert len(data["sources"]) == len(corpus_briefing.sources) >= 2
    for source in data["sources"]:
        assert set(source) >= SOURCE_KEYS
        assert isinstance(source["also_carried_by"], list)
        assert source["text"], f"source {source['id']} has no text"
    for skipped in data["skipped"]:
        assert set(skipped) == {"origin", "reason"}
    assert_citations_valid(data)


def test_json_citations_on_our_story_name_the_sources_that_carry_them(story_briefing):
    data = render.to_dict(story_briefing)
    assert_citations_valid(data)
    outlets = {s["outlet"] for s in data["sources"]}
    assert outlets == {"Harbor Gazette", "Coastal Daily", "Valley News"}
    # All three outlets report the reopening: a summary sentence about it cites more than one.
    reopening = [s for s in data["summary"] if "reopen" in s["text"]]
    assert reopening and max(s["support"] for s in reopening) >= 2


def test_citation_checker_rejects_a_shifted_span(story_briefing):
    data = render.to_dict(story_briefing)
    citation = data["summary"][0]["citations"][0]
    citation["start"] += 1
    with pytest.raises(AssertionError):
        assert_citations_valid(data)


def test_profiles_and_facts_become_plain_json(story_briefing):
    evidence = Evidence(float("nan"), (story_briefing.summary[0].citations[0],), "no data")
    profile = Profile("1", {"share": evidence}, {"counts": (1, 2), "ratio": float("inf")}, "Mostly wire copy.")
    data = json.loads(render.to_json(dataclasses.replace(story_briefing, profiles=(profile,))))
    measure = data["profiles"][0]["measures"]["share"]
    assert measure["value"] is None and measure["note"] == "no data"
    assert data["profiles"][0]["facts"] == {"counts": [1, 2], "ratio": None}
    assert data["profiles"][0]["verdict"] == "Mostly wire copy."


def test_raw_spans_point_into_the_raw_text_and_match_the_evidence_note(corpus_briefing):
    # The corpus keeps its page furniture, so cleaning removes some: boilerplate_share cites it
    # by offsets into each article's raw (pre-cleaning) text.
    data = render.to_dict(corpus_briefing)
    sources = {s.id: s for s in corpus_briefing.sources}
    checked = 0
    for profile in data["profiles"]:
        measure = profile["measures"]["boilerplate_share"]
        raw = sources[profile["source"]].article.raw_text
        removed = 0
        for span in measure["raw_spans"]:
            assert span["source"] == profile["source"]
            assert 0 <= span["start"] < span["end"] <= len(raw)
            assert span["text"] == raw[span["start"]:span["end"]]
            removed += span["end"] - span["start"]
        if measure["raw_spans"]:
            # The note counts the removed characters: exactly what the raw spans slice out.
            assert measure["note"].startswith(f"{removed} of {len(raw)} characters removed")
            checked += 1
        else:
            assert measure["note"] == "nothing removed"
    assert checked >= 1, "the corpus articles carry furniture that cleaning removes"


def test_raw_spans_are_not_offsets_into_the_cleaned_text():
    raw = "Menu | Home | World\nThe council voted 7 to 2 on Monday.\n"
    text = "The council voted 7 to 2 on Monday."
    article = Article("a1", "own.txt", text, raw, len(raw), outlet="Own Outlet")
    evidence = Evidence(0.3, (), "19 of 57 characters removed: navigation 1",
                        raw_spans=(Citation("1", 0, 19),))
    briefing = Briefing("Council votes", (), (Source("1", article),),
                        profiles=(Profile("1", {"boilerplate_share": evidence}),))
    span = render.to_dict(briefing)["profiles"][0]["measures"]["boilerplate_share"]["raw_spans"][0]
    assert span == {"source": "1", "start": 0, "end": 19, "text": "Menu | Home | World"}


def test_markdown_sources_show_each_profile_verdict_and_flags(story_briefing):
    profile = Profile("1", verdict="Adds facts of its own.", flags=("adds_facts", "seo_padding"))
    flags_only = Profile("2", flags=("template",))
    text = render.to_markdown(dataclasses.replace(story_briefing, profiles=(profile, flags_only)))
    sources = text.split("## Sources", 1)[1]
    assert "  - Profile: Adds facts of its own. — flags: `adds_facts`, `seo_padding`" in sources
    assert "  - Profile: flags: `template`" in sources


def test_markdown_sources_carry_the_real_profiles_flags(corpus_briefing):
    sources = render.to_markdown(corpus_briefing).split("## Sources", 1)[1]
    flagged = [p for p in corpus_briefing.profiles if p.flags]
    assert flagged, "the corpus outlets carry flags (furniture, padding): the check below must not be empty"
    for profile in flagged:
        assert ", ".join(f"`{f}`" for f in profile.flags) in sources


# --------------------------------------------------------------------------- Markdown


def test_markdown_shows_headline_cited_summary_and_numbered_sources(corpus_briefing):
    text = render.render(corpus_briefing, "markdown")
    assert text.startswith("# ")
    for sentence in corpus_briefing.summary:
        marks = "".join(f"[{sid}]" for sid in sorted({c.source for c in sentence.citations}, key=int))
        assert f"{render.md_escape(sentence.text)} {marks}" in text
    sources = text.split("## Sources", 1)[1]
    for source in corpus_briefing.sources:
        assert f"- [{source.id}] **{render.md_escape(render.source_label(source))}**" in sources


def test_markdown_leaves_out_empty_sections(story_briefing):
    bare = dataclasses.replace(story_briefing, quotes=(), conflicts=(), entities=(), profiles=(), skipped=())
    text = render.to_markdown(bare)
    for heading in ("## Who said what", "## Who is who", "## Skipped inputs"):
        assert heading not in text
    assert "## Sources" in text


UNNAMED = (
    "Harbour talks between the two port unions resumed in Rotterdam on Monday after a week of strikes. "
    "One Dutch official cautioned that \u201cthere is still a long way to go\u201d before a deal is signed. "
    "Union leader Maria de Vries said the dockers would return to work on Thursday."
)


def test_an_unnamed_speaker_is_not_printed_with_itself_as_role(resources):
    """"One Dutch official cautioned..." has no name: its label is its role, shown once, not "X (X)"."""
    articles = [Article(id="u1", origin="u1.txt", text=UNNAMED, raw_text=UNNAMED, raw_chars=len(UNNAMED))]
    briefing = api.brief_articles(articles, resources, words=60)
    official = [q for q in briefing.quotes if q.speaker.casefold() == "dutch official"]
    assert official and official[0].role and official[0].role.casefold() == "dutch official"
    markdown = render.render(briefing, "markdown")
    page = render.render(briefing, "html")
    assert "**Dutch official** said" in markdown and "(Dutch official)" not in markdown
    assert "(Dutch official)" not in page and "Dutch official" in page
    # A named speaker keeps the role the text gives.
    assert "**Maria de Vries** (Union leader)" in markdown


def test_markdown_escapes_brackets_and_tags_in_article_text():
    assert render.md_escape("a [1] <b>x</b>") == r"a \[1\] \<b\>x\</b\>"


# --------------------------------------------------------------------------- HTML

class PageParser(HTMLParser):
    """Records every tag, attribute, script body, popover quote and text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.popovers: list[str] = []
        self._stack: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in {"meta", "br", "img", "input", "link"}:
            self._stack.append((tag, attributes))
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        if self._stack and self._stack[-1][0] == "script":
            self.scripts[-1] += data
        in_popover = any(t == "span" and "pop" in (a.get("class") or "").split() for t, a in self._stack)
        if in_popover and self._stack[-1][0] == "q":
            self.popovers.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile_briefing(resources) -> Briefing:
    return api.brief_articles(HOSTILE, resources, words=60)


def test_html_keeps_hostile_article_text_inert(hostile_briefing):
    page = render.render(hostile_briefing, "html")
    parsed = parse(page)
    # The only script is the page's own.
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert parsed.scripts == [render.SCRIPT]
    # No tag the articles tried to inject, and no event-handler attribute anywhere.
    assert not {t for t, _ in parsed.tags} & {"img", "svg", "iframe", "object", "embed", "b"}
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href.startswith(("http://", "https://")), href
    # The hostile strings are shown to the reader as text.
    text = "".join(parsed.text)
    assert "<script>alert('council')</script>" in text
    assert "<b onmouseover=alert(2)>Evil Times</b>" in text
    # The one http(s) URL is a link, with its query string intact.
    assert ("a", {"href": "https://plain.example/budget?a=1&b=2", "rel": "noopener noreferrer nofollow"}) in parsed.tags


def test_html_popovers_show_exactly_the_cited_text(corpus_briefing):
    data = render.to_dict(corpus_briefing)
    parsed = parse(render.render(corpus_briefing, "html"))
    sources = {s["id"]: s["text"] for s in data["sources"]}
    cited = {
        sources[c["source"]][c["start"] : c["end"]]
        for s in data["summary"] + data["quotes"]
        for c in s["citations"]
    }
    assert cited and cited <= set(parsed.popovers)


def test_html_page_is_self_contained(corpus_briefing):
    parsed = parse(render.render(corpus_briefing, "html"))
    for tag, attrs in parsed.tags:
        assert tag not in {"link", "img", "iframe"}
        assert "src" not in attrs, (tag, attrs)
    policy = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
    assert render.csp_hash(render.SCRIPT) in policy and "default-src 'none'" in policy


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.com/a?b=1", True),
        ("HTTP://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://", False),
        ("https://example.com/\"onmouseover=alert(1)", False),
        ("/etc/passwd", False),
        ("http://[::1", False),
    ],
)
def test_only_plain_http_urls_become_links(url, ok):
    assert render.safe_url(url) is ok


# --------------------------------------------------------------------------- formats and files


def test_unknown_format_is_a_config_error(story_briefing):
    with pytest.raises(ConfigError, match="pdf"):
        render.render(story_briefing, "pdf")


def test_write_atomic_replaces_whole_files_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "brief.md"
    target.write_text("old briefing\n", encoding="utf-8")
    render.write_atomic(target, "new briefing\n")
    assert target.read_text(encoding="utf-8") == "new briefing\n"
    # A failure part-way (text that cannot be encoded) leaves the old file whole.
    with pytest.raises(UnicodeEncodeError):
        render.write_atomic(target, "half written \ud800 text")
    assert target.read_text(encoding="utf-8") == "new briefing\n"
    assert sorted(os.listdir(tmp_path)) == ["brief.md"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask, "the mode a plain open() would give"


def test_write_atomic_into_a_missing_directory_is_a_one_line_error(tmp_path):
    with pytest.raises(NewsbriefError, match="cannot write the output") as error:
        render.write_atomic(tmp_path / "nope" / "brief.md", "text")
    assert "\n" not in str(error.value)


def test_citation_to_a_source_the_briefing_lacks_is_flagged_not_crashed(story_briefing):
    bad = dataclasses.replace(
        story_briefing,
        summary=(dataclasses.replace(story_briefing.summary[0], citations=(Citation("99", 0, 5),)),),
    )
    assert 'class="cite missing"' in render.html_fragment(bad)


# --------------------------------------------------------------------------- words left out of a sentence

PIER = "PORTSEA - The board said Friday that the pier will reopen in June. Ferries will run again."


def pier_briefing(omitted) -> Briefing:
    """One invented source whose first sentence is shown with ``omitted`` ranges left out."""
    article = Article(id="pier", origin="pier.txt", text=PIER, raw_text=PIER, raw_chars=len(PIER), outlet="Pier Post")
    end = PIER.index("June.") + len("June.")
    kept, at = [], 0
    for a, b in omitted:
        kept.append(PIER[at:a])
        at = b
    text = "".join(kept) + PIER[at:end]
    sentence = SummarySentence(text, (Citation("1", 0, end),), 1, tuple(Span(a, b) for a, b in omitted))
    return Briefing(headline="Pier to reopen", summary=(sentence,), sources=(Source("1", article),))


def test_left_out_words_are_marked_in_markdown_and_html_and_listed_in_json():
    day = PIER.index(" Friday")
    briefing = pier_briefing([(0, len("PORTSEA - ")), (day, day + len(" Friday"))])
    assert briefing.summary[0].text == "The board said that the pier will reopen in June."
    # The dateline opens the sentence (no mark); the weekday was inside it (marked).
    shown = "The board said \u2026 that the pier will reopen in June."
    assert shown + " [1]" in render.to_markdown(briefing)
    assert shown in parse(render.html_fragment(briefing)).text
    data = render.to_dict(briefing)
    assert data["summary"][0]["omitted"] == [{"start": 0, "end": 10}, {"start": day, "end": day + 7}]
    assert_citations_valid(data)
    data["summary"][0]["omitted"][1]["end"] += 1  # a range that no longer gives back the text
    with pytest.raises(AssertionError):
        assert_citations_valid(data)


def test_a_whole_sentence_has_no_mark_and_an_empty_omitted_list():
    briefing = pier_briefing([])
    assert "\u2026" not in render.to_markdown(briefing)
    assert render.to_dict(briefing)["summary"][0]["omitted"] == []


def test_ranges_that_do_not_rebuild_the_text_show_the_text_as_it_is():
    briefing = pier_briefing([(0, len("PORTSEA - "))])
    wrong = dataclasses.replace(briefing.summary[0], omitted=(Span(3, 9),))
    assert render.shown_text(wrong, {"1": briefing.sources[0]}) == briefing.summary[0].text
