"""Cold-start wall time and peak memory of ``newsbrief brief`` as a user runs it.

    python bench/brief_speed.py [--sizes 5,10,50] [--repeat 3] [--embedder auto]
                                [--as jsonl|txt] [--profile 50]

Each run is a fresh ``newsbrief brief`` process (the console script of this
checkout's .venv): interpreter start, imports, model load, reading, cleaning and
every stage, rendering JSON to a file. Time is wall-clock, the median of
--repeat runs; memory is the child's peak resident set (``os.wait4`` rusage,
so it is per run, native allocations included).

Inputs: the first N articles of DUC 2004 Task 2 in file order (ten a cluster),
written to a temporary directory as one JSON Lines file with outlet and date
(``--as txt``: one plain-text file each), never into the repo; plus the
five-article shared corpus as given. Target: under 5 s and under 1 GB at 50
articles (~1,500 sentences) with the default embedder.

``--profile N`` also runs N articles once under ``-X importtime`` and cProfile
and prints the slowest imports and the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DUC = SHARED / "eval" / "duc2004_task2.jsonl"
CORPUS = SHARED / "corpus" / "macron-putin-talks"
NEWSBRIEF = REPO / ".venv" / "bin" / "newsbrief"
PYTHON = REPO / ".venv" / "bin" / "python"
STAGES = (
    ("newsbrief/cli", "main"),
    ("newsbrief/resources", "make_embedder"),
    ("newsbrief/resources", "load_spacy"),
    ("newsbrief/ingest", "read_inputs"),
    ("newsbrief/clean", "clean_documents"),
    ("newsbrief/dedupe", "collapse_duplicates"),
    ("newsbrief/segment", "segment"),
    ("newsbrief/summarize", "summarize"),
    ("newsbrief/attribute", "attribute"),
    ("newsbrief/compare", "compare"),
    ("newsbrief/profile", "profile_sources"),
    ("newsbrief/embed", "embed_sentences"),
    ("newsbrief/render", "render"),
)
HEAVY = ("torch", "tensorflow", "transformers", "spacy", "trafilatura", "sklearn", "scipy", "sqlalchemy", "fastapi")


def duc_articles(count: int) -> list[dict]:
    articles = []
    with DUC.open(encoding="utf-8") as handle:
        for line in handle:
            for doc in json.loads(line)["docs"]:
                articles.append(doc)
                if len(articles) == count:
                    return articles
    raise SystemExit(f"{DUC} holds fewer than {count} articles")


def write_input(directory: Path, docs: list[dict], layout: str) -> Path:
    directory.mkdir(parents=True)
    if layout == "txt":
        for doc in docs:
            (directory / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")
        return directory
    path = directory / "story.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            record = {"text": doc["text"], "outlet": doc["source"], "published": doc["date"], "title": doc["id"]}
            out.write(json.dumps(record) + "\n")
    return path


def count_sentences(texts: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    from newsbrief.segment import split_spans

    return sum(1 for text in texts for _ in split_spans(text))


def run_once(command: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, peak RSS in MiB, and CPU seconds (user + system) of one fresh process.

    On a shared machine wall time swings with the load; CPU time much less, so
    it is the better estimate of what an idle 2-core machine would take.
    """
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    child.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"run failed ({code}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # ru_maxrss is KiB on Linux


def measure(label: str, target: Path, articles: int, sentences: int, args, env: dict, out_dir: Path) -> dict:
    output = out_dir / f"{label}.json"
    command = [str(NEWSBRIEF), "brief", str(target), "-f", "json", "-o", str(output)]
    if args.words:
        command += ["--words", str(args.words)]
    times, peaks, cpus = [], [], []
    for _ in range(args.repeat):
        seconds, peak, cpu = run_once(command, env)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
    briefing = json.loads(output.read_text(encoding="utf-8"))
    row = {
        "input": label,
        "articles": articles,
        "sources": len(briefing["sources"]),
        "sentences": sentences,
        "wall_s_median": round(statistics.median(times), 2),
        "wall_s_runs": [round(t, 2) for t in times],
        "cpu_s_median": round(statistics.median(cpus), 2),
        "peak_rss_mib": round(max(peaks)),
    }
    print(
        f"{label:>12}  {articles:>3} articles  {row['sources']:>3} sources  {sentences:>5} sentences  "
        f"wall {row['wall_s_median']:6.2f} s (runs {', '.join(f'{t:.2f}' for t in times)})  "
        f"CPU {row['cpu_s_median']:6.2f} s  "
        f"peak RSS {row['peak_rss_mib']:5d} MiB",
        flush=True,
    )
    return row


def baseline(env: dict) -> None:
    """What a process costs before any work: interpreter, and `newsbrief --version`."""
    for label, command in (
        ("python -c pass", [str(PYTHON), "-c", "pass"]),
        ("newsbrief --version", [str(NEWSBRIEF), "--version"]),
        ("import newsbrief.api", [str(PYTHON), "-c", "import newsbrief.api"]),
    ):
        runs = [run_once(command, env) for _ in range(3)]
        print(f"{label:>22}: wall {statistics.median(r[0] for r in runs):.2f} s, "
              f"CPU {statistics.median(r[2] for r in runs):.2f} s, {max(r[1] for r in runs):.0f} MiB", flush=True)


