"""The summarizer on the real five-article story, on DUC newswire and on our own small fixtures."""

from __future__ import annotations

import hashlib
import json
import re
import statistics

import pytest

from newsbrief import api, dedupe, headline, salience, segment, selection, summarize
from newsbrief.embed import SentenceVectors
from newsbrief.records import Article, Source

BUDGET = 120


def run(sources, resources, words=BUDGET):
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, resources.embedder)
    return summarize.summarize(sources, sentences, vectors, words=words)


@pytest.fixture(scope="module")
def corpus_sources(corpus_dir, tfidf_resources):
    """The five articles read and cleaned by the real ingest and clean stages."""
    articles, skipped = api.read_articles([str(corpus_dir)], tfidf_resources)
    assert len(articles) == 5 and not skipped
    return dedupe.collapse_duplicates(articles)


def find_source(sources, pattern: str) -> Source:
    """A source identified by its own features, not by file order."""
    found = [s for s in sources if re.search(pattern, s.text)]
    assert len(found) == 1, pattern
    return found[0]


def words_of(summary) -> int:
    return sum(len(s.text.split()) for s in summary)


def shown_from_source(by_id, item) -> str:
    """The first citation's sentence with the omitted ranges taken out (they must lie inside it, in order)."""
    first = item.citations[0]
    source = by_id[first.source].text
    pieces, at = [], first.start
    for span in item.omitted:
        assert at <= span.start < span.end <= first.end
        left_out = source[span.start : span.end]
        assert not re.search(r"\d|\b(?:not|no|never|may|might|could|said|says|according)\b", left_out), left_out
        pieces.append(source[at : span.start])
        at = span.end
    pieces.append(source[at : first.end])
    return "".join(pieces)


def check_citations(sources, summary):
    by_id = {s.id: s for s in sources}
    spans = {(s.source, s.start, s.end) for s in segment.segment(sources)}
    for item in summary:
        assert shown_from_source(by_id, item) == item.text
        assert all((c.source, c.start, c.end) in spans for c in item.citations)
        cited = [c.source for c in item.citations]
        assert len(cited) == len(set(cited)), "one citation per source"
        assert item.support == len(cited)


@pytest.fixture(scope="module", params=["minilm", "tfidf"])
def corpus_briefing(request, corpus_sources, resources, tfidf_resources):
    chosen = resources if request.param == "minilm" else tfidf_resources
    return run(corpus_sources, chosen)


def test_corpus_summary_sentences_are_exact_cited_source_sentences(corpus_sources, corpus_briefing):
    _, summary = corpus_briefing
    assert summary
    check_citations(corpus_sources, summary)


def test_corpus_summary_fills_but_never_exceeds_the_budget(corpus_briefing):
    _, summary = corpus_briefing
    assert 0.6 * BUDGET <= words_of(summary) <= BUDGET


def test_corpus_summary_leads_with_what_several_outlets_report(corpus_briefing):
    _, summary = corpus_briefing
    assert summary[0].support >= 2
    supports = [s.support for s in summary]
    assert supports == sorted(supports, reverse=True)


def test_technical_preparations_point_is_cited_to_every_outlet_that_reports_it(corpus_sources, corpus_briefing):
    """Read by hand: the reflective rewrite and the Ukrainian outlet both report Macron's
    'preparations ... at a technical level'; TASS restatement, the SEO page and the round-up do not."""
    _, summary = corpus_briefing
    rewrite = find_source(corpus_sources, r"tapestry")
    ukrainian = find_source(corpus_sources, r"Bonne")
    point = [s for s in summary if re.search(r"prepar\w+ (?:work|for talks)|technical preparations", s.text)]
    assert len(point) == 1, [s.text for s in summary]
    assert {c.source for c in point[0].citations} == {rewrite.id, ukrainian.id}


def test_ready_to_talk_point_cites_the_round_up_and_the_rewrite(corpus_sources, corpus_briefing):
    _, summary = corpus_briefing
    round_up = find_source(corpus_sources, r"Kirill Dmitriev")
    rewrite = find_source(corpus_sources, r"tapestry")
    point = [s for s in summary if re.search(r"ready \W?to (?:talk|engage)", s.text)]
    assert len(point) == 1, [s.text for s in summary]
    assert {round_up.id, rewrite.id} <= {c.source for c in point[0].citations}


