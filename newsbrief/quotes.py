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
from .places import is_place
from .records import Citation, Entity, Quote, Source, Statement

MAX_NER_CONTEXTS = 32  # each costs spaCy one short sentence


_STOP = frozenset("""
the a an and or but of to in on at for with by from as is are was were be been being that this it its
his her their they he she we i you not no will would could should has have had do does did so than
""".split())


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}


def _stems(text: str) -> list[str]:
    """Content words cut to five letters: "preparations" and "preparatory" meet as "prepa"."""
    return [w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1]


# IDF-weighted cosine of word stems, for one speaker in two outlets: "technical preparations are
# underway" and "preparatory work is underway" score 0.21; two different things Macron said, < 0.16.
SAME_STATEMENT_COSINE = 0.2


def _similarities(texts: Sequence[str]) -> Any:
    """IDF-weighted cosine between every pair of statements (a few hundred at most: one small product)."""
    import numpy as np

    stems = [set(_stems(t)) for t in texts]
    vocab: dict[str, int] = {}
    for ws in stems:
        for w in ws:
            vocab.setdefault(w, len(vocab))
    matrix = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for i, ws in enumerate(stems):
        matrix[i, [vocab[w] for w in ws]] = 1.0
    df = matrix.sum(axis=0)
    matrix *= np.log((1 + len(texts)) / (1 + df)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.clip(norms, 1e-9, None)
    return matrix @ matrix.T


def group_statements(statements: Sequence[Statement], sources: Sequence[Source]) -> list[Quote]:
    """One Quote per speaker and thing said, citing every source that reports it.

    Outlets reword what someone said ("technical preparations are underway", "preparatory work
    is underway"): statements of one speaker in different sources join when their stems,
    weighted by rarity, point the same way. (Sentence vectors were tried and rejected: every
    sentence of a story about Macron and Putin is ~0.6 from every other, paraphrase or not.)"""
    by_id = {s.id: s for s in sources}
    texts = [by_id[st.source].text[st.start : st.end] for st in statements]
    sims = _similarities(texts) if statements else None
    parent = list(range(len(statements)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(statements):
        for j in range(i + 1, len(statements)):
            b = statements[j]
            if a.speaker != b.speaker or a.source == b.source:
                continue
            if sims[i, j] >= SAME_STATEMENT_COSINE:
                parent[root(j)] = root(i)
    groups: dict[int, list[Statement]] = {}
    for k, st in enumerate(statements):
        groups.setdefault(root(k), []).append(st)
    quotes = []
    for members in groups.values():
        # Show a direct quote when any outlet has one: the speaker's own words beat a paraphrase.
        shown = max(members, key=lambda m: (m.kind == "direct", m.end - m.start))
        role = shown.role or next((m.role for m in members if m.role), None)
        citations = tuple(dict.fromkeys(Citation(m.source, m.sentence.start, m.sentence.end) for m in members))
        # Verbatim (whitespace aside): a quote's words must lie inside the span it cites, so
        # "X were described as Y by the side" stays as written rather than reworded to "X were Y".
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
            roles.setdefault(name, {}).update(dict.fromkeys(_tidy_role(r) for r in rs if _plausible_role(r)))
            types[name] = "person"
    for st in statements:
        if st.role and _plausible_role(st.role):
            roles.setdefault(st.speaker, {})[_tidy_role(st.role)] = None
        roles.setdefault(st.speaker, {})
        if st.speaker not in types and (st.role or speaker_type(st.speaker, None, strict=True) == "org"):
            types[st.speaker] = "person" if st.role else "org"
        if st.speaker not in types:
            text = next(s for s in sources if s.id == st.source).text
            context.setdefault(st.speaker, text[st.sentence.start : st.sentence.end][:200])
    for name in list(context):
        if is_place(name):
            types[name] = "place"
            del context[name]
    if nlp is None:
        for name in context:
            types[name] = _rule_type(name)
        context = {}
    # Only the first few untyped speakers go to spaCy: each costs a parse of one sentence.
    for name, label in _ner_types(dict(list(context.items())[:MAX_NER_CONTEXTS]), nlp).items():
        # The small model calls many lone surnames organisations; the text often says otherwise.
        types[name] = "person" if label != "person" and _person_cues(name, sources, types) else label
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


def _rule_type(name: str) -> str:
    """The type of a speaker that is no place, from its name alone.

    Institutions carry an institution word or are acronyms; what is left and
    speaks is a person, whether a full name or a lone surname ("Lavrov declared").
    """
    return speaker_type(name, None, strict=True) or "person"


_TITLE = (r"(?:Mr|Mrs|Ms|Dr|Sir|Minister|minister|Secretary|secretary|President|president|Premier|Chancellor"
          r"|Senator|Sen|Rep|Gov|Governor|spokes(?:man|woman|person)|ambassador|Ambassador|envoy|adviser|aide)")


def _person_cues(name: str, sources: Sequence[Source], types: dict[str, str]) -> bool:
    """A title before the name, "he"/"she" right after its sentence, or the surname of a known person."""
    if any(n != name and n.split()[-1] == name and t == "person" for n, t in types.items()):
        return True
    title = re.compile(rf"\b{_TITLE}\.?\s+(?:[A-Z][\w’'-]+\s+)?{re.escape(name)}\b")
    pronoun = re.compile(rf"\b{re.escape(name)}\b[^.!?]{{0,240}}[.!?][”\"]?\s+(?:He|She)\b")
    return any(title.search(s.text) or pronoun.search(s.text) for s in sources)


def _plausible_role(role: str) -> bool:
    """A role names one job: not two people ("Vell and Freedonian President"), not a clause
    ("sits down with Freedonian President", "plan to reach out to Freedonia's leader")."""
    if len(role.split()) > 8 or re.search(r"\b(?:and|with|to|sits?|meets?|met|spoke|said|says|told)\b", role):
        return False
    return not re.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+\b(?!['’])", re.sub(r"^(?:[A-Z][a-z]+\s+)", "", role))


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
    # The entity recognizer alone (it has its own tok2vec): the other components are most of the cost.
    disable = [p for p in nlp.pipe_names if p != "ner"]
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
