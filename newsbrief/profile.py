"""A profile of every source: what it adds, and how it is written.

Each measure is an :class:`~newsbrief.records.Evidence`: a number and the
spans that justify it, so a reader can check it. Spans (``Evidence.spans``)
are citations into the source's cleaned text; evidence found in what the
cleaning stage removed (a "No time to read? Get a summary" block, a source
list) sits in ``Evidence.raw_spans``, citations into ``Article.raw_text``.

Measures (``Profile.measures`` keys) and what their value counts:

========================  ==================================================================
unique_facts              fact sentences no other source of the story carries (count)
unique_share              share of the source's words in those sentences
restates_others           share of its fact sentences another source also carries
boilerplate_share         share of the extracted text cleaning removed as boilerplate
                          (navigation, prompts, credits...; headings excluded)
repetition                uses of its most repeated multi-word phrase
repeated_phrase_share     share of its words inside phrases used 3 times or more
restatement               share of sentences that restate earlier ones of the same source
words_per_fact            words per new fact sentence (lower is denser)
rhetoric                  share of sentences that are commentary, metaphor, hedging or
                          rhetorical questions rather than reported fact
hedging / commentary /    share of sentences in each rhetoric category (one sentence can be
metaphor                  in several); attributed statements are the speaker's, not counted
attribution_rate          attributed statements per 100 words
named_sources             distinct named speakers
cited_outlets             outlets it names as its sources
template_markers          summary-bait blocks, AI-image disclaimers, stock AI phrases,
                          source lists, in its text or its removed boilerplate
rewrite_signs             signs it rewrites other outlets (0-4): lists outlets as sources,
                          no named source of its own, reads machine-written, restates others
========================  ==================================================================

A *fact sentence* is a complete sentence (six words or more, closing
punctuation) that names someone or something or gives a number, and is not
rhetoric, a restatement of the source's own earlier sentences, or a template
marker: "Lavrov reacted sharply..." is one, "It's a reminder that diplomacy
is hard" is not.

``Profile.facts`` holds the basic facts (words, sentences, date, author,
outlet, language, ...); ``Profile.flags`` the labels the verdict is built
from: ``adds_facts`` (two unique sentences naming something no other source
names, or a quarter of its words unique), ``seo_padding`` (a non-name phrase
stuffed 8+ times, or many self-restatements, with 100+ words per fact),
``ai_style`` (stock AI phrases or an AI-image disclaimer), ``rewrites_others``
(names other outlets as its sources plus another rewrite sign), ``template``
(any marker); ``Profile.verdict`` one plain-language line, most telling first
(flags, thresholds and verdict: :mod:`newsbrief.verdict`; markers: :mod:`newsbrief.markers`).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence

from . import markers, style
from .clean import guess_language
from .novelty import UniqueFacts, unique_facts
from .records import Citation, Evidence, Profile, Quote, Sentence, Source, SummarySentence
from .verdict import flags_of, stuffed_phrase, write_verdict

log = logging.getLogger(__name__)

MEASURES = (
    "unique_facts", "unique_share", "restates_others", "boilerplate_share", "repetition",
    "repeated_phrase_share", "restatement", "words_per_fact", "rhetoric", "hedging", "commentary",
    "metaphor", "attribution_rate", "named_sources", "cited_outlets", "template_markers", "rewrite_signs",
)
NOT_BOILERPLATE = frozenset({"heading", "title"})  # structure, not furniture



def profile_sources(
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
    vectors,
    summary: Sequence[SummarySentence] = (),
    quotes: Sequence[Quote] = (),
) -> list[Profile]:
    """One profile per source, in source order.

    ``vectors`` is the story's :class:`~newsbrief.embed.SentenceVectors` over
    ``sentences``; only sentences a cheap TF-IDF pass cannot settle are embedded.
    """
    by_source: dict[str, list[int]] = {s.id: [] for s in sources}
    for i, sentence in enumerate(sentences):
        by_source.setdefault(sentence.source, []).append(i)
    sources_by_id = {s.id: s for s in sources}
    started = time.perf_counter()
    texts = [_text(sources_by_id, s) for s in sentences]
    words = [style.WORD.findall(text) for text in texts]  # each sentence tokenised once for every measure
    styles = [style.sentence_style(text, tokens) for text, tokens in zip(texts, words, strict=True)]
    readings = {}
    for source in sources:
        positions = by_source[source.id]
        readings[source.id] = _Reading(source, [sentences[i] for i in positions], [styles[i] for i in positions],
                                       [words[i] for i in positions])
    facts_of = {sid: [by_source[sid][p] for p in reading.fact_positions] for sid, reading in readings.items()}
    read = time.perf_counter()
    page_words = {sid: r.page_words for sid, r in readings.items() if r.page_words is not None}
    crosscheck = unique_facts(sources_by_id, sentences, facts_of, vectors, summary, words_of=words,
                              page_words=page_words)
    checked = time.perf_counter()
    quotes_of = _quotes_by_source(quotes)
    profiles = [_profile(source, readings[source.id], crosscheck[source.id], quotes_of.get(source.id, []))
                for source in sources]
    log.debug("profiled %d sources: reading %.3fs, cross-check %.3fs, measures %.3fs", len(sources),
              read - started, checked - read, time.perf_counter() - checked)
    return profiles


def _quotes_by_source(quotes: Sequence[Quote]) -> dict[str, list[Quote]]:
    """Each source's quotes, in quote order: one pass instead of every quote per source."""
    out: dict[str, list[Quote]] = {}
    for quote in quotes:
        for sid in dict.fromkeys(c.source for c in quote.citations):
            out.setdefault(sid, []).append(quote)
    return out


