"""How long ingest + clean take for a 50-article run.

Goal: cleaning 50 plain-text articles well under 0.5 s in total; HTML pages pay
for trafilatura (its import once, then its extraction per page).

    .venv/bin/python bench/clean_speed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsbrief import boilerplate, clean  # noqa: E402
from newsbrief.clean import clean_documents  # noqa: E402
from newsbrief.ingest import read_inputs  # noqa: E402
from newsbrief.records import RawDocument  # noqa: E402
from newsbrief.settings import Settings  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "macron-putin-talks"
EXAMPLE = REPO / "examples" / "port-strike"


def _timed(function, repeat: int = 5) -> tuple[float, object]:
    """Median wall time of ``repeat`` cold runs (CPU time is printed by the caller where it matters)."""
    times, result = [], None
    for _ in range(repeat):
        # Line judgements are memoised; clear them so every run is a cold, first-time run.
        for cached in (boilerplate.classify, boilerplate.shape, clean._line_key):
            cached.cache_clear()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    settings = Settings()
    specs = [str(CORPUS), str(EXAMPLE)]
    read_s, (docs, skipped) = _timed(lambda: read_inputs(specs, settings))
    plain = [d for d in docs if not d.is_html]
    html = [d for d in docs if d.is_html]
    # 50 distinct plain-text documents: the real ones, each copy with its own first paragraph.
    fifty = [RawDocument(origin=f"{d.origin}#{i}", content=f"Copy number {i} of this article.\n\n{d.content}")
             for i, d in enumerate(plain * (50 // len(plain) + 1))][:50]
    words = sum(len(d.content.split()) for d in fifty)
    cpu = time.process_time()
    clean_s, (articles, dropped) = _timed(lambda: clean_documents(fifty))
    cpu = (time.process_time() - cpu) / 5
    print(f"read {len(docs)} documents from corpus + example: {read_s * 1000:.1f} ms (median of 5)")
    print(f"clean 50 plain-text articles ({words} words): {clean_s * 1000:.1f} ms (median of 5); "
          f"{len(articles)} kept, {len(dropped)} skipped; CPU {cpu * 1000:.1f} ms a run")

    start = time.perf_counter()
    import trafilatura  # noqa: F401

    print(f"import trafilatura (once per process): {(time.perf_counter() - start) * 1000:.0f} ms")
    pages = [RawDocument(origin=f"{d.origin}#{i}", content=d.content, is_html=True)
             for i, d in enumerate(html * 10)]
    html_s, _ = _timed(lambda: clean_documents(pages), repeat=3)
    print(f"clean {len(pages)} HTML pages (trafilatura + line cleaning): {html_s * 1000:.1f} ms "
          f"({html_s / len(pages) * 1000:.1f} ms/page, median of 3)")

    multinews(REPO.parent / "shared" / "eval" / "multinews_val250.jsonl")


def multinews(path: Path) -> None:
    """All 690 Multi-News validation articles: CPU time, what was removed, what was skipped."""
    import json
    from collections import Counter

    if not path.is_file():
        print(f"(no {path}: Multi-News part skipped)")
        return
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            docs += [RawDocument(origin=f"{cluster['id']}/{d['id']}", content=d["text"]) for d in cluster["docs"]]
    for cached in (boilerplate.classify, boilerplate.shape, clean._line_key):
        cached.cache_clear()
    cpu, wall = time.process_time(), time.perf_counter()
    articles, skipped = clean_documents(docs)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    kinds = Counter(r.kind for a in articles for r in a.removed)
    furniture = sum(r.end - r.start for a in articles for r in a.removed if r.kind not in clean.STRUCTURE_KINDS)
    share = furniture / sum(len(a.raw_text) for a in articles)
    print(f"Multi-News val: {len(docs)} articles, {sum(len(d.content) for d in docs) / 1e6:.1f} MB: "
          f"CPU {cpu:.2f} s (wall {wall:.2f} s); {len(articles)} kept, {len(skipped)} skipped "
          f"(too short after cleaning); furniture removed: {share:.1%} of characters")
    print("  removed lines by kind:", dict(kinds.most_common()))


if __name__ == "__main__":
    main()
