"""Deletion-only sentence compression: low-content stretches a summary may leave out.

At a fixed word budget, words spent on a dateline, a leading connective
("However,"), a lead-in time phrase ("On Tuesday,"), a weekday after the verb
("said Friday that"), a "here" that points at a dateline the summary does not
show, or a parenthetical aside are words not spent on news. :func:`omissions`
finds such stretches in one sentence; the summary shows the sentence without
them and records the removed character ranges
(:attr:`newsbrief.records.SummarySentence.omitted`), so anyone can rebuild the
shown text from the cited source and see where words were left out.

Faithfulness rules, which is why the patterns are this narrow: the kept text
is the source sentence with ranges removed, nothing added, reworded or
re-cased (a leading cut is made only when the rest already opens with a
capital); nothing inside quotation marks is removed (that would misquote);
a removed stretch never holds a digit, a negation, a modal or an attribution
("officials said", "according to"), because without them a figure would be
lost or a reported claim would read as the narrator's assertion. Relative
clauses (", who ...,") and ages (", 45,") are kept: the first lost ROUGE on
DUC 2004's tune half, the second is a number (docs/BENCHMARKS.md, session 5).
"""

from __future__ import annotations

import re

#: Discourse connectives that open a sentence and only link it to the one before it.
_CONNECTIVES = (
    "However|Meanwhile|In addition|Moreover|Furthermore|Additionally|Separately|"
    "Nevertheless|Nonetheless|Still|Indeed|In fact|Also|Besides|Instead|Yet|But|And|So|Thus|"
    "At the same time|In the meantime|On the other hand|Elsewhere|Earlier|Later"
)
_LEAD_CONNECTIVE = re.compile(rf"(?:{_CONNECTIVES})(?:,\s+|\s+(?=[A-Z]))")
#: "WASHINGTON (AP) — ", "(CNN) -- ": where and by whom the story was filed, not what happened. The
#: agency in brackets makes these datelines wherever the sentence stands.
_AGENCY_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]+){0,3}\s*)?\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg)\)"
    r"\s*(?:\u2014|--|-|_)?\s*"
)
#: "DETROIT - ", "MOSCOW, Russia (dpa) _ ": a dateline only where an article opens; inside a story the
#: same shape is a name pair ("US - China talks", "NATO - Russia Council") and cutting it would drop a party.
_DATELINE = re.compile(r"[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]+){0,3}(?:\s*\([A-Za-z .]+\))?\s*(?:\u2014|--|-|_)\s+")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LEAD_TIME = re.compile(
    rf"(?:(?:[Oo]n|Late|Early|Earlier|Later)\s+)?{_DAY}{_PART},\s+"
    r"|(?:Last|This|Earlier this|Late last|Earlier last)\s+(?:week|month|year|weekend),\s+"
    r"|(?:Yesterday|Today|Tonight|Overnight),\s+"
)
#: A weekday inside the sentence ("was arrested Friday", "said on Monday that"): when, not what.
_MID_DAY = re.compile(
    rf"(?<=[A-Za-z,])(\s+(?:on\s+|late\s+|early\s+)?{_DAY}{_PART})(?=[\s,.;:!?)\u2013\u2014-]|$)"
)
#: Names where a weekday is part of the thing named ("Good Friday agreement", "Super Tuesday").
_NAMED_DAYS = re.compile(r"\b(?:Good|Black|Super|Cyber|Ash|Easter|Palm|Holy|Bloody|Maundy|Blue|Fat|Shrove|Bowl)$")
#: A word that needs the weekday after it ("scheduled for Tuesday", "the following Monday", "the vote is on
#: Friday"): cutting the day would strand it.
_DAY_PREPOSITION = re.compile(
    r"\b(?:on|late|early|by|until|till|from|since|before|after|for|of|to|at|least|through|than|between|"
    r"and|or|not|effective|next|last|this|that|every|each|following|previous|same|one|the|a|an|is|was|are|were|be|"
    r"been)$",
    re.I,
)
#: What follows a weekday that makes it part of a noun ("Friday prayers", "Monday's attack").
#: A date the weekday heads ("Saturday, Oct. 10") is kept with it: cutting the day would strand the date.
#: A day set against another ("Friday, not Monday", "Friday rather than Saturday") is the claim itself.
_DAY_NOUN = re.compile(
    r"^(?:'s|\u2019s|\s+(?:prayers?|sermons?|services?|editions?|sessions?|deadline|morning|afternoon|evening|night)"
    r"|,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|,?\s+\d"
    r"|\s+(?:and|or|to|through|-|\u2013)\s|,?\s+(?:not|rather than|instead of)\b)"
)
#: "met here with", "said here": the place is the dateline, which the summary does not show.
#: Not when another place is set against it ("said here, not in Moscow").
_HERE = re.compile(
    r"\b(?:said|says|met|told reporters|arrived|announced|gathered|spoke)(\s+here)(?=[\s,.;:])(?!,?\s+not\b)"
)
#: A parenthetical aside: no digits, no nested brackets, short, not opening with a word that may limit
#: the claim ("(in mice)", "(if approved)", "(or was given)", "(formerly)", "(seasonally adjusted)").
_PARENTHETICAL = re.compile(
    r"\s+\((?!(?:in|on|at|if|unless|or|and|but|except|excluding|including|pending|before|after|as|for|then|"
    r"until|only|once|when|while|unconfirmed|disputed|\w+ly)\b)[^()\d]{1,60}\)(?=[\s,.;:])",
    re.I,
)
#: Words whose removal would change what a stretch claims: negation, modality, attribution.
_PROTECTED = re.compile(
    r"\b(?:not|no|never|nor|n't|without|may|might|could|would|should|must|can|cannot|said|says|say|"
    r"told|according|reported|reports|claimed|claims|denied|denies|alleged|allegedly|reportedly|estimated|"
    r"possibly|probably|perhaps|likely|unlikely)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d]|``|''")
