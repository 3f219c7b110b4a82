"""Story clustering quality against gold story labels, with two baselines.

    python bench/cluster_eval.py [--data DIR] [--cache DIR]
    python bench/cluster_eval.py --recluster-scale 10000 [--cache DIR]

The second form times ``recluster`` alone (passes, then the story merge) on
the repeated DUC stream of bench/library_throughput.py (new text and dates
120 days later per repetition), lead vectors of the 741 originals reused.

Datasets (read from ../shared/eval, never copied):
- duc0304_stream.jsonl: fed in date order (the file order); time is used.
- ecbplus_docs.jsonl: no dates, so the articles are fed as undated (matched on
  text and entities alone, as ``add`` does for an article without a date);
  fixed shuffled order (seed 0) because the file is sorted by topic.
  ``--ecb-same-time`` instead stamps every article with one date (time cannot
  help, but the dated threshold applies): the setting of earlier runs.

Tune / report split: the clusterer's weights were tuned on the DUC 2003
topics (labels d300xx) and ECB+ topics 1-22 only. Each data set is clustered
whole (the DUC stream in date order), then scored on the articles of the tune
part, of the held-out report part (DUC 2004 topics d310xx, ECB+ topics 23-45)
and on all articles. The 23 DUC articles carrying a label of both years only
count in "all".

Articles with two gold labels: a pair counts as same-story when the two share
ANY label; B-cubed uses, for each article, the set of articles sharing any of
its labels as its gold cluster.

Systems: newsbrief online (one pass, as ``add`` does), newsbrief recluster
(``recluster``: online pass + re-assignment passes + story merge; the merge
needs dates, so it does not run on undated ECB+), the same without the story
merge (``--no-baselines`` keeps both), TF-IDF + average-linkage
agglomerative clustering at a cosine-distance threshold (best of a small sweep
on the tune part), and HDBSCAN on the same MiniLM lead vectors.

"add (library)" rows (skip with ``--no-add``) feed the stream through the
library's own add path (``library.file_articles``: batches of 64, copy
detection, online assignment, the quiet-story merge once per batch, one
transaction per batch) into a temporary SQLite library and score the stored
stories, with and without the quiet-story merge; sentence vectors are kept in
``--cache``/sentences.npz between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from newsbrief import cluster, cluster_scores  # noqa: E402
from newsbrief.records import Article  # noqa: E402
from newsbrief.resources import MiniLMEmbedder  # noqa: E402


def load(path: Path, dated: bool) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    for row in rows:
        row.setdefault("labels", [row.get("event")])
        if not dated:
            # ECB+ is tokenised ("Reid , 33"): glue punctuation back so sentences split.
            text = row["text"]
            for a, b in ((" ,", ","), (" .", "."), (" '", "'"), ("`` ", '"'), (" ''", '"'), (" ;", ";"),
                         (" :", ":"), (" ?", "?"), (" !", "!"), ("( ", "("), (" )", ")"), (" n't", "n't")):
                text = text.replace(a, b)
            row["text"] = text
    if not dated:
        random.Random(0).shuffle(rows)
    return rows


def lead_vectors(rows: list[dict], embedder, cache: Path | None, name: str) -> np.ndarray:
    key = hashlib.sha1("".join(r["id"] for r in rows).encode()).hexdigest()[:10]
    target = cache / f"{name}-{key}.npy" if cache else None
    if target and target.is_file():
        return np.load(target)
    out = []
    for row in rows:
        spans = cluster.lead_spans(row["text"])
        out.append(cluster.lead_vector(embedder.encode([row["text"][a:b] for a, b in spans])))
    matrix = np.stack(out)
    if target:
        target.parent.mkdir(parents=True, exist_ok=True)
        np.save(target, matrix)
    return matrix


def to_features(rows, vectors, dated: bool) -> list[cluster.ArticleFeatures]:
    items = []
    for row, vector in zip(rows, vectors, strict=True):
        article = Article(id=row["id"], origin=row["id"], text=row["text"], raw_text=row["text"],
                          raw_chars=len(row["text"]), published=row.get("date") if dated else None)
        items.append(cluster.features(article, vector, cluster.article_time(article, 0.0)))
    return items


def scores(rows: list[dict], predicted: dict[str, int]) -> dict[str, float]:
    return cluster_scores.clustering_scores([set(r["labels"]) for r in rows], [predicted[r["id"]] for r in rows])


def split_of(row: dict) -> str:
    """'tune', 'report' or 'mixed' (DUC articles labelled with topics of both years)."""
    if "topic" in row:
        return "tune" if int(row["topic"]) < 23 else "report"
    years = {label[:4] for label in row["labels"]}
    return "tune" if years == {"d300"} else "report" if years == {"d310"} else "mixed"


def split_scores(rows: list[dict], predicted: dict[str, int]) -> dict[str, dict[str, float]]:
    out = {}
    for part in ("tune", "report", "all"):
        chosen = [r for r in rows if part == "all" or split_of(r) == part]
        out[part] = scores(chosen, predicted)
    return out


def online(items, dims, params=None, dated: bool = True) -> tuple[dict[str, int], float]:
    index = cluster.StoryIndex(dims, params)
    out = {}
    started = time.perf_counter()
    for item in items:
        out[item.article_id] = (index.assign(item) if dated else index.assign_undated(item)[0]).id
    return out, (time.perf_counter() - started) / len(items) * 1000


def online_quiet_merge(items, dims, every: int = 50) -> dict[str, int]:
    """Online assignment, merging quiet stories after every ``every`` articles (a simulated ``add`` batch).

    The simulation the quiet-story merge of ``add`` was designed on; the
    "add (library)" rows run the real add path. After each merge the index is
    rebuilt from the merged stories' members, as ``recluster`` rebuilds story rows.
    """
    from newsbrief.cluster_merge import merge_quiet_stories

    index, labels, done = cluster.StoryIndex(dims), {}, []
    for n, item in enumerate(items, 1):
        labels[item.article_id] = index.assign(item).id
        done.append(item)
        if n % every == 0:
            merged = merge_quiet_stories(done, labels, item.time)
            if merged != labels:
                index, ids = cluster.StoryIndex(dims), {}
                for member in done:
                    ids[merged[member.article_id]] = index.add(member, ids.get(merged[member.article_id])).id
                labels = {a: ids[s] for a, s in merged.items()}
    return labels


class CachedEmbedder:
    """The real MiniLM embedder with its sentence vectors kept on disk between runs (``--cache``).

    MiniLM's vector for a sentence does not depend on its batch companions, so a
    cached vector is the one ``add`` would compute.
    """

    def __init__(self, inner, path: Path | None) -> None:
        self.inner, self.path = inner, path
        self.name, self.stable, self.dimensions = inner.name, inner.stable, inner.dimensions
        self.known: dict[str, np.ndarray] = {}
        if path and path.is_file():
            with np.load(path) as saved:
                self.known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
        self.added = False

    def encode(self, texts):
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.known}.items())
        if missing:
            self.known.update(zip([k for k, _ in missing], self.inner.encode([t for _, t in missing]), strict=True))
            self.added = True
        return np.stack([self.known[k] for k in keys]) if keys else self.inner.encode([])

    def save(self) -> None:
        if self.path and self.added:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, keys=np.array(list(self.known)), vectors=np.stack(list(self.known.values())))


def through_add(rows, embedder, dated: bool, merge: bool = True) -> tuple[dict[str, int], dict]:
    """The stream filed by the library's own add path (``library.file_articles``, batches of 64) into a
    temporary SQLite library; the stored stories are the prediction.

    ``merge=False`` turns off the quiet-story merge to show what it adds. Returns
    the labels and timings: the whole filing, and the merge's share of it.
    """
    import tempfile

    from sqlalchemy import select

    from newsbrief import library
    from newsbrief.resources import Resources
    from newsbrief.schema import articles as table
    from newsbrief.settings import Settings

    merge_calls: list[float] = []
    original = library._Filer._merge_quiet

    def timed(self, batch, changed):
        if not merge:
            return {}
        started = time.perf_counter()
        absorbed = original(self, batch, changed)
        merge_calls.append(time.perf_counter() - started)
        return absorbed

    library._Filer._merge_quiet = timed
    try:
        with tempfile.TemporaryDirectory(prefix="nb-cluster-eval-") as home:
            resources = Resources(Settings(home=home, embedder="minilm"), embedder=embedder)
            todo = [Article(id=r["id"], origin=r["id"], text=r["text"], raw_text=r["text"], raw_chars=len(r["text"]),
                            published=r.get("date") if dated else None) for r in rows]
            started, cpu = time.perf_counter(), time.process_time()
            library.file_articles(todo, resources)
            timing = {"add_s": time.perf_counter() - started, "add_cpu": time.process_time() - cpu,
                      "merge_s": sum(merge_calls), "batches": -(-len(rows) // library.BATCH),
                      "merge_max": max(merge_calls, default=0.0)}
            with resources.store.engine.connect() as conn:
                labels = {r.id: r.story_id for r in conn.execute(select(table.c.id, table.c.story_id))}
            resources.store.close()
    finally:
        library._Filer._merge_quiet = original
    return labels, timing


def tfidf_baseline(rows) -> tuple[dict[str, int], float]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(r["text"] for r in rows)
    best = ({}, -1.0, 0.0)
    for threshold in (0.6, 0.7, 0.8, 0.85, 0.9):
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=threshold)
        labels = model.fit_predict(matrix.toarray())
        pred = {r["id"]: int(x) for r, x in zip(rows, labels, strict=True)}
        f1 = scores([r for r in rows if split_of(r) == "tune"], pred)["F1"]  # picked on the tune part
        if f1 > best[1]:
            best = (pred, f1, threshold)
    return best[0], best[2]


def hdbscan_baseline(rows, vectors) -> dict[str, int]:
    from sklearn.cluster import HDBSCAN

    labels = HDBSCAN(min_cluster_size=2, metric="euclidean").fit_predict(vectors)
    # Noise points are singletons, each its own story.
    return {r["id"]: (int(x) if x >= 0 else -1 - i) for i, (r, x) in enumerate(zip(rows, labels, strict=True))}


def fmt(name: str, s: dict) -> str:
    return (f"  {name:<42} P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}  "
            f"B3-F1 {s['B3F1']:.3f}  stories {s['clusters']}")


def fmt_split(name: str, parts: dict) -> str:
    return "\n".join(fmt(f"{name} [{part}]", s) for part, s in parts.items())


def recluster_at_scale(args) -> None:
    from library_throughput import repetition

    from newsbrief.cluster_merge import MERGE, merge_stories

    rows = [json.loads(line) for line in (args.data / "duc0304_stream.jsonl").open(encoding="utf-8")]
    vectors = lead_vectors(rows, MiniLMEmbedder(), args.cache, "duc0304_stream")
    items = []
    for n in range(args.recluster_scale):
        i, text, published = repetition(rows, n)
        article = Article(id=f"{n}", origin=f"{n}", text=text, raw_text=text, raw_chars=len(text),
                          published=published)
        items.append(cluster.features(article, vectors[i], cluster.article_time(article, 0.0)))
    started, cpu = time.perf_counter(), time.process_time()
    labels = cluster.cluster_batch(items, vectors.shape[1], merge=None)
    passes_s, passes_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    merged = merge_stories(sorted(items, key=lambda f: (f.time, f.article_id)), labels, MERGE)
    merge_s, merge_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"recluster of {len(items)} articles: passes {passes_s:.1f}s (CPU {passes_cpu:.1f}s), "
          f"{len(set(labels.values()))} stories; story merge {merge_s:.1f}s (CPU {merge_cpu:.1f}s), "
          f"{len(set(merged.values()))} stories; peak memory {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--cache", type=Path, default=None, help="keep lead vectors here between runs")
    parser.add_argument("--ecb-same-time", action="store_true",
                        help="feed ECB+ as dated, all on one day, instead of undated")
    parser.add_argument("--no-baselines", action="store_true", help="skip the TF-IDF and HDBSCAN baselines")
    parser.add_argument("--no-add", action="store_true", help="skip the runs through the library's add path")
    parser.add_argument("--recluster-scale", type=int, default=0, metavar="N",
                        help="only time recluster on N articles of the repeated stream (see above)")
    args = parser.parse_args()
    if args.recluster_scale:
        recluster_at_scale(args)
        return
    embedder = MiniLMEmbedder()
    sentence_embedder = CachedEmbedder(embedder, args.cache / "sentences.npz" if args.cache else None)
    for name, dated in (("duc0304_stream", True), ("ecbplus_docs", False)):
        rows = load(args.data / f"{name}.jsonl", dated)
        timed = dated or args.ecb_same_time
        started = time.perf_counter()
        vectors = lead_vectors(rows, embedder, args.cache, name)
        embed_s = time.perf_counter() - started
        items = to_features(rows, vectors, dated)
        gold = len({label for r in rows for label in r["labels"]})
        print(f"{name}: {len(rows)} articles, {gold} gold stories (lead vectors {embed_s:.1f}s)")
        pred, ms = online(items, vectors.shape[1], dated=timed)
        print(f"  newsbrief online: {ms:.2f} ms/article ({'dated' if timed else 'undated'})")
        print(fmt_split("newsbrief online", split_scores(rows, pred)))
        if timed:
            pred = online_quiet_merge(items, vectors.shape[1])
            print(fmt_split("online + quiet-story merge / 50 (sim.)", split_scores(rows, pred)))
        if not args.no_add:
            for merge in (False, True):
                pred, t = through_add(rows, sentence_embedder, dated, merge)
                name = f"add (library), {'with' if merge else 'no'} quiet merge"
                print(f"  {name}: filing {t['add_s']:.1f}s (CPU {t['add_cpu']:.1f}s), {t['batches']} batches; "
                      f"merge {t['merge_s']:.2f}s in all ({t['merge_s'] / t['batches'] * 1000:.0f} ms/batch, "
                      f"max {t['merge_max'] * 1000:.0f} ms)")
                print(fmt_split(name, split_scores(rows, pred)))
            sentence_embedder.save()
        started = time.perf_counter()
        pred = cluster.cluster_batch(items, vectors.shape[1], timed=timed)
        print(f"  newsbrief recluster: {time.perf_counter() - started:.1f}s")
        print(fmt_split("newsbrief recluster", split_scores(rows, pred)))
        if timed:
            pred = cluster.cluster_batch(items, vectors.shape[1], timed=timed, merge=None)
            print(fmt_split("newsbrief recluster, no story merge", split_scores(rows, pred)))
        if args.no_baselines:
            continue
        pred, threshold = tfidf_baseline(rows)
        print(fmt_split(f"TF-IDF agglomerative (d<{threshold})", split_scores(rows, pred)))
        print(fmt_split("HDBSCAN on MiniLM lead vectors", split_scores(rows, hdbscan_baseline(rows, vectors))))


if __name__ == "__main__":
    main()
