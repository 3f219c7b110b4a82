"""Quick ROUGE of the newsbrief summarizer on DUC 2004 task 2 (and Multi-News).

Scores ``newsbrief.summarize.summarize`` the way the DUC 2004 literature
reports it: ROUGE-1/ROUGE-2 *recall* against the 4 human references, the
``rouge-score`` package with Porter stemming, every summary truncated to its
first 100 words. The 13 published SumRepo systems are re-scored with the very
same scorer, so the comparison is like for like.

    python bench/quick_rouge.py                      # DUC, TF-IDF sentence vectors
    python bench/quick_rouge.py --embedder minilm    # DUC, MiniLM vectors
    python bench/quick_rouge.py --dataset multinews  # Multi-News val sample, ROUGE F1, 250 words

The data is read from ../shared/eval next to the repository and never copied.
This is a development tool; the full harness is ``newsbrief eval summarize``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
sys.path.insert(0, str(REPO))

from newsbrief import dedupe, segment, summarize  # noqa: E402
from newsbrief.embed import SentenceVectors  # noqa: E402
from newsbrief.records import Article  # noqa: E402
from newsbrief.resources import MiniLMEmbedder, TfidfEmbedder  # noqa: E402


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def load(name: str) -> list[dict]:
    with (EVAL / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def articles_of(cluster: dict) -> list[Article]:
    return [
        Article(
            id=str(doc.get("id", n)),
            origin=str(doc.get("id", n)),
            text=doc["text"],
            raw_text=doc["text"],
            raw_chars=len(doc["text"]),
            published=doc.get("date"),
        )
        for n, doc in enumerate(cluster["docs"])
    ]


def run_summarizer(cluster: dict, embedder, words: int, collapse: bool) -> tuple[str, str]:
    articles = articles_of(cluster)
    if collapse:
        sources = dedupe.collapse_duplicates(articles)
    else:
        from newsbrief.records import Source

        sources = [Source(str(n), a) for n, a in enumerate(articles, start=1)]
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, embedder)
    headline, summary = summarize.summarize(sources, sentences, vectors, words=words)
    return headline, "\n".join(s.text for s in summary)


def score_duc(args) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    clusters = load("duc2004_task2.jsonl")[: args.limit or None]
    ids = {c["id"] for c in clusters}

    def recall(summary: str, refs: list[str]) -> tuple[float, float]:
        summary = truncate(summary, 100)
        r1 = statistics.mean(scorer.score(ref, summary)["rouge1"].recall for ref in refs)
        r2 = statistics.mean(scorer.score(ref, summary)["rouge2"].recall for ref in refs)
        return r1, r2

    refs = {c["id"]: c["refs"] for c in clusters}
    systems: dict[str, list[tuple[float, float]]] = defaultdict(list)
    if not args.skip_systems:
        for row in load("sumrepo_duc2004.jsonl"):
            if row["id"] in ids:
                systems[row["system"]].append(recall(row["summary"], refs[row["id"]]))
    embedder = MiniLMEmbedder() if args.embedder == "minilm" else TfidfEmbedder()
    started = time.perf_counter()
    ours, lengths = [], []
    for cluster in clusters:
        _, text = run_summarizer(cluster, embedder, args.words, not args.no_dedupe)
        lengths.append(len(text.split()))
        ours.append(recall(text, cluster["refs"]))
    elapsed = time.perf_counter() - started
    systems[f"newsbrief ({args.embedder})"] = ours
    print(f"DUC 2004 task 2, {len(clusters)} clusters, ROUGE recall x100 (rouge-score, stemmed, 100 words)")
    for name, values in sorted(systems.items(), key=lambda kv: statistics.mean(v[0] for v in kv[1])):
        r1 = 100 * statistics.mean(v[0] for v in values)
        r2 = 100 * statistics.mean(v[1] for v in values)
        print(f"  {name:<22} R-1 {r1:6.2f}   R-2 {r2:6.2f}")
    print(f"newsbrief: mean summary {statistics.mean(lengths):.1f} words, {elapsed:.1f} s for {len(clusters)} clusters")


def score_multinews(args) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    clusters = load("multinews_val250.jsonl")[: args.limit or None]
    embedder = MiniLMEmbedder() if args.embedder == "minilm" else TfidfEmbedder()
    words = args.words if args.words != 100 else 250
    r1, r2 = [], []
    started = time.perf_counter()
    for cluster in clusters:
        _, text = run_summarizer(cluster, embedder, words, not args.no_dedupe)
        scores = scorer.score(cluster["refs"][0], text)
        r1.append(scores["rouge1"].fmeasure)
        r2.append(scores["rouge2"].fmeasure)
    elapsed = time.perf_counter() - started
    print(f"Multi-News val sample, {len(clusters)} clusters, {words} words, ROUGE F1 x100 (rouge-score, stemmed)")
    print(f"  newsbrief ({args.embedder})  R-1 {100 * statistics.mean(r1):6.2f}   R-2 {100 * statistics.mean(r2):6.2f}")
    print(f"{elapsed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["duc", "multinews"], default="duc")
    parser.add_argument("--embedder", choices=["tfidf", "minilm"], default="tfidf")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters")
    parser.add_argument("--no-dedupe", action="store_true", help="one source per document, copies kept")
    parser.add_argument("--skip-systems", action="store_true", help="do not re-score the 13 systems")
    args = parser.parse_args()
    if args.dataset == "duc":
        score_duc(args)
    else:
        score_multinews(args)


if __name__ == "__main__":
    main()
