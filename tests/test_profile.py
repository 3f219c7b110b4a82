"""Source profiles: each measure on texts written to hold a known amount of it, then the corpus."""

from __future__ import annotations

import re

import pytest

from newsbrief import (
    attribute,
    boilerplate,
    clean,
    dedupe,
    ingest,
    markers,
    novelty,
    profile,
    segment,
    style,
    summarize,
)
from newsbrief.embed import SentenceVectors
from newsbrief.records import Article, Citation, Quote, Removal, Source


def make_source(sid: str, text: str, *, raw_text: str | None = None, removed=(), cited=()) -> Source:
    raw = text if raw_text is None else raw_text
    article = Article(id=f"article-{sid}", origin=f"fixture-{sid}", text=text, raw_text=raw,
                      raw_chars=len(raw), removed=tuple(removed), cited_outlets=tuple(cited))
    return Source(id=sid, article=article)


def run(sources: list[Source], embedder, quotes=()):
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, embedder)
    return profile.profile_sources(sources, sentences, vectors, [], list(quotes)), vectors


def shown(source: Source, evidence) -> list[str]:
    return [source.text[c.start : c.end] for c in evidence.spans]


# --------------------------------------------------------------------------- padding

REPEATED = (
    "The harbor toll rebate starts in May. Shipping firms asked about the harbor toll rebate on Monday. "
    "Port director Alma Reyes said the harbor toll rebate costs 4 million dollars. Critics of the harbor "
    "toll rebate filed a complaint. The council will vote on the harbor toll rebate next week. Local "
    "fishermen welcomed the harbor toll rebate. A second hearing on the harbor toll rebate is set for June."
)


def test_a_phrase_used_seven_times_counts_seven(tfidf_resources):
    source = make_source("1", REPEATED)
    (p,), _ = run([source], tfidf_resources.embedder)
    repetition = p.measures["repetition"]
    assert repetition.value == 7
    assert [t.lower() for t in shown(source, repetition)] == ["harbor toll rebate"] * 7
    assert "'harbor toll rebate' used 7 times" in repetition.note
    words = len(re.findall(r"\w+", REPEATED))
    assert p.measures["repeated_phrase_share"].value == pytest.approx(21 / words, abs=1e-4)


def test_function_word_runs_and_single_names_are_not_repetition():
    text = "Putin spoke. Putin left. Putin returned. It was one of the days. One of the men came. One of the cars."
    assert style.repeated_phrases(text) == []


def test_phrases_never_span_a_break_and_are_found_up_to_the_last_word():
    # "toll rebate" is used three times only across a full stop or a colon: never a phrase;
    # "ferry fare" closes the text with no full stop after it and still counts its third use.
    text = ("They raised the toll. Rebate talks stalled. A ferry fare rise came first. Drivers paid the toll: "
            "Rebate forms ran out. Another toll. Rebate claims grew. Riders hate the ferry fare; the council "
            "studies the ferry fare")
    phrases = style.repeated_phrases(text)
    assert [(p.phrase, p.count) for p in phrases] == [("ferry fare", 3)]
    assert [text[s:e] for s, e in phrases[0].spans] == ["ferry fare"] * 3
    assert phrases[0].spans[-1][1] == len(text)


def test_words_read_once_for_phrases_give_the_same_counts_and_vocabulary():
    # The profile reads a page's words once (with the clause breaks phrases need) and derives the
    # word count and the story vocabulary from them: both must equal reading the page again.
    page = ("Mayor Ingrid Solheim declared an emergency. Storm: 90 km/h gusts; roads shut!\n"
            "The U.S. sent aid - 'quickly', Solheim's office said? Yes.")
    other = "Officials in Bergen said the storm closed roads."
    found = style.words_and_breaks(page)
    slots = style.phrase_slots(page, found)
    assert len(slots) - slots.count(None) == style.word_count(page) == 23  # "U.S." is two words, "km/h" two
    known = set(found) - style.BREAK_CHARS
    assert known == set(style.WORD.findall(page))
    assert (novelty.specific_source_counts({"1": page, "2": other}, {"1": known})
            == novelty.specific_source_counts({"1": page, "2": other}))


RESTATING = (
    "The factory in Linz will close in April and 300 workers will lose their jobs. "
    "Owners blamed high energy prices and weak demand for steel. "
    "In April the Linz factory closes and its 300 workers lose jobs. "
    "The regional government offered retraining grants. "
    "Energy prices and weak steel demand were blamed by the owners. "
    "Unions plan a protest march on Saturday. "
    "A court hearing on severance pay is due in May. "
    "Retraining grants were offered by the regional government."
)


