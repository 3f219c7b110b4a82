"""Measured summary quality: newsbrief against peers, floors and ceilings, by ROUGE.

Every system reads the same articles of each cluster, its output is cut to the
same word budget the same way (:func:`truncate_words`, whitespace words, as
ROUGE-1.5.5's ``-l``), and one scorer scores them all: the ``rouge-score``
package with Porter stemming. With several references (DUC 2004 has four),
scores are pooled the way ROUGE-1.5.5's ``-f A`` does: matches summed over the
references, divided by the summed reference n-grams. ROUGE-L is summary-level
(``rougeLsum``, one sentence a line), which is what ROUGE-1.5.5 reports.
Confidence intervals are a percentile bootstrap over clusters; every system
uses the same resamples, so their intervals are comparable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import peers
from .errors import ConfigError, InputError, NewsbriefError
from .peers import PEER_NAMES, lead_system, truncate_words
from .records import Article, RawDocument
from .resources import Resources
from .segment import split_text

log = logging.getLogger(__name__)

#: progress(stage, done, total), as in :mod:`newsbrief.api`.
Progress = Callable[[str, int, int], None]
#: A system reads a cluster's articles and returns its summary, one sentence an item.
System = Callable[[Sequence[Article], int], list[str]]

METRICS = ("rouge1", "rouge2", "rougeLsum")
METRIC_LABELS = {"rouge1": "R-1", "rouge2": "R-2", "rougeLsum": "R-L"}
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20041


@dataclass(frozen=True)
class EvalDocument:
    id: str
    text: str
    source: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class EvalCluster:
    id: str
    docs: tuple[EvalDocument, ...]
    refs: tuple[str, ...]


@dataclass
class SystemResult:
    """Per-cluster scores of one system: ``scores[metric]`` is (n, 2) of recall, F1."""

    name: str
    kind: str  # "newsbrief" | "peer" | "published" | "baseline"
    scores: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: {m: [] for m in METRICS})
    words: list[int] = field(default_factory=list)  # after truncation to the budget
    raw_words: list[int] = field(default_factory=list)  # as the system gave them
    seconds: float = 0.0
    summaries: list[list[str]] = field(default_factory=list)  # as scored: cut to the budget
    official: dict = field(default_factory=dict)  # label -> rouge155.OfficialScore, when asked for

    @property
    def clusters(self) -> int:
        return len(self.words)


# --------------------------------------------------------------------------- data


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError("dataset file does not exist", origin=str(path))
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {number} is not valid JSON ({exc.msg})", origin=str(path)) from None
            if not isinstance(record, dict):
                raise InputError(f"line {number} is not a JSON object", origin=str(path))
            records.append(record)
    return records


def load_clusters(path: str | Path, limit: int | None = None) -> list[EvalCluster]:
    """Clusters of a JSON Lines dataset: ``id``, ``docs`` [{``id``, ``text``, ...}], ``refs``."""
    path = Path(path)
    clusters = []
    for number, record in enumerate(_read_jsonl(path), 1):
        docs, refs = record.get("docs"), record.get("refs")
        if not isinstance(docs, list) or not isinstance(refs, list) or not refs:
            raise InputError(f"record {number} needs a 'docs' list and a non-empty 'refs' list", origin=str(path))
        try:
            documents = tuple(
                EvalDocument(str(d.get("id", i)), d["text"], d.get("source"), d.get("date"))
                for i, d in enumerate(docs)
            )
        except (KeyError, AttributeError, TypeError):
            raise InputError(f"record {number}: every doc needs a 'text'", origin=str(path)) from None
        clusters.append(EvalCluster(str(record.get("id", number)), documents, tuple(map(str, refs))))
        if limit and len(clusters) >= limit:
            break
    if not clusters:
        raise InputError("dataset holds no clusters", origin=str(path))
    return clusters


def load_published(path: str | Path, cluster_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """Published system outputs (``id``, ``system``, ``summary``) for the given clusters."""
    path = Path(path)
    wanted = set(cluster_ids)
    systems: dict[str, dict[str, str]] = {}
    for number, record in enumerate(_read_jsonl(path), 1):
        if not all(isinstance(record.get(k), str) for k in ("id", "system", "summary")):
            raise InputError(f"record {number} needs string 'id', 'system' and 'summary'", origin=str(path))
        if record["id"] in wanted:
            systems.setdefault(record["system"], {})[record["id"]] = record["summary"]
    incomplete = sorted(name for name, outputs in systems.items() if set(outputs) != wanted)
    if not systems or incomplete:
        raise InputError(
            "published outputs do not cover the dataset's clusters"
            + (f" (incomplete: {', '.join(incomplete)})" if incomplete else ""),
            origin=str(path),
        )
    return systems


def _article_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def cluster_articles(cluster: EvalCluster, *, clean: bool) -> list[Article]:
    """The cluster's documents as Articles; ``clean`` runs newsbrief's cleaner first.

    DUC text is clean newswire; Multi-News carries scraped junk, which the
    cleaner handles as it would for a user. Every system then reads the same
    Articles, so cleaning is not an advantage of newsbrief alone.
    """
    if clean:
        from . import clean as cleaner

        raw = [
            RawDocument(origin=f"{cluster.id}/{d.id}", content=d.text, outlet=d.source, published=d.date)
            for d in cluster.docs
        ]
        articles, skipped = cleaner.clean_documents(raw)
        for item in skipped:
            log.info("cluster %s: skipped %s (%s)", cluster.id, item.origin, item.reason)
        return articles
    return [
        Article(
            id=_article_id(d.text), origin=f"{cluster.id}/{d.id}", text=d.text, raw_text=d.text,
            raw_chars=len(d.text), outlet=d.source, published=d.date,
        )
        for d in cluster.docs
        if d.text.strip()
    ]


# --------------------------------------------------------------------------- systems


def summary_lines(text: str) -> list[str]:
    """A published summary as sentences: its own lines, each split further if needed."""
    return [s for line in text.splitlines() for s in split_text(line)]


def newsbrief_system(resources: Resources, *, cut_last: bool = False) -> System:
    """newsbrief's summarizer: dedupe, segment, embed on demand, summarize.

    These are the stages ``api.brief_articles`` runs before the summary is
    final; who-said-what and the source profiles do not change its text.
    ``known_vectors``/``vectors_out`` work as in ``api.brief_articles``.
    """
    from . import dedupe, segment, summarize
    from .embed import SentenceVectors

    def run(articles: Sequence[Article], words: int, *, known_vectors: dict | None = None,
            vectors_out: dict | None = None) -> list[str]:
        sources = dedupe.collapse_duplicates(articles)
        by_id = {s.id: s for s in sources}
        sentences = segment.segment(sources)
        vectors = SentenceVectors(sentences, by_id, resources.embedder, known=known_vectors)
        _headline, summary = summarize.summarize(sources, sentences, vectors, words=words, cut_last=cut_last)
        if vectors_out is not None:
            vectors_out.update(vectors.embedded)
        return [s.text for s in summary]

    return run


#: newsbrief under DUC's length rule: one more sentence past the whole ones, cut at the budget.
CUT_ROW = "newsbrief, DUC cut rule"


def newsbrief_pair(resources: Resources) -> tuple[System, System]:
    """newsbrief as a briefing shows it (whole sentences within the budget), and under DUC's cut rule.

    DUC 2004 cut every summary at 100 words, so most published systems (DPP,
    Submodular, RegSum) and every sumy peer here hand in a last sentence that
    crosses the budget; a briefing never does. Both rows are scored so the
    comparison under the same rule is there, and the briefing's own row too.
    The cut run reuses the sentence vectors of the whole run on the same cluster.
    """
    whole_run, cut_run = newsbrief_system(resources), newsbrief_system(resources, cut_last=True)
    last: dict = {}

    def whole(articles: Sequence[Article], words: int) -> list[str]:
        vectors: dict = {}
        summary = whole_run(articles, words, vectors_out=vectors)
        last.clear()
        last.update(ids=[a.id for a in articles], vectors=vectors)
        return summary

    def cut(articles: Sequence[Article], words: int) -> list[str]:
        known = last["vectors"] if last.get("ids") == [a.id for a in articles] else None
        return cut_run(articles, words, known_vectors=known)

    return whole, cut


def peer_system(name: str) -> System:
    summarizer = peers.make_peer(name)
    return lambda articles, words: peers.peer_summary(summarizer, [a.text for a in articles], words)


def oracle_system(scorer: RougeScorer, refs: Sequence[str]) -> System:
    def run(articles: Sequence[Article], words: int) -> list[str]:
        candidates = [s for a in articles for s in split_text(a.text)]
        return peers.greedy_oracle(candidates, refs, words, scorer.tokenize)

    return run


# --------------------------------------------------------------------------- scoring


class _CachedPorter:
    """Porter stemming with a memo: scoring stems the same words thousands of times."""

    def __init__(self) -> None:
        from nltk.stem import porter

        self.stem = lru_cache(maxsize=200_000)(porter.PorterStemmer().stem)


class RougeScorer:
    """rouge-score with stemming, pooled over several references (ROUGE-1.5.5 ``-f A``)."""

    def __init__(self) -> None:
        try:
            from rouge_score import rouge_scorer, tokenize
        except ImportError as exc:
            raise ConfigError("evaluation needs rouge-score: pip install 'newsbrief[eval]'") from exc
        stemmer = _CachedPorter()
        tokenize_text = tokenize.tokenize

        class Tokenizer:
            def tokenize(self, text: str) -> list[str]:
                return tokenize_text(text, stemmer)

        self._tokenizer = Tokenizer()
        self._scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True, tokenizer=self._tokenizer)

    def tokenize(self, text: str) -> list[str]:
        return self._tokenizer.tokenize(text)

    def _reference_counts(self, lines: Sequence[str]) -> dict[str, int]:
        lengths = [len(self.tokenize(line)) for line in lines]
        total = self.tokenize(" ".join(lines))
        return {"rouge1": len(total), "rouge2": max(len(total) - 1, 0), "rougeLsum": sum(lengths)}

    def score(self, summary: Sequence[str], refs: Sequence[str]) -> dict[str, tuple[float, float]]:
        """(recall, F1) per metric of a summary (one sentence an item) against the references."""
        prediction = "\n".join(s.replace("\n", " ") for s in summary)
        hits = dict.fromkeys(METRICS, 0.0)
        reference_total = dict.fromkeys(METRICS, 0)
        precision_sum = dict.fromkeys(METRICS, 0.0)
        for ref in refs:
            lines = summary_lines(ref) or [ref]
            counts = self._reference_counts(lines)
            result = self._scorer.score("\n".join(lines), prediction)
            for metric in METRICS:
                hits[metric] += result[metric].recall * counts[metric]
                reference_total[metric] += counts[metric]
                precision_sum[metric] += result[metric].precision
        out = {}
        for metric in METRICS:
            recall = hits[metric] / reference_total[metric] if reference_total[metric] else 0.0
            precision = precision_sum[metric] / len(refs)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[metric] = (recall, f1)
        return out


def bootstrap_interval(values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES,
                       seed: int = BOOTSTRAP_SEED) -> tuple[float, float, float]:
    """Mean and 95% percentile-bootstrap interval over clusters (fixed seed: same resamples)."""
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(data.mean()), float(low), float(high)


# --------------------------------------------------------------------------- the run


@dataclass
class Evaluation:
    dataset: str
    words: int
    clusters: int
    results: list[SystemResult]
    empty_clusters: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cluster_ids: list[str] = field(default_factory=list)


def split_of(cluster_ids: Sequence[str]) -> dict[str, str]:
    """The development split: clusters sorted by id, even positions "tune", odd "report".

    Weights are tuned on the tune half only; the report half is the held-out
    check that a gain is not fitted to the clusters it was measured on.
    """
    return {cid: ("tune" if n % 2 == 0 else "report") for n, cid in enumerate(sorted(cluster_ids))}


def evaluate(
    clusters: Sequence[EvalCluster],
    words: int,
    *,
    resources: Resources | None,
    published: dict[str, dict[str, str]] | None = None,
    peer_names: Sequence[str] = PEER_NAMES,
    clean: bool = False,
    dataset: str = "",
    progress: Progress | None = None,
    newsbrief: System | None = None,
) -> Evaluation:
    """Run and score newsbrief, the sumy peers, published outputs, Lead and the oracle.

    ``resources`` is loaded once for the run (``None`` leaves newsbrief out);
    ``newsbrief`` replaces its system, for experiments.
    """
    if words <= 0:
        raise ConfigError(f"the word budget must be positive, got {words}")
    scorer = RougeScorer()
    systems: list[tuple[str, str, System | None]] = []
    if newsbrief is not None or resources is not None:
        if newsbrief is None:
            _ = resources.embedder  # load the model now, not inside the first cluster's timing
            whole, cut = newsbrief_pair(resources)
            systems += [("newsbrief", "newsbrief", whole), (CUT_ROW, "newsbrief", cut)]
        else:
            systems.append(("newsbrief", "newsbrief", newsbrief))
    systems += [(name, "peer", peer_system(name)) for name in peer_names]
    systems += [(f"SumRepo {name}", "published", None) for name in sorted(published or {})]
    systems += [("Lead", "baseline", lead_system), ("Oracle", "baseline", None)]
    results = {name: SystemResult(name, kind) for name, kind, _ in systems}
    evaluation = Evaluation(dataset, words, len(clusters), list(results.values()),
                            cluster_ids=[c.id for c in clusters])
    report = progress or (lambda stage, done, total: None)
    report("clusters", 0, len(clusters))
    for done, cluster in enumerate(clusters, 1):
        articles = cluster_articles(cluster, clean=clean)
        if not articles:
            evaluation.empty_clusters.append(cluster.id)
        for name, kind, system in systems:
            started = time.perf_counter()
            if kind == "published":
                summary = summary_lines(published[name.removeprefix("SumRepo ")][cluster.id])
            elif name == "Oracle":
                summary = oracle_system(scorer, cluster.refs)(articles, words)
            else:
                summary = _run_system(name, system, articles, words, cluster.id)
            results[name].seconds += time.perf_counter() - started
            results[name].raw_words.append(sum(len(s.split()) for s in summary))
            summary = truncate_words(summary, words)
            results[name].summaries.append(summary)
            results[name].words.append(sum(len(s.split()) for s in summary))
            for metric, pair in scorer.score(summary, cluster.refs).items():
                results[name].scores[metric].append(pair)
        report("clusters", done, len(clusters))
    if "newsbrief" in results:
        over = sum(1 for w in results["newsbrief"].raw_words if w > words)
        evaluation.notes.append(f"newsbrief exceeded the {words}-word budget on {over} of {len(clusters)} "
                                "clusters before the harness's cut" if over else
                                f"newsbrief kept within the {words}-word budget on every cluster by itself")
    if CUT_ROW in results:
        evaluation.notes.append(f"'{CUT_ROW}': newsbrief's summary plus one more sentence, cut at {words} words "
                                "as DUC's rule and the sumy peers' budget do; the sentence vectors are reused "
                                "from the first row, so its s/cluster counts the selection only")
    if evaluation.empty_clusters:
        evaluation.notes.append(
            f"{len(evaluation.empty_clusters)} cluster(s) had no usable article after cleaning; "
            "every system scores 0 on them"
        )
    return evaluation


def add_official_scores(evaluation: Evaluation, clusters: Sequence[EvalCluster],
                        progress: Progress | None = None) -> None:
    """Score every system's summaries again with ROUGE-1.5.5 itself (:mod:`newsbrief.rouge155`)."""
    from . import rouge155

    refs = {c.id: c.refs for c in clusters}
    report = progress or (lambda stage, done, total: None)
    report("ROUGE-1.5.5", 0, len(evaluation.results))
    for done, result in enumerate(evaluation.results, 1):
        ids = evaluation.cluster_ids[: result.clusters]
        result.official = rouge155.official_scores(result.summaries, [refs[cid] for cid in ids], evaluation.words)
        report("ROUGE-1.5.5", done, len(evaluation.results))
    evaluation.notes.append("official scale: the same cut summaries scored by the ROUGE-1.5.5 script with DUC "
                            f"2004's flags (-n 4 -m -a -l {evaluation.words} -x -c 95 -r 1000 -f A -p 0.5 -t 0); "
                            "mean and interval are the script's own")


