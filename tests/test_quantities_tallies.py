"""How figures of casualty and crowd counts are read: the texts are written for these tests."""

from __future__ import annotations

from newsbrief.quantities import all_figures, figures


def keyed(text: str) -> list[tuple[str, float]]:
    return [(f.key, f.value) for f in figures(text)]


def test_thousands_with_a_spaced_comma_are_one_figure():
    """Tokenised copies of wire text write "35 , 000"; read as 35 and 000 the count was lost."""
    text = "Union leaders claimed up to 35 , 000 people marched through Brindlehaven on Sunday."
    assert keyed(text) == [("people marched", 35000.0)]
    assert 35000.0 in all_figures(text)
    # A year before a spaced comma is no thousands group.
    assert keyed("In 2008 , 300 people were hurt in the floods near Ostmark.") == [("people injured", 300.0)]


def test_others_count_people_unless_they_complete_another_total():
    assert keyed("When the depot roof fell, about 40 people were killed and 72 others injured.") == [
        ("people killed", 40.0), ("people injured", 72.0)]
    # "Two engineers and 10 others" is the rest of a total the sentence never gives.
    assert ("people killed", 10.0) not in keyed("Two engineers and 10 others were killed when the roof of the depot fell.")


def test_the_event_verb_right_before_a_count_governs_it():
    """"killed 65 people and injured 157 others": 65 were killed, not injured."""
    assert keyed("The blaze at the Harlow Street hall killed 65 people and injured 157 others.") == [
        ("people killed", 65.0), ("people injured", 157.0)]


def test_a_crowd_is_counted_as_people_marching():
    assert keyed("About 50,000 protesters gathered outside the parliament in Vessaly on Friday.") == [
        ("people marched", 50000.0)]


def test_a_place_population_and_a_crowd_by_context():
    """Bare "people" counts nothing in particular; around a place's name it is its population, in a
    sentence about a march its crowd."""
    assert keyed("The tremor brought down a school in Varnholt, a city of 90,000 people.")[-1] == (
        "people living", 90000.0)
    assert keyed("Many in Varnholt, a port home to 95,000 people, spent the night outdoors.") == [
        ("people living", 95000.0)]
    assert keyed("The police estimate for Sunday's march through the capital was roughly 30,000 people.") == [
        ("people marched", 30000.0)]


def test_men_wounded_are_people_wounded():
    assert keyed("Near the Harlow depot 14 men were wounded, a statement said.") == [("people injured", 14.0)]


def test_a_visit_and_a_trip_of_some_days_are_one_span():
    assert keyed("The cabinet heard how the president's three-day visit to Delmar had gone.") == [
        ("visit day", 3.0)]
    assert keyed("On Monday the president starts a four-day trip that takes in Delmar.") == [
        ("visit day", 4.0)]


def test_a_compound_counts_its_last_noun():
    """"five pirate boats" counts boats, not pirates; "two Varnish tank shells" counts shells."""
    assert keyed("Near the Harlow strait, five pirate boats closed in on a tanker.") == [("boat", 5.0)]
    assert keyed("On Tuesday two Varnish tank shells hit a clinic at the camp.") == [("shell", 2.0)]
    assert keyed("The storm left 31 county office buildings without power.") == [("building", 31.0)]