def test_three_of_eight_sentences_restate_earlier_ones(tfidf_resources):
    source = make_source("1", RESTATING)
    (p,), _ = run([source], tfidf_resources.embedder)
    restatement = p.measures["restatement"]
    assert restatement.value == pytest.approx(3 / 8, abs=1e-4)
    assert shown(source, restatement) == [
        "In April the Linz factory closes and its 300 workers lose jobs.",
        "Energy prices and weak steel demand were blamed by the owners.",
        "Retraining grants were offered by the regional government.",
    ]
    # New facts: the sentences naming a place, a day or a number that do not restate (1st, 6th, 7th).
    assert p.measures["words_per_fact"].value == pytest.approx(style.word_count(RESTATING) / 3, abs=0.1)


# --------------------------------------------------------------------------- rhetoric

PLAIN = [
    "The bridge opened to traffic on Tuesday morning.",
    "Workers poured the last concrete section in March.",
    "The span is 420 meters long.",
    "Two lanes carry cars and one carries bicycles on the Elbe span.",
    "The city paid 38 million euros for the project.",
    "Ferries across the river stopped running at noon on Tuesday.",
    "Tolls are set at two euros per crossing for Hamburg drivers.",
]
HEDGED = [
    "Traffic on the old road may fall by half.",
    "The ferry operator could sell its boats.",
    "Perhaps the bridge will ease the morning jams.",
]


def test_three_of_ten_sentences_hedging_is_point_three(tfidf_resources):
    text = " ".join(PLAIN[:4] + HEDGED[:1] + PLAIN[4:] + HEDGED[1:])
    source = make_source("1", text)
    (p,), _ = run([source], tfidf_resources.embedder)
    assert p.measures["hedging"].value == pytest.approx(0.3)
    assert sorted(shown(source, p.measures["hedging"])) == sorted(HEDGED)
    assert p.measures["rhetoric"].value == pytest.approx(0.3)
    assert p.measures["commentary"].value == 0 and p.measures["metaphor"].value == 0


def test_rhetoric_counts_metaphor_commentary_and_questions_but_not_quoted_opinion(tfidf_resources):
    metaphors = ["The new budget is a tapestry of compromises.",
                 "Ministers walked a tightrope between unions and lenders."]
    commentary = ["This underscores how fragile the coalition is.",
                  "It is a reminder that budgets are political documents."]
    question = ["Who will pay for it?"]
    quoted = ["\u201cThis budget is a tapestry of lies,\u201d opposition leader Karl Brandt said."]
    facts = ["Parliament passed the budget on Friday by 301 votes to 289.",
             "Spending on rail rises by 4 percent.",
             "The deficit target for 2026 is 2.5 percent of output."]
    text = " ".join(facts[:1] + metaphors + commentary + facts[1:] + question + quoted)
    source = make_source("1", text)
    (p,), _ = run([source], tfidf_resources.embedder)
    assert p.measures["rhetoric"].value == pytest.approx(5 / 9, abs=1e-4)
    assert p.measures["metaphor"].value == pytest.approx(2 / 9, abs=1e-4)
    assert p.measures["commentary"].value == pytest.approx(2 / 9, abs=1e-4)
    assert quoted[0] not in shown(source, p.measures["rhetoric"])
    assert "commentary 2, metaphor 2" in p.measures["rhetoric"].note


# --------------------------------------------------------------------------- sourcing

ATTRIBUTED = (
    "Mayor Lena Ortiz said the library will reopen in June. "
    "The renovation cost 2 million dollars, according to Tom Becker, the city treasurer. "
    "The library holds 40,000 books and a map room. "
    "Ortiz added that the cafe would stay closed until autumn. "
    "Children's reading hours start again in July. "
    "A spokesperson told reporters that the roof was repaired first."
)


def test_attribution_cues_counted_per_hundred_words_with_named_sources(tfidf_resources):
    source = make_source("1", ATTRIBUTED)
    (p,), _ = run([source], tfidf_resources.embedder)
    words = style.word_count(ATTRIBUTED)
    assert p.measures["attribution_rate"].value == pytest.approx(round(4 * 100 / words, 2))
    assert p.measures["named_sources"].value == 2
    assert p.measures["named_sources"].note == "Lena Ortiz, Tom Becker"


