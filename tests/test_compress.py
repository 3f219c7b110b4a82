"""Deletion-only compression of summary sentences, on sentences and stories written for these tests."""

from __future__ import annotations

import hashlib

import pytest

from newsbrief import compress, dedupe, segment, summarize
from newsbrief.embed import SentenceVectors
from newsbrief.records import Article


def shown(text: str) -> str:
    """The sentence as a summary shows it, read as the first sentence of its article."""
    return compress.kept_text(text, compress.omissions(text, opens_article=True))


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        # A weekday after the verb, with or without "on".
        ("The harbour board said Friday that the ferry would run in May.",
         "The harbour board said that the ferry would run in May."),
        ("The mayor was re-elected on Sunday with a wide margin.", "The mayor was re-elected with a wide margin."),
        ("The team played a match in Sochi, Russia, Friday.", "The team played a match in Sochi, Russia."),
        ("The pope spoke to Congress Thursday morning\u2014for an hour.", "The pope spoke to Congress\u2014for an hour."),
        ("Officials in Osterby reported Thursday night.", "Officials in Osterby reported."),
        # Datelines, leading connectives and time phrases, when the rest opens with a capital.
        ("OSTERBY (Reuters) \u2014 The ferry line will open in May.", "The ferry line will open in May."),
        ("KALMBURG - Police closed the bridge.", "Police closed the bridge."),
        ("(CNN) -- Police closed the bridge.", "Police closed the bridge."),
        ("However, Mayor Ines Rohr opposed the plan.", "Mayor Ines Rohr opposed the plan."),
        ("Meanwhile, on Tuesday, Rohr met the board.", "Rohr met the board."),
        ("The board, on Tuesday, approved the plan.", "The board approved the plan."),
        ("On Tuesday, Rohr met the board.", "Rohr met the board."),
        ("But Rohr said the vote was close.", "Rohr said the vote was close."),
        # "here" after a verb points at the dateline, which the summary does not show.
        ("The two ministers met here with the envoy.", "The two ministers met with the envoy."),
        ("The two ministers met here Sunday with the envoy.", "The two ministers met with the envoy."),
        # A parenthetical aside without digits, negation or attribution.
        ("Senator Tom Vale (Green) backed the plan.", "Senator Tom Vale backed the plan."),
    ],
)
def test_low_content_stretches_are_left_out(sentence, kept):
    assert shown(sentence) == kept


@pytest.mark.parametrize(
    "sentence",
    [
        "However, the mayor opposed the plan.",  # the rest would open in lower case
        "But the vote was close.",
        "Pilgrims attended Friday prayers at the old mosque.",  # the day is part of a noun
        "The Good Friday agreement held for twenty years.",  # a name
        "Monday's storm closed the bridge.",
        "The ceasefire expires Friday.",  # a coming event: without the day it reads as done
        "The trial begins Monday, the court said.",
        "The council will vote Friday.",
        "Talks are due to resume Tuesday.",
        "Talks are due to resume on Monday under the state mediator.",
        "The council will vote Friday on the budget.",
        "\u201cWe meet Friday, then we vote,\u201d the mayor said.",  # never inside a quotation
        "``We meet Friday,'' the mayor said.",
        "The ferry (with 40 cars) sank.",  # a number
        "The ferry (not the bridge) was closed.",  # a negation
        "The council (the mayor said) will vote.",  # an attribution
        "The vote came after Monday.",  # the preposition would be stranded
        "The rally came four days before election day.",  # nothing to leave out
        "The paper said in an editorial Saturday, Oct. 10, that the plan failed.",  # the day heads a date
        "The ferries run Friday 12 June.",
        "On the following Monday, the clerk posted a notice.",  # "the following" would be stranded
        "The vote is scheduled for Tuesday, the clerk said.",
        "The next round of the talks is on Friday.",
        "Snow fell Saturday and Sunday across the county.",
        "He meant to keep (and possibly even restore) the old mill.",  # a hedge
        "John Smith, 45, said the plan was sound.",  # an age is a number: kept
        "Rohr, who chairs the board, backed the plan.",  # relative clauses are kept
        "Rohr will step down Friday, not Monday.",  # a day set against another is the claim
        "The rally was held Friday rather than Saturday.",
        "Rohr resigned effective Friday.",
        "Revellers marked Fat Tuesday in the old town.",  # a name
        "Fans gathered for Super Bowl Sunday.",
        "Rohr said here, not in Kalmburg, that the talks failed.",  # a place set against another
        "The drug (in mice) cured the disease.",  # an aside that limits the claim
        "The mayor took (or was given) the money.",
        "The minister resigned (temporarily).",
        "The plan (if approved) will cut taxes.",
        "Rohr called the plan \u2018dead (Sort of) and buried\u2019 here.",  # a quotation in single marks
        "Rohr called the plan 'dead (Sort of) and buried' here.",
    ],
)
def test_meaning_bearing_stretches_are_kept(sentence):
    assert compress.omissions(sentence) == ()


