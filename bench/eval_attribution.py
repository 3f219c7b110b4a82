"""Who said what and where outlets disagree, scored against hand-made labels.

Labels: tests/data/attribution_gold.json (offsets over /work/shared texts, no text).
Statements are matched when their spans overlap by at least half of both; the
speaker is right when the names agree on the surname (or one contains the
other). A predicted conflict is right when it has the labelled kind and cites
both sentences of one labelled pair. Conflict precision counts every conflict
the system reports in every cluster of the split, labelled or not.

    .venv/bin/python bench/eval_attribution.py [--split dev|blind2|blind3|blind4|blind5|blind5-held|blind5-seen|test|tune|held|held-ecb|held-duc|fresh|all] [--show-errors] [--timing] [--rules]

"dev" is tune + test + held + held-ecb + held-duc: every split whose errors have been read. "blind2"
(DUC 2004 task-2 clusters, labelled by a second annotator) has been read since round 2; "blind3"
(tests/data/conflict_blind3.json: DUC 2004 clusters and ECB+ events, an independent annotator, frozen
before the round-3 rules ran on it) was tuned on in round 4; "blind4" (tests/data/conflict_blind4.json:
11 ECB+ events and 11 DUC 2004 clusters, a new independent annotator, frozen before any run on it) was
scored once after round 4 and tuned on in round 5; the blind5 splits (tests/data/conflict_blind5.json, a
third annotator, see BLIND5 below) were scored once on the round-5 rules. "all" counts every label.
Conflicts are scored as a briefing
with ``ner = "spacy"`` finds them (retold passages parsed); ``--rules`` scores the default run, which
loads no model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsbrief import segment  # noqa: E402
from newsbrief.attribute import find_statements  # noqa: E402
from newsbrief.compare import detail_conflicts, role_conflicts  # noqa: E402
from newsbrief.parsed_figures import default_parser  # noqa: E402
from newsbrief.records import Article, Source  # noqa: E402

SHARED = REPO.parent / "shared"
GOLD = REPO / "tests" / "data" / "attribution_gold.json"
#: The third blind split, labelled by an independent annotator from the texts alone and frozen before
#: any run of the conflict rules on it (its "about" field says how it was made).
BLIND3 = REPO / "tests" / "data" / "conflict_blind3.json"
#: The fourth, made the same way in session 4 (11 ECB+ events, 11 DUC 2004 clusters by a new annotator)
#: and scored once, on the session-3 rules and on the round-4 rules, after both were frozen.
BLIND4 = REPO / "tests" / "data" / "conflict_blind4.json"
#: The fifth (session 5, a third annotator), frozen before the round-5 rules ran on it: "blind5" holds the
#: three DUC 2003 stream topics nobody had labelled or read; "blind5-held" re-reads 100 Multi-News "held"
#: clusters in full (their top candidate pairs had been read, and the held split's false alarms seen, so
#: its precision is not blind; nobody knew of its conflicts, so its recall is); "blind5-seen" is cluster 014.
BLIND5 = REPO / "tests" / "data" / "conflict_blind5.json"
#: Splits of the blind files, checked in this order (the later blind5 parts are carved out of "held").
BLIND_SPLITS = ("blind3", "blind4", "blind5", "blind5-held", "blind5-seen")
MULTINEWS = SHARED / "eval" / "multinews_val250.jsonl"
ECBPLUS = SHARED / "eval" / "ecbplus_docs.jsonl"
CORPUS = SHARED / "corpus" / "macron-putin-talks"
STREAM = SHARED / "eval" / "duc0304_stream.jsonl"
DUC04 = SHARED / "eval" / "duc2004_task2.jsonl"
DEV = ("tune", "test", "held", "held-ecb", "held-duc")
#: Publication dates of the documents that carry one (DUC), passed on as a briefing would get them.
DATES: dict[str, str] = {}


def load_texts() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every text the labels may point at, and the documents of each story."""
    texts, stories = {}, {}
    for line in MULTINEWS.open(encoding="utf-8"):
        row = json.loads(line)
        stories[row["id"]] = [f"multinews/{d['id']}" for d in row["docs"]]
        for d in row["docs"]:
            texts[f"multinews/{d['id']}"] = d["text"]
    # ECB+ events (one story each, many outlets) hold the fresh conflict labels.
    for line in ECBPLUS.open(encoding="utf-8"):
        row = json.loads(line)
        stories.setdefault(f"ecbplus/{row['event']}", []).append(f"ecbplus/{row['id']}")
        texts[f"ecbplus/{row['id']}"] = row["text"]
    for key in [k for k in stories if k.startswith("ecbplus/")]:
        stories[key].sort()
    # DUC 2003 topics of the dated stream (articles outside DUC 2004 task 2) hold the held-duc labels.
    duc04 = set()
    for line in DUC04.open(encoding="utf-8"):
        row = json.loads(line)
        stories[f"duc04/{row['id']}"] = [f"duc04/{d['id']}" for d in row["docs"]]
        for d in row["docs"]:
            texts[f"duc04/{d['id']}"] = d["text"]
            DATES[f"duc04/{d['id']}"] = d.get("date") or ""
            duc04.add(d["id"])
    for line in STREAM.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] not in duc04:
            stories.setdefault(f"duc03/{row['labels'][0]}", []).append(f"duc03/{row['id']}")
            texts[f"duc03/{row['id']}"] = row["text"]
            DATES[f"duc03/{row['id']}"] = row.get("date") or ""
    names = sorted(p.name for p in CORPUS.iterdir())
    stories["corpus/macron-putin-talks"] = [f"corpus/{n}" for n in names]
    for n in names:
        texts[f"corpus/{n}"] = (CORPUS / n).read_text(encoding="utf-8")
    return texts, stories


