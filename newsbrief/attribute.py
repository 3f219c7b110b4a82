"""Who said what: direct quotes and reported speech, attributed to a named speaker.

Per source, quotes of every style are found, fragments split by their
attribution are joined, and each quote or reported clause ("X said that",
"according to X", "in X's words") gets a speaker phrase from the cheap patterns
in :mod:`newsbrief.speakers` and :mod:`newsbrief.names`. Pronouns, later
mentions ("Peskov") and bare roles ("the spokesman") resolve to the full name
seen earlier in the source, then anywhere in the story. :mod:`newsbrief.quotes`
turns the statements into one :class:`Quote` per thing said, citing every
outlet, and lists the story's entities.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .names import (
    Speakers,
    leading_subject,
    role_before_appositive,
    speaker_type,
    subject_after,
    subject_before,
    trim_connective,
)
from .quotes import find_entities, group_statements, retype_speakers
from .records import Entity, Quote, Sentence, Source, Span, Statement
from .speakers import (
    SPEECH_PARTICIPLES,
    SPEECH_VERB,
    WEAK_VERBS,
    Mention,
    analyze_phrase,
    bare,
    is_role_head,
    np_after,
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
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_IN_WORDS = re.compile(r"\b[Ii]n\s+(?P<np>[^,]{2,60}?)['’]s?\s+words\b,?\s*")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:described|called|characterized)\s+as\b")
_AFTER_VERB = re.compile(
    r"\s*(?:out\s+)?(?:(?:to\s+)?(?:reporters|journalists)\b\s*|(?:to\s+)?(?:the\s+\w+|[A-Z][\w.]+(?:\s+[A-Z][\w.]+)*|him|her|them|us)"
    r"(?=\s+(?:that|on|in|at|during|after|,|:)|\s*[,:])\s*)?(?:[,:]\s*)?(?:that\s+)?"
)
_SECOND_CUE = re.compile(r",?\s+(?:but|and)\s+(?:also\s+)?(?P<v>" + SPEECH_VERB.pattern[3:-3] + r")\s+(?:that\s+)?")
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
                and SPEECH_VERB.search(gap)
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


class _SourceReader:
    """Finds and attributes the statements of one source, in reading order."""

    def __init__(self, source: Source, sentences: Sequence[Sentence]):
        self.source = source
        self.text = source.text
        self.sentences = list(sentences)
        self.starts = [s.start for s in self.sentences]
        self.speakers = Speakers(self.text)
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
        if _word_count(quoted) < 8 and SPEECH_VERB.search(before) and re.search(r"\b(?:that|as)\s*$", before):
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
        cues = list(SPEECH_VERB.finditer(text, first.start, before_end))
        if cues:
            v = cues[-1]
            tail = text[v.end() : before_end]
            if len(tail) <= 45 and not re.search(r"[.!?]", tail):
                return subject_before(text, first.start, v.start())
        return None

    def _cue_after(self, close: int, hi: int) -> Mention | None:
        """The speaker named right after a closing quote mark, either word order."""
        text = self.text
        after = text[close:hi]
        lead = re.match(r"\s*[,—–-]?\s*", after).end() + close
        according = re.match(r"according to\s+", text[lead:hi], re.I)
        if according:  # '"...," according to the state Health Department.'
            return subject_after(text, lead + according.end(), hi)
        v = SPEECH_VERB.search(text, lead, min(hi, lead + 120))
        if v and v.start() > lead and not re.search(r"[.!?“”\"]", text[lead : v.start()]):
            between = text[lead : v.start()]
            if "," in between.rstrip(" ,"):  # '"...," Robinson, of Kansas City, told ABC News.'
                first = np_after(text, lead, v.start())
                mention = analyze_phrase(text, *first) if first else None
                if mention and (mention.name or mention.role) and text[first[1] : v.start()].lstrip().startswith(","):
                    return mention
            elif len(between.split()) <= 10:  # '"...," Fernbrook county press officer Dana Whitcombe told'
                mention = analyze_phrase(text, lead, v.start())
                if mention and (mention.name or mention.pronoun):
                    return mention
        v = SPEECH_VERB.search(text, lead, min(hi, lead + 90))
        if v and v.start() == lead and v.group() not in WEAK_VERBS - {"asked", "continued"}:
            mention = subject_after(text, v.end(), hi)  # ", said Peskov."
            if mention:
                return mention
        if v:
            mention = subject_before(text, lead, v.start())  # ", Peskov said."
            if mention and text[lead : mention.start].strip() == "":
                return mention
            mention = leading_subject(text, lead, v.start())  # ", fire chief Dan Webb said."
            if mention and text[lead : mention.start].strip() == "":
                return mention
        return None

    def _continuation(self, i: int, sent: Sentence, quote_open: int) -> Mention | str | None:
        """A quote with no cue: introduced by a colon before it, or going on from the last quote."""
        if i > 0:
            prev = self.sentences[i - 1]
            prev_text = self.text[prev.start : prev.end]
            if prev_text.rstrip().endswith(":") and "\n\n" not in self.text[prev.end : sent.start]:
                cues = list(SPEECH_VERB.finditer(self.text, prev.start, prev.end))
                if cues:
                    mention = subject_before(self.text, prev.start, cues[-1].start())
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
            mention = subject_after(text, m.end(), hi)
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
                mention = subject_after(text, m.end() + by.end(), hi)
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
        for v in SPEECH_VERB.finditer(text, lo, hi):
            if not outside(v.start()) or v.group() in WEAK_VERBS and v.group() != "pointed":
                continue
            if v.group() == "pointed" and not text.startswith(" out", v.end()):
                continue
            if cues and v.start() < cues[-1][1]:
                continue
            mention = subject_before(text, lo, v.start()) or leading_subject(text, lo, v.start())
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
            stop = trim_connective(text, clause_start, stop)
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
            role = role_before_appositive(self.text, mention.start) if not mention.pronoun else None
        return full, role, speaker_type(full, role)


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


def attribute(sources: Sequence[Source], sentences: Sequence[Sentence], vectors, resources
              ) -> tuple[list[Quote], list[Entity]]:
    """Who said what in the story, and the people and organisations it names.

    ``vectors`` is unused: one speaker's statements are matched across outlets
    by IDF-weighted word stems, which tells paraphrases apart better than
    sentence vectors do (those put every sentence of one story close together).
    """
    statements = find_statements(sources, sentences)
    # Names are typed by patterns and a place gazetteer; spaCy's NER is opt-in (setting
    # ner = "spacy") because loading it costs ~1.5 s of a briefing's 5 s budget.
    use_spacy = resources is not None and resources.settings.ner == "spacy"
    entities = find_entities(sources, statements, (lambda: _spacy_or_none(resources)) if use_spacy else None)
    statements = retype_speakers(statements, entities)
    quotes = group_statements(statements, sources)
    log.info("attributed %d statements (%d grouped quotes), %d entities",
             len(statements), len(quotes), len(entities))
    return quotes, entities


def _spacy_or_none(resources):
    """spaCy when installed; without it names are typed by the patterns alone."""
    try:
        return resources.nlp
    except Exception as exc:  # a missing model must not cost the reader the whole briefing
        log.warning("spaCy unavailable, typing names by patterns only: %s", exc)
        return None
