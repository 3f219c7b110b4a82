"""newsbrief: many articles on one story in, one cited briefing out."""

__version__ = "0.1.0"
