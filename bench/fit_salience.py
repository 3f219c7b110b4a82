"""Learned concept weights (RegSum-style), fitted on the TUNE halves only, and checked by cross-validation.

RegSum-style supervision: for every concept the summarizer would weight
(bigrams and content unigrams used by enough sources of a story), the target
is the share of the cluster's human references that use it. A logistic
regression on cheap story-level features (FEATURES below: share of
sources, in how many sources' opening sentences, bigram or not, ...) predicts
it; for the ROUGE check the summarizer's concept weights are swapped for
learned ones (``salience.concept_weights`` wrapped here, the library is not
changed): either the source count tilted by (chance / story mean) ** POWER,
or (``--replace``) chance x number of sources (content unigrams x UNIGRAM).

``--sentences``: a sentence-level model instead (least squares of a sentence's
bigram precision against the references on its features), multiplied into the
summarizer's quality as (predicted / mean) ** POWER (``summarize._Story._quality``
wrapped here).

Result (docs/BENCHMARKS.md, "Summarizer development"): both models rank held-out
concepts / sentences better than what the summarizer uses, but no use of either
raised ROUGE on the held-out folds, so the library is unchanged.

Only clusters of the tune half (:func:`newsbrief.evaluate.split_of`) are read.
Cross-validation inside the tune half: tune clusters alternate between two
folds (sorted ids); each fold is scored with a model fitted on the other.

    python bench/fit_salience.py                       # fit on DUC + Multi-News tune, print coefficients
    python bench/fit_salience.py --cv                  # AUC of learned vs source-count weights per fold
    python bench/fit_salience.py --cv --rouge duc      # + ROUGE of the summarizer per held-out fold
    python bench/fit_salience.py --cv --rouge duc --replace --unigram 0.3
    python bench/fit_salience.py --cv --sentences --datasets duc --rouge duc --power 0.5

The data is read from ../shared/eval next to the repository and never copied;
nothing goes into the library unless a use of the model gains on held-out folds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
sys.path.insert(0, str(REPO))

from newsbrief import dedupe, evaluate, peers, salience, segment, summarize  # noqa: E402

DATASETS = {"duc": ("duc2004_task2.jsonl", 100), "multinews": ("multinews_val250.jsonl", 250)}
FEATURES = ("source_share", "log_sources", "lead_share", "bigram", "stopword_bigram", "number", "long_word", "bias")


def concept_features(concepts, sources: Counter, leading: Counter, n_sources: int) -> np.ndarray:
    """One row per concept: how widely and how early the story's sources use it, and what it is."""
    rows = np.zeros((len(concepts), len(FEATURES)))
    total = max(1, n_sources)
    for r, c in enumerate(concepts):
        n = sources[c]
        parts = c.split(" ")
        rows[r, 0] = n / total
        rows[r, 1] = np.log(n)
        rows[r, 2] = leading[c] / total
        rows[r, 3] = len(parts) == 2
        rows[r, 4] = len(parts) == 2 and (parts[0] in salience.STOPWORDS or parts[1] in salience.STOPWORDS)
        rows[r, 5] = any(p[:1].isdigit() for p in parts)
        rows[r, 6] = max(len(p) for p in parts) >= 8
        rows[r, 7] = 1.0
    return rows


def learned_weights(coef, *, power: float, replace: bool, unigram: float):
    """A stand-in for salience.concept_weights that reweights its bigrams and unigrams by the model."""
    original = salience.concept_weights

    def weights(sentences, concepts, infos, *, min_sources, entity_weight=0.0):
        out = original(sentences, concepts, infos, min_sources=min_sources, entity_weight=entity_weight)
        kept = [c for c in out if not c.startswith("E:")]
        if not kept:
            return out
        counts, in_lead, n_sources = salience.concept_source_counts(sentences, concepts, infos)
        chance = 1.0 / (1.0 + np.exp(-(concept_features(kept, counts, in_lead, n_sources) @ coef)))
        for c, p in zip(kept, chance, strict=True):
            if replace:
                out[c] = float(p) * n_sources * (1.0 if " " in c else unigram)
            else:
                out[c] *= float(p / chance.mean()) ** power
        return out

    return weights


def tune_clusters(dataset: str):
    clusters = evaluate.load_clusters(EVAL / DATASETS[dataset][0])
    clean = evaluate.needs_cleaning(clusters)
    halves = evaluate.split_of([c.id for c in clusters])
    tune = sorted((c for c in clusters if halves[c.id] == "tune"), key=lambda c: c.id)
    return tune, clean


def reference_concepts(refs) -> list[set[str]]:
    out = []
    for ref in refs:
        norm = [salience.normalise(w) for w in salience.tokens(ref)]
        out.append(set(norm) | {f"{a} {b}" for a, b in zip(norm, norm[1:], strict=False)})
    return out