def _text(sources_by_id: dict[str, Source], sentence: Sentence) -> str:
    return sources_by_id[sentence.source].text[sentence.start : sentence.end]


class _Reading:
    """The single-source measures of one source, before the cross-check."""

    def __init__(
        self, source: Source, sentences: list[Sentence], styles: list[style.SentenceStyle], words: list[list[str]]
    ):
        text = source.text
        self.source = source
        self.sentences = sentences
        self.styles = styles
        self.spans = [(s.start, s.end) for s in sentences]
        self.span_words = {span: st.words for span, st in zip(self.spans, styles, strict=True)}
        self._citations: dict[tuple[int, int], Citation] = {}
        self.markers = markers.find_markers(text)
        raw = source.article.raw_text
        self.removed_markers = [m for s, e in _removed_blocks(source) for m in markers.find_markers(raw, s, e)]
        # Stuffed keywords sit in headings and titles too, which cleaning keeps out of the text.
        self.structure = sorted((r.start, r.end) for r in source.article.removed if r.kind in NOT_BOILERPLATE)
        self.with_structure = text + "".join("\n\n" + raw[s:e] for s, e in self.structure)
        found = style.words_and_breaks(self.with_structure)  # the words, read once for counts, phrases...
        slots = style.phrase_slots(self.with_structure, found)
        # ...and the story vocabulary of the cross-check, when the page is the text (plain-text input).
        page = source.article.raw_text or text
        self.page_words = set(found) - style.BREAK_CHARS if page == self.with_structure else None
        self.words_with_structure = len(slots) - slots.count(None)
        # No word spans the blank line between the text and a heading: take the headings' words off.
        self.words = self.words_with_structure - sum(style.word_count(raw[s:e]) for s, e in self.structure)
        self.phrases = style.repeated_phrases(self.with_structure, slots=slots)
        self.restating = style.restating_sentences(text, self.spans, tokens_of=words)
        restating = {p for p, _ in self.restating}
        in_marker = [any(m.start < e and s < m.end for m in self.markers) for s, e in self.spans]
        self.fact_positions = [
            p for p, st in enumerate(styles) if st.fact_like and not in_marker[p] and p not in restating
        ]
        # Filled in from the cross-check with the other sources.
        self.new_fact_sentences = 0
        self.alone = False

    def cite(self, spans) -> tuple[Citation, ...]:
        """Citations of spans of the text; one object per span however many measures cite it."""
        out = []
        for span in spans:
            citation = self._citations.get(span)
            if citation is None:
                citation = self._citations[span] = Citation(self.source.id, *span)
            out.append(citation)
        return tuple(out)

    @functools.cached_property
    def cues(self) -> list[tuple[int, list[str]]]:
        """Sentences with an attribution cue: read only when the who-said-what stage found no quote here."""
        return style.attribution_cues(self.source.text, self.spans, [st.attributed for st in self.styles])


