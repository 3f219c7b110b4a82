"""Wire copies collapse into one source; distinct reports stay apart; repeated sentences group."""

from __future__ import annotations

import hashlib
import json

import pytest

from newsbrief import dedupe, segment
from newsbrief.records import Article

# Our own fixtures: one agency story, an outlet's lightly edited copy of it, a trimmed copy,
# and an independent report of the same event in other words.
WIRE = (
    "The city council of Brookfield voted 7 to 2 on Monday night to close the Elm Street bridge to "
    "heavy trucks from March 1, after engineers found corrosion in two of its steel girders.\n\n"
    "Mayor Linda Ortiz said the decision was painful for local haulers but unavoidable. \"We cannot "
    "gamble with a structure that carries twelve thousand vehicles a day,\" she told reporters.\n\n"
    "The state transportation department will pay for a detailed inspection in April, and repairs "
    "are expected to cost about 4 million dollars, according to the council's budget office.\n\n"
    "Trucking firms asked for a detour through the industrial park, which the council will study "
    "at its next meeting on February 12. Two councillors who voted against the closure said the "
    "engineers' report should have been published before the vote."
)
EDITED = (
    WIRE.replace("on Monday night", "on Monday evening")
    .replace("she told reporters", "she told journalists")
    .replace("about 4 million dollars", "roughly 4 million dollars")
)
TRIMMED = WIRE.split("\n\n")[0] + "\n\n" + WIRE.split("\n\n")[1] + "\n\n" + WIRE.split("\n\n")[2]
INDEPENDENT = (
    "Heavy trucks will be banned from Brookfield's Elm Street bridge from the start of March. "
    "Councillors approved the ban by seven votes to two after an engineering survey reported rusting "
    "girders. Haulers say the detour adds twenty minutes to every trip, and the chamber of commerce "
    "warned that deliveries to the town centre would suffer. The mayor, Linda Ortiz, defended the "
    "vote as the only responsible choice. Repairs could take most of the summer."
)


def article(text: str, *, origin: str, outlet: str | None = None, **extra) -> Article:
    return Article(
        id=hashlib.sha256(text.encode()).hexdigest()[:16],
        origin=origin,
        text=text,
        raw_text=text,
        raw_chars=len(text),
        outlet=outlet,
        **extra,
    )


def test_wire_copies_collapse_into_one_source_listing_the_other_outlets():
    articles = [
        article(INDEPENDENT, origin="a.txt", outlet="Brookfield Post"),
        article(WIRE, origin="b.txt", outlet="Metro Wire", title="Council closes bridge to trucks"),
        article(EDITED, origin="c.txt", outlet="Valley Herald"),
        article(TRIMMED, origin="d.txt"),
    ]
    sources = dedupe.collapse_duplicates(articles)
    assert [s.id for s in sources] == ["1", "2"]
    assert sources[0].article is articles[0]
    assert sources[0].also_carried_by == () and sources[0].duplicate_ids == ()
    wire = sources[1]
    # The kept copy has the most words (original and edit tie; the original has more metadata).
    assert wire.article is articles[1]
    assert wire.also_carried_by == ("Valley Herald", "d.txt")
    assert wire.duplicate_ids == (articles[2].id, articles[3].id)


def test_identical_texts_collapse_and_the_same_outlet_is_not_listed_as_another_carrier():
    first = article(WIRE, origin="x.html", outlet="Metro Wire")
    again = article(WIRE, origin="y.html", outlet="Metro Wire")
    sources = dedupe.collapse_duplicates([first, again])
    assert len(sources) == 1
    assert sources[0].also_carried_by == ()
    assert sources[0].duplicate_ids == ()  # same Article id: nothing new was collapsed


def test_source_ids_follow_the_input_order_of_the_kept_articles():
    longer = WIRE + "\n\nThe bridge was built in 1931 and last renovated in 1988."
    articles = [
        article(TRIMMED, origin="short.txt"),
        article(INDEPENDENT, origin="other.txt"),
        article(longer, origin="long.txt"),
    ]
    sources = dedupe.collapse_duplicates(articles)
    # The longer copy (third) is kept, so the independent report (second) comes first.
    assert [s.article.origin for s in sources] == ["other.txt", "long.txt"]
    assert [s.id for s in sources] == ["1", "2"]
    assert sources[1].also_carried_by == ("short.txt",)


