"""One entry per thing said, and the people and organisations of a story.

Statements of one speaker that share most of their content words across
sources become one :class:`Quote` citing every outlet; entities gather every
role any outlet gives a name, typed by the patterns or, for the few names they
cannot type, by spaCy's NER on one short sentence each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from .names import Speakers, speaker_type
from .records import Citation, Entity, Quote, Source, Statement

MAX_NER_CONTEXTS = 32  # each costs spaCy one short sentence


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


def find_entities(sources: Sequence[Source], statements: Sequence[Statement],
                  nlp: Callable[[], Any] | None = None) -> list[Entity]:
    """The people and organisations that speak or carry a role, with every role given them.

    Types come from the patterns (a role makes a person); names the patterns
    cannot type are run through spaCy's NER in one batch of short contexts.
    """
    roles: dict[str, dict[str, None]] = {}
    types: dict[str, str] = {}
    context: dict[str, str] = {}
    per_source: dict[str, Speakers] = {}
    for source in sources:
        sp = per_source[source.id] = Speakers(source.text)
        for name, rs in sp.roles.items():
            roles.setdefault(name, {}).update(dict.fromkeys(_tidy_role(r) for r in rs))
            types[name] = "person"
    for st in statements:
        if st.role:
            roles.setdefault(st.speaker, {})[_tidy_role(st.role)] = None
        roles.setdefault(st.speaker, {})
        if st.speaker not in types and (st.role or speaker_type(st.speaker, None, strict=True) == "org"):
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


def _ner_types(contexts: dict[str, str], get_nlp: Callable[[], Any] | None) -> dict[str, str]:
    """spaCy's label for each name, read from one short sentence that mentions it."""
    if get_nlp is None or not contexts:
        return {}
    nlp = get_nlp()
    if nlp is None:
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


def retype_speakers(statements: list[Statement], entities: Sequence[Entity]) -> list[Statement]:
    kinds = {e.name: e.type for e in entities}
    return [replace(s, speaker_type="org" if kinds.get(s.speaker) in {"org", "place"} else "person")
            if s.speaker in kinds else s for s in statements]