def _removed_blocks(source: Source) -> list[tuple[int, int]]:
    """Removed stretches of raw text, adjacent ones joined: "No time to read?" + "Get a summary"."""
    raw, blocks = source.article.raw_text, []
    for r in sorted(source.article.removed, key=lambda r: r.start):
        if blocks and not raw[blocks[-1][1] : r.start].strip():
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], r.end))
        else:
            blocks.append((r.start, r.end))
    return blocks


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _profile(source: Source, reading: _Reading, checked: UniqueFacts, own_quotes: Sequence[Quote]) -> Profile:
    measures: dict[str, Evidence] = {}
    reading.new_fact_sentences = checked.with_new_specifics
    reading.alone = checked.alone
    measures.update(_contribution(source, reading, checked))
    measures.update(_padding(source, reading))
    measures.update(_rhetoric(source, reading))
    measures.update(_sourcing(source, reading, own_quotes))
    measures.update(_template(source, reading, measures))
    facts = _basic_facts(source, reading)
    flags = flags_of(measures, reading)
    text, raw = source.text, source.article.raw_text
    located = [(m, text[m.start : m.end]) for m in reading.markers]
    located += [(m, raw[m.start : m.end]) for m in reading.removed_markers]
    line = write_verdict(source, measures, flags, located, stuffed_phrase(reading))
    return Profile(source=source.id, measures=measures, facts=facts, verdict=line, flags=flags)


# --------------------------------------------------------------------------- contribution


def _contribution(source: Source, reading: _Reading, checked: UniqueFacts) -> dict[str, Evidence]:
    unique_spans = [(s.start, s.end) for s in checked.unique]
    unique_words = sum(reading.span_words[span] for span in unique_spans)
    unique_cited = reading.cite(unique_spans)
    n_facts = len(reading.fact_positions)
    shared = checked.shared
    note_unique = (
        "the only source of the story: nothing to compare with" if checked.alone
        else f"{len(unique_spans)} of {n_facts} fact sentences carried by no other source"
    )
    if checked.by_overlap_only:
        note_unique += f" ({checked.by_overlap_only} judged by word overlap alone, past the model budget)"
    if checked.new_specifics:
        note_unique += "; new names and numbers: " + ", ".join(checked.new_specifics[:8])
    partners = ", ".join(f"source {sid} ({n})" for sid, n in checked.shared_with.most_common(3))
    return {
        "unique_facts": Evidence(len(unique_spans), unique_cited, note_unique),
        "unique_share": Evidence(_share(unique_words, reading.words), unique_cited,
                                 f"{unique_words} of {reading.words} words"),
        "restates_others": Evidence(
            _share(len(shared), n_facts), reading.cite([(s.start, s.end) for s in shared]),
            f"{len(shared)} of {n_facts} fact sentences also carried by " + (partners or "no other source"),
        ),
    }


# --------------------------------------------------------------------------- padding


