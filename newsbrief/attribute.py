"""Who said what: direct quotes and reported speech, attributed to a named speaker.

Per source, quotes of every style are found, fragments split by their
attribution are joined, and each quote or reported clause ("X said that",
"according to X", "in X's words") gets a speaker phrase from the cheap patterns
in :mod:`newsbrief.speakers`. Pronouns, later mentions ("Peskov") and bare
roles ("the spokesman") resolve to the full name seen earlier in the source,
then anywhere in the story. Statements of one speaker that say the same thing
in several sources become one :class:`Quote` citing every outlet.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .records import Citation, Entity, Quote, Sentence, Source, Span, Statement
from .speakers import (
    NAME_RUN,
    ORG_WORDS,
    ROLE_MODIFIERS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    WEAK_VERBS,
    Mention,
    analyze_phrase,
    bare,
    is_role_head,
    np_after,
    np_before,
    split_title,
)

log = logging.getLogger(__name__)

_QUOTES = re.compile(
    r"“(?P<a>[^”\n]+)(?:”|(?=\n)|\Z)"
    r"|«(?P<b>[^»\n]+)»"
    r"|„(?P<c>[^“”\n]+)[“”]"
    r"|\"(?P<d>[^\"\n]+)\""
    r"|``(?P<e>[^\n]+?)''"
    r"|(?:(?<=[\s(\[—-])|^)‘(?P<f>[^\n]+?)’(?![A-Za-z])"
    r"|(?:(?<=[\s(\[—])|^)'(?P<g>[A-Za-z][^\n]*?[\w.,!?])'(?![A-Za-z])",
    re.M,
)
_VERB = re.compile(r"\b(" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r"|expressed)\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_IN_WORDS = re.compile(r"\b[Ii]n\s+(?P<np>[^,]{2,60}?)['’]s?\s+words\b,?\s*")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:described|called|characterized)\s+as\b")
_AFTER_VERB = re.compile(
    r"\s*(?:out\s+)?(?:(?:to\s+)?(?:reporters|journalists)\b\s*|(?:to\s+)?(?:the\s+\w+|[A-Z][\w.]+(?:\s+[A-Z][\w.]+)*|him|her|them|us)"
    r"(?=\s+(?:that|on|in|at|during|after|,|:)|\s*[,:])\s*)?(?:[,:]\s*)?(?:that\s+)?"
)
_SECOND_CUE = re.compile(r",?\s+(?:but|and)\s+(?:also\s+)?(?P<v>" + _VERB.pattern[3:-3] + r")\s+(?:that\s+)?")
_OPENERS = re.compile(r"(?:^|[,:;(—–]|\b(?:and|but|while|as|when|because|so|that))\s*$", re.I)
_PARTICIPLE = re.compile(r",?\s+(?:" + "|".join(SPEECH_PARTICIPLES) + r")\s+(?:that\s+|:\s*)")
MIN_QUOTE_WORDS = 4
MIN_CLAUSE_WORDS = 3
MAX_NER_CONTEXTS = 32


@dataclass
class _Quote:
    start: int  # first character inside the marks
    end: int  # last character inside the marks + 1
    open: int  # position of the opening mark
    close: int  # position after the closing mark
    gap: tuple[int, int] | None = None  # the attribution between joined fragments


def find_quotes(text: str) -> list[_Quote]:
    """Every quoted stretch, with fragments split by a short attribution joined."""
    found = []
    for m in _QUOTES.finditer(text):
        group = next(g for g in "abcdefg" if m.group(g) is not None)
        found.append(_Quote(m.start(group), m.end(group), m.start(), m.end()))
    merged: list[_Quote] = []
    for q in found:
        if merged:
            last = merged[-1]
            gap = text[last.close : q.open]
            if (
                len(gap) <= 90
                and "\n" not in gap
                and _VERB.search(gap)
                and text[last.start : last.end].rstrip()[-1:] in {",", "—", "-", "–"}
                and gap.rstrip().endswith((",", ":"))
            ):
                last.gap = last.gap or (last.close, q.open)
                last.end, last.close = q.end, q.close
                continue
        merged.append(q)
    return merged


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


@dataclass
class _Names:
    mentions: list[tuple[int, str]]
    roles: dict[str, list[str]]
    full_names: dict[str, str]
    role_mentions: list[tuple[str, str, int]]


@functools.lru_cache(maxsize=256)
def _names_in(text: str) -> _Names:
    """People named in a text with every role given them; callers must not mutate the result."""
    names = _Names([], {}, {}, [])
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
            found = [_own_part(mention.role)] if mention and mention.role and mention.name == full else []
            found += [r for r in (_appositive_role(text, m.end()), _role_before_appositive(text, m.start())) if r]
            for role in found:
                names.roles.setdefault(full, []).append(role)
                names.role_mentions.append((full, role, m.start()))
            names.mentions.append((m.start(), full))
        elif len(name) == 1 and name[0] in names.full_names:
            names.mentions.append((m.start(), names.full_names[name[0]]))
    return names


class _Speakers:
    """The names a source mentions, in order, for resolving pronouns and short names."""

    def __init__(self, text: str):
        names = _names_in(text)  # parsed once per text: compare reads the same roles
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
        head = _head_noun(role)
        if head is None or head in GROUP_NOUNS:
            return None
        hits = {p for p, rs in self.roles.items() for r in rs if _head_noun(r) == head}
        return hits.pop() if len(hits) == 1 else None


def _own_part(role: str) -> str:
    """"French President Emmanuel Macron and Russian President" -> "Russian President"."""
    parts = re.split(r"\s+and\s+", role)
    return parts[-1] if len(parts) > 1 and any(w[:1].isupper() and not is_role_head(w) and
                                                bare(w) not in ROLE_MODIFIERS for w in parts[0].split()[1:]) else role


def _appositive_role(text: str, name_end: int) -> str | None:
    """", the Russian President's chief assistant for foreign policy," after a name."""
    m = re.match(r",\s+(?:the|a|an)?\s*([^,;.()\n“”\"]{3,90}?)(?=\s*(?:[,;.)\n]|$))", text[name_end : name_end + 120])
    if not m:
        return None
    phrase = m.group(1).strip()
    words = phrase.split()
    if not any(is_role_head(w) for w in words[:6]) or _VERB.search(phrase) or len(words) > 12:
        return None
    first = words[0]
    if first[:1].islower() and not (is_role_head(first) or bare(first) in ROLE_MODIFIERS or first.endswith("ian")):
        return None  # ", sits down with President Putin": a verb phrase, not a title
    return phrase


def _role_before_appositive(text: str, name_start: int) -> str | None:
    """"the Russian President's chief assistant for foreign policy, Yuri Ushakov"."""
    m = re.search(r"(?:^|\s)(?:the|a|an|his|her|their)\s+([^,;.()\n“”\"]{3,90}),\s*$",
                  text[max(0, name_start - 110) : name_start], re.I)
    if not m or _VERB.search(m.group(1)):
        return None
    words = m.group(1).split()
    return m.group(1) if any(is_role_head(w) for w in words) and len(words) <= 12 else None


def _subject_before(text: str, lo: int, verb_start: int) -> Mention | None:
    """The speaker phrase right before a speech verb, skipping an appositive."""
    chained = _appositive_chain(text, lo, verb_start)
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
            if 0 < len(inner.split()) <= 12 and not _VERB.search(inner):
                outer = np_before(text, lo, comma)
                if outer:
                    span, apposition = outer, re.sub(r"^(?:the|a|an)\s+", "", inner)
    if not span:
        return None
    if not _OPENERS.search(text[lo : span[0]]):
        return None
    mention = analyze_phrase(text, *span)
    if mention and apposition and any(is_role_head(w) for w in apposition.split()):
        mention = replace(mention, role=apposition)
    return mention


def _appositive_chain(text: str, lo: int, verb_start: int) -> Mention | None:
    """"Salah Ali, 70, the infant's grandfather, said" and "Another resident, Robert Whitley, said"."""
    head = text[lo:verb_start].rstrip()
    if not head.endswith(","):
        return None
    start = max(lo, max(text.rfind(c, lo, verb_start) for c in ".;:(\n“”\"") + 1)
    segments = [(m.start(), m.end()) for m in re.finditer(r"[^,]+", text[start : lo + len(head) - 1])]
    segments = [(start + a, start + b) for a, b in segments if text[start + a : start + b].strip()]
    if not 2 <= len(segments) <= 4 or any(len(text[a:b].split()) > 10 for a, b in segments):
        return None
    if any(_VERB.search(text, a, b) for a, b in segments) or not _OPENERS.search(text[lo : segments[0][0]]):
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


def _leading_subject(text: str, lo: int, verb_start: int) -> Mention | None:
    """A short subject that opens the clause: "Law enforcement sources said"."""
    clause = max(lo, max(text.rfind(c, lo, verb_start) for c in ",;:") + 1)
    phrase = text[clause:verb_start].strip()
    words = phrase.split()
    if not 1 <= len(words) <= 5 or _VERB.search(phrase) or any(w.lower() in _NOT_SUBJECT for w in words):
        return None
    mention = analyze_phrase(text, verb_start - len(text[clause:verb_start].lstrip()), verb_start)
    if mention is None and is_role_head(words[-1]):
        mention = Mention(verb_start - len(text[clause:verb_start].lstrip()), verb_start, None, phrase)
    return mention


# Words that show the text before a verb is not a speaker ("it is possible", "who was").
_NOT_SUBJECT = frozenset("it is was were who which that this there what when if as".split())


def _trim_connective(text: str, start: int, stop: int) -> int:
    """Drop a trailing ", even as" / ", instead," that joins the next speaker's cue."""
    m = re.search(r"[,;]?\s*(?:(?:and|but|even|as|while|instead|even as)\s*,?\s*)+$", text[start:stop])
    return start + m.start() if m else stop


