"""The clean stage on the five real articles of the shared corpus and on fixtures
written here with other wordings of the same kinds of web furniture."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from newsbrief.clean import STRUCTURE_KINDS, clean_documents, guess_language
from newsbrief.records import RawDocument

# Boilerplate of each corpus article, labelled by reading the files: none may remain in the text.
CORPUS_BOILERPLATE = {
    "000": [r"^No time to read\?$", r"^Get a summary$", r"^Previous Article$", r"^Next Article$",
            r"^IOC Maintains Sanctions", r"^AVTOVAZ Hits Production", r"^Macron and Putin: Mixed signals"],
    "001": [r"AI Image Disclaimer", r"AI-generated and intended for representation", r"📰", r"^Sources\b"],
    "002": [r"^by Jhon Lennon", r"35 views", r"^Macron-Putin Talks: What Happened\?$"],
    "003": [r"\(photo: Getty Images\)", r"^Read also:", r"^Secret diplomacy: Macron sent"],
    "004": [r"^Sources: France 24", r"^Written by:", r"^Leave a Comment$", r"email address will not be published",
            r"Required fields are marked", r"https?://", r"yesstreaming"],
}
# Labelled spans of the raw corpus files (start, end, sha256 prefix of the text): the text itself stays
# in ../shared. Section headings are dropped from the text but recorded as structure, not boilerplate.
CORPUS_HEADINGS = {
    "002": [(61, 91, "1f1014466e89"), (1398, 1440, "bf2eb3a8bc89"), (3641, 3685, "f5739a358fd7"),
            (6073, 6102, "f843bd8a57b4"), (8614, 8637, "1ed993f2ac3b")],
    "003": [(784, 830, "1c19c58afc19"), (1497, 1535, "5c48e9e6af01")],
}
CORPUS_TITLES = {"000": (0, 81, "08b37fca3bbf"), "001": None, "002": (0, 34, "30c8c417d361"),
                 "003": (0, 72, "9242bb48597d"), "004": None}
# A substantive sentence fragment of each file that cleaning must keep (the five files differ in shape).
CORPUS_KEPT = {"000": (930, 987, "aa3b3bb340e0"), "001": (1792, 1855, "1249eb22e745"),
               "002": (6448, 6470, "c038e62f6316"), "003": (1680, 1729, "cd0c211adf8e"),
               "004": (1846, 1862, "01471d738544")}


def labelled(raw: str, span: tuple[int, int, str]) -> str:
    """The labelled text, checked against its digest so a changed shared file fails loudly."""
    start, end, digest = span
    text = raw[start:end]
    assert hashlib.sha256(text.encode()).hexdigest()[:12] == digest, f"labelled span {span} changed"
    return text


def _doc(origin: str, text: str, **fields) -> RawDocument:
    return RawDocument(origin=origin, content=text, raw_bytes=len(text.encode()), **fields)


@pytest.fixture(scope="module")
def corpus_articles(corpus_dir: Path):
    files = sorted(corpus_dir.glob("*.txt"))
    docs = [_doc(p.name[:3], p.read_text(encoding="utf-8"), path=str(p)) for p in files]
    articles, skipped = clean_documents(docs)
    assert skipped == []
    return {a.origin: a for a in articles}, {d.origin: d for d in docs}


def headings(docs, key: str) -> list[str]:
    return [labelled(docs[key].content, span) for span in CORPUS_HEADINGS.get(key, [])]


def test_corpus_boilerplate_lines_leave_the_text(corpus_articles):
    articles, docs = corpus_articles
    assert sorted(articles) == ["000", "001", "002", "003", "004"]
    for key, patterns in CORPUS_BOILERPLATE.items():
        lines = articles[key].text.split("\n\n")
        for line in lines:
            for pattern in patterns:
                assert not re.search(pattern, line), f"{key}: boilerplate {pattern!r} left in {line[:80]!r}"
            for heading in headings(docs, key):
                assert line != heading, f"{key}: heading {heading!r} left in the text"


def test_corpus_every_other_line_is_kept_whole(corpus_articles):
    """No sentence lost: every raw line not labelled as boilerplate, heading or title is a paragraph."""
    articles, docs = corpus_articles
    for key, article in articles.items():
        patterns = CORPUS_BOILERPLATE[key] + [re.escape(h) for h in headings(docs, key)]
        paragraphs = set(article.text.split("\n\n"))
        kept = 0
        for raw_line in docs[key].content.splitlines():
            line = raw_line.strip()
            if not line or any(re.search(p, line) for p in patterns):
                continue
            assert line in paragraphs, f"{key}: article line lost: {line[:80]!r}"
            kept += 1
        assert kept >= 4
    # The shapes of the five files differ; spot-check a substantive sentence of each.
    for key, span in CORPUS_KEPT.items():
        assert labelled(docs[key].content, span) in articles[key].text, key
    assert headings(docs, "002")[1][:10] not in articles["002"].text  # not even part of a heading stays


def test_corpus_removals_point_at_the_removed_lines(corpus_articles):
    articles, docs = corpus_articles
    for key, article in articles.items():
        removed = {article.raw_text[r.start:r.end].strip(): r.kind for r in article.removed}
        for heading in headings(docs, key):
            assert removed.get(heading) == "heading", (key, heading, removed.get(heading))
        for text, kind in removed.items():
            assert text and text not in article.text.split("\n\n")
            if kind not in STRUCTURE_KINDS:
                assert any(re.search(p, text) for p in CORPUS_BOILERPLATE[key]), (key, kind, text)
        if CORPUS_TITLES[key]:
            assert removed[labelled(docs[key].content, CORPUS_TITLES[key])] == "title"
    kinds = {r.kind for r in articles["004"].removed}
    assert {"sources", "comments", "url", "byline"} <= kinds


def test_corpus_metadata(corpus_articles):
    articles, docs = corpus_articles
    for key, article in articles.items():
        span = CORPUS_TITLES[key]
        assert article.title == (labelled(docs[key].content, span) if span else None)
        assert article.language == "en"
        assert article.id == hashlib.sha256(article.text.encode()).hexdigest()[:16]
        assert "\n\n" in article.text and "\n\n\n" not in article.text
        assert all(p == p.strip() and "  " not in p for p in article.text.split("\n\n"))
    assert articles["001"].cited_outlets == (
        "Republika", "Euronews", "The Istanbul Post", "Ukrainska Pravda", "The Guardian")
    assert articles["004"].cited_outlets == ("France 24", "RT", "Al Jazeera", "ABC News", "New York Post")
    assert articles["002"].author == "Jhon Lennon"
    assert len({a.id for a in articles.values()}) == 5


# --------------------------------------------------------------------------- own fixtures

HARBOUR = """Home | World | Business | Sport | Opinion
Harbour workers vote to extend walkout at Kestrel Bay
By Maria Okonkwo | Updated 14 March 2025
Listen to this article
5 min read