#: A quotation in single marks: ‘ to a ’ no letter follows (not "Rohr’s"), or a lone ' after a space
#: to a lone ' no letter follows (not "players' union", not the ``...'' pair above).
_SINGLE_QUOTED = re.compile(r"\u2018.*?\u2019(?![A-Za-z])|(?<=\s)'(?=[A-Za-z]).*?(?<=[A-Za-z.,!?])'(?![A-Za-z'])")


def omissions(text: str, *, opens_article: bool = False) -> tuple[tuple[int, int], ...]:
    """Character ranges of ``text`` (one sentence) that a summary may leave out, in order.

    ``opens_article``: the sentence is the first of its article, where a bare dateline may stand.
    """
    cuts: list[tuple[int, int]] = []
    lead = _leading(text, opens_article)
    if lead is not None:
        cuts.append(lead)
    # Cheap substring tests first: a briefing asks this of every sentence, and most have nothing to cut.
    if "day" in text:
        cuts.extend(_weekdays(text))
    if " here" in text:
        cuts.extend(match.span(1) for match in _HERE.finditer(text))
    if "(" in text:
        cuts.extend(m.span() for m in _PARENTHETICAL.finditer(text) if not _PROTECTED.search(m.group()))
    if not cuts:
        return ()
    quoted = _quoted_stretches(text)
    return _disjoint([cut for cut in cuts if not any(a < cut[1] and cut[0] < b for a, b in quoted)])


#: A verb of a coming or scheduled event before a weekday ("The ceasefire expires Friday.", "will vote
#: Friday on the budget"): without the day the event reads as done or timeless, so the day stays.
_SCHEDULED = re.compile(
    r"\b(?:(?:will|shall|would|(?:due|set|expected|scheduled|planned|plans?|going|poised)\s+to)\s+(?:\w+\s+)?\w+|(?:expire|begin|open|close|start|end|meet|arrive|return|"
    r"resume|vote|leave|launch|run|go|is|are)s?|takes effect)$"
)


def _weekdays(text: str) -> list[tuple[int, int]]:
    """Weekdays inside the sentence that say only when, not part of a name, a date or a phrase."""
    cuts = []
    for match in _MID_DAY.finditer(text):
        # The words either side decide; the tails are enough (and keep "$"-anchored searches short).
        before, after = text[max(0, match.start(1) - 24) : match.start(1)], text[match.end(1) : match.end(1) + 24]
        if _NAMED_DAYS.search(before) or _DAY_NOUN.match(after) or _DAY_PREPOSITION.search(before):
            continue
        if _SCHEDULED.search(before):
            continue
        start, end = match.span(1)
        if before.endswith(","):  # "Sochi, Russia, Friday." and ", on Tuesday," go with their commas
            start, end = start - 1, end + int(after.startswith(","))
        cuts.append((start, end))
    return cuts


def _leading(text: str, opens_article: bool) -> tuple[int, int] | None:
    """A dateline, connective and/or time phrase opening ``text``, when the rest opens with a capital."""
    start = end = len(text) - len(text.lstrip())
    dateline = _DATELINE if opens_article and not _AGENCY_DATELINE.match(text, end) else _AGENCY_DATELINE
    for pattern in (dateline, _LEAD_CONNECTIVE, _LEAD_TIME):
        match = pattern.match(text, end)
        if match:
            end = match.end()
    if end == start or end >= len(text) or not text[end].isupper():
        return None
    return (start, end)


def _quoted_stretches(text: str) -> list[tuple[int, int]]:
    """Ranges between paired quotation marks (an unpaired last mark runs to the end)."""
    marks = [m.start() for m in _QUOTE_MARKS.finditer(text)]
    if len(marks) % 2:
        marks.append(len(text))
    return list(zip(marks[::2], marks[1::2], strict=True)) + [m.span() for m in _SINGLE_QUOTED.finditer(text)]


def _disjoint(cuts: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(cuts):
        if out and a <= out[-1][1]:  # overlapping: keep the first; touching: one cut, one mark
            if a == out[-1][1]:
                out[-1] = (out[-1][0], b)
            continue
        out.append((a, b))
    return tuple(out)


def kept_text(text: str, cuts: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the ``cuts`` removed: nothing else changes."""
    return _remove(text, cuts, None)


def marked_text(text: str, cuts: tuple[tuple[int, int], ...], mark: str = "\u2026") -> str:
    """``text`` with the ``cuts`` removed and ``mark`` where a cut left out words inside it.

    A cut at the very start (dateline, connective) needs no mark: the sentence
    simply opens later.
    """
    return _remove(text, cuts, mark)


def _remove(text: str, cuts: tuple[tuple[int, int], ...], mark: str | None) -> str:
    pieces, at = [], 0
    for a, b in cuts:
        pieces.append(text[at:a])
        if mark is not None and text[:a].strip():
            pieces.append(" " + mark)
        at = b
    pieces.append(text[at:])
    return "".join(pieces)