def _subject_after(text: str, verb_end: int, hi: int) -> Mention | None:
    span = np_after(text, verb_end, hi)
    if not span:
        return None
    mention = analyze_phrase(text, *span)
    if mention and mention.name and not mention.role:
        role = _appositive_role(text, span[1])
        if role:
            mention = replace(mention, role=role)
    return mention


class _SourceReader:
    """Finds and attributes the statements of one source, in reading order."""

    def __init__(self, source: Source, sentences: Sequence[Sentence]):
        self.source = source
        self.text = source.text
        self.sentences = list(sentences)
        self.starts = [s.start for s in self.sentences]
        self.speakers = _Speakers(self.text)
        self.statements: list[Statement] = []
        self.covered: list[tuple[int, int]] = []  # direct quotes already attributed

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def read(self) -> list[Statement]:
        quotes = find_quotes(self.text)
        by_sentence: dict[int, list[_Quote]] = {}
        for q in quotes:
            by_sentence.setdefault(self.sentence_at(q.open), []).append(q)
        i = 0
        while i < len(self.sentences):
            sent = self.sentences[i]
            covered = []
            for q in by_sentence.get(i, []):
                if self._direct(q, i):
                    covered.append((q.open, q.close))
            self.covered.extend(covered)
            last = self.sentence_at(covered[-1][1] - 1) if covered else i
            for k in range(i, last + 1):
                self._reported(self.sentences[k], covered)
            i = max(last, i) + 1
            del sent
        return self.statements

    # ------------------------------------------------------------------ direct quotes

    def _direct(self, q: _Quote, i: int) -> bool:
        text = self.text
        quoted = text[q.start : q.end]
        first, last = self.sentences[i], self.sentences[self.sentence_at(max(q.close - 1, q.open))]
        before = text[first.start : q.open]
        if _word_count(quoted) < MIN_QUOTE_WORDS:
            return False  # a scare quote or a quoted word: left to reported speech
        if _word_count(quoted) < 8 and _VERB.search(before) and re.search(r"\b(?:that|as)\s*$", before):
            return False  # "noted that “preparations for talks” were underway": reported speech
        mention = self._direct_cue(q, first, last)
        sent_span = Span(first.start, max(last.end, q.close))
        if mention is None:
            mention = self._continuation(i, first, q.open)
            if mention is None:
                return False
        return self._add(q.start, q.end, "direct", mention, sent_span, q.open)

    def _direct_cue(self, q: _Quote, first: Sentence, last: Sentence) -> Mention | str | None:
        text = self.text
        if q.gap:  # '"...," said Mayor Ann Lutz, "..."': the attribution is between the fragments
            mention = self._cue_after(q.gap[0], q.gap[1])
            if mention:
                return mention
        hi = max(last.end, q.close)
        mention = self._cue_after(q.close, hi)
        if mention:
            return mention
        before_end = q.open
        cues = list(_VERB.finditer(text, first.start, before_end))
        if cues:
            v = cues[-1]
            tail = text[v.end() : before_end]
            if len(tail) <= 45 and not re.search(r"[.!?]", tail):
                return _subject_before(text, first.start, v.start())
        return None

    def _cue_after(self, close: int, hi: int) -> Mention | None:
        """The speaker named right after a closing quote mark, either word order."""
        text = self.text
        after = text[close:hi]
        lead = re.match(r"\s*[,—–-]?\s*", after).end() + close
        according = re.match(r"according to\s+", text[lead:hi], re.I)
        if according:  # '"...," according to the state Health Department.'
            return _subject_after(text, lead + according.end(), hi)
        v = _VERB.search(text, lead, min(hi, lead + 120))
        if v and v.start() > lead and not re.search(r"[.!?“”\"]", text[lead : v.start()]):
            between = text[lead : v.start()]
            if "," in between.rstrip(" ,"):  # '"...," Robinson, of Kansas City, told ABC News.'
                first = np_after(text, lead, v.start())
                mention = analyze_phrase(text, *first) if first else None
                if mention and (mention.name or mention.role) and text[first[1] : v.start()].lstrip().startswith(","):
                    return mention
            elif len(between.split()) <= 10:  # '"...," Roeland Park public information officer John Demoss told'
                mention = analyze_phrase(text, lead, v.start())
                if mention and (mention.name or mention.pronoun):
                    return mention
        v = _VERB.search(text, lead, min(hi, lead + 90))
        if v and v.start() == lead and v.group() not in WEAK_VERBS - {"asked", "continued"}:
            mention = _subject_after(text, v.end(), hi)  # ", said Peskov."
            if mention:
                return mention
        if v:
            mention = _subject_before(text, lead, v.start())  # ", Peskov said."
            if mention and text[lead : mention.start].strip() == "":
                return mention
            mention = _leading_subject(text, lead, v.start())  # ", fire chief Dan Webb said."
            if mention and text[lead : mention.start].strip() == "":
                return mention
        return None

    def _continuation(self, i: int, sent: Sentence, quote_open: int) -> Mention | str | None:
        """A quote with no cue: introduced by a colon before it, or going on from the last quote."""
        if i > 0:
            prev = self.sentences[i - 1]
            prev_text = self.text[prev.start : prev.end]
            if prev_text.rstrip().endswith(":") and "\n\n" not in self.text[prev.end : sent.start]:
                cues = list(_VERB.finditer(self.text, prev.start, prev.end))
                if cues:
                    mention = _subject_before(self.text, prev.start, cues[-1].start())
                    if mention:
                        return mention
        if self.speakers.last_statement and not self.text[sent.start : quote_open].strip(" \t\"“«‘'"):
            index, statement = self.speakers.last_statement
            if index >= i - 2 and statement.kind == "direct":
                return statement.speaker
        return None

    # ------------------------------------------------------------------ reported speech

    def _reported(self, sent: Sentence, covered: list[tuple[int, int]]) -> None:
        text, lo, hi = self.text, sent.start, sent.end
        inside = sum(max(0, min(hi, b) - max(lo, a)) for a, b in covered)
        if inside > 0.5 * (hi - lo):
            return
        end = hi - 1 if text[hi - 1] in ".!?" else hi

        def outside(pos: int) -> bool:
            return not any(a <= pos < b for a, b in covered)

        m = _ACCORDING.search(text, lo, hi)
        if m and outside(m.start()):
            mention = _subject_after(text, m.end(), hi)
            if mention:
                np_end = np_after(text, m.end(), hi)[1]
                comma = text.find(",", np_end, hi)
                if re.match(r"\s*,?\s*$", text[lo : m.start()]) and comma > 0:
                    self._clause(comma + 1, end, mention, sent)  # "According to X, ..."
                elif m.start() > lo:
                    self._clause(lo, m.start(), mention, sent)  # "..., according to X."
                return
        m = _IN_WORDS.search(text, lo, hi)
        if m and outside(m.start()):
            mention = analyze_phrase(text, m.start("np"), m.end("np"))
            if mention:
                self._clause(m.end(), end, mention, sent)
                return
        m = _PASSIVE.search(text, lo, hi)
        if m and outside(m.start()):
            by = re.search(r"\bby\s+", text[m.end() : hi])
            if by:
                mention = _subject_after(text, m.end() + by.end(), hi)
                if mention:
                    self._clause(lo, m.end() + by.start(), mention, sent)
                    return
        m = _PARTICIPLE.search(text, lo, hi)
        if m and outside(m.start()):
            span = np_after(text, lo, hi)
            mention = analyze_phrase(text, *span) if span else None
            if mention and (mention.name or mention.pronoun):
                self._clause(m.end(), end, mention, sent)
                return
        cues = []  # (mention, clause start) of every speech verb with a speaker in front of it
        for v in _VERB.finditer(text, lo, hi):
            if not outside(v.start()) or v.group() in WEAK_VERBS and v.group() != "pointed":
                continue
            if v.group() == "pointed" and not text.startswith(" out", v.end()):
                continue
            if cues and v.start() < cues[-1][1]:
                continue
            mention = _subject_before(text, lo, v.start()) or _leading_subject(text, lo, v.start())
            if mention is not None and any(
                a < mention.start and re.fullmatch(r"[\s,.—–-]*", text[b : mention.start]) for a, b in covered
            ):
                continue  # '"...," Brill said, something that ...': the verb attributes the quote
            if mention is not None and not text.startswith("ing", v.end() - 3):
                cues.append((mention, v.end() + _AFTER_VERB.match(text, v.end(), hi).end() - v.end()))
        for k, (mention, clause_start) in enumerate(cues):
            # A clause runs to the next speaker's cue ("..., even as he affirms ...") or a semicolon.
            stop = cues[k + 1][0].start if k + 1 < len(cues) else end
            for mark in (";", "—and ", "— and ", "—but ", "— but "):
                cut = text.find(mark, clause_start, stop)
                stop = cut if cut > 0 else stop
            stop = _trim_connective(text, clause_start, stop)
            if _word_count(text[clause_start:stop]) >= MIN_CLAUSE_WORDS:
                self._clause(clause_start, stop, mention, sent, split=True)
            elif k == 0:
                # "..., Peskov said.": the clause is what came before the subject.
                comma = text.rfind(",", lo, mention.start)
                if comma > lo:
                    self._clause(lo, comma, mention, sent)

    def _clause(self, start: int, end: int, mention: Mention | str, sent: Sentence,
                split: bool = False) -> None:
        text = self.text
        opening = re.match(r"\s*[“\"«‘]", text[start:end])
        if opening:
            # A clause that opens with a quote ends where the quote closes.
            q = next((q for q in find_quotes(text[start:end]) if q.open == opening.end() - 1), None)
            closes_clause = q is not None and (
                text[start + q.end - 1] in ",.!?" or re.match(r"\s*[,.;:!?]", text[start + q.close : end])
            )
            if closes_clause and q.close < end - start:
                end = start + q.end
        while start < end and text[start] in " ,:;\"“”'‘’":
            start += 1
        while end > start and text[end - 1] in " ,:;":
            end -= 1
        if _word_count(text[start:end]) < MIN_CLAUSE_WORDS:
            return
        if any(min(end, b) - max(start, a) > 0.5 * min(b - a, end - start) for a, b in self.covered):
            return  # already a direct statement, or a part of one
        if split:
            m = _SECOND_CUE.search(text, start, end)
            if m and _word_count(text[m.end() : end]) >= MIN_CLAUSE_WORDS:
                self._add(start, m.start(), "reported", mention, Span(sent.start, sent.end), start)
                self._add(m.end(), end, "reported", mention, Span(sent.start, sent.end), m.end())
                return
        self._add(start, end, "reported", mention, Span(sent.start, sent.end), start)

    # ------------------------------------------------------------------ resolution

    def _add(self, start: int, end: int, kind: str, mention: Mention | str, sent: Span, pos: int) -> bool:
        resolved = self._resolve(mention, pos)
        if resolved is None:
            return False
        speaker, role, speaker_type = resolved
        statement = Statement(self.source.id, start, end, kind, speaker, role, sent, speaker_type)
        self.statements.append(statement)
        self.speakers.last_statement = (self.sentence_at(pos), statement)
        return True

    def _new_subject_since(self, statement: Statement, pos: int) -> bool:
        """Whether another person opens a sentence between a statement and ``pos``."""
        for offset, name in self.speakers.mentions:
            if statement.sentence.end <= offset < pos and name != statement.speaker:
                sent = self.sentences[self.sentence_at(offset)]
                if not self.text[sent.start : offset].strip(" \"“'‘"):
                    return True
        return False

    def _resolve(self, mention: Mention | str, pos: int) -> tuple[str, str | None, str] | None:
        sp = self.speakers
        if isinstance(mention, str):  # a continuation: the previous speaker
            last = sp.last_statement[1]
            return last.speaker, last.role, last.speaker_type
        name, role = mention.name, mention.role
        if mention.pronoun:
            recent = sp.last_statement
            if recent and (mention.pronoun == "they" or recent[1].speaker_type == "person") and (
                recent[0] >= self.sentence_at(pos) - 3 or not self._new_subject_since(recent[1], pos)
            ):
                return recent[1].speaker, recent[1].role, recent[1].speaker_type
            if mention.pronoun == "they":
                return None
            name = sp.last_person_before(pos)
            if name is None:
                return None
        elif name is None:
            name = sp.person_with_role(role) if role else None
            if name is not None and sp.roles.get(name):
                role = sp.roles[name][0]  # "the spokesman" is the Kremlin spokesman named earlier
            if name is None:
                if not role:
                    return None
                label = f"{mention.possessor}’s {role}" if mention.possessor else role
                return label, role, "person"
        full = sp.expand(name)
        if role is None and sp.roles.get(full):
            role = sp.roles[full][0]
        if role is None:
            role = _role_before_appositive(self.text, mention.start) if not mention.pronoun else None
        return full, role, _speaker_type(full, role)


