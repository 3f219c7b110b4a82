"""Extractive multi-document summary with citations, and a headline.

The plan keeps the cost linear in sentences and embeds only a few hundred:

1. Cheap pass over every sentence (:mod:`newsbrief.salience`): junk and
   rhetoric flags, a per-source reliability prior, bigram *concepts* weighted
   by how many independent sources use them, TF-IDF similarity between
   sentences of different sources (cross-source support).
2. The best ``CANDIDATES`` sentences by covered concept weight x quality are
   embedded; embedding similarity among them refines support (paraphrases
   count) and forbids picking two sentences that say the same thing.
3. Selection maximises covered concept weight plus a per-sentence quality
   term within the word budget: an integer programme (HiGHS via
   ``scipy.optimize.milp``), greedy when the solver is unavailable or slow.
   The words the optimum leaves unused are then filled with further whole
   sentences that read on their own and repeat nothing chosen (:func:`selection.fill`,
   :meth:`_Story.fill_rest`): a reader given a budget expects it used.
   Each sentence is weighed as a summary would show it: low-content stretches
   (datelines, leading connectives, "said Friday that", parenthetical asides)
   are left out by :mod:`newsbrief.compress`, deletion only, and the
   record lists the removed ranges (``SummarySentence.omitted``).
4. Each chosen sentence cites every source that carries it: near-identical
   sentences (:func:`dedupe.group_sentences`) plus paraphrases: a TF-IDF and
   shared-distinctive-words prefilter over all sentences, then only the
   survivors are embedded and confirmed by embedding similarity.

The weights below were tuned on DUC 2004 (since session 2 on the tune half
only, :func:`newsbrief.evaluate.split_of`) and checked on the corpus and
Multi-News (docs/BENCHMARKS.md, "Summarizer development").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import compress, dedupe, salience, selection
from . import headline as headlines
from .embed import SentenceVectors, similarity
from .records import Citation, Sentence, Source, Span, SummarySentence

log = logging.getLogger(__name__)

CANDIDATES = 120
#: Two sentences of different sources carry the same information when their embeddings are
#: this close AND they share at least ``SHARED_WORDS`` of their distinctive (non-topic) words.
#: In a one-story cluster every sentence is topically close (MiniLM 0.5-0.8 between unrelated
#: sentences about the same talks), so the embedding alone cannot decide; hand-labelled pairs
#: from the shared corpus are separated by this rule (docs/BENCHMARKS.md).
PARAPHRASE = {"minilm": 0.60, "tfidf": 0.15}
SHARED_WORDS = 0.34
#: At or above this the sentences are (near) identical, whatever words they use.
IDENTICAL = {"minilm": 0.90, "tfidf": 0.75}
#: At or above this, two candidates are redundant: at most one may be chosen.
REDUNDANT = {"minilm": 0.80, "tfidf": 0.50}
#: TF-IDF cosine below which a sentence is not even considered as a paraphrase.
PREFILTER = 0.12
PREFILTER_PER_SENTENCE = 40
#: Objective = covered concept weight (normalised to 1) + per chosen sentence
#: FILL * quality * its share of the budget + CONTRAST * (quality / mean - 1) * its concept weight.
#: FILL > 0 favours long good sentences regardless of concepts; it lost ROUGE at every value tried.
FILL = 0.0
#: TF-IDF cosine at or above which a filling sentence repeats a chosen one.
LEXICAL_REDUNDANT = 0.5
CONTRAST = 1.0
DANGLING_FACTOR = 0.6
QUOTE_FACTOR = 0.6
INFORMATIVE = 0.25
POSITION = 1.5
CENTRALITY = 2.0
#: A bigram counts as a concept when this many sources use it (stories of 7+ sources).
MIN_CONCEPT_SOURCES = 3
#: Up to this many sources a story is "small": bigrams need 2 sources and named actors are concepts.
SMALL_STORY = 6
ENTITY_WEIGHT = 2.0
#: Candidates whose quality is below this share of the median never enter the selection.
QUALITY_FLOOR = 0.3
#: A sentence this rhetorical (the writer's own "I"/"we"/"you", a question, chat, hedging) never
#: fills left-over words: the selection may still weigh it, but a filler must read as a report.
FILL_RHETORIC = 1.0
#: Leave low-content stretches out of summary sentences (:mod:`newsbrief.compress`): a weekday after
#: the verb, datelines, leading connectives and time phrases, "said here", parenthetical asides.
#: The selection counts each sentence's words and concepts as shown. DUC tune +0.51 R-1 recall.
COMPRESS = True


def word_count(text: str) -> int:
    return len(text.split())


def summarize(
    sources: Sequence[Source],
    sentences: Sequence[Sentence],
    vectors: SentenceVectors,
    *,
    words: int,
    cut_last: bool = False,
) -> tuple[str, list[SummarySentence]]:
    """A headline and at most ``words`` words of source sentences, each citing its supporters.

    ``cut_last`` follows the DUC rule instead: the words the whole sentences
    leave are given to one more sentence, placed last, which the caller cuts at
    the budget (what DUC's scorer and every sumy peer's budget do).
    """
    by_id = {s.id: s for s in sources}
    sentences = list(sentences)
    if not sentences:
        return headlines.from_titles(sources, []) or "", []
    story = _Story(sources, sentences, by_id, _Thresholds.of(vectors))
    candidates = story.candidates(CANDIDATES, words)
    chosen: list[int] = []
    if candidates:
        cand_vectors = vectors.rows(candidates)
        sims = similarity(cand_vectors, cand_vectors)
        support = story.candidate_support(candidates, sims)
        chosen = story.select(candidates, sims, support, words)
    # The words the optimum leaves unused: first among the candidates (in select), then any sentence.
    chosen = story.fill_rest(chosen, words)
    summary = [story.summary_sentence(i, story.supporters(i, vectors)) for i in chosen]
    order = sorted(
        range(len(chosen)),
        key=lambda k: (-summary[k].support, story.infos[chosen[k]].relative_position, chosen[k]),
    )
    summary = [summary[k] for k in order]
    if cut_last:
        tail = story.overflow_sentence(chosen, words)
        if tail is not None:
            summary.append(story.summary_sentence(tail, story.supporters(tail, vectors)))
    headline = headlines.from_titles(sources, summary) or headlines.compress(summary[0].text if summary else "")
    log.info("summary: %d sentences, %d words", len(summary), sum(word_count(s.text) for s in summary))
    return headline, summary


@dataclass(frozen=True)
class _Thresholds:
    paraphrase: float
    identical: float
    redundant: float

    @classmethod
    def of(cls, vectors: SentenceVectors) -> _Thresholds:
        name = vectors.embedder.name if vectors.embedder.name in PARAPHRASE else "minilm"
        return cls(PARAPHRASE[name], IDENTICAL[name], REDUNDANT[name])


class _Story:
    """The cheap, all-sentence evidence of one story."""

    def __init__(
        self, sources: Sequence[Source], sentences: list[Sentence], by_id: dict[str, Source], limits: _Thresholds
    ):
        self.sources = sources
        self.sentences = sentences
        self.limits = limits
        self.texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
        # What a summary would show of each sentence: the words the budget counts and the concepts it covers.
        opening = {}  # source id -> start of its first sentence, where a bare dateline may stand
        for s in sentences:
            opening[s.source] = min(s.start, opening.get(s.source, s.start))
        self.cuts = [compress.omissions(t, opens_article=s.start == opening[s.source]) if COMPRESS else ()
                     for s, t in zip(sentences, self.texts, strict=True)]
        self.shown = [compress.kept_text(t, c) if c else t for t, c in zip(self.texts, self.cuts, strict=True)]
        self.lengths = np.array([word_count(t) for t in self.shown])
        words = [salience.tokens(t) for t in self.texts]
        # Normalised once here: concepts, distinctive words, TF-IDF and the reliability prior share them.
        norms = [[salience.normalise(w) for w in ws] for ws in words]
        shown_words, shown_norms = list(words), list(norms)
        for i in (i for i, cut in enumerate(self.cuts) if cut):
            shown_words[i] = salience.tokens(self.shown[i])
            shown_norms[i] = [salience.normalise(w) for w in shown_words[i]]
        self.infos = salience.describe_all(sentences, self.texts, words)
        self.reliability = salience.source_reliability(sources, sentences, self.infos, norms)
        # In a small story most facts come from one outlet, so shared wording says little about
        # which of them to add; naming an actor the summary has not yet named is the better guide.
        small = len(sources) <= SMALL_STORY
        self.concepts = [
            salience.sentence_concepts(w, n, entities=small) for w, n in zip(shown_words, shown_norms, strict=True)
        ]
        min_sources = 1 if len(sources) == 1 else 2 if small else MIN_CONCEPT_SOURCES
        weights = salience.concept_weights(
            sentences, self.concepts, self.infos, min_sources=min_sources, entity_weight=ENTITY_WEIGHT if small else 0.0
        )
        total = sum(weights.values()) or 1.0
        self.weights = {c: w / total for c, w in weights.items()}
        self.distinctive = salience.distinctive_words(words, norms, [s.source for s in sentences])
        self.lexical = _tfidf_rows(norms)
        self.groups = dedupe.group_sentences(sentences, by_id)
        self.group_of = dedupe.group_index(self.groups, sentences)
        self.positions = {(s.source, s.index): k for k, s in enumerate(sentences)}
        self.lexical_support = _cross_source_support(self.lexical, sentences, threshold=0.3)
        self.quality = self._quality()

    # ------------------------------------------------------------------ scoring

    def _quality(self) -> np.ndarray:
        q = np.zeros(len(self.sentences))
        usable_rows = [i for i, info in enumerate(self.infos) if not info.junk]
        centrality = np.zeros(len(self.sentences))
        if usable_rows:
            centroid = np.asarray(self.lexical[usable_rows].mean(axis=0)).ravel()
            centrality = np.asarray(self.lexical @ centroid).ravel()
            centrality /= centrality.max() or 1.0
        for i, (s, info) in enumerate(zip(self.sentences, self.infos, strict=True)):
            if info.junk:
                continue
            value = self.reliability[s.source]
            value *= float(np.exp(-0.6 * info.rhetoric))
            value *= 1.0 + INFORMATIVE * min(info.informative, 1.5)
            # Newswire puts the news first; later sentences add background.
            value *= 1.0 + POSITION / (1.0 + info.position)
            # Central: close to what the story as a whole is about (TF-IDF centroid).
            value *= (0.2 + centrality[i]) ** CENTRALITY
            if info.dangling:
                value *= DANGLING_FACTOR  # out of its paragraph, "This comes after..." says little
            if info.quoted_share > 0.6:
                value *= QUOTE_FACTOR  # a bare quote without its speaker reads badly out of context
            value *= 1.0 + 0.1 * min(self.lexical_support[i], 5)
            q[i] = value
        usable = q[q > 0]
        if usable.size:
            q[q < QUALITY_FLOOR * float(np.median(usable))] = 0.0
        return q

    def coverage(self, i: int) -> float:
        return sum(self.weights.get(c, 0.0) for c in self.concepts[i])

    def candidates(self, limit: int, budget: int) -> list[int]:
        scores = np.zeros(len(self.sentences))
        for i in np.nonzero(self.quality > 0)[0]:  # the rest (junk, below the floor) score 0 anyway
            scores[i] = self.quality[i] * (self.coverage(i) + FILL * min(self.lengths[i], budget) / budget)
        usable = [i for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        return sorted(int(i) for i in usable[:limit])

    def same_information(self, i: int, j: int, sim: float) -> bool:
        """Whether sentence j (another source's) carries what sentence i says."""
        if sim >= self.limits.identical or (self.group_of[i] >= 0 and self.group_of[i] == self.group_of[j]):
            return True
        return (
            sim >= self.limits.paraphrase
            and salience.shared_share(self.distinctive[i], self.distinctive[j]) >= SHARED_WORDS
        )

    def candidate_support(self, candidates: list[int], sims: np.ndarray) -> np.ndarray:
        """Distinct other sources whose candidate sentence carries each candidate's information."""
        owners = [self.sentences[i].source for i in candidates]
        support = np.zeros(len(candidates))
        for row, i in enumerate(candidates):
            others = {
                owners[col]
                for col in np.nonzero(sims[row] >= self.limits.paraphrase)[0]
                if owners[col] != owners[row] and self.same_information(i, candidates[col], sims[row, col])
            }
            support[row] = len(others)
        return support

    # ------------------------------------------------------------------ selection

    def select(self, candidates: list[int], sims: np.ndarray, support: np.ndarray, budget: int) -> list[int]:
        lengths = self.lengths[candidates]
        fits = [k for k in range(len(candidates)) if lengths[k] <= budget]
        if not fits:
            return []
        quality = self.quality[candidates] * (1.0 + 0.2 * np.minimum(support, 4))
        concept_ids: dict[str, int] = {}
        members: list[list[int]] = []
        for k in fits:
            members.append(
                [concept_ids.setdefault(c, len(concept_ids)) for c in self.concepts[candidates[k]] if c in self.weights]
            )
        weights = np.zeros(len(concept_ids))
        for c, j in concept_ids.items():
            weights[j] = self.weights[c]
        mean_q = float(np.mean(quality[fits])) or 1.0
        # Linear in the choice of each sentence, so the integer programme stays exact.
        bonus = np.array(
            [
                FILL * quality[k] * lengths[k] / budget
                + CONTRAST * (quality[k] / mean_q - 1.0) * weights[members[n]].sum()
                for n, k in enumerate(fits)
            ]
        )
        pairs = self._conflicts(candidates, fits, sims)
        picked = selection.solve_ilp(members, weights, bonus, lengths[fits], budget, pairs)
        if picked is None:
            picked = selection.greedy(members, weights, bonus, lengths[fits], budget, pairs)
        readable = [self.reads_alone(candidates[k]) for k in fits]
        picked = selection.fill(picked, members, weights, quality[fits], lengths[fits], budget, pairs, readable)
        return [candidates[fits[n]] for n in picked]

    def fill_rest(self, chosen: list[int], budget: int) -> list[int]:
        """Words still unused after the candidates: any other usable sentence that fits them.

        Short sentences rarely make the embedded candidates (those rank by covered
        weight), yet one is often all that fits the last few words. It must read on
        its own and repeat no chosen sentence (no shared near-identical group, TF-IDF
        cosine below the redundancy line); most uncovered concept weight x quality first.
        """
        chosen = list(chosen)
        left, covered = self._unused(chosen, budget)
        while left >= salience.MIN_WORDS:
            pool = self._fresh(chosen, left)
            if not pool:
                break
            best = pool[int(np.argmax([self._gain(self.concepts[i], covered, i) for i in pool]))]
            chosen.append(best)
            covered |= self.concepts[best]
            left -= int(self.lengths[best])
        return chosen

    def overflow_sentence(self, chosen: list[int], budget: int) -> int | None:
        """The sentence whose opening words best use what the budget leaves (DUC's cut rule)."""
        left, covered = self._unused(chosen, budget)
        if left <= 0:
            return None
        best, best_score = None, 0.0
        for i in self._fresh(chosen):
            words = salience.tokens(" ".join(self.shown[i].split()[:left]))
            score = self._gain(salience.sentence_concepts(words, [salience.normalise(w) for w in words]), covered, i)
            if score > best_score:
                best, best_score = i, score
        return best

    def _unused(self, chosen: list[int], budget: int) -> tuple[int, set[str]]:
        """The words ``chosen`` leaves of the budget, and the concepts it already covers."""
        left = budget - int(sum(self.lengths[i] for i in chosen))
        return left, set().union(*(self.concepts[i] for i in chosen)) if chosen else set()

    def reads_alone(self, i: int) -> bool:
        """Whether sentence ``i`` can be added just to use words: no pronoun pointing back, no writer's voice."""
        info = self.infos[i]
        return not info.dangling and info.rhetoric < FILL_RHETORIC

    def _fresh(self, chosen: list[int], max_words: int | None = None) -> list[int]:
        """Usable sentences (of at most ``max_words``) that read on their own and repeat nothing chosen."""
        usable = self.quality > 0
        if max_words is not None:
            usable &= self.lengths <= max_words
        pool = [int(i) for i in np.nonzero(usable)[0] if i not in chosen and self.reads_alone(int(i))]
        return [i for i, repeats in zip(pool, self._repeats(pool, chosen), strict=True) if not repeats]

    def _gain(self, concepts: set[str], covered: set[str], i: int) -> float:
        """Uncovered concept weight sentence ``i`` would add with ``concepts``, times its quality."""
        return (sum(self.weights.get(c, 0.0) for c in concepts - covered) + selection.FILL_FLOOR) * self.quality[i]

    def _repeats(self, pool: list[int], chosen: list[int]) -> list[bool]:
        """For each sentence of ``pool``, whether it repeats a chosen sentence."""
        if not chosen or not pool:
            return [False] * len(pool)
        groups = {self.group_of[j] for j in chosen} - {-1}
        closest = similarity(self.lexical[pool], self.lexical[chosen]).max(axis=1)
        return [self.group_of[i] in groups or float(c) >= LEXICAL_REDUNDANT for i, c in zip(pool, closest, strict=True)]

    def _conflicts(self, candidates: list[int], fits: list[int], sims: np.ndarray) -> list[tuple[int, int]]:
        """Pairs (positions in ``fits``) that must not both be chosen: they say the same thing.

        Directly (very close embeddings, or same information), or through a third
        sentence both of them paraphrase: two outlets' wordings of one fact rarely
        match each other as well as each matches the agency original.
        """
        n = len(fits)
        same = [set() for _ in range(n)]
        pairs = set()
        for a in range(n):
            for b in range(a + 1, n):
                sim = sims[fits[a], fits[b]]
                if sim < self.limits.paraphrase:
                    continue
                if sim >= self.limits.redundant:
                    pairs.add((a, b))
                if self.same_information(candidates[fits[a]], candidates[fits[b]], sim):
                    pairs.add((a, b))
                    same[a].add(b)
                    same[b].add(a)
        for neighbours in same:
            ordered = sorted(neighbours)
            pairs.update((x, y) for k, x in enumerate(ordered) for y in ordered[k + 1 :])
        return sorted(pairs)

    # ------------------------------------------------------------------ citations

    def supporters(self, i: int, vectors: SentenceVectors) -> list[int]:
        """Sentence i, then the best supporting sentence of each other source that carries it."""
        own = self.sentences[i].source
        best: dict[str, tuple[int, float]] = {}
        if self.group_of[i] >= 0:
            for m in self.groups[self.group_of[i]].members:
                if m.source != own:
                    best[m.source] = (self.positions[(m.source, m.index)], 2.0)
        row = _row_similarities(self.lexical, i)
        # Only sentences that could pass the shared-words test are worth embedding.
        mine = self.distinctive[i]
        others = [
            int(j)
            for j in np.nonzero(row >= PREFILTER)[0]
            if self.sentences[j].source != own
            and not self.infos[j].junk
            and salience.shared_share(mine, self.distinctive[j]) >= SHARED_WORDS
        ]
        others = sorted(others, key=lambda j: -row[j])[:PREFILTER_PER_SENTENCE]
        if others:
            sims = similarity(vectors.rows([i]), vectors.rows(others))[0]
            for j, sim in zip(others, sims, strict=True):
                source = self.sentences[j].source
                if self.same_information(i, j, float(sim)) and (source not in best or sim > best[source][1]):
                    best[source] = (j, float(sim))
        ranked = sorted(best.values(), key=lambda pair: (-pair[1], pair[0]))
        return [i] + [j for j, _ in ranked]

    def summary_sentence(self, i: int, supporters: list[int]) -> SummarySentence:
        cites = tuple(
            Citation(source=self.sentences[j].source, start=self.sentences[j].start, end=self.sentences[j].end)
            for j in supporters
        )
        start = self.sentences[i].start
        omitted = tuple(Span(start + a, start + b) for a, b in self.cuts[i])
        return SummarySentence(
            text=self.shown[i], citations=cites, support=len({c.source for c in cites}), omitted=omitted
        )


# --------------------------------------------------------------------------- helpers


def _tfidf_rows(words: Sequence[list[str]]):
    """L2-normalised TF-IDF rows (sparse) for lexical similarity between sentences.

    ``words``: each sentence's normalised words (:func:`salience.normalise`).

    Built by hand on scipy.sparse: importing scikit-learn costs more than a
    second of a briefing's cold start.
    """
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for sentence in words:
        bag: dict[int, int] = {}
        for word in sentence:
            if word in salience.STOPWORDS or len(word) < 2:
                continue
            column = vocabulary.setdefault(word, len(vocabulary))
            bag[column] = bag.get(column, 0) + 1
        indices.extend(bag)
        counts.extend(bag.values())
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.asarray(counts, dtype=np.float32), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(words), max(1, len(vocabulary))),
    )
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1.0 + len(words)) / (1.0 + df)) + 1.0
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices].astype(np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


def _row_similarities(matrix, i: int) -> np.ndarray:
    return np.asarray((matrix @ matrix[i].T).toarray()).ravel()


def _cross_source_support(matrix, sentences: Sequence[Sentence], *, threshold: float, block: int = 500):
    """For each sentence, how many other sources have a lexically similar sentence.

    Computed in row blocks of a sparse product so memory stays linear; the
    work is proportional to shared rare words, not to all sentence pairs.
    """
    n = len(sentences)
    owner = np.array([hash(s.source) for s in sentences])
    support = np.zeros(n)
    for begin in range(0, n, block):
        product = (matrix[begin : begin + block] @ matrix.T).tocoo()
        keep = (product.data >= threshold) & (owner[product.row + begin] != owner[product.col])
        rows, cols = product.row[keep] + begin, product.col[keep]
        pairs = set(zip(rows.tolist(), owner[cols].tolist(), strict=True))
        for row, _ in pairs:
            support[row] += 1
    return support
