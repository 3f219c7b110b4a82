"""Cheap per-sentence evidence for the summarizer, computed over every sentence.

Everything here is plain string and sparse-matrix work, linear in the number
of sentences, so it can run over a 500-article story before any sentence is
embedded: word normalisation, bigram *concepts* weighted by how many
independent sources carry them, and flags for what a briefing should not
repeat (boilerplate, headings, rhetoric, reader address, questions).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .records import Sentence, Source

_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)?|\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]|``|''")

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also s t said says say told mr mrs ms
    """.split()
)

# Reader address and first person outside quotes: a columnist or an SEO page talking, not a report.
# Case-sensitive on purpose: "US" is a country, "us" a writer.
PERSONAL = frozenset(
    "I I'm I've we We we're We're we've We've us our Our you You you're You're you've You've your Your "
    "yours let's Let's".split()
)
CHATTY_WORDS = frozenset("guys folks hey alright okay".split())
CHATTY_PHRASES = (
    "let's dive", "dive into", "nitty-gritty", "super important", "think about it", "big deal",
    "stay tuned", "buckle up", "game changer", "game-changer", "you know", "let's be real",
)
# Hedges and the reflective vocabulary of opinion pieces and generated prose.
RHETORIC_WORDS = frozenset(
    """
    perhaps maybe arguably seemingly undoubtedly tapestry delicate nuance nuances nuanced testament
    reminder journey landscape dance echo echoes glimmer high-wire ripple rhythm gentle gently quiet
    sky-high humanity profound fraught backdrop ultimately truly crucial vital pivotal intricate
    underscore underscores navigate navigates navigating navigation
    """.split()
)
RHETORIC_PHRASES = (
    "in essence", "it is worth", "it's worth", "one might", "one could", "observers note", "in a world",
    "shades of", "bridge rather", "complex web", "signals a desire", "signal a desire",
)
ATTRIBUTION_WORDS = frozenset(
    """
    said says told stated announced acknowledged confirmed noted added reported declared insisted warned
    denied urged accused called asked agreed rejected described
    """.split()
)
DATE_WORDS = frozenset(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December yesterday today
    """.split()
)
_BOILERPLATE = re.compile(
    r"(?:https?://|www\.|\.com\b|@\w|\bread (?:also|more)\b|\bclick\b|\bsubscribe\b|\bnewsletter\b|"
    r"\bsign up\b|\bcomments?\b|\ball rights reserved\b|\u00a9|\bcopyright\b|\bdisclaimer\b|"
    r"\bphoto(?:graph)?s?:|\bimage:|\bsources?:|\bwritten by\b|\bfollow us\b|\bshare this\b|"
    r"\bprevious article\b|\bnext article\b|\bget a summary\b|\bno time to read\b|\bviews\b\s*$|"
    r"\badvertisement\b|\bemail address\b|\brequired fields\b|\bcookies?\b|\bterms of (?:use|service)\b|\bprivacy policy\b|"
    # Photo captions and credits a scraper keeps: they describe a picture, not the news.
    r"^\W*file\s*[-\u2013\u2014]|\b(?:file|undated|handout) photo\b|\bphotos? (?:provided|released|taken|obtained) by\b|"
    r"\b(?:ap|afp|reuters) photo\b|\bgetty images\b|^\W*follow\b.{0,60}\bon (?:twitter|facebook|instagram)\b|"
    # The newsroom's notes about the story, not the story: credits, contact lines, corrections, updates.
    r"\bcontributed (?:reporting|to (?:this|the) (?:report|story|article))\b|^\W*contact\b.{0,60}\bat\s*(?:\(?\d{3}\)?[\s.-]*\d{3}|\S+@)|"
    r"\bthis (?:story|article|report|post) (?:has been|was) (?:corrected|updated)\b|"
    r"^\W*(?:update[ds]?|correction|clarification|editor['\u2019]s note)\s*(?:[,:(]|\d)|"
    # Broadcast-transcript speaker labels and review cast lists ("Reporter: ...", "With: A, B, C.").
    r"^\W*(?:reporter|anchor|with|starring)\s*:)",
    re.IGNORECASE,
)
# Every alternative of _BOILERPLATE contains one of these (lowercased): a substring test on them
# rules most sentences out far faster than the regex, which tries each alternative at every position.
_BOILERPLATE_CLUES = (
    "http", "www.", ".com", "@", "read ", "click", "subscribe", "newsletter", "sign up", "comment",
    "all rights reserved", "\u00a9", "copyright", "disclaimer", "photo", "image:", "source", "written by",
    "follow us", "share this", "previous article", "next article", "get a summary", "no time to read", "views",
    "advertisement", "email address", "required fields", "cookie", "terms of ", "privacy policy", "file",
    "getty", "follow", "contributed", "contact", "corrected", "update", "correction", "clarification", "editor",
    "reporter", "anchor", "with:", "starring",
)


def is_boilerplate(text: str) -> bool:
    lowered = text.lower()
    return any(clue in lowered for clue in _BOILERPLATE_CLUES) and bool(_BOILERPLATE.search(text))


_DANGLING = re.compile(
    r"^[\"'\u201c`]*(?:This|These|That|Those|Such|It|Its|He|She|They|His|Her|Their|Him|Them|Both|"
    r"The (?:move|decision|visit|trip|statement|remarks|comments|purpose|same|latter|former))\b"
)
_TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
MIN_WORDS = 7
MAX_WORDS = 70


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """Lowercase with possessives and plural -s dropped: enough to match concepts across sources."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def outside_quotes(text: str) -> str:
    """The text with quoted stretches removed (a speaker's "we" is not the writer's)."""
    out, inside = [], False
    for piece in _QUOTED.split(text):
        if not inside:
            out.append(piece)
        inside = not inside
    return " ".join(out)


@dataclass(frozen=True)
class SentenceInfo:
    words: int
    position: int  # index within its source
    relative_position: float  # 0 first sentence .. 1 last
    junk: bool  # boilerplate, heading, fragment: never a summary sentence
    rhetoric: float  # 0 reported fact .. 1+ opinion, hedging, reader address
    informative: float  # names, numbers, dates, attribution
    quoted_share: float  # share of characters inside quotation marks
    dangling: bool  # opens on a pronoun or demonstrative that points back to a sentence not shown


def _phrases(lowered: str, phrases: Sequence[str]) -> int:
    return sum(lowered.count(p) for p in phrases)


def _count_in(words: Sequence[str], vocabulary: frozenset[str]) -> int:
    """How many of ``words`` are in ``vocabulary`` (a set test first: most sentences have none)."""
    if vocabulary.isdisjoint(words):
        return 0
    return sum(1 for w in words if w in vocabulary)


def describe(text: str, position: int, count: int, words: list[str] | None = None) -> SentenceInfo:
    words = tokens(text) if words is None else words
    n = len(words)
    stripped = text.strip()
    has_quotes = bool(_QUOTED.search(stripped))
    own_voice = outside_quotes(stripped) if has_quotes else stripped
    own_words = tokens(own_voice) if has_quotes else words
    own_lower = own_voice.lower()
    heading = not _TERMINAL.search(stripped)
    junk = (
        n < MIN_WORDS
        or n > MAX_WORDS
        or heading
        or is_boilerplate(stripped)
        or not any(ch.islower() for ch in stripped)
    )
    lowered_words = [w.lower() for w in own_words]
    rhetoric = 1.0 * _count_in(own_words, PERSONAL)
    rhetoric += 2.0 * (_count_in(lowered_words, CHATTY_WORDS) + _phrases(own_lower, CHATTY_PHRASES))
    rhetoric += 0.6 * (_count_in(lowered_words, RHETORIC_WORDS) + _phrases(own_lower, RHETORIC_PHRASES))
    if stripped.rstrip("\"'\u201d\u2019").endswith(("?", "!")):
        rhetoric += 1.5
    if words and words[0] in ("And", "But", "So", "Or"):
        rhetoric += 0.5
    # Proper names past the first word, numbers, dates and attribution make a sentence informative.
    names = sum(1 for w in words[1:] if w[0].isupper())
    numbers = sum(1 for w in words if w[0].isdigit())
    attributed = not ATTRIBUTION_WORDS.isdisjoint(w.lower() for w in words) or "according to" in stripped.lower()
    informative = (
        min(names, 6) / 6.0
        + min(numbers, 3) / 3.0 * 0.5
        + (0.3 if not DATE_WORDS.isdisjoint(words) else 0.0)
        + (0.4 if attributed else 0.0)
    )
    visible = len("".join(stripped.split()))
    quoted_share = max(0.0, 1.0 - len("".join(own_voice.split())) / max(1, visible)) if has_quotes else 0.0
    return SentenceInfo(
        words=n,
        position=position,
        relative_position=position / max(1, count - 1),
        junk=junk,
        rhetoric=rhetoric,
        informative=informative,
        quoted_share=quoted_share,
        dangling=bool(_DANGLING.match(stripped)),
    )


def describe_all(
    sentences: Sequence[Sentence], texts: Sequence[str], words: Sequence[list[str]] | None = None
) -> list[SentenceInfo]:
    counts = Counter(s.source for s in sentences)
    words = words if words is not None else [tokens(t) for t in texts]
    return [
        describe(t, s.index, counts[s.source], w) for s, t, w in zip(sentences, texts, words, strict=True)
    ]


# --------------------------------------------------------------------------- sources


def source_reliability(
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
    infos: Sequence[SentenceInfo],
    norms: Sequence[list[str]] | None = None,
) -> dict[str, float]:
    """A prior in (0.2, 1] per source: low for pages that address the reader or stuff keywords.

    SEO pages repeat one key phrase all through the text and talk to "you
    guys"; reflective rewrites hedge and moralise. Their sentences should only
    win when no straight report carries the point.
    """
    per_source: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        per_source[s.source].append(i)
    out = {}
    for source in sources:
        rows = per_source.get(source.id, [])
        usable = [i for i in rows if not infos[i].junk] or rows
        if not usable:
            out[source.id] = 1.0
            continue
        rhetorical = sum(1 for i in usable if infos[i].rhetoric >= 1.0) / len(usable)
        # The sentences cover the text, so their normalised words in order are the text's words.
        words = (
            [w for i in rows for w in norms[i]] if norms is not None else [normalise(w) for w in tokens(source.text)]
        )
        content = [w not in STOPWORDS for w in words]
        trigrams = Counter(
            (words[i], words[i + 1], words[i + 2])
            for i, flags in enumerate(zip(content, content[1:], content[2:], strict=False))
            if any(flags)
        )
        # Keyword stuffing: the most repeated content trigram, per 1,000 words.
        stuffing = (max(trigrams.values()) if trigrams else 0) / max(1.0, len(words) / 1000.0)
        penalty = 1.2 * rhetorical + max(0.0, stuffing - 6.0) / 10.0
        out[source.id] = float(np.clip(1.0 - penalty, 0.2, 1.0))
    return out


# --------------------------------------------------------------------------- concepts


def distinctive_words(
    words: Sequence[list[str]], norms: Sequence[list[str]], owners: Sequence[str]
) -> list[frozenset[str]]:
    """Per sentence, the stems of its content words that are NOT the story's topic words.

    A topic word appears in more than half of the sources ("Macron", "talks");
    two sentences that share only topic words are about the story, not about
    the same fact, however close their embeddings are.
    """
    # A crude stem, the first six letters of the normalised word ("preparations" ~ "preparatory").
    per_sentence = [
        {n[:6] for w, n in zip(sentence, norm, strict=True) if n not in STOPWORDS and len(w) > 1}
        for sentence, norm in zip(words, norms, strict=True)
    ]
    carriers: dict[str, set[str]] = defaultdict(set)
    for stems, owner in zip(per_sentence, owners, strict=True):
        for s in stems:
            carriers[s].add(owner)
    limit = max(2.0, len(set(owners)) / 2.0)
    # Numbers are never topic words: a shared "4.5" is strong evidence of the same fact.
    return [
        frozenset(s for s in stems if len(carriers[s]) <= limit or s[0].isdigit()) for stems in per_sentence
    ]


def shared_share(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set of distinctive stems that the other sentence also has."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


#: A content word counts as a concept too, at this fraction of a bigram's weight.
UNIGRAM_WEIGHT = 0.3
#: A source's "opening sentences" (counted by concept_source_counts for bench/fit_salience.py).
LEAD_SENTENCES = 3


def sentence_concepts(words: Sequence[str], norm: Sequence[str], *, entities: bool = False) -> set[str]:
    """Bigrams of normalised words (``norm``), minus those made only of stop words (and content unigrams)."""
    out = set()
    for a, b in zip(norm, norm[1:], strict=False):
        if a in STOPWORDS and b in STOPWORDS:
            continue
        out.add(f"{a} {b}")
    if UNIGRAM_WEIGHT > 0:
        out.update(w for w in norm if w not in STOPWORDS and len(w) > 2 and not w[0].isdigit())
    if entities:
        # Capitalised words past the first: the people, places and bodies a sentence brings in.
        out.update("E:" + n for w, n in zip(words[1:], norm[1:], strict=True) if w[0].isupper() and n not in STOPWORDS)
    return out


def concept_source_counts(
    sentences: Sequence[Sentence], concepts: Sequence[set[str]], infos: Sequence[SentenceInfo],
) -> tuple[Counter, Counter, int]:
    """Per concept, how many sources use it and how many in their opening sentences (junk excluded);
    and the number of sources."""
    # Set unions per source, then one count over sources: C-speed, not a loop over every concept.
    per_source: dict[str, set[str]] = defaultdict(set)
    leading: dict[str, set[str]] = defaultdict(set)
    for s, found, info in zip(sentences, concepts, infos, strict=True):
        if info.junk:
            continue
        per_source[s.source].update(found)
        if info.position < LEAD_SENTENCES:
            leading[s.source].update(found)
    sources, in_lead = Counter(), Counter()
    for found in per_source.values():
        sources.update(found)
    for found in leading.values():
        in_lead.update(found)
    return sources, in_lead, len(per_source)


def concept_weights(
    sentences: Sequence[Sentence],
    concepts: Sequence[set[str]],
    infos: Sequence[SentenceInfo],
    *,
    min_sources: int,
    entity_weight: float = 0.0,
) -> dict[str, float]:
    """Weight of each bigram: the number of independent sources that use it (junk excluded).

    Document frequency is what ICSISumm-style concept coverage rewards; here a
    source is an independent outlet (wire copies were collapsed), so a weight
    is literally cross-source support for that piece of wording.
    """
    sources, _, _ = concept_source_counts(sentences, concepts, infos)
    out = {}
    for c, n in sources.items():
        if c.startswith("E:"):
            # Every named actor is worth mentioning once, even one only a single outlet names.
            out[c] = entity_weight * n
            continue
        if n < min_sources:
            continue
        out[c] = n * (1.0 if " " in c else UNIGRAM_WEIGHT)
    return out