Dock workers at Kestrel Bay voted on Tuesday to extend their strike by another fortnight, leaving more than 300 container ships waiting offshore.

Photo: Coastal Ledger / Dan Hale

The vote, held at the union hall on Quay Street, passed with 87 percent in favour, according to the Harbour Workers' Federation.
Related: Ferry operators cut their winter timetable

Key demands

The federation's demands include:
• a 9 percent pay rise over two years
• no compulsory redundancies when the new cranes arrive
By the end of the week, the union said, members would also stop handling perishable cargo.
"We are not going anywhere until the port authority comes back with a real offer," said Ines Varga, the federation's general secretary.
Sources close to the talks said the port authority was preparing a revised pay proposal.
Share prices of the port operator fell 4 percent on Tuesday.
Follow-up talks are planned for Friday morning at the regional labour office.

Share this story: Facebook Twitter WhatsApp
Sign up for our morning newsletter
Source: Kestrel Press, Northern Wire
Copyright © 2025 The Coastal Ledger. All rights reserved.
Comments (14)
Great reporting, thanks for covering this properly!
Next story
Bridge tolls to rise in spring
"""


def test_other_wordings_of_boilerplate_are_removed():
    [article], skipped = clean_documents([_doc("harbour.txt", HARBOUR)])
    assert skipped == []
    paragraphs = article.text.split("\n\n")
    assert article.title == "Harbour workers vote to extend walkout at Kestrel Bay"
    assert article.author == "Maria Okonkwo"
    assert article.cited_outlets == ("Kestrel Press", "Northern Wire")
    assert article.outlet == "The Coastal Ledger"  # from its copyright line
    for gone in ("Home | World", "By Maria", "Listen to this", "5 min read", "Photo:", "Related:", "Share this",
                 "newsletter", "Source:", "Copyright", "Comments (14)", "Great reporting", "Next story",
                 "Bridge tolls", "Key demands"):
        assert not any(gone in p for p in paragraphs), gone
    # Sentences that merely start like furniture ("By", "Sources", "Share", "Follow") stay.
    for kept in ("By the end of the week", "Sources close to the talks", "Share prices of the port operator",
                 "Follow-up talks are planned", '"We are not going anywhere', "Dock workers at Kestrel Bay voted",
                 "The vote, held at the union hall", "The federation's demands include:",
                 "a 9 percent pay rise over two years", "no compulsory redundancies when"):
        assert any(p.startswith(kept) for p in paragraphs), kept
    kinds = {article.raw_text[r.start:r.end].strip(): r.kind for r in article.removed}
    assert kinds["Key demands"] == "heading"
    assert kinds["Great reporting, thanks for covering this properly!"] == "comments"
    assert kinds["Bridge tolls to rise in spring"] == "pagination"


WRAPPED = """Council approves new tram line for the eastern districts