def cluster_rows(cluster, clean: bool):
    """Features and targets of the concepts the summarizer would weight in this cluster."""
    sources = dedupe.collapse_duplicates(evaluate.cluster_articles(cluster, clean=clean))
    if not sources:
        return None
    by_id = {s.id: s for s in sources}
    sentences = segment.segment(sources)
    texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
    words = [salience.tokens(t) for t in texts]
    norms = [[salience.normalise(w) for w in ws] for ws in words]
    infos = salience.describe_all(sentences, texts, words)
    small = len(sources) <= summarize.SMALL_STORY
    concepts = [salience.sentence_concepts(w, n, entities=small) for w, n in zip(words, norms, strict=True)]
    min_sources = 1 if len(sources) == 1 else 2 if small else summarize.MIN_CONCEPT_SOURCES
    counts, in_lead, n_sources = salience.concept_source_counts(sentences, concepts, infos)
    kept = [c for c, n in counts.items() if n >= min_sources and not c.startswith("E:")]
    if not kept:
        return None
    x = concept_features(kept, counts, in_lead, n_sources)
    refs = reference_concepts(cluster.refs)
    y = np.array([sum(c in r for r in refs) / len(refs) for c in kept])
    return x, y, np.array([counts[c] for c in kept], dtype=float)


def fit(rows) -> np.ndarray:
    """Logistic regression on soft targets: each concept twice, weighted by y and 1 - y."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    # Each cluster counts once, whatever its number of concepts.
    w = np.concatenate([np.full(len(r[1]), 1.0 / len(r[1])) for r in rows])
    xx = np.vstack([x, x])
    yy = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    ww = np.concatenate([w * y, w * (1 - y)])
    model = LogisticRegression(C=10.0, fit_intercept=False, max_iter=2000)
    model.fit(xx[:, :], yy, sample_weight=ww * len(rows))
    return model.coef_.ravel()


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    labels = y > 0
    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else float("nan")


def rouge_of(dataset: str, clusters, clean: bool, weights) -> dict[str, float]:
    from newsbrief.resources import Resources
    from newsbrief.settings import Settings

    original = salience.concept_weights
    if weights is not None:
        salience.concept_weights = weights
    words = DATASETS[dataset][1]
    resources = Resources(Settings(embedder="minilm"))
    system = evaluate.newsbrief_system(resources)
    scorer = evaluate.RougeScorer()
    rows = []
    for c in clusters:
        articles = evaluate.cluster_articles(c, clean=clean)
        if not articles:
            continue
        result = scorer.score(peers.truncate_words(system(articles, words), words), c.refs)
        rows.append((result["rouge1"][0], result["rouge1"][1], result["rouge2"][0], result["rouge2"][1]))
    salience.concept_weights = original
    return {k: 100 * statistics.mean(r[n] for r in rows) for n, k in enumerate(("r1", "r1f", "r2", "r2f"))}


# --------------------------------------------------------------------------- sentence level

SENTENCE_FEATURES = ("log_quality", "density", "log_length", "lead", "informative", "quoted", "support", "bias")


def sentence_features(story) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the usable sentences (quality > 0) of a summarize._Story, and their indices."""
    rows = np.nonzero(story.quality > 0)[0]
    x = np.zeros((len(rows), len(SENTENCE_FEATURES)))
    for r, i in enumerate(rows):
        info = story.infos[i]
        x[r] = (np.log(story.quality[i]), 100 * story.coverage(i) / max(1, story.lengths[i]),
                np.log(max(1, story.lengths[i])), 1.0 / (1.0 + info.position), min(info.informative, 1.5),
                info.quoted_share, min(story.lexical_support[i], 5), 1.0)
    return x, rows


def sentence_rows(cluster, clean: bool):
    """Features of a cluster's usable sentences and their target: share of their bigrams the references use."""
    sources = dedupe.collapse_duplicates(evaluate.cluster_articles(cluster, clean=clean))
    if not sources:
        return None
    by_id = {s.id: s for s in sources}
    story = summarize._Story(sources, segment.segment(sources), by_id, summarize._Thresholds(0.6, 0.9, 0.8))
    x, rows = sentence_features(story)
    if not len(rows):
        return None
    refs = reference_concepts(cluster.refs)
    y = np.zeros(len(rows))
    for r, i in enumerate(rows):
        norm = [salience.normalise(w) for w in salience.tokens(story.texts[i])]
        grams = [f"{a} {b}" for a, b in zip(norm, norm[1:], strict=False)]
        y[r] = statistics.mean(sum(g in ref for g in grams) / max(1, len(grams)) for ref in refs)
    return x, y


def fit_sentences(rows) -> np.ndarray:
    """Least squares, each cluster weighted once."""
    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    w = np.sqrt(np.concatenate([np.full(len(r[1]), 1.0 / len(r[1])) for r in rows]))
    coef, *_ = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)
    return coef


