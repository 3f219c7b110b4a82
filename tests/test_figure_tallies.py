"""Counts of what happened to people at one event, as different outlets give them.

The texts are written for these tests: one event told by several outlets, an update and
another event of the same kind in the same story."""

from __future__ import annotations

from helpers import story

from newsbrief import segment
from newsbrief.compare import detail_conflicts


def subjects(kind: str, *texts: str, dates: tuple[str, ...] = ()) -> list[str]:
    """The subjects of the ``kind`` conflicts found between these texts, one outlet each."""
    sources = story(*texts, dates=dates)
    return [c.subject for c in detail_conflicts(sources, segment.segment(sources)) if c.kind == kind]


def number_subjects(*texts: str) -> list[str]:
    return subjects("number", *texts)


def test_one_events_toll_given_four_ways_is_one_conflict():
    """Four values of one key used to read as several places' figures and were dropped."""
    found = number_subjects(
        "Some 30 people were killed when shells struck the Harwick school, the relief agency said.",
        "Doctors said 40 people were killed at the Harwick school, where families had taken shelter.",
        "The city hospital reported that 42 people were killed in the shelling of the Harwick school.",
        "Witnesses told reporters that 45 people were killed at the school in Harwick on Tuesday.",
    )
    assert len(found) == 1 and found[0].startswith("people killed:"), found
    assert all(v in found[0] for v in ("30", "40", "42", "45")), found


def test_counts_far_apart_are_two_events_not_one_disputed_toll():
    found = number_subjects(
        "The truck bomb at the embassy in Corvale killed 213 people and wounded thousands, the police chief said.",
        "A near simultaneous bombing at the embassy compound killed 11 people, officials said.",
    )
    assert not found, found


def test_a_running_total_is_an_update_not_a_conflict():
    found = number_subjects(
        "Officials said 30 people were killed when the storm struck the coast of Tarrow province.",
        "So far 48 people have been killed since the storm struck the coast of Tarrow province.",
    )
    assert not found, found


def test_another_incident_of_the_same_kind_is_not_the_same_count():
    found = number_subjects(
        "Two people were killed when a shell hit a relief school in the port of Delmar on Monday.",
        "Three people were killed when a shell hit another relief school in the port of Delmar on Monday.",
    )
    assert not found, found


def test_a_count_of_something_else_with_the_same_value_does_not_hide_the_conflict():
    """"21 injured and 14 arrested" gives no 14 injured: the two outlets still disagree."""
    found = number_subjects(
        "Officers said 14 people were injured during the clashes in the dock quarter.",
        "Officers reported 21 people injured in the clashes, with 14 arrested on weapons charges.",
    )
    assert found == ["people injured: 21 vs 14"], found


def test_the_parse_keyed_pairing_also_reads_a_running_total_as_an_update():
    """With the parser (ner = spacy) retold passages are keyed by the parse; a running total is no
    conflict there either."""
    from newsbrief.parsed_figures import default_parser

    texts = ("So far 48 people have been killed by the floods in Tarrow province, officials said on Monday.",
             "Officials said on Monday that 30 people were killed by the floods in Tarrow province.")
    sources = story(*texts)
    found = detail_conflicts(sources, segment.segment(sources), default_parser)
    assert not [c.subject for c in found if c.kind == "number"], found


def test_a_retold_sentence_that_gives_the_value_for_another_thing_still_disagrees():
    """"convicted three clerks, two guards" / "convicted two clerks, two guards": the 2 in the first
    is the guards' count, not the clerks'."""
    found = number_subjects(
        "Since 1996 the district court has convicted three clerks, two guards and a driver of fraud.",
        "Since 1996 the district court has convicted two clerks, two guards and a driver of fraud.",
    )
    assert found == ["clerk: three vs two"], found


def test_two_outlets_give_one_town_two_populations():
    found = number_subjects(
        "The tremor on Sunday brought down a school in Varnholt, a city of 90,000 people, officials said.",
        "Many in Varnholt, a port home to 120,000 people, spent the night outdoors after the tremor.",
    )
    assert found == ["people living: 120,000 vs 90,000"], found


def test_update_words_count_only_next_to_the_figure():
    """"the latest strong shock to rattle the district in which five people were killed": "latest" is the shock's,
    not a newer toll."""
    found = number_subjects(
        "A series of strong earthquakes rocked Korvath, the capital of Delmar province, on Sunday, killing four people.",
        "A magnitude 6.1 quake jolted Delmar province today, the latest strong shock to rattle the district in "
        "which five people were killed at the weekend.",
    )
    assert found == ["people killed: five vs four"], found


def test_a_deals_whole_price_and_its_cash_part_are_two_figures():
    found = number_subjects(
        "Harrowgate has agreed to buy Pellmont for about $6.3 billion in cash and stock, the two firms said.",
        "Harrowgate is paying $4.8 billion in cash plus 61 million of its own shares for Pellmont.",
    )
    assert not found, found
    # "including $357 million in cash" is part of the price the sentence gives, not another outlet's price
    found = number_subjects(
        "The price Harrowgate set for Pellmont is $412 million, including $357 million in cash, the firm said.",
        "Pellmont, a small chip maker, is to get $412 million in cash from Harrowgate.",
    )
    assert not found, found


