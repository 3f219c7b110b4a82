"""Wall time and peak memory of newsbrief against sumy's LexRank, by story size.

    python bench/speed_vs_lexrank.py [--sizes 5,10,50,200,500] [--words 100]
                                     [--lexrank-limit 600] [--repeat 3] [--json FILE]

One process, one loaded model. The N-article input is the first N articles of
DUC 2004 Task 2 in file order (ten a cluster, so 5 and 10 are one story, 50 is
five stories and 500 is all fifty): 500 distinct articles, so no duplicates are
needed and newsbrief's wire-copy collapsing gets no free ride.

Systems, all with a 100-word budget:
- newsbrief summary: dedupe + segment + on-demand MiniLM embedding + summarize
  (what ``newsbrief eval summarize`` scores), model loaded, embedding included;
- newsbrief summary, stored vectors: the same, with the story's sentence
  vectors handed in as ``SentenceVectors(known=...)`` (as the library does);
- newsbrief full brief: ``api.brief_articles`` (adds who-said-what, conflicts,
  source profiles), cold and with ``known_vectors``;
- sumy LexRank with the same sentences (our tokenizer; sumy's stemmer and stop words).

Peak memory is the growth of the process's resident-set high-water mark during
the call (reset through /proc/self/clear_refs before each call), so it counts
native allocations (onnxruntime, numpy) too; memory onnxruntime's arena keeps
from an earlier call is not counted again. Times are the median of --repeat runs
(one run from 50 articles up), as wall time and as the process's CPU time: on a
machine shared with other jobs the CPU time is the steadier figure. LexRank's
similarity matrix is quadratic in sentences: a size is skipped when the CPU
time predicted from the previous size (quadratic growth) exceeds
--lexrank-limit seconds, and the table says so. Growth is the least-squares
slope of log CPU time (or memory) on log sentences.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import math
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsbrief import evaluate, peers  # noqa: E402
from newsbrief.resources import Resources  # noqa: E402
from newsbrief.settings import Settings  # noqa: E402

DATA = REPO.parent / "shared" / "eval" / "duc2004_task2.jsonl"


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _release_free_memory() -> None:
    """Hand freed heap back to the OS, so the next call's growth shows in RSS."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:  # not glibc: deltas then understate, the report says how they were taken
        pass