def test_single_outlet_developments_come_after_the_shared_ones(corpus_sources, corpus_briefing):
    """Read by hand: Ushakov's "no agreement on a call" (TASS restatement) and Bonne's Moscow visit
    (Ukrainian outlet citing Reuters) are each reported by one outlet only."""
    _, summary = corpus_briefing
    tass = find_source(corpus_sources, r"reported by TASS")
    ukrainian = find_source(corpus_sources, r"Bonne")
    call = [s for s in summary if re.search(r"no formal agreement", s.text)]
    visit = [s for s in summary if re.search(r"Bonne, visited Moscow", s.text)]
    assert len(call) == 1 and [c.source for c in call[0].citations] == [tass.id]
    assert len(visit) == 1 and [c.source for c in visit[0].citations] == [ukrainian.id]
    shared = [k for k, s in enumerate(summary) if s.support >= 2]
    assert max(shared) < summary.index(call[0]) and max(shared) < summary.index(visit[0])


def test_seo_page_and_rhetoric_contribute_nothing(corpus_sources, corpus_briefing):
    _, summary = corpus_briefing
    seo = find_source(corpus_sources, r"\bguys\b")
    assert all(s.citations[0].source != seo.id for s in summary)
    for s in summary:
        assert not re.search(r"\b(?:you|your|we|guys|tapestry|reminder)\b|[?!]$", s.text, re.IGNORECASE), s.text
        assert not re.search(r"No time to read|Leave a Comment|Read also|Sources?:", s.text)


def test_corpus_headline_is_a_real_title_and_not_clickbait(corpus_sources, corpus_briefing):
    title, _ = corpus_briefing
    titles = {s.article.title for s in corpus_sources if s.article.title}
    assert title in titles
    assert "?" not in title and "What Happened" not in title


# --------------------------------------------------------------------------- own fixtures

RATE_A = (
    "The central bank raised its key interest rate by half a percentage point on Tuesday, to 4.5 percent. "
    "Governor Anna Berg said inflation had stayed above target for too long. "
    "Mortgage lenders are expected to follow within days. "
    "The bank's next meeting is scheduled for June 12."
)
RATE_B = (
    "On Tuesday the central bank lifted its benchmark rate by half a point to 4.5 percent, its third rise this year. "
    "Exporters warned that a stronger currency would hurt sales abroad. "
    "Governor Anna Berg will testify before the finance committee of parliament next month."
)
RATE_C = (
    "Shares in the country's largest banks rose after the central bank raised its key rate to 4.5 percent on Tuesday. "
    "Analysts at Nordhavn Securities had expected a smaller move of a quarter point. "
    "The governor, Anna Berg, said inflation had stayed above target for too long."
)


def fixture_sources():
    articles = [
        Article(id=hashlib.sha256(t.encode()).hexdigest()[:16], origin=f"{n}.txt", text=t, raw_text=t, raw_chars=len(t))
        for n, t in enumerate((RATE_A, RATE_B, RATE_C))
    ]
    return dedupe.collapse_duplicates(articles)


@pytest.mark.parametrize("backend", ["minilm", "tfidf"])
def test_paraphrases_are_cited_and_topical_neighbours_are_not(backend, resources, tfidf_resources):
    sources = fixture_sources()
    _, summary = run(sources, resources if backend == "minilm" else tfidf_resources, words=60)
    check_citations(sources, summary)
    hike = [s for s in summary if "4.5 percent" in s.text]
    assert len(hike) == 1, "the three reports of the hike are one point, chosen once"
    assert hike[0].support == 3
    by_id = {s.id: s for s in sources}
    cited = [by_id[c.source].text[c.start : c.end] for c in hike[0].citations]
    assert not any("testify" in t or "Exporters" in t for t in cited)
    quote = [s for s in summary if "above target" in s.text]
    if quote:  # the governor's remark is carried by two sources, word for word
        assert quote[0].support == 2


def test_budget_is_never_exceeded_even_when_tiny(resources):
    sources = fixture_sources()
    for words in (5, 12, 25, 40):
        _, summary = run(sources, resources, words=words)
        assert words_of(summary) <= words
    _, summary = run(sources, resources, words=25)
    assert summary, "a 20-word sentence fits a 25-word budget"


RATE_COLUMN = (
    "The central bank raised its key rate to 4.5 percent on Tuesday, and savers noticed at once. "
    "I think the central bank raised its key rate far too late, and Governor Anna Berg knows it. "
    "Exporters say a stronger currency will cut their sales abroad this year. "
    "Mortgage lenders in the capital are expected to raise their own rates within days. "
    "Analysts had expected the central bank to raise the rate by a quarter point only. "
    "The finance committee of parliament will question Governor Anna Berg next month."
)


def test_left_over_words_are_never_filled_with_the_writers_own_voice(resources):
    """With words to spare, plain report sentences fill them; a columnist's "I think ..." may not
    (a filler is added only to use words, so it must read as a report)."""
    texts = (RATE_A, RATE_B, RATE_C, RATE_COLUMN)
    articles = [
        Article(id=hashlib.sha256(t.encode()).hexdigest()[:16], origin=f"{n}.txt", text=t, raw_text=t, raw_chars=len(t))
        for n, t in enumerate(texts)
    ]
    sources = dedupe.collapse_duplicates(articles)
    _, summary = run(sources, resources, words=400)
    check_citations(sources, summary)
    shown = " ".join(s.text for s in summary)
    assert "I think" not in shown
    assert "next meeting" in shown and "quarter point only" in shown, "plain report sentences still fill the budget"