_PROFILED = """
import cProfile, json, sys, time
stats_file, modules_file, *argv = sys.argv[1:]
sys.argv = ["newsbrief", *argv]
# CPU time, not wall: on a shared machine wall time mostly measures the neighbours.
profiler = cProfile.Profile(time.process_time)
try:
    profiler.runcall(lambda: __import__("newsbrief.cli").cli.main())
except SystemExit as exit:
    if exit.code:
        raise
finally:
    profiler.dump_stats(stats_file)
    with open(modules_file, "w") as out:
        json.dump(sorted({name.split(".")[0] for name in sys.modules}), out)
"""


_STAGED = """
import json, sys, time
marks = [("start", time.perf_counter(), time.process_time())]
def mark(label):
    marks.append((label, time.perf_counter(), time.process_time()))
import newsbrief.api as api
from newsbrief import render
mark("import newsbrief.api (all stages)")
resources = api.make_resources()
resources.embedder
mark("load sentence model")
resources.nlp
mark("load spaCy")
articles, skipped = api.read_articles([sys.argv[1]], resources)
mark("ingest + clean")
names = ["dedupe + segment", "summarize (+ embedding)", "attribute", "compare", "profile"]
def progress(stage, done, total):
    if stage == "brief" and done:
        mark(names[done - 1])
briefing = api.brief_articles(articles, resources, skipped=skipped, progress=progress)
render.render(briefing, "json")
mark("render json")
rows = [(label, wall - marks[i][1], cpu - marks[i][2]) for i, (label, wall, cpu) in enumerate(marks[1:])]
print(json.dumps(rows))
"""


def stages(target: Path, env: dict) -> None:
    """One fresh process that times each step in turn (model and spaCy loaded up front)."""
    result = subprocess.run([str(PYTHON), "-c", _STAGED, str(target)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"staged run failed:\n{result.stderr[-2000:]}")
    print("\nstep by step (one run; wall / CPU seconds):")
    for label, wall, cpu in json.loads(result.stdout.strip().splitlines()[-1]):
        print(f"  {wall:6.2f} / {cpu:5.2f}  {label}")


def profile(target: Path, env: dict, work: Path, top: int = 25) -> None:
    """One run under -X importtime and cProfile (imports included in the profile)."""
    stats_file, modules_file = work / "brief.prof", work / "modules.json"
    command = [
        str(PYTHON), "-X", "importtime", "-c", _PROFILED, str(stats_file), str(modules_file),
        "brief", str(target), "-f", "json", "-o", str(work / "profiled.json"),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"profiled run failed:\n{result.stderr[-2000:]}")
    imports = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split(":", 1)[1].split("|")
            if cumulative.strip().isdigit():
                imports.append((int(cumulative), name.rstrip()))
    # importtime indents a module under the one that imported it: depth 1 is a direct import.
    direct = sorted(((us, name.strip()) for us, name in imports if len(name) - len(name.lstrip()) <= 1), reverse=True)
    print("\nslowest imports made by the run itself (cumulative, includes what they import):")
    for us, name in direct[:12]:
        print(f"  {us / 1e6:6.2f} s  {name}")
    loaded = set(json.loads(modules_file.read_text()))
    print("heavy packages loaded:", ", ".join(p for p in HEAVY if p in loaded) or "none")
    stats = pstats.Stats(str(stats_file))
    print("\nwhere the run's CPU time goes (cumulative CPU seconds, stages overlap only where one calls another):")
    for module, function in STAGES:
        seconds = sum(
            entry[3] for (path, _, name), entry in stats.stats.items()  # type: ignore[attr-defined]
            if name == function and path.endswith(f"{module.replace('.', '/')}.py")
        )
        print(f"  {seconds:6.2f} s  {module}.{function}")
    print(f"\ntop {top} functions by cumulative CPU time:")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,10,50", help="article counts from DUC 2004 (default 5,10,50)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--words", type=int, default=None, help="summary budget (default: the setting, 120)")
    parser.add_argument("--embedder", default=None, help="minilm, tfidf or auto (default: the default, auto)")
    parser.add_argument("--as", dest="layout", choices=("jsonl", "txt"), default="jsonl")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile one run of N articles")
    parser.add_argument("--stages", type=int, default=0, metavar="N", help="time each step of one run of N articles")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    if not NEWSBRIEF.exists():
        raise SystemExit(f"{NEWSBRIEF} is missing: run bash scripts/setup")

    with tempfile.TemporaryDirectory(prefix="newsbrief-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
        env["NEWSBRIEF_HOME"] = str(work / "home")
        if args.embedder:
            env["NEWSBRIEF_EMBEDDER"] = args.embedder
        print(f"newsbrief brief, fresh process per run, median of {args.repeat}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; embedder {args.embedder or 'default (auto)'}",
              flush=True)
        if not args.no_baseline:
            baseline(env)
        rows = []
        for size in [int(s) for s in args.sizes.split(",") if s]:  # --sizes "" skips the timed runs
            docs = duc_articles(size)
            target = write_input(work / f"duc{size}", docs, args.layout)
            rows.append(measure(f"duc-{size}", target, size, count_sentences([d["text"] for d in docs]), args, env, work))
        if not args.no_corpus:
            corpus_texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.iterdir())]
            rows.append(measure("corpus", CORPUS, len(corpus_texts), count_sentences(corpus_texts), args, env, work))
        if args.stages:
            stages(write_input(work / f"stages{args.stages}", duc_articles(args.stages), args.layout), env)
        if args.profile:
            profile(write_input(work / f"profile{args.profile}", duc_articles(args.profile), args.layout), env, work)
        if rows:
            print(json.dumps(rows))


if __name__ == "__main__":
    main()