def measure(call) -> tuple[float, float, float]:
    """(wall seconds, peak extra MiB, CPU seconds of this process) of one call."""
    _release_free_memory()
    Path("/proc/self/clear_refs").write_text("5")  # reset the RSS high-water mark
    before = _status_kib("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    call()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = max(_status_kib("VmHWM") - before, 0) / 1024
    return seconds, peak, cpu


def timed(repeat: int, function, *args, **kwargs) -> list[float]:
    """[median wall s, max peak extra MiB, median CPU s] over ``repeat`` calls.

    On a machine shared with other jobs wall time mostly measures waiting; the
    process's CPU time (all its threads) is the steadier figure.
    """
    runs = [measure(lambda: function(*args, **kwargs)) for _ in range(repeat)]
    return [statistics.median(r[0] for r in runs), max(r[1] for r in runs), statistics.median(r[2] for r in runs)]


def slope(xs, ys) -> float | None:
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x and y and y > 0]
    if len(points) < 2:
        return None
    x, y = np.array(points).T
    return float(np.polyfit(x, y, 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,10,50,200,500")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--lexrank-limit", type=float, default=600.0)
    parser.add_argument("--lexrank-up-to", type=int, default=None,
                        help="run LexRank only up to this many articles (it is quadratic)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-full", action="store_true", help="skip api.brief_articles")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    clusters = evaluate.load_clusters(DATA)
    all_articles = [a for c in clusters for a in evaluate.cluster_articles(c, clean=False)]
    resources = Resources(Settings(embedder="minilm"))
    resources.embedder.encode(["Warm the model up."])
    summarize_story = evaluate.newsbrief_system(resources)
    lexrank = peers.make_peer("LexRank")
    api = None
    if not args.no_full:
        try:
            from newsbrief import api
        except ImportError as exc:  # the full pipeline may be mid-change in a shared tree
            print(f"api.brief_articles unavailable ({exc}); timing the summary path only")

    # Warm every lazy import, solver and model on a small story, outside the timings.
    summarize_story(all_articles[:3], args.words)
    if api is not None:
        api.brief_articles(all_articles[:3], resources, words=args.words)
    peers.peer_summary(lexrank, [a.text for a in all_articles[:3]], args.words)

    rows, last_lexrank = [], None
    for size in sizes:
        articles = all_articles[:size]
        texts = [a.text for a in articles]
        sentences = len(peers.story_document(texts).sentences)
        repeat = args.repeat if size < 50 else 1
        row = {"articles": size, "sentences": sentences, "words": sum(len(t.split()) for t in texts)}
        vectors: dict = {}
        row["newsbrief"] = timed(repeat, summarize_story, articles, args.words, vectors_out=vectors)
        row["newsbrief_known"] = timed(repeat, summarize_story, articles, args.words, known_vectors=vectors)
        if api is not None:
            stored: dict = {}
            row["brief"] = timed(repeat, api.brief_articles, articles, resources, words=args.words,
                                 vectors_out=stored)
            row["brief_known"] = timed(repeat, api.brief_articles, articles, resources, words=args.words,
                                       known_vectors=stored)
        # Predicted from CPU time: wall time on a shared machine would inflate it.
        predicted = (last_lexrank[2] * (sentences / last_lexrank[1]) ** 2) if last_lexrank else 0.0
        if args.lexrank_up_to is not None and size > args.lexrank_up_to:
            row["lexrank"] = None
            row["lexrank_skipped"] = f"not run past {args.lexrank_up_to} articles (--lexrank-up-to)"
        elif predicted > args.lexrank_limit:
            row["lexrank"] = None
            row["lexrank_skipped"] = f"predicted {predicted:.0f} s > limit {args.lexrank_limit:.0f} s"
        else:
            row["lexrank"] = timed(repeat, peers.peer_summary, lexrank, texts, args.words)
            last_lexrank = (row["lexrank"][0], sentences, row["lexrank"][2])
        rows.append(row)
        print(json.dumps(row), flush=True)

    report(rows, args)


def report(rows: list[dict], args) -> None:
    systems = [("newsbrief", "newsbrief summary (cold)"), ("newsbrief_known", "newsbrief summary (stored vectors)"),
               ("brief", "newsbrief full brief (cold)"), ("brief_known", "newsbrief full brief (stored vectors)"),
               ("lexrank", "sumy LexRank")]
    systems = [(key, label) for key, label in systems if any(r.get(key) for r in rows)]
    print(f"\nmachine: {platform.machine()}, {platform.python_version()}, cores: "
          f"{len(__import__('os').sched_getaffinity(0))} (shared with other jobs: timings are noisy)")
    header = "| articles | sentences | " + " | ".join(label for _, label in systems) + " | LexRank / newsbrief |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        cells = []
        for key, _ in systems:
            value = row.get(key)
            cells.append(f"{value[0]:.2f} s ({value[2]:.2f} s CPU), {value[1]:.0f} MiB" if value else
                         f"skipped ({row.get('lexrank_skipped', 'n/a')})")
        ratio = "n/a"
        if row.get("lexrank"):
            ratio = (f"CPU {row['lexrank'][2] / row['newsbrief'][2]:.1f}x cold, "
                     f"{row['lexrank'][2] / row['newsbrief_known'][2]:.1f}x stored; wall "
                     f"{row['lexrank'][0] / row['newsbrief'][0]:.1f}x / {row['lexrank'][0] / row['newsbrief_known'][0]:.1f}x")
        print(f"| {row['articles']} | {row['sentences']} | " + " | ".join(cells) + f" | {ratio} |")
    print("\ngrowth exponent (log-log slope vs sentences; 1.0 = linear), CPU time / memory:")
    for key, label in systems:
        measured = [r for r in rows if r.get(key)]
        xs = [r["sentences"] for r in measured]
        t_slope = slope(xs, [r[key][2] for r in measured])
        m_slope = slope(xs, [r[key][1] for r in measured])
        tail = [r for r in measured if r["articles"] >= 50]
        tail_slope = slope([r["sentences"] for r in tail], [r[key][2] for r in tail])
        fmt = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"- {label}: time {fmt(t_slope)} (50+ articles: {fmt(tail_slope)}), memory {fmt(m_slope)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "args": vars(args) | {"json": str(args.json)}}, indent=2))


if __name__ == "__main__":
    main()