def load_gold(texts: dict[str, str]) -> dict:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for path in (BLIND3, BLIND4, BLIND5):
        blind = json.loads(path.read_text(encoding="utf-8"))
        gold["docs"] = {**gold["docs"], **blind["docs"]}
        gold["conflicts"] = gold["conflicts"] + blind["conflicts"]
        gold.update({key: value for key, value in blind.items() if key.endswith("_clusters")})
    for doc, meta in gold["docs"].items():
        digest = hashlib.sha256(texts[doc].encode()).hexdigest()[:16]
        if digest != meta["sha256"] or len(texts[doc]) != meta["chars"]:
            raise SystemExit(f"{doc}: the shared text changed since it was labelled")
    return gold


def story_sources(docs: list[str], texts: dict[str, str]) -> list[Source]:
    return [
        Source(str(i + 1), Article(id=doc, origin=doc, text=texts[doc], raw_text=texts[doc], raw_chars=len(texts[doc]),
                                   published=DATES.get(doc) or None))
        for i, doc in enumerate(docs)
    ]


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    shared = min(a1, b1) - max(a0, b0)
    return shared >= 0.5 * (a1 - a0) and shared >= 0.5 * (b1 - b0)


def _name(name: str) -> str:
    return name.lower().replace("’s", "").replace("'s", "").strip()


def same_speaker(gold: str, predicted: str) -> bool:
    g, p = _name(gold), _name(predicted)
    return g.split()[-1] == p.split()[-1] or g in p or p in g


def story_of(doc: str, stories: dict[str, list[str]]) -> str:
    return next(k for k, docs in stories.items() if doc in docs)