def learned_quality(coef, *, power: float):
    """A stand-in for summarize._Story._quality: the hand-made quality x (predicted / mean) ** power."""
    original = summarize._Story._quality

    def quality(story):
        q = original(story)
        story.quality = q
        x, rows = sentence_features(story)
        if len(rows):
            predicted = np.clip(x @ coef, 1e-3, None)
            q[rows] *= (predicted / predicted.mean()) ** power
        return q

    return quality


def spearman_mean(rows, scores) -> float:
    from scipy.stats import spearmanr

    values = [spearmanr(s, r[1]).statistic for r, s in zip(rows, scores, strict=True) if len(r[1]) > 2]
    return float(np.nanmean(values))


def sentence_cv(args, data) -> None:
    for fold in args.folds:
        train = [r for name in data for k, r in enumerate(data[name][3]) if k % 2 != fold and r is not None]
        coef = fit_sentences(train)
        print(f"fold {fold} coefficients: " + ", ".join(f"{n} {c:+.4f}" for n, c in zip(SENTENCE_FEATURES, coef, strict=True)))
        for name, (clusters, clean, _rows, rows) in data.items():
            held = [(k, r) for k, r in enumerate(rows) if k % 2 == fold and r is not None]
            learned = spearman_mean([r for _, r in held], [r[0] @ coef for _, r in held])
            current = spearman_mean([r for _, r in held], [r[0][:, 0] for _, r in held])
            print(f"fold {fold} {name}: {len(held)} clusters, mean Spearman learned {learned:.3f} vs quality {current:.3f}")
            if args.rouge == name:
                original = summarize._Story._quality
                summarize._Story._quality = learned_quality(coef, power=args.power)
                try:
                    m = rouge_of(name, [clusters[k] for k, _ in held], clean, None)
                finally:
                    summarize._Story._quality = original
                print(f"  ROUGE learned quality R-1 R {m['r1']:.2f} F {m['r1f']:.2f}  R-2 R {m['r2']:.2f} F {m['r2f']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", choices=sorted(DATASETS), default=["duc", "multinews"])
    parser.add_argument("--cv", action="store_true", help="two-fold cross-validation inside the tune half")
    parser.add_argument("--sentences", action="store_true", help="sentence-level model instead (with --cv)")
    parser.add_argument("--rouge", choices=sorted(DATASETS), help="with --cv: ROUGE of held-out folds")
    parser.add_argument("--runs", nargs="+", choices=["count", "learned"], default=["count", "learned"],
                        help="with --rouge: the source-count run, the learned run or both")
    parser.add_argument("--folds", nargs="+", type=int, choices=[0, 1], default=[0, 1])
    parser.add_argument("--power", type=float, default=0.5, help="tilt: count x (chance / mean) ** POWER")
    parser.add_argument("--replace", action="store_true", help="weight = chance x number of sources instead")
    parser.add_argument("--unigram", type=float, default=1.0, help="with --replace: factor of content unigrams")
    args = parser.parse_args()
    data = {}
    for name in args.datasets:
        clusters, clean = tune_clusters(name)
        data[name] = (clusters, clean, [cluster_rows(c, clean) for c in clusters])
    if args.sentences:
        for name in data:
            data[name] = (*data[name], [sentence_rows(c, data[name][1]) for c in data[name][0]])
        sentence_cv(args, data)
        return
    if not args.cv:
        rows = [r for name in data for r in data[name][2] if r is not None]
        coef = fit(rows)
        print(f"fitted on {len(rows)} tune clusters ({', '.join(data)})")
        for name, c in zip(FEATURES, coef, strict=True):
            print(f"  {name:<16} {c:+.3f}")
        return
    for fold in args.folds:
        train = [r for name in data for k, r in enumerate(data[name][2]) if k % 2 != fold and r is not None]
        coef = fit(train)
        for name, (clusters, clean, rows) in data.items():
            held = [(k, r) for k, r in enumerate(rows) if k % 2 == fold and r is not None]
            learned = statistics.mean(auc(r[0] @ coef, r[1]) for _, r in held)
            counts = statistics.mean(auc(r[2], r[1]) for _, r in held)
            print(f"fold {fold} {name}: {len(held)} clusters, mean AUC learned {learned:.3f} vs source count {counts:.3f}")
            if args.rouge == name:
                fold_clusters = [clusters[k] for k, _ in held]
                stand_in = learned_weights(coef, power=args.power, replace=args.replace, unigram=args.unigram)
                runs = {"count": ("source count", None), "learned": ("learned", stand_in)}
                for label, c in (runs[r] for r in args.runs):
                    m = rouge_of(name, fold_clusters, clean, c)
                    print(f"  ROUGE {label:<12} R-1 R {m['r1']:.2f} F {m['r1f']:.2f}  R-2 R {m['r2']:.2f} F {m['r2f']:.2f}")


if __name__ == "__main__":
    main()