def test_two_outlets_time_one_strike_differently():
    """"bombed ... at 3 : 15 p . m ." (a tokenised copy) and "attacked ... at 2:47 p.m.": the
    bombing and the attack are one strike, timed half an hour apart."""
    sources = story("Two jets bombed the Dorrat camp at 3 : 15 p . m . on Thursday , the Relief Council said .",
                    "Military aircraft attacked the Dorrat camp at 2:47 p.m. on Thursday, the Relief Council said.")
    found = [(c.kind, c.subject) for c in detail_conflicts(sources, segment.segment(sources))]
    assert ("date", "3:15 pm vs 2:47 pm") in found or ("date", "2:47 pm vs 3:15 pm") in found, found


def test_clock_times_written_with_a_dot_are_read():
    from newsbrief.compare import _dates

    assert _dates("The shelling began at 3.45pm on Tuesday near the depot.")["time"] == "3:45 pm"
    assert "time" not in _dates("The 5.30 train carried 3.5 million passengers a year.")


def test_an_estimate_is_loose_and_a_count_as_of_a_day_is_a_running_total():
    assert not number_subjects(
        "Relief agencies put the storm's toll on the Velmar coast at an estimated 9,000 people killed.",
        "Roughly 6,500 people have died on the Velmar coast since the storm, officials said.",
    )
    assert not number_subjects(
        "As of Thursday, 6,076 people had been killed by the storm on the Velmar coast, officials said.",
        "Officials said the storm killed 4,100 people on the Velmar coast.",
    )


def test_a_toll_that_grew_in_articles_days_apart_is_an_update():
    """The same wording, the higher count published three days later: the count was updated, not
    disputed. A day apart is still one news cycle, and a count that fell later is still at odds."""
    texts = ("Officials said 30 people were killed when the storm struck the coast of Tarrow province.",
             "Officials said 48 people were killed when the storm struck the coast of Tarrow province.")

    def published(*dates: str) -> list[str]:
        return subjects("number", *texts, dates=dates)

    assert published("2026-03-02T08:00:00Z", "2026-03-05T09:30:00Z") == []
    assert published("2026-03-05T08:00:00Z", "2026-03-02T09:30:00Z") == ["people killed: 48 vs 30"]
    assert published("2026-03-02T08:00:00Z", "2026-03-03T09:30:00Z") == ["people killed: 48 vs 30"]
    assert published("2026-03-02", "not a date") == ["people killed: 48 vs 30"]


def test_one_quake_given_two_magnitudes_but_not_an_aftershock():
    found = number_subjects(
        "The survey said a 4.2 magnitude earthquake rattled the hills of Kessel County on Sunday morning.",
        "On Sunday morning a 4.4-magnitude temblor hit just north of Kessel County, the survey reports.",
    )
    assert found == ["magnitude: 4.4 vs 4.2"], found
    # A magnitude 6.1 quake days later is another quake, not another reading of the 7.6.
    assert not number_subjects(
        "The first earthquake measuring 7.6 struck off the coast of Kessel County on Sunday.",
        "A magnitude 6.1 earthquake struck off the coast of Kessel County on Wednesday.",
    )


def test_a_countrys_population_given_two_ways():
    """"a country of 3 million" and "its 3.6 million population": one population, whatever else the
    sentences date ("in 1960" marks another incident for a toll, not for a population)."""
    found = number_subjects(
        "Church records count roughly 80 percent of Vardenia's 3.6 million population as Catholic.",
        "Vardenia, a country of 3 million and over 75 percent Catholic, welcomed the pope, who came to honour "
        "a cardinal who died in 1960.",
    )
    assert found == ["people living: 3.6 million vs 3 million"], found


def test_a_response_time_given_two_ways():
    """Minutes between two moments of one incident ("four minutes later" / "six minutes after the alarm")
    are one span; days counted from another moment stay out."""
    found = number_subjects(
        "The alarm reached the fire service just before midnight, and the first engine pulled up at the Harlow "
        "Street hall four minutes later, the city said.",
        "Crews got to the Harlow Street hall six minutes after the call came in, the fire chief told "
        "reporters.",
    )
    assert found == ["duration: six vs four"], found
    assert not number_subjects("The Harlow Street hall fire victim died three days later in hospital, police said.",
                               "A victim of the Harlow Street hall fire died five days later in hospital.")


def claims_of(*texts: str) -> list[str]:
    return subjects("claim", *texts)


def test_nobody_hurt_against_a_toll_is_one_opposite_claim():
    found = claims_of(
        "Four bombs landed on the Dorrat camp, aid workers said, adding that there were no casualties.",
        "In the Dorrat camp at least 12 people died and 20 were wounded, a local official said.",
        "The bombing of the Dorrat camp killed 12 people, the local governor told reporters.",
    )
    assert found == ["casualties: none vs injured 20; killed at least 12 / 12"], found
    # Nobody killed is no denial of a count of the injured.
    assert claims_of(
        "Aid workers in the Dorrat camp said no one was killed when the bombs fell on the camp.",
        "A local official in Dorrat said 20 people were wounded when the bombs fell on the camp.",
    ) == []


def test_a_players_statistics_from_different_games_are_not_one_figure():
    assert not number_subjects(
        "Marlow was the Harbour Owls' top rusher a season ago with 793 yards over 14 games.",
        "Marlow, hurt most of the year, had just 269 yards rushing for the Owls and scored twice.",
    )