The city council approved on Wednesday a new tram line that will link the
eastern districts of Valmora to the central station, ending a debate that
has lasted for almost a decade and divided the governing coalition.

The line will cost an estimated 410 million euros and is due to open in
2029, the transport department said in a statement released after the
vote, which passed by 31 votes to 14 with two abstentions.
"""


def test_hard_wrapped_paragraphs_are_rejoined():
    [article], _ = clean_documents([_doc("tram.txt", WRAPPED)])
    paragraphs = article.text.split("\n\n")
    assert article.title == "Council approves new tram line for the eastern districts"
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The city council approved") and paragraphs[0].endswith("coalition.")
    assert "link the eastern districts" in paragraphs[0]


def _story(lead: str, furniture: str, heading: str) -> str:
    return (f"{lead} The regional water board confirmed the figures in a statement on Monday evening.\n\n"
            f"{furniture}\n\n"
            "Engineers will inspect the remaining pumping stations over the coming weeks, the board said, "
            "and repairs are expected to last until the end of the summer.\n\n"
            f"{heading}\n\n"
            "Residents were advised to boil tap water until further notice and to report any discoloured "
            "supply to the board's emergency line.")


def test_furniture_repeated_across_the_run_is_boilerplate_but_shared_headings_are_not():
    furniture = "Our coverage of the regional water crisis"
    first = _story("Flooding damaged four pumping stations near Ostrava Lake.", furniture, "What happens next")
    second = _story("A burst main cut supplies to 12,000 homes in Lindau.", "Advice for residents",
                    "What happens next")
    third = "A late frost ruined much of the apricot harvest. " * 6 + f"\n\n{furniture}\n\nPrices rose sharply."
    articles, _ = clean_documents([_doc("a", first), _doc("b", second), _doc("c", third)])
    by_origin = {a.origin: a for a in articles}
    kinds_a = {by_origin["a"].raw_text[r.start:r.end]: r.kind for r in by_origin["a"].removed}
    kinds_b = {by_origin["b"].raw_text[r.start:r.end]: r.kind for r in by_origin["b"].removed}
    assert kinds_a[furniture] == "repeated"
    assert kinds_b["Advice for residents"] == "heading"
    # Both articles carry the heading before the same paragraph: it is structure, not furniture.
    assert kinds_a["What happens next"] == kinds_b["What happens next"] == "heading"


def test_line_repeated_within_an_article_is_boilerplate():
    promo = "The Morning Tide, our daily briefing"
    text = _story("Flooding damaged four pumping stations near Ostrava Lake.", promo, promo)
    [article], _ = clean_documents([_doc("a", text)])
    kinds = [(article.raw_text[r.start:r.end], r.kind) for r in article.removed]
    assert kinds == [(promo, "repeated"), (promo, "repeated")]
    assert promo not in article.text


PAGE = """<!DOCTYPE html><html><head><title>Ferry fares frozen | Northern Wire</title>
<meta property="og:site_name" content="Northern Wire"><meta name="author" content="Lena Farrow">
<meta property="article:published_time" content="2025-02-11T08:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry fares frozen for a second year</h1>
<p>The island ferry company said on Monday it would freeze fares for a second year running, after
passenger numbers fell by 8 percent over the winter.</p>
<h2>Why the fares were frozen</h2>
<p>Chief executive Paul Amsel told shareholders the freeze was needed to win back commuters who had moved
to the new bridge crossing, which opened last spring.</p>
<p>The company carries about 2.1 million passengers a year on four routes between the mainland and the
islands of Sorna and Velt.</p>
<p>Share this article</p></article>
<footer><p>© 2025 Northern Wire. All rights reserved.</p></footer></body></html>"""


def test_html_page_is_extracted_with_its_metadata():
    doc = RawDocument(origin="ferry.html", content=PAGE, is_html=True, url="https://www.northernwire.example/f",
                      raw_bytes=len(PAGE))
    [article], skipped = clean_documents([doc])
    assert skipped == []
    assert article.title == "Ferry fares frozen for a second year"
    assert article.outlet == "Northern Wire" and article.author == "Lena Farrow"
    assert article.published.startswith("2025-02-11")
    assert article.raw_chars == len(PAGE)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("The island ferry company said on Monday")
    assert "passenger numbers fell by 8 percent" in paragraphs[0]  # the <p>'s own line break is joined
    assert not any(p in {"Share this article", "Why the fares were frozen", "Home"} for p in paragraphs)
    assert "Sorna and Velt" in article.text


def test_page_without_an_article_is_skipped():
    nav_only = ("<html><body><nav><a href='/'>Home</a><a href='/a'>About us</a></nav>"
                "<ul><li><a href='/w'>World</a></li><li><a href='/s'>Sport</a></li></ul></body></html>")
    articles, skipped = clean_documents([RawDocument(origin="nav.html", content=nav_only, is_html=True)])
    assert articles == []
    assert [(s.origin, s.reason) for s in skipped] == [("nav.html", "no article text found in the page")]


def test_short_text_is_skipped_with_its_word_count():
    articles, skipped = clean_documents([_doc("short.txt", "Port reopens.\n\nShips are moving again today.")])
    assert articles == [] and skipped[0].origin == "short.txt"
    assert "too short" in skipped[0].reason and "words" in skipped[0].reason


@pytest.mark.parametrize(("line", "dateline"), [
    ("LONDON (Reuters) - The Bank of England held rates on Thursday.", "LONDON (Reuters) - "),
    ("KESTREL BAY, Northland (AP) — Ferries resumed on Monday.", "KESTREL BAY, Northland (AP) — "),
    ("VALMORA, March 3 – The council met again.", "VALMORA, March 3 – "),
    ("NATO allies met in Brussels - Ministers agreed.", None),
    ("The UN (United Nations) - Agencies said so.", None),
])
def test_wire_datelines(line, dateline):
    body = " The statement was issued after a long meeting of ministers and officials in the capital." * 4
    [article], _ = clean_documents([_doc("wire", line + body)])
    found = [article.raw_text[r.start:r.end] for r in article.removed if r.kind == "dateline"]
    assert found == ([dateline] if dateline else [])
    assert article.text.startswith(line[len(dateline or ""):].split(" ")[0])


def test_language_guess():
    french = ("Les dockers du port de Kestrel ont voté mardi la prolongation de la grève pour deux semaines. "
              "Selon le syndicat, plus de trois cents navires attendent au large et la direction ne répond pas.")
    assert guess_language(french) == "fr"
    assert guess_language(HARBOUR) == "en"
    assert guess_language("1234 5678") == "unknown"
    assert guess_language("港口工人周二投票决定将罢工延长两周。") == "zh"


def test_example_story_reads_clean():
    """The README's example story: six articles in three formats, all furniture gone."""
    from newsbrief.ingest import read_inputs
    from newsbrief.settings import Settings

    folder = Path(__file__).resolve().parents[1] / "examples" / "port-strike"
    docs, skipped = read_inputs([str(folder)], Settings())
    assert skipped == []
    articles, dropped = clean_documents(docs)
    assert dropped == [] and len(articles) == 6
    furniture = [r"^Home \|", r"^By Tomas", r"min read", r"\(photo:", r"^Read (more|also):", r"^Reporting by",
                 r"^Share", r"©", r"Sign up", r"^Tags:", r"^Comments", r"^Leave a reply", r"views",
                 r"^Related Posts", r"^Click here", r"^Filed under", r"^(Previous|Next) (story|Post)",
                 r"Disclaimer", r"📰", r"^Skip to", r"^Menu$", r"^Coastline News$"]
    for article in articles:
        for paragraph in article.text.split("\n\n"):
            assert not any(re.search(p, paragraph) for p in furniture), (article.origin, paragraph)
    by_name = {Path(a.origin.split(":")[0]).name + (a.origin[-2:] if ".jsonl:" in a.origin else ""): a
               for a in articles}
    wire, copy = by_name["01-meridian-wire.txt"], by_name["02-harbour-gazette.html"]
    shared = set(wire.text.split("\n\n")) & set(copy.text.split("\n\n"))
    assert len(shared) >= 9  # the wire copy keeps the wire's paragraphs word for word
    assert copy.outlet == "The Harbour Gazette"
    # The wire dateline leaves the text (so the copy and the wire open alike) but is recorded.
    assert wire.text.startswith("Dockworkers at the Port of Castellan Bay began")
    [dateline] = [r for r in wire.removed if r.kind == "dateline"]
    assert wire.raw_text[dateline.start:dateline.end] == "CASTELLAN BAY, June 2 (MPA) - "
    assert wire.text.split("\n\n")[0] == copy.text.split("\n\n")[0]
    assert "4,500 dockworkers" in by_name["03-coastline-news.txt"].text
    # Plain-text pastes name their publisher in the copyright line, the byline or the masthead.
    assert wire.outlet == "Meridian Press Agency"
    assert by_name["03-coastline-news.txt"].outlet == "Coastline News"
    assert by_name["04-portwatch-explainer.txt"].outlet is None
    assert by_name["05-more-coverage.jsonl:1"].cited_outlets == (
        "Meridian Press Agency", "The Harbour Gazette", "Coastline News")