def test_empty_input_gives_an_empty_summary(resources):
    title, summary = run([], resources)
    assert summary == [] and title == ""


# --------------------------------------------------------------------------- headline


@pytest.mark.parametrize(
    "sentence",
    [
        "In a clear update rooted in plain reporting: Dunmore Mayor Clara Ostrowski has said that groundwork "
        "is being laid to perhaps reopen negotiations with the dockworkers' union leader Piet Aalders, while "
        "she consults shipping firms and the harbour board.",
        "According to officials in the capital, the central bank raised its key interest rate by half a "
        "percentage point on Tuesday, the largest increase in two decades, the governor said.",
        "Heavy trucks will be banned from the Elm Street bridge (built in 1931) from the start of March.",
    ],
)
def test_compressed_headline_only_deletes_words(sentence):
    short = headline.compress(sentence)
    words = short.split()
    assert headline.MIN_WORDS <= len(words) <= headline.MAX_WORDS
    source_words = iter(w.strip(".,:;()").lower() for w in sentence.split())
    for w in words:  # a subsequence of the sentence's words, in order
        w = w.strip(".,:;()").lower()
        assert any(w == candidate for candidate in source_words), (w, short)


@pytest.mark.parametrize(
    ("title", "bait"),
    [
        ("Harbour Strike Talks: What Happened?", True),
        ("You won't believe what the central bank did", True),
        ("Quiet diplomacy: Mayor sent envoy to the union for strike talks", False),
        ("Central bank raises key rate to 4.5 percent", False),
    ],
)
def test_clickbait_titles_are_recognised(title, bait):
    assert headline.is_clickbait(title) is bait


# --------------------------------------------------------------------------- DUC newswire


def duc_sources(cluster: dict) -> list[Source]:
    """A DUC cluster's newswire, curated text used as it is (no cleaning), wire copies collapsed."""
    return dedupe.collapse_duplicates([
        Article(id=d["id"], origin=d["id"], text=d["text"], raw_text=d["text"], raw_chars=len(d["text"]))
        for d in cluster["docs"]
    ])