def _padding(source: Source, reading: _Reading) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    article = source.article
    removed = [r for r in article.removed if r.kind not in NOT_BOILERPLATE]
    removed_chars = sum(r.end - r.start for r in removed)
    kinds: dict[str, int] = {}
    for r in removed:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    out["boilerplate_share"] = Evidence(
        _share(removed_chars, len(article.raw_text)),
        note=(f"{removed_chars} of {len(article.raw_text)} characters removed: "
              + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) if removed else "nothing removed"),
        raw_spans=tuple(Citation(source.id, r.start, r.end) for r in removed),
    )
    top = reading.phrases[0] if reading.phrases else None
    if top:
        in_text, in_raw = _split_spans(source, reading, top.spans)
        note = f"phrase '{top.phrase}' used {top.count} times"
        note += f" ({len(in_raw)} in title or headings)" if in_raw else ""
        out["repetition"] = Evidence(top.count, in_text, note, in_raw)
    else:
        out["repetition"] = Evidence(0, note="no phrase used 3 times or more")
    every = [span for p in reading.phrases for span in p.spans]
    covered = _covered_words(reading.with_structure, every)
    in_text, in_raw = _split_spans(source, reading, [span for p in reading.phrases[:5] for span in p.spans])
    out["repeated_phrase_share"] = Evidence(
        _share(covered, reading.words_with_structure), in_text,
        "; ".join(f"'{p.phrase}' x{p.count}" for p in reading.phrases[:5]) or "none", in_raw,
    )
    n = len(reading.spans)
    out["restatement"] = Evidence(
        _share(len(reading.restating), n),
        reading.cite([reading.spans[p] for p, _ in reading.restating]),
        f"{len(reading.restating)} of {n} sentences add almost no new word",
    )
    n_facts = len(reading.fact_positions)
    out["words_per_fact"] = Evidence(
        round(reading.words / n_facts, 1) if n_facts else float(reading.words),
        reading.cite([reading.spans[p] for p in reading.fact_positions]),
        f"{reading.words} words, {n_facts} new fact sentences",
    )
    return out


def _split_spans(source: Source, reading: _Reading, spans) -> tuple[tuple[Citation, ...], tuple[Citation, ...]]:
    """Spans of text-plus-headings as citations into the text and into the raw text."""
    text_len, in_text, in_raw = len(source.text), [], []
    starts, cursor = [], text_len
    for s, e in reading.structure:
        starts.append((cursor + 2, s))
        cursor += 2 + e - s
    for start, end in spans:
        if end <= text_len:
            in_text.append(Citation(source.id, start, end))
            continue
        base, raw_start = next((b, r) for b, r in reversed(starts) if b <= start)
        in_raw.append(Citation(source.id, raw_start + start - base, raw_start + end - base))
    return tuple(in_text), tuple(in_raw)