def test_quotes_from_the_who_said_what_stage_take_precedence(tfidf_resources):
    one = make_source("1", ATTRIBUTED)
    other = make_source("2", "Lena Ortiz said the library will reopen in June after a long renovation.")
    first = one.text.index("Mayor")
    quotes = [
        Quote("Lena Ortiz", "Mayor", "the library will reopen in June", "reported",
              (Citation("1", first, one.text.index(".", first) + 1), Citation("2", 0, len(other.text)))),
        Quote("City officials", None, "the roof was repaired first", "reported",
              (Citation("1", one.text.index("A spokesperson"), len(one.text)),)),
    ]
    (p1, p2), _ = run([one, other], tfidf_resources.embedder, quotes)
    assert p1.measures["attribution_rate"].value == pytest.approx(round(2 * 100 / style.word_count(one.text), 2))
    assert p1.measures["named_sources"].value == 1  # "City officials" is not a named source
    assert p2.measures["named_sources"].note == "Lena Ortiz"


# --------------------------------------------------------------------------- boilerplate and template

NAV = "Home | World | Sports | Weather | Contact us"
BAIT = "No time to read?\nGet a summary"
HEADING = "City budget passes"
BODY = ("The city council approved a budget of 12 million euros on Thursday. "
        "Let's dive into what it means for Bremen residents. "
        "Illustrations are AI-generated and shown for representation, not reality.\n"
        "Sources: Daily Planet | The Gazette | Metro News")


def test_boilerplate_share_and_markers_in_removed_text(tfidf_resources):
    raw = f"{NAV}\n{BAIT}\n{HEADING}\n{BODY}"
    nav_end = len(NAV)
    bait_start = raw.index("No time")
    heading_start = raw.index(HEADING)
    removed = [Removal("navigation", 0, nav_end),
               Removal("call_to_action", bait_start, bait_start + len("No time to read?")),
               Removal("call_to_action", raw.index("Get a summary"), raw.index("Get a summary") + 13),
               Removal("heading", heading_start, heading_start + len(HEADING))]
    source = make_source("1", BODY, raw_text=raw, removed=removed)
    (p,), _ = run([source], tfidf_resources.embedder)
    boiler = p.measures["boilerplate_share"]
    assert boiler.value == pytest.approx(round((nav_end + 16 + 13) / len(raw), 4))
    assert [(c.start, c.end) for c in boiler.raw_spans] == [(r.start, r.end) for r in removed[:3]]
    markers = p.measures["template_markers"]
    assert [raw[c.start : c.end] for c in markers.raw_spans] == [BAIT]
    found = shown(source, markers)
    assert "Let's dive into" in found
    assert any("AI-generated" in piece for piece in found)
    assert any(piece.startswith("Sources: Daily Planet") for piece in found)
    assert p.measures["cited_outlets"].note == "Daily Planet, The Gazette, Metro News"
    assert {"template", "ai_style"} <= set(p.flags)
    assert "summary-bait block" in p.verdict


def test_stock_transitions_from_the_issue_are_markers():
    for phrase in ("In a clear update rooted in straightforward reporting: the talks resumed.",
                   "Let's dive into the details.", "It's super important to remember the stakes."):
        assert [m.kind for m in markers.find_markers(phrase)] == ["stock_phrase"], phrase
    assert markers.find_markers("Sources close to the minister said the talks resumed on Monday.") == []


def test_new_names_and_numbers_are_shown_as_written():
    vocabulary = novelty.specific_source_counts({
        "1": "Last week EU leaders agreed on a \u20ac90 billion loan. Lavrov reacted sharply.",
        "2": "EU leaders met last week. Putin's aide spoke. Meetings were held.",
    })
    assert novelty.new_specifics("Last week EU leaders agreed on a \u20ac90 billion loan.", vocabulary) == [
        "\u20ac90 billion"]
    assert novelty.new_specifics("Lavrov reacted sharply.", vocabulary) == ["Lavrov"]
    assert novelty.new_specifics("Meetings were held.", vocabulary) == []


# --------------------------------------------------------------------------- unique contribution

STORM = [
    "The storm cut power to 12,000 homes in Bergen on Sunday. Repair crews worked through the night to "
    "restore the lines. Schools in the city will stay closed on Monday.",
    "A storm left 12,000 homes in Bergen without electricity on Sunday. Crews worked overnight to repair "
    "the power lines. City schools remain closed on Monday.",
    "The Sunday storm knocked out electricity for 12,000 Bergen homes. Mayor Ingrid Solheim declared a "
    "state of emergency for the region. Schools across Bergen will be shut on Monday.",
]