def _head_noun(role: str) -> str | None:
    """The last role noun of a phrase that is not a possessor: "Kremlin spokesman" -> "spokesman"."""
    heads = [bare(w) for w in role.split() if is_role_head(w) and not re.search(r"['’]s?$", w)]
    return heads[-1] if heads else None


# Nouns that name a group: "police said" is never one person named elsewhere.
GROUP_NOUNS = frozenset("""
police officials authorities sources investigators witnesses residents prosecutors officers researchers
scientists doctors experts analysts family families relatives friends neighbors neighbours parents
students workers employees passengers victims lawmakers diplomats negotiators spokespeople
""".split())


def _own_heads(role: str) -> set[str]:
    """Role nouns of a phrase, leaving out possessors ("the coroner's office" names no coroner)."""
    return {bare(w) for w in role.split() if is_role_head(w) and not re.search(r"['’]s?$", w)}


def _speaker_type(name: str, role: str | None, strict: bool = False) -> str | None:
    """"org" or "person" from the name alone; ``strict`` answers None when only guessing."""
    tokens = name.split()
    if any(bare(t) in ORG_WORDS for t in tokens) or name.isupper():
        return "org"
    if role or len(tokens) >= 2:
        return "person"
    # A lone capitalised word speaking is more often a capital or institution ("Paris") than a person.
    return None if strict else "org"