def test_cuts_are_ordered_disjoint_ranges_and_mid_sentence_cuts_are_marked():
    text = "PORTSEA - The board said Friday that the pier (damaged) will reopen."
    cuts = compress.omissions(text, opens_article=True)
    assert [text[a:b] for a, b in cuts] == ["PORTSEA - ", " Friday", " (damaged)"]
    assert all(a < b <= c for (a, b), (c, _) in zip(cuts, cuts[1:], strict=False))
    assert compress.kept_text(text, cuts) == "The board said that the pier will reopen."
    # The dateline opens the sentence: no mark; the two inner cuts are marked.
    assert compress.marked_text(text, cuts) == "The board said \u2026 that the pier \u2026 will reopen."
    # Two cuts that touch are one: one mark, not "met … … with".
    text = "The ministers met here Sunday with the envoy."
    assert compress.marked_text(text, compress.omissions(text)) == "The ministers met \u2026 with the envoy."


def test_a_bare_dateline_is_cut_only_where_an_article_opens():
    # Inside a story the same shape names two parties: cutting it would drop one.
    for text in ("US - China talks resumed in Geneva.", "NATO - Russia Council members met in Brussels."):
        assert compress.omissions(text) == ()
    # An agency in brackets makes it a dateline wherever it stands.
    text = "OSTERBY (Reuters) \u2014 The ferry line will open in May."
    assert compress.kept_text(text, compress.omissions(text)) == "The ferry line will open in May."


FERRY_A = (
    "The harbour board of Osterby said on Tuesday that a new ferry line to Kalmburg would start in May. "
    "Tickets will cost less than the bus fare, the board said."
)
FERRY_B = (
    "A new ferry line between Osterby and Kalmburg will start in May, the Osterby harbour board said on Tuesday. "
    "The crossing will take forty minutes."
)
FERRY_C = (
    "Osterby's harbour board said on Tuesday that a new ferry line to Kalmburg would start in May. "
    "Local shops hope for more visitors."
)


def test_a_compressed_sentence_fits_a_budget_the_whole_one_does_not(tfidf_resources):
    """The budget counts words as shown: the story's main point, 19 words whole and 17 without
    "on Tuesday", is chosen for a 17-word budget, and its record says which words were left out."""
    articles = [
        Article(id=hashlib.sha256(t.encode()).hexdigest()[:16], origin=f"{n}.txt", text=t, raw_text=t, raw_chars=len(t))
        for n, t in enumerate((FERRY_A, FERRY_B, FERRY_C))
    ]
    sources = dedupe.collapse_duplicates(articles)
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, tfidf_resources.embedder)
    _, summary = summarize.summarize(sources, sentences, vectors, words=17)
    assert len(summary) == 1
    point = summary[0]
    assert "on Tuesday" not in point.text and "ferry line to Kalmburg would start in May" in point.text
    assert len(point.text.split()) <= 17
    by_id = {s.id: s for s in sources}
    first = point.citations[0]
    source_text = by_id[first.source].text
    assert [source_text[o.start : o.end] for o in point.omitted] == [" on Tuesday"]
    assert first.start <= point.omitted[0].start < point.omitted[0].end <= first.end
    rebuilt = source_text[first.start : point.omitted[0].start] + source_text[point.omitted[0].end : first.end]
    assert rebuilt == point.text
    assert point.support >= 2, "the other outlets' wordings still support it"
