"""What source profiling adds to a briefing's time, and its false alarms on clean newswire.

    python bench/profile_cost.py [--repeat 3] [--articles 50] [--json FILE]

Stories:
- corpus: the five macron-putin-talks articles (ingest + clean, as a user runs them);
- duc50: the first --articles DUC 2004 Task 2 articles in file order (ten a cluster),
  cleaned, briefed as ONE story: the 50-article case of the issue.

Each briefing is ``api.brief_articles`` with the real MiniLM model (loaded and
warmed once, outside the timings) and a fresh ``SentenceVectors``, so every run
embeds from cold as a first briefing does. ``profile.profile_sources`` is wrapped
to time it inside the briefing; "embedded by profile" is how many sentences
profiling had to embed that earlier stages had not. Times are medians of
--repeat runs; "adds" is profile time over the rest of the briefing, by wall clock
and by this process's CPU time (which teammates' load hardly moves). "prof thr"
is the CPU time of the thread that profiles (process CPU time also counts model
and BLAS worker threads still spinning from earlier stages). The goal:
profiling adds under 10% to the time of a briefing.

The flag counts on DUC newswire (AP/NYT wire copy) are false alarms for
"seo_padding", "ai_style", "rewrites_others" and "template": there should be none.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsbrief import api, clean, evaluate, ingest, profile  # noqa: E402
from newsbrief.resources import Resources  # noqa: E402
from newsbrief.settings import Settings  # noqa: E402

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "macron-putin-talks"
DUC = SHARED / "eval" / "duc2004_task2.jsonl"


class ProfileTimer:
    """Wraps profile.profile_sources to time it and count the sentences it embeds."""

    def __init__(self) -> None:
        self.original = profile.profile_sources
        self.calls: list[dict] = []

    def __call__(self, sources, sentences, vectors, summary, quotes):
        before = len(vectors.embedded)
        start, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        result = self.original(sources, sentences, vectors, summary, quotes)
        self.calls.append({
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
            "thread_cpu_seconds": time.thread_time() - own,
            "sentences": len(sentences),
            "embedded_before": before,
            "embedded_by_profile": len(vectors.embedded) - before,
        })
        return result


def corpus_articles(resources: Resources):
    documents, _ = ingest.read_inputs([str(CORPUS)], resources.settings)
    articles, _ = clean.clean_documents(documents)
    return articles


def duc_articles(limit: int):
    articles = []
    for cluster in evaluate.load_clusters(DUC):
        articles.extend(evaluate.cluster_articles(cluster, clean=True))
        if len(articles) >= limit:
            break
    return articles[:limit]


def measure(name: str, articles, resources: Resources, timer: ProfileTimer, repeat: int) -> dict:
    totals, cpu_totals, profiles, briefing = [], [], [], None
    for _ in range(repeat):
        timer.calls.clear()
        start, cpu = time.perf_counter(), time.process_time()
        briefing = api.brief_articles(articles, resources)
        totals.append(time.perf_counter() - start)
        cpu_totals.append(time.process_time() - cpu)
        profiles.append(timer.calls[-1])
    total = statistics.median(totals)
    spent = statistics.median(call["seconds"] for call in profiles)
    cpu_total = statistics.median(cpu_totals)
    cpu_spent = statistics.median(call["cpu_seconds"] for call in profiles)
    flags = Counter(flag for p in briefing.profiles for flag in p.flags)
    return {
        "story": name,
        "articles": len(articles),
        "sources": len(briefing.sources),
        "sentences": profiles[-1]["sentences"],
        "embedded_before_profile": profiles[-1]["embedded_before"],
        "embedded_by_profile": profiles[-1]["embedded_by_profile"],
        "brief_seconds": round(total, 3),
        "profile_seconds": round(spent, 3),
        "profile_share": round(spent / total, 4),
        # What profiling adds to the rest of the briefing, by wall clock and by CPU time of this
        # process (the CPU ratio hardly moves when teammates load the machine).
        "adds_wall": round(spent / (total - spent), 4),
        "brief_cpu_seconds": round(cpu_total, 3),
        "profile_cpu_seconds": round(cpu_spent, 3),
        "adds_cpu": round(cpu_spent / (cpu_total - cpu_spent), 4),
        # Profiling runs on the calling thread: its own CPU time leaves out the model's and BLAS's
        # worker threads, which may still spin (and count in process time) after the earlier stages.
        "profile_thread_cpu_seconds": round(statistics.median(call["thread_cpu_seconds"] for call in profiles), 3),
        "flags": dict(flags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--false-alarms", type=int, default=500, metavar="N",
                        help="also profile the first N DUC articles as one story and count flags (0: skip)")
    args = parser.parse_args()

    resources = Resources(Settings(home=str(REPO / ".bench-home"), embedder="minilm"))
    resources.embedder.encode(["warm the model up"])
    _ = resources.nlp  # the who-said-what stage loads spaCy once per process
    timer = ProfileTimer()
    profile.profile_sources = timer
    api.profile.profile_sources = timer  # api calls it through the module attribute

    stories = [("corpus", corpus_articles(resources)), (f"duc{args.articles}", duc_articles(args.articles))]
    rows = [measure(name, articles, resources, timer, args.repeat) for name, articles in stories]
    print(f"machine: {platform.machine()}, {platform.python_version()}, repeat={args.repeat} (median)")
    print(f"{'story':8} {'art':>4} {'sent':>5} {'emb before':>10} {'emb by prof':>11} {'brief s':>8} "
          f"{'profile s':>9} {'adds':>6} {'brief cpu':>9} {'prof cpu':>8} {'adds':>6} {'prof thr':>8}  flags")
    for r in rows:
        print(f"{r['story']:8} {r['articles']:>4} {r['sentences']:>5} {r['embedded_before_profile']:>10} "
              f"{r['embedded_by_profile']:>11} {r['brief_seconds']:>8.2f} {r['profile_seconds']:>9.3f} "
              f"{100 * r['adds_wall']:>5.1f}% {r['brief_cpu_seconds']:>9.2f} {r['profile_cpu_seconds']:>8.3f} "
              f"{100 * r['adds_cpu']:>5.1f}% {r['profile_thread_cpu_seconds']:>8.3f}  {r['flags']}")
    if args.false_alarms:
        print(false_alarms(args.false_alarms, timer.original))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


def false_alarms(limit: int, profile_sources) -> str:
    """Flags over the first ``limit`` DUC articles (TF-IDF vectors: the flags do not need the model)."""
    from newsbrief import dedupe, segment
    from newsbrief.embed import SentenceVectors
    from newsbrief.resources import TfidfEmbedder

    sources = dedupe.collapse_duplicates(duc_articles(limit))
    sentences = segment.segment(sources)
    vectors = SentenceVectors(sentences, {s.id: s for s in sources}, TfidfEmbedder())
    profiles = profile_sources(sources, sentences, vectors, [], [])
    flags = Counter(flag for p in profiles for flag in p.flags)
    wrong = {k: flags.get(k, 0) for k in ("seo_padding", "ai_style", "rewrites_others", "template")}
    return f"DUC newswire, {len(sources)} sources: false alarms {wrong} (adds_facts {flags.get('adds_facts', 0)})"


if __name__ == "__main__":
    main()