def find_statements(sources: Sequence[Source], sentences: Sequence[Sentence]) -> list[Statement]:
    """Every attributed statement of every source, with names resolved across the story."""
    by_source: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_source.setdefault(s.source, []).append(s)
    found = []
    for source in sources:
        found.extend(_SourceReader(source, by_source.get(source.id, [])).read())
    return _resolve_across(found)


def _resolve_across(statements: list[Statement]) -> list[Statement]:
    """Short names and bare roles take the full name another source gives them."""
    full: dict[str, set[str]] = {}
    roles: dict[str, set[str]] = {}
    for s in statements:
        if s.speaker_type == "person" and len(s.speaker.split()) >= 2 and not (
            s.role and s.speaker.endswith(s.role)
        ):
            full.setdefault(s.speaker.split()[-1], set()).add(s.speaker)
            if s.role:
                roles.setdefault(s.speaker, set()).add(s.role)
    out = []
    for s in statements:
        tokens = s.speaker.split()
        if len(tokens) == 1 and len(full.get(tokens[0], ())) == 1:
            name = next(iter(full[tokens[0]]))
            s = replace(s, speaker=name, speaker_type="person",
                        role=s.role or next(iter(sorted(roles.get(name, {None}) - {None})), None))
        elif s.role and s.speaker.endswith(s.role):
            heads = {bare(w) for w in s.role.split() if is_role_head(w)}
            hits = {p for p, rs in roles.items() for r in rs if heads & {bare(w) for w in r.split()}}
            if len(hits) == 1:
                s = replace(s, speaker=hits.pop())
        out.append(s)
    return out