def _run_system(name: str, system: System, articles: Sequence[Article], words: int, cluster: str) -> list[str]:
    if not articles:
        return []
    try:
        return system(articles, words)
    except NewsbriefError as error:
        # A cluster newsbrief cannot brief scores 0 and is logged, not hidden: the table counts it.
        log.warning("%s failed on cluster %s: %s", name, cluster, error)
        return []


# --------------------------------------------------------------------------- run set-up


@dataclass(frozen=True)
class RunPlan:
    clusters: list[EvalCluster]
    published: dict[str, dict[str, str]] | None
    peer_names: tuple[str, ...]
    clean: bool


PUBLISHED_BESIDE = {"duc2004_task2.jsonl": "sumrepo_duc2004.jsonl"}


def needs_cleaning(clusters: Sequence[EvalCluster]) -> bool:
    """Scraped web text (no outlet on any document) goes through the cleaner; curated newswire does not."""
    return not any(d.source for c in clusters for d in c.docs)


def prepare_run(dataset: str | Path, words: int, *, limit: int | None = None,
                published: str | Path | None = None, clean: bool | None = None,
                peers: str | None = None, official: bool = False) -> RunPlan:
    """Check every argument and load the data before any system runs.

    ``official``: the ROUGE-1.5.5 scorer will be asked for; check it can run.
    """
    if official:
        from . import rouge155

        rouge155.require()
    if words <= 0:
        raise InputError(f"--words must be a positive number, got {words}")
    if limit is not None and limit <= 0:
        raise InputError(f"--limit must be a positive number, got {limit}")
    peer_names = tuple(p.strip() for p in peers.split(",") if p.strip()) if peers is not None else PEER_NAMES
    unknown = [p for p in peer_names if p not in PEER_NAMES]
    if unknown:
        raise InputError(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEER_NAMES)}")
    clusters = load_clusters(dataset, limit)
    dataset = Path(dataset)
    if published is None and dataset.name in PUBLISHED_BESIDE:
        beside = dataset.with_name(PUBLISHED_BESIDE[dataset.name])
        published = beside if beside.is_file() else None
    outputs = load_published(published, [c.id for c in clusters]) if published is not None else None
    return RunPlan(clusters, outputs, peer_names, needs_cleaning(clusters) if clean is None else clean)
