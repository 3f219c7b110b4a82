"""Throughput of ``newsbrief add`` into a fresh SQLite library, and the cost of the assignment step.

    python bench/library_throughput.py [--articles 10000] [--home DIR]

The DUC 2003/2004 stream (741 articles) is repeated until ``--articles`` are
reached. Each repetition gets new ids the only honest way, new text: every
fourth word carries a repetition mark (so the content hash differs and the
MinHash copy detector does not treat it as a wire copy), and its dates move
120 days later (so repetitions do not merge into one story). The whole run
goes through the real path: JSON Lines -> ingest -> clean -> embed the lead
-> copy check -> story assignment -> one SQLite transaction per batch.

Prints the overall rate, the assignment step's mean and 95th percentile in
ms per article for the first and last 1,000 articles, and peak memory.

    python bench/library_throughput.py --assignment-only [--cache DIR]

measures the assignment step alone on the same 10,000 articles: the lead
vectors of the 741 originals are embedded once (or read from --cache, the
cache bench/cluster_eval.py writes) and reused for their repetitions, so the
clusterer can be timed at 10,000 stored articles without waiting for the model.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsbrief import cluster, library  # noqa: E402
from newsbrief.resources import Resources  # noqa: E402
from newsbrief.settings import Settings  # noqa: E402


def repetition(rows: list[dict], n: int) -> tuple[int, str, str]:
    """Article ``n`` of the repeated stream: (index of its original, its text, its ISO date)."""
    rep, i = divmod(n, len(rows))
    words = rows[i]["text"].split()
    if rep:
        words = [w + f"-r{rep}" if k % 4 == 3 else w for k, w in enumerate(words)]
    day = date.fromisoformat(rows[i]["date"]) + timedelta(days=120 * rep)
    return i, " ".join(words), day.isoformat()


def write_stream(source: Path, target: Path, count: int) -> None:
    rows = [json.loads(line) for line in source.open(encoding="utf-8")]
    with target.open("w", encoding="utf-8") as out:
        for n in range(count):
            i, text, published = repetition(rows, n)
            out.write(json.dumps({"text": text, "outlet": rows[i]["source"], "published": published}) + "\n")


def assignment_only(args) -> None:
    from newsbrief.records import Article
    from newsbrief.resources import MiniLMEmbedder

    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    cached = args.cache / "duc0304_stream-lead.npy" if args.cache else None
    if cached and cached.is_file():
        vectors = np.load(cached)
    else:
        embedder = MiniLMEmbedder()
        vectors = np.stack([cluster.lead_vector(embedder.encode([r["text"][a:b] for a, b in
                                                                 cluster.lead_spans(r["text"])]))
                            for r in rows])
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, vectors)
    index = cluster.StoryIndex(vectors.shape[1])
    timings: list[float] = []
    cpu_timings: list[float] = []  # the machine is shared: CPU time shows the step's own cost
    for n in range(args.articles):
        i, text, published = repetition(rows, n)
        article = Article(id=f"{n}", origin=f"{n}", text=text, raw_text=text, raw_chars=len(text),
                          published=published)
        item = cluster.features(article, vectors[i], cluster.article_time(article, 0.0))
        started, cpu = time.perf_counter(), time.process_time()
        index.assign(item)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
    first, tail = np.array(timings[:1000]), np.array(timings[-1000:])
    cpu_tail = np.array(cpu_timings[-1000:])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"assignment only: {args.articles} articles, {len(index.stories)} stories")
    print(f"assignment step, first 1000: mean {first.mean():.2f} ms, p95 {np.percentile(first, 95):.2f} ms")
    print(f"assignment step, last 1000 ({args.articles - 1000}+ stored): mean {tail.mean():.2f} ms, "
          f"p95 {np.percentile(tail, 95):.2f} ms, max {tail.max():.2f} ms")
    print(f"  same, CPU time of this process: mean {cpu_tail.mean():.2f} ms, p95 {np.percentile(cpu_tail, 95):.2f} ms")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "duc0304_stream.jsonl")
    parser.add_argument("--home", type=Path, default=None, help="library directory (default: a new temp dir)")
    parser.add_argument("--assignment-only", action="store_true", help="time the clusterer alone (see above)")
    parser.add_argument("--cache", type=Path, default=None, help="keep the originals' lead vectors here")
    args = parser.parse_args()
    if args.assignment_only:
        assignment_only(args)
        return

    home = args.home or Path(tempfile.mkdtemp(prefix="newsbrief-bench-"))
    stream = home / "stream.jsonl"
    home.mkdir(parents=True, exist_ok=True)
    write_stream(args.data, stream, args.articles)

    timings: list[float] = []
    original = cluster.StoryIndex.assign

    def timed(self, item):
        started = time.perf_counter()
        story = original(self, item)
        timings.append((time.perf_counter() - started) * 1000)
        return story

    cluster.StoryIndex.assign = timed  # measure the assignment step alone

    settings = Settings(home=str(home), embedder="minilm", max_articles=args.articles + 1,
                        max_input_bytes=2_000_000_000)
    resources = Resources(settings)
    resources.embedder.encode(["warm up"])  # load the model before the clock starts
    last = [time.perf_counter()]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "file" and time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"  {done}/{total} filed", flush=True)

    started = time.perf_counter()
    report = library.add([str(stream)], resources, progress=progress)
    elapsed = time.perf_counter() - started
    counts = resources.store.counts()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first, tail = np.array(timings[:1000]), np.array(timings[-1000:])
    print(f"articles: {args.articles} in, {report.added} added ({report.copies} copies), "
          f"{counts['stories']} stories")
    print(f"add: {elapsed:.0f} s total, {report.added / elapsed:.1f} articles/s")
    print(f"assignment step, first 1000: mean {first.mean():.2f} ms, p95 {np.percentile(first, 95):.2f} ms")
    print(f"assignment step, last 1000 (~{report.added - 1000}+ stored): mean {tail.mean():.2f} ms, "
          f"p95 {np.percentile(tail, 95):.2f} ms, max {tail.max():.2f} ms")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB; library file {(home / 'library.db').stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