# --------------------------------------------------------------------------- story level

_STOP = frozenset("""
the a an and or but of to in on at for with by from as is are was were be been being that this it its
his her their they he she we i you not no will would could should has have had do does did so than
""".split())


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}


def _same_statement(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.5 and len(a & b) >= 3


def group_statements(statements: Sequence[Statement], sources: Sequence[Source]) -> list[Quote]:
    """One Quote per speaker and thing said, citing every source that reports it."""
    by_id = {s.id: s for s in sources}
    groups: list[list[tuple[Statement, set[str]]]] = []
    for st in statements:
        words = content_words(by_id[st.source].text[st.start : st.end])
        for group in groups:
            head = group[0][0]
            if head.speaker == st.speaker and any(
                m.source != st.source and _same_statement(words, w) for m, w in group
            ):
                group.append((st, words))
                break
        else:
            groups.append([(st, words)])
    quotes = []
    for group in groups:
        members = [m for m, _ in group]
        # Show a direct quote when any outlet has one: the speaker's own words beat a paraphrase.
        shown = max(members, key=lambda m: (m.kind == "direct", m.end - m.start))
        role = shown.role or next((m.role for m in members if m.role), None)
        citations = tuple(dict.fromkeys(Citation(m.source, m.sentence.start, m.sentence.end) for m in members))
        text = re.sub(r"\s+", " ", by_id[shown.source].text[shown.start : shown.end]).strip()
        quotes.append(Quote(shown.speaker, role, text, shown.kind, citations))
    return quotes


def find_entities(sources: Sequence[Source], statements: Sequence[Statement], nlp=None) -> list[Entity]:
    """The people and organisations that speak or carry a role, with every role given them.

    Types come from the patterns (a role makes a person); names the patterns
    cannot type are run through spaCy's NER in one batch of short contexts.
    """
    roles: dict[str, dict[str, None]] = {}
    types: dict[str, str] = {}
    context: dict[str, str] = {}
    per_source: dict[str, _Speakers] = {}
    for source in sources:
        sp = per_source[source.id] = _Speakers(source.text)
        for name, rs in sp.roles.items():
            roles.setdefault(name, {}).update(dict.fromkeys(_tidy_role(r) for r in rs))
            types[name] = "person"
    for st in statements:
        if st.role:
            roles.setdefault(st.speaker, {})[_tidy_role(st.role)] = None
        roles.setdefault(st.speaker, {})
        if st.speaker not in types and (st.role or _speaker_type(st.speaker, None, strict=True) == "org"):
            types[st.speaker] = "person" if st.role else "org"
        if st.speaker not in types:
            text = next(s for s in sources if s.id == st.source).text
            context.setdefault(st.speaker, text[st.sentence.start : st.sentence.end][:200])
    # Only the first few untyped speakers go to spaCy: each costs a parse of one sentence.
    for name, label in _ner_types(dict(list(context.items())[:MAX_NER_CONTEXTS]), nlp).items():
        types[name] = label
    keys = {name: name.split()[-1] if types.get(name) == "person" else name for name in roles}
    counts = _count_mentions(sources, set(keys.values()))
    spoke: dict[str, set[str]] = {}  # a speaker resolved from "the spokesman" is in that source too
    for st in statements:
        spoke.setdefault(st.speaker, set()).add(st.source)
    entities = []
    for name, rs in roles.items():
        per_source = {sid: n for sid, n in counts.get(keys[name], {}).items() if n}
        for sid in spoke.get(name, ()):
            per_source.setdefault(sid, 1)
        if not per_source:
            continue
        entities.append(Entity(name, types.get(name, "person" if len(name.split()) > 1 else "org"),
                               tuple(r for r in rs if r), sum(per_source.values()),
                               tuple(sorted(per_source, key=_source_order))))
    entities.sort(key=lambda e: (-len(e.sources), -e.mentions, e.name))
    return entities


def _source_order(source_id: str) -> tuple[int, str]:
    return (int(source_id), "") if source_id.isdigit() else (0, source_id)


def _count_mentions(sources: Sequence[Source], keys: set[str]) -> dict[str, dict[str, int]]:
    """How often each key is written in each source, with one pass of one pattern per source."""
    if not keys:
        return {}
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) + r")\b")
    counts: dict[str, dict[str, int]] = {}
    for source in sources:
        for m in pattern.finditer(source.text):
            per = counts.setdefault(m.group(1), {})
            per[source.id] = per.get(source.id, 0) + 1
    return counts


