"""Who said what: quote styles, reported speech, speakers, roles and resolution.

Short texts below are written for these tests; the corpus checks read the
shared articles in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief import segment
from newsbrief.attribute import attribute, find_quotes, find_statements
from newsbrief.records import Article, Source

GOLD = Path(__file__).resolve().parent / "data" / "attribution_gold.json"


def story(*texts: str) -> list[Source]:
    return [Source(str(i + 1), Article(id=f"t{i}", origin=f"t{i}", text=t, raw_text=t, raw_chars=len(t)))
            for i, t in enumerate(texts)]


def statements_of(*texts: str):
    sources = story(*texts)
    found = find_statements(sources, segment.segment(sources))
    by_id = {s.id: s for s in sources}
    return [(st, by_id[st.source].text[st.start : st.end]) for st in found]


@pytest.mark.parametrize("text, inside", [
    ("“We will rebuild the bridge by June,” Mayor Ann Lutz said.", "We will rebuild the bridge by June,"),
    ("«Nous ne céderons pas sur ce point,» said Prime Minister Jean Morel.", "Nous ne céderons pas sur ce point,"),
    ("Senator Ruth Aldo said: ‘This bill will not pass the chamber.’", "This bill will not pass the chamber."),
    ("``The reactor is safe and stable,'' said plant director Ken Ito.", "The reactor is safe and stable,"),
    ('"Nobody was hurt in the fire," fire chief Dan Webb told reporters.', "Nobody was hurt in the fire,"),
])
def test_every_quote_style_is_a_direct_statement(text, inside):
    (st, said), = statements_of(text)
    assert st.kind == "direct"
    assert said == inside


def test_a_quote_split_by_its_attribution_is_one_statement():
    text = "“The water is rising fast,” said Mayor Ann Lutz, “and we are moving people out tonight.”"
    (st, said), = statements_of(text)
    assert said.startswith("The water is rising fast") and said.endswith("moving people out tonight.")
    assert st.speaker == "Ann Lutz" and st.role == "Mayor"
    assert len(find_quotes(text)) == 1


@pytest.mark.parametrize("text, speaker, clause", [
    ("Finance Minister Ola Berg said that the budget would be balanced next year.",
     "Ola Berg", "the budget would be balanced next year"),
    ("According to Ola Berg, the budget will be balanced next year.", "Ola Berg", "the budget will be balanced next year"),
    ("Ola Berg told reporters the deficit had halved since March.", "Ola Berg", "the deficit had halved since March"),
    ("In Ola Berg's words, the deficit is now under control.", "Ola Berg", "the deficit is now under control"),
    ("Ola Berg emphasized that no new taxes were planned this year.", "Ola Berg", "no new taxes were planned this year"),
    ("The deficit had halved since March, Ola Berg said.", "Ola Berg", "The deficit had halved since March"),
])
def test_reported_speech_patterns(text, speaker, clause):
    found = statements_of(text)
    assert [(st.speaker, st.kind, said) for st, said in found] == [(speaker, "reported", clause)]


def test_roles_come_from_titles_and_appositives():
    found = statements_of(
        "Kremlin spokesman Dmitry Peskov said the talks were useful.",
        "Yuri Ushakov, the Russian President's chief assistant for foreign policy, said the date was not set.",
        "Reporters met the head of the port authority, Maria Costa, who said that the port would reopen soon.",
    )
    roles = {st.speaker: st.role for st, _ in found}
    assert roles["Dmitry Peskov"] == "Kremlin spokesman"
    assert roles["Yuri Ushakov"] == "Russian President's chief assistant for foreign policy"


def test_pronouns_short_names_and_bare_roles_resolve_to_the_full_speaker():
    text = ("Kremlin spokesman Dmitry Peskov said the contacts were at a working level. "
            "He added that nothing noteworthy could be announced yet. "
            "Peskov also said that a call was possible in the coming weeks. "
            "The spokesman insisted that no date had been agreed.")
    found = statements_of(text)
    assert len(found) == 4
    assert {st.speaker for st, _ in found} == {"Dmitry Peskov"}
    assert all(st.role == "Kremlin spokesman" for st, _ in found)


def test_a_quote_that_goes_on_after_its_attribution_keeps_the_speaker():
    text = ('"We lost everything in the flood," said farmer Lena Ortiz. '
            '"The barn, the tractors, the whole harvest went under the water."')
    found = statements_of(text)
    assert [st.speaker for st, _ in found] == ["Lena Ortiz", "Lena Ortiz"]
    assert all(st.kind == "direct" for st, _ in found)


def test_scare_quotes_and_plain_narration_are_not_statements():
    found = statements_of("The so-called “peace plan” was published on Monday. The bridge opened in 1998.")
    assert found == []


def test_the_same_statement_in_two_outlets_is_one_quote_citing_both(resources):
    sources = story(
        "Kremlin spokesman Dmitry Peskov said contacts with Paris were being held at a working level.",
        "Contacts with Paris are being held at a working level, Dmitry Peskov told reporters on Friday.",
    )
    quotes, entities = attribute(sources, segment.segment(sources), None, resources)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Dmitry Peskov" and quotes[0].role == "Kremlin spokesman"
    assert {c.source for c in quotes[0].citations} == {"1", "2"}
    peskov = next(e for e in entities if e.name == "Dmitry Peskov")
    assert peskov.type == "person" and peskov.sources == ("1", "2")


# --------------------------------------------------------------------------- the shared corpus


@pytest.fixture(scope="module")
def corpus_story(corpus_dir):
    paths = sorted(corpus_dir.iterdir())
    texts = [p.read_text(encoding="utf-8") for p in paths]
    sources = [Source(str(i + 1), Article(id=f"corpus/{p.name}", origin=str(p), text=t, raw_text=t,
                                          raw_chars=len(t))) for i, (p, t) in enumerate(zip(paths, texts, strict=True))]
    return sources, segment.segment(sources)


def test_corpus_statements_of_macron_peskov_ushakov_and_lavrov_are_all_attributed(corpus_story):
    sources, sentences = corpus_story
    doc_of = {s.id: s.article.id for s in sources}
    found = find_statements(sources, sentences)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    wanted = [g for g in gold["statements"] if g["doc"].startswith("corpus/")
              and g["speaker"].split()[-1] in {"Macron", "Peskov", "Ushakov", "Lavrov"}]
    assert len(wanted) >= 20
    for g in wanted:
        hit = [st for st in found if doc_of[st.source] == g["doc"]
               and min(st.end, g["end"]) - max(st.start, g["start"]) >= 0.5 * (g["end"] - g["start"])]
        assert hit, f"not found: {g}"
        assert hit[0].speaker.split()[-1] == g["speaker"].split()[-1], (g, hit[0])
        if g["speaker"].split()[-1] != "Lavrov":  # the corpus never gives Lavrov a title
            assert hit[0].role, g


def test_corpus_roles_follow_each_outlet(corpus_story, resources):
    sources, sentences = corpus_story
    quotes, entities = attribute(sources, sentences, None, resources)
    ushakov = next(e for e in entities if e.name == "Yuri Ushakov")
    assert "Russian vice-president" in ushakov.roles
    assert "Russian President's chief assistant for foreign policy" in ushakov.roles
    macron = next(q for q in quotes if q.speaker == "Emmanuel Macron" and q.kind == "direct")
    assert macron.text.startswith("It's being prepared") and macron.role == "French President"