def _covered_words(text: str, spans: list[tuple[int, int]]) -> int:
    """Words inside the union of the spans (phrases may overlap: each word counts once)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum(len(style.WORD.findall(text, start, end)) for start, end in merged)


# --------------------------------------------------------------------------- rhetoric


def _rhetoric(source: Source, reading: _Reading) -> dict[str, Evidence]:
    n = len(reading.spans)
    picks = {
        "rhetoric": [p for p, st in enumerate(reading.styles) if st.rhetoric],
        "hedging": [p for p, st in enumerate(reading.styles) if st.hedging and not st.attributed],
        "commentary": [p for p, st in enumerate(reading.styles) if st.commentary and not st.attributed],
        "metaphor": [p for p, st in enumerate(reading.styles) if st.metaphor and not st.attributed],
    }
    out = {}
    for name, positions in picks.items():
        note = f"{len(positions)} of {n} sentences"
        if name == "rhetoric":
            parts = [f"{k} {len(picks[k])}" for k in ("commentary", "metaphor", "hedging") if picks[k]]
            questions = sum(1 for p in positions if reading.styles[p].question)
            parts += [f"questions {questions}"] if questions else []
            note += (" (" + ", ".join(parts) + ")") if parts else ""
        out[name] = Evidence(_share(len(positions), n), reading.cite([reading.spans[p] for p in positions]), note)
    return out


# --------------------------------------------------------------------------- sourcing


def _sourcing(source: Source, reading: _Reading, own: Sequence[Quote]) -> dict[str, Evidence]:
    """``own``: the quotes citing this source."""
    per_100 = 100.0 / reading.words if reading.words else 0.0
    if own:
        spans = sorted({(c.start, c.end) for q in own for c in q.citations if c.source == source.id})
        # A quote grouped across outlets is one statement here however many outlets carry it.
        names = sorted({q.speaker for q in own if style.is_named_speaker(q.speaker, q.role)})
        statements, how = len(spans), "statements found by the who-said-what stage"
    else:
        spans = [reading.spans[p] for p, _ in reading.cues]
        names = list(style.name_counts(reading.cues))
        statements, how = len(reading.cues), "sentences with an attribution cue"
    outlets = _outlets(source, reading)
    return {
        "attribution_rate": Evidence(round(statements * per_100, 2), reading.cite(spans),
                                     f"{statements} attributed statements in {reading.words} words ({how})"),
        "named_sources": Evidence(len(names), reading.cite(spans), ", ".join(names) or "no named source"),
        "cited_outlets": Evidence(
            len(outlets),
            reading.cite([(m.start, m.end) for m in reading.markers if m.kind == "source_list"]),
            ", ".join(outlets) or "cites no outlet",
            tuple(Citation(source.id, m.start, m.end) for m in reading.removed_markers if m.kind == "source_list"),
        ),
    }


def _outlets(source: Source, reading: _Reading) -> list[str]:
    outlets = list(source.article.cited_outlets)
    text, raw = source.text, source.article.raw_text
    for marker, where in [(m, text) for m in reading.markers] + [(m, raw) for m in reading.removed_markers]:
        if marker.kind == "source_list":
            for name in markers.source_list_names(where[marker.start : marker.end]):
                if name.lower() not in {o.lower() for o in outlets}:
                    outlets.append(name)
    return outlets


# --------------------------------------------------------------------------- template


def _template(source: Source, reading: _Reading, measures: dict[str, Evidence]) -> dict[str, Evidence]:
    text, raw = source.text, source.article.raw_text
    found = [(m, text[m.start : m.end]) for m in reading.markers]
    found += [(m, raw[m.start : m.end]) for m in reading.removed_markers]
    kinds: dict[str, list[str]] = {}
    for marker, shown in found:
        kinds.setdefault(marker.kind, []).append(" ".join(shown.split())[:80])
    note = "; ".join(f"{kind}: " + " | ".join(dict.fromkeys(shown))[:160] for kind, shown in kinds.items())
    signs = []
    outlets = int(measures["cited_outlets"].value)
    if outlets >= 2 or "source_list" in kinds:
        signs.append(f"lists {outlets or 'several'} outlets as its sources")
    if measures["named_sources"].value == 0 and measures["attribution_rate"].value < 0.5:
        signs.append("no reporting of its own (no named source)")
    if kinds.keys() & markers.AI_STYLE_MARKERS:
        signs.append("reads machine-written (" + ", ".join(sorted(kinds.keys() & markers.AI_STYLE_MARKERS)) + ")")
    if measures["restates_others"].value >= 0.5:
        signs.append("restates facts other sources carry (" + measures["restates_others"].note.split(" also")[0]
                     + ")")
    return {
        "template_markers": Evidence(
            len(found), reading.cite([(m.start, m.end) for m, _ in found if m in reading.markers]),
            note or "none",
            raw_spans=tuple(Citation(source.id, m.start, m.end) for m in reading.removed_markers),
        ),
        "rewrite_signs": Evidence(len(signs), note="; ".join(signs) or "none"),
    }


# --------------------------------------------------------------------------- facts, flags, verdict


def _language(text: str) -> str | None:
    """The cleaning stage's guess, for an article that did not pass through it; None when unsure."""
    code = guess_language(text)
    return None if code == "unknown" else code


def _basic_facts(source: Source, reading: _Reading) -> dict[str, object]:
    article = source.article
    return {
        "words": reading.words,
        "sentences": len(reading.spans),
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "date": article.published,
        "language": article.language or _language(source.text),
        "origin": article.origin,
        "url": article.url,
        "also_carried_by": list(source.also_carried_by),
    }
