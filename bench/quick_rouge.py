"""Quick ROUGE of the newsbrief summarizer on a tune or report split (development tool).

Scores newsbrief exactly as the harness does (``newsbrief eval summarize``:
same articles, cleaning, word cut and pooled ``rouge-score`` scorer from
:mod:`newsbrief.evaluate`), but only newsbrief and only on one half of the
clusters, so a change can be tried in a minute and judged on data it was not
tuned on:

    python bench/quick_rouge.py                                  # DUC 2004, tune half, 100 words
    python bench/quick_rouge.py --split report                   # DUC 2004, held-out half
    python bench/quick_rouge.py --dataset multinews --split tune # Multi-News sample, 250 words
    python bench/quick_rouge.py --cut-last                       # DUC's cut rule: one more sentence, cut
    python bench/quick_rouge.py --no-compress                    # whole sentences, no words left out

Split (:func:`newsbrief.evaluate.split_of`): clusters sorted by id, even
positions are the tune half, odd positions the report half. Develop on
``tune``; look at ``report`` only to report. The peers' scores on the same
half (SumRepo outputs for DUC, sumy's best two for Multi-News) are printed
beside newsbrief's; sumy's are cached under /tmp because they never change.
The data is read from ../shared/eval next to the repository and never copied.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
sys.path.insert(0, str(REPO))

from newsbrief import evaluate, peers, summarize  # noqa: E402
from newsbrief.resources import Resources  # noqa: E402
from newsbrief.settings import Settings  # noqa: E402

DATASETS = {"duc": ("duc2004_task2.jsonl", 100), "multinews": ("multinews_val250.jsonl", 250)}
MULTINEWS_PEERS = ("SumBasic", "LexRank")
CACHE = Path("/tmp/newsbrief-quick-rouge-peers.json")


def mean_scores(rows: list[dict]) -> dict[str, float]:
    return {key: 100 * statistics.mean(r[key] for r in rows) for key in ("r1", "r1f", "r2", "r2f")}


def score(scorer, summary: list[str], refs, words: int) -> dict[str, float]:
    result = scorer.score(peers.truncate_words(summary, words), refs)
    return {"r1": result["rouge1"][0], "r1f": result["rouge1"][1], "r2": result["rouge2"][0],
            "r2f": result["rouge2"][1], "words": sum(len(s.split()) for s in summary)}


def peer_scores(args, clusters, scorer, articles, words) -> dict[str, list[dict]]:
    if args.dataset == "duc":
        published = evaluate.load_published(EVAL / "sumrepo_duc2004.jsonl", [c.id for c in clusters])
        return {f"SumRepo {name}": [score(scorer, evaluate.summary_lines(out[c.id]), c.refs, words)
                                    for c in clusters] for name, out in published.items()}
    cache = json.loads(CACHE.read_text()) if CACHE.is_file() else {}
    out: dict[str, list[dict]] = {}
    for name in MULTINEWS_PEERS:
        system = evaluate.peer_system(name)
        rows = []
        for c in clusters:
            key = f"{args.dataset}/{words}/{name}/{c.id}"
            if key not in cache:
                cache[key] = score(scorer, system(articles[c.id], words), c.refs, words) if articles[c.id] else None
            if cache[key] is not None:
                rows.append(cache[key])
        out[name] = rows
    CACHE.write_text(json.dumps(cache))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="duc")
    parser.add_argument("--split", choices=["tune", "report", "all"], default="tune")
    parser.add_argument("--embedder", choices=["tfidf", "minilm"], default="minilm")
    parser.add_argument("--words", type=int, default=0, help="budget (default 100 DUC, 250 Multi-News)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clusters of the split")
    parser.add_argument("--cut-last", action="store_true", help="DUC rule: one more sentence, cut at the budget")
    parser.add_argument("--no-compress", action="store_true",
                        help="show whole sentences (summarize.COMPRESS off): the summarizer before session 5")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--dump", type=Path, help="write newsbrief's summaries here (JSON)")
    parser.add_argument("--vector-cache", type=Path,
                        help="pickle of sentence vectors reused across runs (MiniLM is deterministic: same picks, "
                             "minutes faster while iterating; delete it when segmentation or cleaning changes)")
    args = parser.parse_args()
    if args.no_compress:
        summarize.COMPRESS = False
    name, default_words = DATASETS[args.dataset]
    words = args.words or default_words
    clusters = evaluate.load_clusters(EVAL / name)
    clean = evaluate.needs_cleaning(clusters)
    if args.split != "all":
        halves = evaluate.split_of([c.id for c in clusters])
        clusters = [c for c in clusters if halves[c.id] == args.split]
    clusters = clusters[: args.limit or None]
    scorer = evaluate.RougeScorer()
    articles = {c.id: evaluate.cluster_articles(c, clean=clean) for c in clusters}
    resources = Resources(Settings(embedder=args.embedder))
    resources.embedder.encode(["Warm the model up."])
    system = evaluate.newsbrief_system(resources, cut_last=args.cut_last)
    started = time.perf_counter()
    ours, dump = [], {}
    cache = {}
    if args.vector_cache and args.vector_cache.is_file():
        cache = pickle.loads(args.vector_cache.read_bytes())
    for c in clusters:
        known = cache.setdefault(f"{args.dataset}/{args.embedder}/{c.id}", {})
        summary = system(articles[c.id], words, known_vectors=known, vectors_out=known) if articles[c.id] else []
        dump[c.id] = summary
        ours.append(score(scorer, summary, c.refs, words))
    elapsed = time.perf_counter() - started
    if args.vector_cache:
        args.vector_cache.write_bytes(pickle.dumps(cache))
    systems = {} if args.no_peers else peer_scores(args, clusters, scorer, articles, words)
    systems[f"newsbrief ({args.embedder})"] = ours
    print(f"{name}, {args.split} split, {len(clusters)} clusters, {words} words, pooled rouge-score x100")
    for system_name, rows in sorted(systems.items(), key=lambda kv: mean_scores(kv[1])["r1"]):
        m = mean_scores(rows)
        print(f"  {system_name:<22} R-1 R {m['r1']:6.2f} F {m['r1f']:6.2f}   R-2 R {m['r2']:6.2f} F {m['r2f']:6.2f}")
    print(f"newsbrief: mean {statistics.mean(r['words'] for r in ours):.1f} words, "
          f"{elapsed:.1f} s for {len(clusters)} clusters")
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