def eval_statements(gold: dict, split: str, texts, stories, show: bool) -> dict:
    wanted = [s for s in gold["statements"] if split == "all" or s["split"] == split
              or (split == "dev" and s["split"] in DEV)]
    docs = sorted({s["doc"] for s in wanted})
    predicted = []
    for story in sorted({story_of(d, stories) for d in docs}):
        sources = story_sources(stories[story], texts)
        by_id = {s.id: s.article.id for s in sources}
        for st in find_statements(sources, segment.segment(sources)):
            if by_id[st.source] in docs:
                predicted.append((by_id[st.source], st))
    matched_pred, hits, speaker_ok = set(), 0, 0
    for g in wanted:
        best = next((k for k, (doc, p) in enumerate(predicted) if k not in matched_pred and doc == g["doc"]
                     and overlaps(g["start"], g["end"], p.start, p.end)), None)
        if best is None:
            if show:
                print(f"  MISS {g['doc']} {g['speaker']}: {texts[g['doc']][g['start']:g['end']][:90]!r}")
            continue
        matched_pred.add(best)
        hits += 1
        p = predicted[best][1]
        if same_speaker(g["speaker"], p.speaker):
            speaker_ok += 1
        elif show:
            print(f"  SPEAKER {g['doc']} gold={g['speaker']!r} got={p.speaker!r}: "
                  f"{texts[g['doc']][g['start']:g['end']][:70]!r}")
    if show:
        for k, (doc, p) in enumerate(predicted):
            if k not in matched_pred:
                print(f"  EXTRA {doc} {p.speaker!r}: {texts[doc][p.start:p.end][:90]!r}")
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(wanted) if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return dict(gold=len(wanted), predicted=len(predicted), matched=hits, precision=precision, recall=recall,
                f1=f1, speaker_accuracy=speaker_ok / hits if hits else 0.0)


def _cites(conflict, doc_of, doc: str, start: int, end: int) -> bool:
    return any(doc_of[c.source] == doc and c.start < end and start < c.end
               for claim in conflict.claims for c in claim.citations)


def _close(conflict, threshold: float) -> bool:
    """Strict mode: two claims whose sentences share most content words (one detail differs)."""
    from newsbrief.quotes import content_words

    words = [content_words(re.sub(r"\d", " ", c.text)) for c in conflict.claims[:2]]
    return 2 * len(words[0] & words[1]) >= threshold * max(1, len(words[0]) + len(words[1]))


def eval_conflicts(gold: dict, split: str, texts, stories, show: bool, strict: float = 0.0,
                   parse: bool = True) -> dict:
    part = split.split("-")[1] if split.startswith("fresh-") else None
    split = "fresh" if part else split

    def in_part(story: str) -> bool:
        """fresh-dev: ECB+ topics < 20, whose false alarms were read; fresh-held: the rest, never read."""
        return part is None or (int(story.split("/")[1].split("_")[0]) < 20) == (part == "dev")

    def split_of(story: str) -> str | None:
        """The conflict split whose clusters hold ``story`` (reports there count for that split's precision)."""
        for name in BLIND_SPLITS:
            if story in set(gold.get(f"{name.replace('-', '_')}_clusters", ())):
                return name
        if story.startswith("duc04/"):
            return "blind2" if story in set(gold.get("blind2_clusters", ())) else None
        if story.startswith("duc03/"):
            return "held-duc" if story in set(gold.get("held_duc_topics", ())) else None
        if story.startswith("ecbplus/"):
            if story in set(gold.get("held_events", ())):
                return "held-ecb"
            return "fresh" if story in gold["fresh_events"] and in_part(story) else None
        if story.startswith("corpus/"):
            return "tune"
        if story in set(gold.get("held_clusters", ())):
            return "held"
        return "test" if int(story.rsplit("_", 1)[1]) >= 100 else "tune"

    def wanted_split(name: str) -> bool:
        return split == "all" or name == split or (split == "dev" and name in DEV)

    wanted = [c for c in gold["conflicts"] if wanted_split(c["split"]) and in_part(c["cluster"])]

    def in_split(story: str) -> bool:
        name = split_of(story)
        return name is not None and wanted_split(name)

    found_gold, right, total = set(), 0, 0
    for story in sorted(s for s in stories if in_split(s)):
        if len(stories[story]) < 2:
            continue
        sources = story_sources(stories[story], texts)
        doc_of = {s.id: s.article.id for s in sources}
        sentences = segment.segment(sources)
        details = detail_conflicts(sources, sentences, default_parser if parse else None)
        for conflict in role_conflicts(sources, sentences) + details:
            if strict and conflict.kind != "role" and not _close(conflict, strict):
                continue
            total += 1
            hit = [k for k, g in enumerate(wanted) if g["cluster"] == story and g["kind"] == conflict.kind and any(
                _cites(conflict, doc_of, a["doc"], a["start"], a["end"])
                and _cites(conflict, doc_of, b["doc"], b["start"], b["end"]) for a, b in g["pairs"])]
            if hit:
                right += 1
                found_gold.update(hit)
            elif show:
                print(f"  FALSE {story[-3:]} {conflict.kind} {conflict.subject!r}: "
                      + " | ".join(c.text[:80] for c in conflict.claims))
    if show:
        for k, g in enumerate(wanted):
            if k not in found_gold:
                print(f"  MISSED {g['cluster'][-3:]} {g['kind']} {g['subject']}")
    return dict(gold=len(wanted), predicted=total, correct=right, found=len(found_gold),
                precision=right / total if total else 0.0, recall=len(found_gold) / len(wanted) if wanted else 0.0)


