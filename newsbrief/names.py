"""People and organisations named in a source, their roles, and speaker phrases.

:func:`names_in` reads every name a text gives in full with the roles written
around it ("Kremlin spokesman Dmitry Peskov", "Yuri Ushakov, the Russian
President's chief assistant ..."); :class:`Speakers` answers the look-ups that
resolve short names, pronouns and bare roles; the ``subject_*`` functions find
the speaker phrase of one speech verb. All of it is regular expressions over
text already in memory.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from .records import Statement
from .speakers import (
    NAME_RUN,
    ORG_WORDS,
    ROLE_MODIFIERS,
    SPEECH_VERB,
    Mention,
    analyze_phrase,
    bare,
    is_role_head,
    np_after,
    np_before,
    split_title,
)

# What may stand right before a speaker phrase: a clause boundary or a conjunction.
OPENERS = re.compile(r"(?:^|[,:;(—–]|\b(?:and|but|while|as|when|because|so|that))\s*$", re.I)


@dataclass
class Names:
    mentions: list[tuple[int, str]]
    roles: dict[str, list[str]]
    full_names: dict[str, str]
    role_mentions: list[tuple[str, str, int]]


@functools.lru_cache(maxsize=256)
def names_in(text: str) -> Names:
    """People named in a text with every role given them; callers must not mutate the result."""
    names = Names([], {}, {}, [])
    for m in NAME_RUN.finditer(text):
        _, name = split_title(m.group().split())
        if not name:
            continue
        name[-1] = re.sub(r"['’]s?$", "", name[-1])  # "Macron's adviser" names Macron
        full = " ".join(name)
        if len(name) >= 2 and not any(bare(t) in ORG_WORDS for t in name) and not full.isupper():
            names.full_names.setdefault(name[-1], full)
            names.full_names.setdefault(full, full)
            span = np_before(text, max(0, m.start() - 80), m.end())
            mention = analyze_phrase(text, *span) if span else None
            found = [own_part(mention.role)] if mention and mention.role and mention.name == full else []
            found += [r for r in (appositive_role(text, m.end()), role_before_appositive(text, m.start())) if r]
            for role in found:
                names.roles.setdefault(full, []).append(role)
                names.role_mentions.append((full, role, m.start()))
            names.mentions.append((m.start(), full))
        elif len(name) == 1 and name[0] in names.full_names:
            names.mentions.append((m.start(), names.full_names[name[0]]))
    return names


class Speakers:
    """The names a source mentions, in order, for resolving pronouns and short names."""

    def __init__(self, text: str):
        names = names_in(text)  # parsed once per text: compare reads the same roles
        self.mentions: list[tuple[int, str]] = names.mentions  # (offset, full name) of people, in order
        self.roles: dict[str, list[str]] = names.roles
        self.full_names: dict[str, str] = names.full_names  # "Peskov" -> "Dmitry Peskov"
        self.role_mentions: list[tuple[str, str, int]] = names.role_mentions  # (full name, role, offset)
        self.last_statement: tuple[int, Statement] | None = None  # (sentence number, statement)

    def expand(self, name: str) -> str:
        last = name.split()[-1]
        if len(name.split()) == 1 and last in self.full_names:
            return self.full_names[last]
        return self.full_names.get(name, name)

    def last_person_before(self, pos: int) -> str | None:
        i = bisect.bisect_left(self.mentions, (pos, ""))
        return self.mentions[i - 1][1] if i else None

    def person_with_role(self, role: str) -> str | None:
        """The one person whose role has this head noun: "the spokesman" -> the Kremlin spokesman."""
        head = head_noun(role)
        if head is None or head in GROUP_NOUNS:
            return None
        hits = {p for p, rs in self.roles.items() for r in rs if head_noun(r) == head}
        return hits.pop() if len(hits) == 1 else None


def own_part(role: str) -> str:
    """"Ruritanian President Anna Vell and Freedonian President" -> "Freedonian President"."""
    parts = re.split(r"\s+and\s+", role)
    return parts[-1] if len(parts) > 1 and any(w[:1].isupper() and not is_role_head(w) and
                                                bare(w) not in ROLE_MODIFIERS for w in parts[0].split()[1:]) else role


def appositive_role(text: str, name_end: int) -> str | None:
    """", the Russian President's chief assistant for foreign policy," after a name."""
    m = re.match(r",\s+(?:the|a|an)?\s*([^,;.()\n“”\"]{3,90}?)(?=\s*(?:[,;.)\n]|$))", text[name_end : name_end + 120])
    if not m:
        return None
    phrase = m.group(1).strip()
    words = phrase.split()
    if not any(is_role_head(w) for w in words[:6]) or SPEECH_VERB.search(phrase) or len(words) > 12:
        return None
    first = words[0]
    if first[:1].islower() and not (is_role_head(first) or bare(first) in ROLE_MODIFIERS or first.endswith("ian")):
        return None  # ", sits down with President Putin": a verb phrase, not a title
    return phrase


def role_before_appositive(text: str, name_start: int) -> str | None:
    """"the Russian President's chief assistant for foreign policy, Yuri Ushakov"."""
    m = re.search(r"(?:^|\s)(?:the|a|an|his|her|their)\s+([^,;.()\n“”\"]{3,90}),\s*$",
                  text[max(0, name_start - 110) : name_start], re.I)
    if not m or SPEECH_VERB.search(m.group(1)):
        return None
    words = m.group(1).split()
    return m.group(1) if any(is_role_head(w) for w in words) and len(words) <= 12 else None


def subject_before(text: str, lo: int, verb_start: int) -> Mention | None:
    """The speaker phrase right before a speech verb, skipping an appositive."""
    chained = appositive_chain(text, lo, verb_start)
    if chained:
        return chained
    span = np_before(text, lo, verb_start)
    apposition = None
    head_text = text[lo:verb_start].rstrip()
    if head_text.endswith(","):
        # "Yuri Ushakov, the Kremlin aide, said": the name sits before the appositive.
        comma = text.rfind(",", lo, len(head_text) + lo - 1)
        if comma > lo:
            inner = text[comma + 1 : lo + len(head_text) - 1].strip()
            if 0 < len(inner.split()) <= 12 and not SPEECH_VERB.search(inner):
                outer = np_before(text, lo, comma)
                if outer:
                    span, apposition = outer, re.sub(r"^(?:the|a|an)\s+", "", inner)
    if not span:
        return None
    if not OPENERS.search(text[lo : span[0]]):
        return None
    mention = analyze_phrase(text, *span)
    if mention and apposition and any(is_role_head(w) for w in apposition.split()):
        mention = replace(mention, role=apposition)
    return mention


def appositive_chain(text: str, lo: int, verb_start: int) -> Mention | None:
    """"Omar Haddad, 64, the boy's uncle, said" and "Another neighbour, Ruth Palmer, said"."""
    head = text[lo:verb_start].rstrip()
    if not head.endswith(","):
        return None
    start = max(lo, max(text.rfind(c, lo, verb_start) for c in ".;:(\n“”\"") + 1)
    segments = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", text[start : lo + len(head) - 1])]
    segments = [(start + a, start + b) for a, b in segments if text[start + a : start + b].strip()]
    if not 2 <= len(segments) <= 4 or any(len(text[a:b].split()) > 10 for a, b in segments):
        return None
    if any(SPEECH_VERB.search(text, a, b) for a, b in segments) or not OPENERS.search(text[lo : segments[0][0]]):
        return None
    named = [(a, b) for a, b in segments if (m := analyze_phrase(text, a, b)) and m.name]
    if not named:
        return None
    a, b = named[0]
    mention = analyze_phrase(text, a, b)
    roles = [text[x:y].strip() for x, y in segments if (x, y) != (a, b)
             and any(is_role_head(w) for w in text[x:y].split())]
    role = mention.role or (re.sub(r"^(?:the|a|an|another|one|his|her|their)\s+", "", roles[0], flags=re.I)
                            if roles else None)
    return replace(mention, start=segments[0][0], role=role)


def leading_subject(text: str, lo: int, verb_start: int) -> Mention | None:
    """A short subject that opens the clause: "Law enforcement sources said"."""
    clause = max(lo, max(text.rfind(c, lo, verb_start) for c in ",;:") + 1)
    phrase = text[clause:verb_start].strip()
    words = phrase.split()
    if not 1 <= len(words) <= 5 or SPEECH_VERB.search(phrase) or any(w.lower() in _NOT_SUBJECT for w in words):
        return None
    mention = analyze_phrase(text, verb_start - len(text[clause:verb_start].lstrip()), verb_start)
    if mention is None and is_role_head(words[-1]):
        mention = Mention(verb_start - len(text[clause:verb_start].lstrip()), verb_start, None, phrase)
    return mention


# Words that show the text before a verb is not a speaker ("it is possible", "who was").
_NOT_SUBJECT = frozenset("it is was were who which that this there what when if as".split())


def trim_connective(text: str, start: int, stop: int) -> int:
    """Drop a trailing ", even as" / ", instead," that joins the next speaker's cue."""
    m = re.search(r"[,;]?\s*(?:(?:and|but|even|as|while|instead|even as)\s*,?\s*)+$", text[start:stop])
    return start + m.start() if m else stop


