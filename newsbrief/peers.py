"""The systems newsbrief is compared with: sumy's summarizers, Lead and an oracle.

sumy's default tokenizer needs NLTK's punkt data, which is not installed and
cannot be downloaded here, so the peers get :class:`SumyTokenizer`: our own
sentence splitter and a regex word tokenizer, behind the two methods sumy's
``Tokenizer`` exposes. sumy's English stemmer is NLTK's Snowball stemmer (pure
code, no data) and its English stop words ship inside the sumy package, so
every peer runs exactly as configured in sumy's own command line.

Each peer ranks every sentence of the story; :func:`peer_summary` then takes
sentences best-first until the word budget is reached, so the caller's
truncation to the budget cuts the lowest-ranked sentence, never a better one.

Lead (the opening of the most recent article) is the floor every DUC paper
reports, and the greedy oracle (source sentences picked against the
references) is the ceiling of any extractive system at this budget.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from .errors import ConfigError
from .records import Article
from .segment import split_text

log = logging.getLogger(__name__)

LANGUAGE = "english"

# The words sumy keeps: a letter, then letters, apostrophes or hyphens (its
# Tokenizer drops every other NLTK token with this same pattern).
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")


class SumyTokenizer:
    """sumy's ``Tokenizer`` interface over newsbrief's splitter: needs no NLTK data."""

    language = LANGUAGE

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in split_text(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def _summarizer_classes() -> dict[str, Callable]:
    try:
        from sumy.summarizers.kl import KLSummarizer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.luhn import LuhnSummarizer
        from sumy.summarizers.sum_basic import SumBasicSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
    except ImportError as exc:
        raise ConfigError("the peer summarizers need sumy: pip install 'newsbrief[eval]'") from exc

    class BudgetedKLSummarizer(KLSummarizer):
        """sumy's KL-Sum, stopping its greedy loop once the picks fill the word budget.

        sumy ranks every sentence (quadratic: ~10 s for a 10-article story);
        the first picks are identical either way, and only they reach the summary.
        """

        word_budget: int | None = None

        def _compute_ratings(self, sentences):
            word_freq = self.compute_tf(sentences)
            remaining = list(sentences)
            content = [self._get_content_words_in_sentence(s) for s in remaining]
            ratings = {s: -len(remaining) for s in remaining}  # unpicked: below every pick
            summary_words: list[str] = []
            picked_words = 0
            for rank in range(len(remaining)):
                if self.word_budget is not None and picked_words >= self.word_budget:
                    break
                kls = [self._kl_divergence(self._joint_freq(words, summary_words), word_freq)
                       for words in content]
                best = kls.index(min(kls))
                sentence = remaining.pop(best)
                del content[best]
                ratings[sentence] = -rank
                summary_words.extend(sentence.words)
                picked_words += _word_count(str(sentence))
            return ratings

    return {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
        "KL-Sum": BudgetedKLSummarizer,
        "SumBasic": SumBasicSummarizer,
    }


PEER_NAMES = ("LexRank", "TextRank", "LSA", "Luhn", "KL-Sum", "SumBasic")


def make_peer(name: str):
    """A sumy summarizer with the English stemmer and sumy's English stop words."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    classes = _summarizer_classes()
    if name not in classes:
        raise ConfigError(f"unknown peer summarizer {name!r}; choose from {', '.join(PEER_NAMES)}")
    summarizer = classes[name](Stemmer(LANGUAGE))
    # Every peer has a stop-word list; KL-Sum's is a plain attribute, the others a setter.
    summarizer.stop_words = get_stop_words(LANGUAGE)
    return summarizer


def story_document(documents: Sequence[str], tokenizer: SumyTokenizer | None = None):
    """sumy's document model of a story: one paragraph per article, in input order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = tokenizer or SumyTokenizer()
    paragraphs = []
    for text in documents:
        sentences = [Sentence(s, tokenizer) for s in tokenizer.to_sentences(text)]
        if sentences:
            paragraphs.append(Paragraph(sentences))
    return ObjectDocumentModel(paragraphs)


def _word_count(text: str) -> int:
    return len(text.split())


def peer_summary(summarizer, documents: Sequence[str], words: int) -> list[str]:
    """The peer's best-ranked sentences, best first, until they reach ``words`` words.

    sumy selects with a count; handing it a callable count lets the budget do
    the selecting over sumy's own ranking (sorted best first).
    """
    ranked: list[str] = []

    def take_until_budget(infos):
        total = 0
        chosen = []
        for info in infos:
            if total >= words:
                break
            chosen.append(info)
            total += _word_count(str(info.sentence))
        ranked.extend(str(info.sentence) for info in chosen)
        return chosen

    document = story_document(documents)
    if not document.sentences:
        return []
    if hasattr(summarizer, "word_budget"):
        summarizer.word_budget = words
    summarizer(document, take_until_budget)
    return ranked


def run_peer(name: str, documents: Sequence[str], words: int) -> list[str]:
    """Convenience: build the peer and summarise one story."""
    return peer_summary(make_peer(name), documents, words)


# --------------------------------------------------------------------------- floor and ceiling


def truncate_words(sentences: Sequence[str], words: int) -> list[str]:
    """The first ``words`` whitespace-separated words, sentence lines kept."""
    out, left = [], words
    for sentence in sentences:
        tokens = sentence.split()
        if left <= 0 or not tokens:
            if left <= 0:
                break
            continue
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


def lead_system(articles: Sequence[Article], words: int) -> list[str]:
    """Lead: the opening sentences of the most recent article (DUC's baseline).

    Without dates (Multi-News) it is the first article given.
    """
    if not articles:
        return []
    dated = [a for a in articles if a.published]
    latest = max(reversed(dated), key=lambda a: a.published) if dated else articles[0]
    return truncate_words(split_text(latest.text), words)


def _ngram_counts(tokens: Sequence[str], n: int) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        gram = tuple(tokens[i : i + n])
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def _clipped_hits(tokens: Sequence[str], refs: Sequence[dict], n: int) -> int:
    counts = _ngram_counts(tokens, n)
    return sum(min(c, ref.get(g, 0)) for ref in refs for g, c in counts.items())


def greedy_oracle(candidates: Sequence[str], refs: Sequence[str], words: int,
                  tokenize: Callable[[str], list[str]]) -> list[str]:
    """The ceiling: source sentences chosen greedily to maximise pooled ROUGE-2 recall
    (ROUGE-1 breaks ties) of the summary as truncated to ``words`` words.

    A sentence that would cross the budget is scored by the part that fits,
    because that part is all the scorer will see.
    """
    ref_tokens = [tokenize(r) for r in refs]
    ref_counts = {n: [_ngram_counts(t, n) for t in ref_tokens] for n in (1, 2)}
    unique = list(dict.fromkeys(c.strip() for c in candidates if c.strip()))
    # Tokens per whitespace word, so any word prefix of a sentence is a token prefix too.
    word_tokens = [[tokenize(w) for w in c.split()] for c in unique]
    chosen: list[int] = []
    tokens: list[str] = []
    used = 0
    best_score = (0, 0)
    while used < words:
        best = None
        for i, per_word in enumerate(word_tokens):
            if i in chosen or not per_word:
                continue
            extra = [t for w in per_word[: words - used] for t in w]
            trial = tokens + extra
            score = (_clipped_hits(trial, ref_counts[2], 2), _clipped_hits(trial, ref_counts[1], 1))
            if score > best_score:
                best, best_score = (i, extra), score
        if best is None:
            break
        chosen.append(best[0])
        tokens += best[1]
        used += len(word_tokens[best[0]])
    return truncate_words([unique[i] for i in chosen], words)