def time_stage(texts, stories, n_docs: int = 50) -> dict:
    """Seconds the attribute and compare stages add on one story of ``n_docs`` Multi-News articles."""
    from newsbrief.attribute import attribute
    from newsbrief.compare import compare
    from newsbrief.resources import Resources
    from newsbrief.settings import Settings

    docs = [d for k, ds in stories.items() if k.startswith("multinews") for d in ds][:n_docs]
    sources = story_sources(docs, texts)
    sentences = segment.segment(sources)
    resources = Resources(Settings(embedder="tfidf", ner="spacy"))
    t0 = time.perf_counter()
    resources.nlp  # noqa: B018 - load once, as a long-running process would
    load = time.perf_counter() - t0
    # CPU seconds as well as wall seconds: on a shared machine the wall clock mostly measures the queue.
    t0, c0 = time.perf_counter(), time.process_time()
    quotes, entities = attribute(sources, sentences, None, resources)
    t_attr, c_attr = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    _, conflicts = compare(sources, sentences, None, [], quotes, entities, resources)
    t_cmp, c_cmp = time.perf_counter() - t0, time.process_time() - c0
    words = sum(len(s.text.split()) for s in sources)
    return dict(docs=len(sources), words=words, sentences=len(sentences), spacy_load_s=round(load, 2),
                attribute_wall_s=round(t_attr, 3), attribute_cpu_s=round(c_attr, 3),
                compare_wall_s=round(t_cmp, 3), compare_cpu_s=round(c_cmp, 3), quotes=len(quotes),
                entities=len(entities), conflicts=len(conflicts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=("dev", "blind2", "blind3", "blind4", "blind5", "blind5-held", "blind5-seen", "test", "tune", "held", "held-ecb", "held-duc", "fresh", "fresh-dev", "fresh-held", "all"))
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--strict", type=float, default=0.0, metavar="DICE",
                        help="count only role conflicts and conflicts whose two sentences share this content-word Dice")
    parser.add_argument("--timing", action="store_true", help="also time the stages on a 50-article story")
    parser.add_argument("--rules", action="store_true",
                        help="conflicts as a default (ner = rules) briefing finds them: no spaCy parse")
    args = parser.parse_args()
    texts, stories = load_texts()
    gold = load_gold(texts)
    st = eval_statements(gold, args.split, texts, stories, args.show_errors)
    print(f"split={args.split} statements: gold={st['gold']} predicted={st['predicted']} matched={st['matched']} "
          f"P={st['precision']:.3f} R={st['recall']:.3f} F1={st['f1']:.3f} "
          f"speaker_accuracy={st['speaker_accuracy']:.3f}")
    cf = eval_conflicts(gold, args.split, texts, stories, args.show_errors, args.strict, parse=not args.rules)
    print(f"split={args.split} conflicts: gold={cf['gold']} predicted={cf['predicted']} correct={cf['correct']} "
          f"found={cf['found']} P={cf['precision']:.3f} R={cf['recall']:.3f}")
    if args.timing:
        print("timing:", json.dumps(time_stage(texts, stories)))


if __name__ == "__main__":
    main()