def test_unique_facts_are_the_ones_no_other_source_carries(resources):
    sources = [make_source(str(i + 1), text) for i, text in enumerate(STORM)]
    profiles, _ = run(sources, resources.embedder)
    one, two, three = (p.measures for p in profiles)
    assert one["unique_facts"].value == 0 and two["unique_facts"].value == 0
    assert one["restates_others"].value == 1.0
    assert three["unique_facts"].value == 1
    assert shown(sources[2], three["unique_facts"]) == [
        "Mayor Ingrid Solheim declared a state of emergency for the region."]
    assert "Ingrid Solheim" in three["unique_facts"].note
    words = style.word_count("Mayor Ingrid Solheim declared a state of emergency for the region.")
    assert three["unique_share"].value == pytest.approx(round(words / style.word_count(STORM[2]), 4))
    assert profiles[2].verdict.startswith("Adds 1 fact no other source reports (new: Ingrid Solheim)")


def test_a_rewrite_of_other_outlets_is_named_with_its_signs(resources):
    rewrite = make_source("4", (
        "Let's dive into the Bergen storm. A storm cut electricity to 12,000 homes in Bergen on Sunday. "
        "Schools in Bergen stay closed on Monday.\nSources: NRK | VG | Aftenposten"))
    sources = [make_source(str(i + 1), text) for i, text in enumerate(STORM)] + [rewrite]
    profiles, _ = run(sources, resources.embedder)
    p = profiles[3]
    assert p.measures["restates_others"].value == 1.0
    assert p.measures["cited_outlets"].value == 3
    assert shown(rewrite, p.measures["cited_outlets"]) == ["Sources: NRK | VG | Aftenposten"]
    signs = p.measures["rewrite_signs"]
    assert signs.value == 4
    for sign in ("lists 3 outlets", "no named source", "machine-written", "restates facts"):
        assert sign in signs.note
    assert {"rewrites_others", "ai_style", "template"} <= set(p.flags)
    assert p.verdict.startswith("AI-style rewrite of other outlets")


def test_a_lone_source_says_so(tfidf_resources):
    (p,), _ = run([make_source("1", STORM[2])], tfidf_resources.embedder)
    assert p.measures["unique_facts"].note.startswith("the only source")
    assert p.verdict.startswith("Only source of the story")
    assert "adds_facts" not in p.flags  # nothing to compare with: no claim of exclusivity


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus_profiles(corpus_dir, resources):
    documents, skipped = ingest.read_inputs([str(corpus_dir)], resources.settings)
    articles, dropped = clean.clean_documents(documents)
    assert not skipped and not dropped
    sources = dedupe.collapse_duplicates(articles)
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, resources.embedder)
    # As api.brief_articles runs it: the summarizer's vectors are reused, its citations count as support.
    _, summary = summarize.summarize(sources, sentences, vectors, words=resources.settings.words)
    quotes, _ = attribute.attribute(sources, sentences, vectors, None)
    profiles = profile.profile_sources(sources, sentences, vectors, summary, quotes)
    by_file = {}
    for source, p in zip(sources, profiles, strict=True):
        by_file[source.article.origin.rsplit("/", 1)[-1][:3]] = (source, p)
    return by_file


def test_lexicons_grouped_by_first_letter_match_exactly_what_the_lexicons_match(corpus_profiles):
    # sentence_style searches a faster form of each lexicon; it must flag the same sentences.
    probes = [source.text[s:e].lower() for source, p in corpus_profiles.values()
              for s, e in segment.split_spans(source.text)]
    plain = re.compile(r"[a-z][a-z \-]*")
    for lexicon in (style.ATTRIBUTION, style.HEDGES, style.COMMENTARY, style.METAPHOR):
        body = re.fullmatch(r"\\b\((?:\?:)?(.*)\)\\b.*", lexicon.pattern, re.DOTALL).group(1)
        words = [w for w in style._split_alternatives(body) if plain.fullmatch(w)]
        assert len(words) >= 8
        # Each plain entry alone, inside a longer word (no match: word boundaries), and in a sentence.
        probes += [f"officials {w} on monday." for w in words] + [f"un{w}ed." for w in words]
        fast = style._FAST[lexicon.pattern]
        assert [bool(fast.search(p)) for p in probes] == [bool(lexicon.search(p)) for p in probes]
        assert all(fast.search(f"officials {w} on monday.") for w in words)


def test_sentence_end_test_agrees_with_the_terminal_pattern(corpus_profiles):
    # sentence_style tests a sentence's end with string methods; it must agree with the cleaner's pattern.
    probes = ["It rained.", 'He said "no."', "Really?)", "Wait…”", "Stop!»", "No end", "", '"', "a.b",
              'Ends. "', "x.]", "What?!’", "1.5", "(Reuters)"]
    probes += [source.text[s:e].strip() for source, _ in corpus_profiles.values()
               for s, e in segment.split_spans(source.text)]
    expected = [bool(boilerplate._TERMINAL.search(p)) for p in probes]
    assert [style._ends_sentence(p) for p in probes] == expected
    assert True in expected and False in expected