def test_the_five_corpus_articles_are_five_independent_sources(corpus_dir):
    articles = [
        article(path.read_text(encoding="utf-8"), origin=path.name) for path in sorted(corpus_dir.glob("*.txt"))
    ]
    sources = dedupe.collapse_duplicates(articles)
    assert len(sources) == 5
    assert all(not s.also_carried_by for s in sources)


def test_minhash_path_for_large_inputs_finds_the_same_copies_as_exact_comparison(eval_dir):
    """Past EXACT_PAIRS_LIMIT articles LSH proposes pairs; it must miss none of the real copies."""
    docs = []
    with (eval_dir / "duc2004_task2.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            docs.extend(json.loads(line)["docs"])
            if len(docs) >= 200:
                break
    articles = [article(d["text"], origin=d["id"]) for d in docs]
    # Plus planted copies: edited and trimmed versions of three documents.
    for d in docs[:3]:
        words = d["text"].split()
        articles.append(article(" ".join(words[: int(len(words) * 0.7)]), origin=d["id"] + "-trimmed"))
        articles.append(article(d["text"].replace(" the ", " a ", 2), origin=d["id"] + "-edited"))
    assert len(articles) > dedupe.EXACT_PAIRS_LIMIT
    via_lsh = dedupe.collapse_duplicates(articles)
    sets = [dedupe.shingles(a.text) for a in articles]
    exact_pairs = [
        (i, j)
        for i in range(len(articles))
        for j in range(i + 1, len(articles))
        if dedupe.is_copy(sets[i], sets[j])
    ]
    source_of = {member: s.id for s in via_lsh for member in (s.article.id, *s.duplicate_ids)}
    assert len(exact_pairs) > 6 + 20  # the planted copies and DUC's own re-filed wire stories
    for i, j in exact_pairs:
        assert source_of[articles[i].id] == source_of[articles[j].id], (articles[i].origin, articles[j].origin)
    planted = [s for s in via_lsh if s.article.origin in {d["id"] for d in docs[:3]}]
    assert len(planted) == 3 and all(len(s.duplicate_ids) >= 2 for s in planted)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (WIRE, EDITED, True),
        (WIRE, TRIMMED, True),
        (WIRE, INDEPENDENT, False),
        (TRIMMED, INDEPENDENT, False),
    ],
)
def test_is_copy(a, b, same):
    assert dedupe.is_copy(dedupe.shingles(a), dedupe.shingles(b)) is same


def test_near_identical_sentences_of_different_sources_are_grouped():
    one = article(WIRE, origin="one")
    two = article(
        "Officials confirmed the closure. The city council of Brookfield voted 7 to 2 on Monday to close "
        "the Elm Street bridge to heavy trucks from March 1, after engineers found corrosion in two of "
        "its steel girders. Nothing else was decided.",
        origin="two",
    )
    three = article(INDEPENDENT, origin="three")
    sources = dedupe.collapse_duplicates([one, two, three])
    assert len(sources) == 3
    sentences = segment.segment(sources)
    by_id = {s.id: s for s in sources}
    groups = dedupe.group_sentences(sentences, by_id)
    assert len(groups) == 1
    members = groups[0].members
    assert {m.source for m in members} == {"1", "2"}
    texts = [by_id[m.source].text[m.start : m.end] for m in members]
    assert all(t.startswith("The city council of Brookfield voted 7 to 2") for t in texts)
    index = dedupe.group_index(groups, sentences)
    assert sum(index >= 0) == 2


def test_sentences_within_one_source_are_never_grouped():
    text = "The bridge will close to trucks on March 1. " * 2 + "The council voted on Monday evening."
    sources = dedupe.collapse_duplicates([article(text, origin="repeat")])
    sentences = segment.segment(sources)
    assert dedupe.group_sentences(sentences, {s.id: s for s in sources}) == []