def _tidy_role(role: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"\s+", " ", role).strip(), flags=re.I)


_NER_TYPES = {"PERSON": "person", "ORG": "org", "NORP": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def _ner_types(contexts: dict[str, str], nlp) -> dict[str, str]:
    """spaCy's label for each name, read from one short sentence that mentions it."""
    if nlp is None or not contexts:
        return {}
    names = list(contexts)
    out = {}
    # Only the tagger-free NER path is needed: the parser is half the cost.
    disable = [p for p in ("parser", "lemmatizer") if p in nlp.pipe_names]
    docs = nlp.pipe([contexts[n] for n in names], disable=disable, batch_size=64)
    for name, doc in zip(names, docs, strict=True):
        for ent in doc.ents:
            if name in ent.text or ent.text in name:
                if ent.label_ in _NER_TYPES:
                    out[name] = _NER_TYPES[ent.label_]
                break
    return out


def _retype(statements: list[Statement], entities: Sequence[Entity]) -> list[Statement]:
    kinds = {e.name: e.type for e in entities}
    return [replace(s, speaker_type="org" if kinds.get(s.speaker) in {"org", "place"} else "person")
            if s.speaker in kinds else s for s in statements]


def attribute(sources: Sequence[Source], sentences: Sequence[Sentence], vectors, resources
              ) -> tuple[list[Quote], list[Entity]]:
    """Who said what in the story, and the people and organisations it names.

    ``vectors`` is unused: statements are matched across outlets by their
    words, which is enough for one speaker's paraphrases and costs nothing.
    """
    statements = find_statements(sources, sentences)
    nlp = _spacy_or_none(resources)
    entities = find_entities(sources, statements, nlp)
    statements = _retype(statements, entities)
    quotes = group_statements(statements, sources)
    log.info("attributed %d statements (%d grouped quotes), %d entities",
             len(statements), len(quotes), len(entities))
    return quotes, entities


def _spacy_or_none(resources):
    """spaCy when installed; without it names are typed by the patterns alone."""
    if resources is None:
        return None
    try:
        return resources.nlp
    except Exception as exc:  # a missing model must not cost the reader the whole briefing
        log.warning("spaCy unavailable, typing names by patterns only: %s", exc)
        return None