def test_duc_summaries_beat_the_lead_baseline(eval_dir, tfidf_resources):
    """Five DUC 2004 clusters: within 100 words, and more reference bigrams than SumRepo's Lead."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    with (eval_dir / "duc2004_task2.jsonl").open(encoding="utf-8") as handle:
        clusters = [json.loads(line) for _, line in zip(range(5), handle, strict=False)]
    lead = {}
    with (eval_dir / "sumrepo_duc2004.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["system"] == "Lead":
                lead[row["id"]] = row["summary"]
    ours, theirs = [], []
    for cluster in clusters:
        sources = duc_sources(cluster)
        title, summary = run(sources, tfidf_resources, words=100)
        check_citations(sources, summary)
        assert 80 <= words_of(summary) <= 100
        assert 0 < len(title.split()) <= headline.MAX_WORDS
        text = " ".join(s.text for s in summary)
        baseline = " ".join(lead[cluster["id"]].split()[:100])
        ours.append(statistics.mean(scorer.score(r, text)["rouge2"].recall for r in cluster["refs"]))
        theirs.append(statistics.mean(scorer.score(r, baseline)["rouge2"].recall for r in cluster["refs"]))
    assert statistics.mean(ours) > statistics.mean(theirs)


def test_duc_cut_rule_adds_one_last_sentence_that_crosses_the_budget(eval_dir, tfidf_resources):
    """DUC's rule: the whole-sentence summary, then one more sentence the scorer cuts at the budget."""
    with (eval_dir / "duc2004_task2.jsonl").open(encoding="utf-8") as handle:
        clusters = [json.loads(line) for _, line in zip(range(3), handle, strict=False)]
    tails = 0
    for cluster in clusters:
        sources = duc_sources(cluster)
        sentences = segment.segment(sources)
        vectors = SentenceVectors(sentences, {s.id: s for s in sources}, tfidf_resources.embedder)
        _, whole = summarize.summarize(sources, sentences, vectors, words=100)
        _, cut = summarize.summarize(sources, sentences, vectors, words=100, cut_last=True)
        if words_of(whole) == 100:  # nothing left to give
            assert [s.text for s in cut] == [s.text for s in whole]
            continue
        tails += 1
        assert [s.text for s in cut[:-1]] == [s.text for s in whole]
        assert words_of(whole) < 100 < words_of(cut)
        assert cut[-1].text not in {s.text for s in whole}
        check_citations(sources, cut)
    assert tails >= 2


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("FILE - In this March 3, 2019, file photo, the mayor speaks to reporters at City Hall.", True),
        ("This undated photo provided by the county sheriff shows the suspect's red truck.", True),
        ("The harbour is seen after the storm in this photo released by the coast guard.", True),
        ("Follow Jane Roe on Twitter and Facebook for more updates from the trial.", True),
        ("The mayor waves to supporters after her victory. (AP Photo/John Doe)", True),
        ("Flood water covers the main road into town on Sunday. Getty Images", True),
        ("The gang hung a photo of the president in the fake embassy's lobby.", False),
        ("Police filed charges against the driver on Monday, the sheriff said.", False),
        ("Investigators will follow the money trail on Twitter and elsewhere, she said.", False),
    ],
)
def test_photo_captions_and_follow_lines_are_furniture(sentence, furniture):
    """Scraped pages keep picture captions and author plugs; they describe a photo, not the news."""
    assert salience.is_boilerplate(sentence) is furniture
    assert salience.describe(sentence, 0, 5).junk is furniture


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("Staff writer Jane Roe contributed to this report.", True),
        ("Associated Press writer John Doe in Lisbon contributed reporting.", True),
        ("Contact Jane Roe at 555-201-3409 or on the newsroom line.", True),
        ("Contact the author at jroe@example.org with tips.", True),
        ("This article was corrected on Monday: the mayor lives in Riverton.", True),
        ("Update, March 4, 10:03 ET: adds the company's statement.", True),
        ("Updated: the article now includes the ministry's response.", True),
        ("Correction: an earlier version misspelled the minister's name.", True),
        ("Reporter: WE MET HIM IN THE SPRING AND HE INSISTED HE HAD DONE NOTHING WRONG.", True),
        ("With: Jane Roe, John Doe, Mary Major, Richard Miles.", True),
        ("Contact with the plane was lost at 10:42 a.m., the airline said.", False),
        ("Police updated the death toll to 12 on Monday, the governor said.", False),
        ("Updated figures released Monday show the toll rose to 12.", False),
        ("The report was updated with new figures by the ministry on Friday.", False),
        ("With the election over, the party turned to its reform plans.", False),
        ("The update, released Tuesday, fixes the battery drain, the company said.", False),
        ("Neighbours contributed to the family's legal fund, the lawyer said.", False),
    ],
)
def test_newsroom_notes_are_furniture(sentence, furniture):
    """Credits, contact lines, correction and update notes, transcript labels and cast lists are
    notes about the page; Multi-News tune-half summaries carried eight of them (of 1,172 sentences) before this rule."""
    assert salience.is_boilerplate(sentence) is furniture
    assert salience.describe(sentence, 0, 5).junk is furniture


# --------------------------------------------------------------------------- selection internals


def _objective(members, weights, bonus, picked):
    covered = {c for s in picked for c in members[s]}
    return sum(weights[c] for c in covered) + sum(bonus[s] for s in picked)


def test_merged_concepts_keep_the_objective_of_every_selection():
    import itertools

    import numpy as np

    # Concept 0 only in sentence 0; concepts 1 and 2 in sentences 1 and 2 alike; 3 in all three.
    members = [[0, 3], [1, 2, 3], [1, 2, 3, 4], [4]]
    weights = np.array([0.5, 0.2, 0.1, 0.3, 0.25])
    bonus = np.array([0.01, -0.02, 0.0, 0.05])
    merged = selection.merge_concepts(members, weights, bonus)
    assert len(merged[1]) < len(weights)
    for size in range(len(members) + 1):
        for picked in itertools.combinations(range(len(members)), size):
            assert _objective(*merged, picked) == pytest.approx(_objective(members, weights, bonus, picked))


def test_fill_adds_whole_sentences_that_fit_conflict_with_nothing_and_read_alone():
    import numpy as np

    members = [[0], [1], [2], [3], [0, 4]]
    weights = np.array([0.4, 0.3, 0.2, 0.1, 0.05])
    quality = np.ones(5)
    lengths = np.array([50, 30, 8, 9, 12])
    readable = [True, True, True, False, True]
    # 80 of 100 words used; sentence 4 conflicts with the chosen sentence 0, sentence 3 dangles.
    picked = selection.fill([0, 1], members, weights, quality, lengths, 100, [(0, 4)], readable)
    assert picked == [0, 1, 2]
    assert sum(lengths[picked]) <= 100
    # Nothing fits: nothing is added.
    assert selection.fill([0, 1], members, weights, quality, lengths, 85, [], readable) == [0, 1]
