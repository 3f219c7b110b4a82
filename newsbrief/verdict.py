"""A source profile's flags and its plain-language verdict, from its measures.

The thresholds were set on the shared corpus and checked against DUC newswire,
where no flag but ``adds_facts`` should ever fire (``bench/profile_cost.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import markers, style
from .records import Evidence, Source
from .style import RepeatedPhrase

if TYPE_CHECKING:
    from .profile import _Reading

PADDING_REPEATS = 8  # the same phrase (not a name) this often...
PADDING_REPEATS_PER_1000 = 6.0  # ...and this dense per 1,000 words (twice that for a two-word phrase)
PADDING_RESTATEMENT = 0.12
PADDING_WORDS_PER_FACT = 100
ADDS_FACTS_MIN = 2  # unique sentences naming someone or something no other source names...
ADDS_FACTS_SHARE = 0.25  # ...or this share of its words in unique sentences


def stuffed_phrase(reading: _Reading) -> RepeatedPhrase | None:
    """The most repeated phrase when it is repeated like a stuffed keyword, not like a name."""
    for phrase in reading.phrases:
        if phrase.count < PADDING_REPEATS:
            return None
        per_1000 = 1000.0 * phrase.count / reading.words if reading.words else 0.0
        words = len(style.WORD.findall(phrase.phrase))
        dense = PADDING_REPEATS_PER_1000 if words >= 3 else 2 * PADDING_REPEATS_PER_1000
        if style.is_stuffing_candidate(phrase.phrase) and per_1000 >= dense:
            return phrase
    return None


def flags_of(measures: dict[str, Evidence], reading: _Reading) -> tuple[str, ...]:
    """The labels the verdict is built from (see the profile module's docstring)."""
    flags = []
    m = {k: e.value for k, e in measures.items()}
    if not reading.alone and m["unique_facts"] and (reading.new_fact_sentences >= ADDS_FACTS_MIN or m["unique_share"] >= ADDS_FACTS_SHARE):
        flags.append("adds_facts")
    # Newswire repeats its topic ("human rights" x10) and restates in quotes; padding also starves
    # the reader of facts. DUC 2004 newswire: words per fact at most 166, 99th percentile 55.
    repeats = stuffed_phrase(reading) or (m["restatement"] >= PADDING_RESTATEMENT and reading.words >= 600)
    if repeats and m["words_per_fact"] >= PADDING_WORDS_PER_FACT:
        flags.append("seo_padding")
    kinds = {mk.kind for mk in reading.markers + reading.removed_markers}
    if kinds & markers.AI_STYLE_MARKERS:
        flags.append("ai_style")
    # Rewriting *other outlets* needs the outlets named, plus another sign (no own sources, no new facts).
    if m["rewrite_signs"] >= 2 and (m["cited_outlets"] >= 2 or "source_list" in kinds):
        flags.append("rewrites_others")
    if kinds:
        flags.append("template")
    return tuple(flags)


def write_verdict(
    source: Source,
    measures: dict[str, Evidence],
    flags: tuple[str, ...],
    located: Sequence[tuple[markers.Marker, str]],
    stuffed: RepeatedPhrase | None,
) -> str:
    """One line, most telling finding first: new facts, padding, rewriting, then template signs.

    ``located``: the source's template markers with their text; ``stuffed``: its phrase repeated
    like a stuffed keyword, if any.
    """
    m = measures
    parts = []
    contribution = _contribution_phrase(source, m)
    if "adds_facts" in flags:
        parts.append(contribution)
    if "seo_padding" in flags:
        parts.append("SEO padding: " + _padding_detail(stuffed, m))
    if "rewrites_others" in flags:
        lead = "AI-style rewrite of other outlets" if "ai_style" in flags else "rewrites other outlets"
        parts.append(f"{lead}: {m['rewrite_signs'].note}")
    if "template" in flags:
        lead = "AI-style template signs" if "ai_style" in flags else "template signs"
        parts.append(f"{lead}: " + markers.describe_markers(located))
    if "adds_facts" not in flags:
        parts.append(contribution)
    if m["rhetoric"].value >= 0.4:
        parts.append(f"{round(100 * m['rhetoric'].value)}% of sentences are commentary, metaphor or hedging")
    if m["named_sources"].value:
        parts.append(f"names {int(m['named_sources'].value)} source(s): {m['named_sources'].note}")
    else:
        parts.append("names no source")
    if m["boilerplate_share"].value >= 0.2:
        parts.append(f"{round(100 * m['boilerplate_share'].value)}% of the page was boilerplate")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _contribution_phrase(source: Source, m: dict[str, Evidence]) -> str:
    unique = int(m["unique_facts"].value)
    note = m["unique_facts"].note or ""
    if note.startswith("the only source"):
        return f"only source of the story ({unique} fact sentences)"
    if not unique:
        return "adds no fact that other sources do not report"
    new = note.partition("new names and numbers: ")[2]
    plural = "s" if unique != 1 else ""
    if new:
        return f"adds {unique} fact{plural} no other source reports (new: {new})"
    # Without a new name or number, a sentence no one else carries is as often background as news.
    return (f"has {unique} sentence{plural} no other source carries, with no new name or number, "
            f"e.g. \"{_example(source, m['unique_facts'])}\"")


def _padding_detail(stuffed: RepeatedPhrase | None, m: dict[str, Evidence]) -> str:
    bits = []
    if stuffed:
        bits.append(f"phrase '{stuffed.phrase}' used {stuffed.count} times")
    if m["restatement"].value:
        bits.append(m["restatement"].note.replace("add almost no new word", "restate earlier ones"))
    bits.append(f"{m['words_per_fact'].value:.0f} words per new fact")
    return ", ".join(bits)


def _example(source: Source, evidence: Evidence, limit: int = 90) -> str:
    if not evidence.spans:
        return ""
    first = evidence.spans[0]
    shown = " ".join(source.text[first.start : first.end].split())
    return shown if len(shown) <= limit else shown[: limit - 1].rsplit(" ", 1)[0] + "…"
