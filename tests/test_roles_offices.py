"""Role conflicts between titles that can both hold: the texts are written for these tests."""

from __future__ import annotations

from newsbrief.roles import _roles_compatible


def test_a_chief_executive_is_also_a_president_or_chairman():
    """"CEO" and "president and chief executive" name one office; a CEO who chairs the board is common."""
    assert _roles_compatible("CEO", "Harrowgate president and chief executive")
    assert _roles_compatible("chairman", "Pellmont's chief executive officer")


def test_a_minister_without_portfolio_named_is_no_other_office_than_prime_minister():
    assert _roles_compatible("Prime Minister", "minister")
    # A named ministry is another office.
    assert not _roles_compatible("Prime Minister", "Defence Minister")
    assert not _roles_compatible("President", "Prime Minister")