def subject_after(text: str, verb_end: int, hi: int) -> Mention | None:
    span = np_after(text, verb_end, hi)
    if not span:
        return None
    mention = analyze_phrase(text, *span)
    if mention and mention.name and not mention.role:
        role = appositive_role(text, span[1])
        if role:
            mention = replace(mention, role=role)
    return mention


def head_noun(role: str) -> str | None:
    """The last role noun of a phrase that is not a possessor: "Kremlin spokesman" -> "spokesman"."""
    heads = [bare(w) for w in role.split() if is_role_head(w) and not re.search(r"['’]s?$", w)]
    return heads[-1] if heads else None


# Nouns that name a group: "police said" is never one person named elsewhere.
GROUP_NOUNS = frozenset("""
police officials authorities sources investigators witnesses residents prosecutors officers researchers
scientists doctors experts analysts family families relatives friends neighbors neighbours parents
students workers employees passengers victims lawmakers diplomats negotiators spokespeople
""".split())


def speaker_type(name: str, role: str | None, strict: bool = False) -> str | None:
    """"org" or "person" from the name alone; ``strict`` answers None when only guessing."""
    tokens = name.split()
    if any(bare(t) in ORG_WORDS for t in tokens) or name.isupper():
        return "org"
    if role or len(tokens) >= 2:
        return "person"
    # A lone capitalised word speaking is more often a capital or institution ("Paris") than a person.
    return None if strict else "org"