def test_corpus_seo_padding_is_002_and_only_002(corpus_profiles):
    source, p = corpus_profiles["002"]
    assert "seo_padding" in p.flags
    assert p.measures["repetition"].value >= 15
    assert all(source.text[c.start : c.end] == "iMacron and Putin" for c in p.measures["repetition"].spans)
    assert p.verdict.startswith("SEO padding: phrase 'iMacron and Putin' used")
    assert p.measures["rhetoric"].value > 0.5
    others = [k for k, (_, q) in corpus_profiles.items() if "seo_padding" in q.flags]
    assert others == ["002"]


def test_corpus_ai_rewrite_is_001(corpus_profiles):
    source, p = corpus_profiles["001"]
    assert {"ai_style", "rewrites_others"} <= set(p.flags)
    assert p.verdict.startswith("AI-style rewrite of other outlets")
    markers = shown(source, p.measures["template_markers"])
    assert any(m.startswith("In a clear update rooted in straightforward reporting") for m in markers)
    raw = source.article.raw_text
    assert any("AI-generated" in raw[c.start : c.end] for c in p.measures["template_markers"].raw_spans)
    assert p.measures["cited_outlets"].value == 5
    assert "adds_facts" not in p.flags
    assert [k for k, (_, q) in corpus_profiles.items() if "rewrites_others" in q.flags] == ["001"]


def test_corpus_template_signs_of_000_and_004(corpus_profiles):
    source, p = corpus_profiles["000"]
    raw = source.article.raw_text
    bait = [raw[c.start : c.end] for c in p.measures["template_markers"].raw_spans]
    assert len(bait) == 2 and all(b.startswith("No time to read?") for b in bait)
    assert "template" in p.flags and "summary-bait" in p.verdict
    _, p4 = corpus_profiles["004"]
    assert "template" in p4.flags and p4.measures["cited_outlets"].value == 5


def test_corpus_facts_found_nowhere_else_are_003_and_004(corpus_profiles):
    expected = {"003": ("Bonne", "Lavrov", "Abu Dhabi"), "004": ("Dmitriev", "Miami", "90 billion")}
    for key, names in expected.items():
        source, p = corpus_profiles[key]
        assert "adds_facts" in p.flags, key
        unique = " ".join(shown(source, p.measures["unique_facts"]))
        for name in names:
            assert name in unique, (key, name)
            assert name in p.verdict, (key, name)
        assert p.verdict.startswith("Adds "), key
        assert not {"seo_padding", "rewrites_others"} & set(p.flags), key
    assert [k for k, (_, q) in corpus_profiles.items() if "adds_facts" in q.flags] == ["003", "004"]
    # 003 is the densest: the largest share of its words carries facts no one else has.
    shares = {k: q.measures["unique_share"].value for k, (_, q) in corpus_profiles.items()}
    assert max(shares, key=shares.get) == "003"


def test_corpus_every_span_points_inside_its_text(corpus_profiles):
    for source, p in corpus_profiles.values():
        assert set(p.measures) == set(profile.MEASURES)
        assert p.facts["words"] == style.word_count(source.text) and p.facts["language"] == "en"
        for evidence in p.measures.values():
            for c in evidence.spans:
                assert c.source == source.id and 0 <= c.start < c.end <= len(source.text)
            for c in evidence.raw_spans:
                assert c.source == source.id and 0 <= c.start < c.end <= len(source.article.raw_text)


def test_two_one_sentence_sources_paraphrasing_each_other(resources):
    # Fewer sentences than neighbours to compare with, and no new name: the model decides.
    sources = [make_source("1", "The talks in Paris ended on Monday without any deal at all."),
               make_source("2", "Negotiators in Paris failed to reach a deal on Monday.")]
    profiles, vectors = run(sources, resources.embedder)
    assert [p.measures["unique_facts"].value for p in profiles] == [0, 0]
    assert [p.measures["restates_others"].value for p in profiles] == [1.0, 1.0]
    assert len(vectors.embedded) == 2


def test_empty_and_stop_word_sources_get_profiles_not_errors(tfidf_resources):
    sources = [make_source("1", ""), make_source("2", "of the and"), make_source("3", REPEATED)]
    profiles, _ = run(sources, tfidf_resources.embedder)
    assert [p.source for p in profiles] == ["1", "2", "3"]
    assert profiles[0].facts["words"] == 0 and profiles[0].measures["rhetoric"].value == 0
