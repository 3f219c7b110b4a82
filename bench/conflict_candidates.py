"""Loose conflict candidates for hand labelling, independent of newsbrief's compare code.

Lists sentence pairs from different articles of one Multi-News cluster that MIGHT disagree:
figures sharing a nearby word, ages of one surname, dates/times/weekdays in similar sentences,
titles before one surname, and negated vs plain sentences with many shared words. A human then
judges each pair by reading it (criteria in tests/data/attribution_gold.json, "about"). This is how
the "held" conflict split was made, before the system was run on those clusters:

    python3 bench/conflict_candidates.py --skip-labelled > candidates.txt
    python3 bench/conflict_candidates.py --skip-labelled --loose > more.txt
    python3 bench/conflict_candidates.py --ecb --per-cluster 60 > ecb.txt   # ECB+ events outside fresh_events
    python3 bench/conflict_candidates.py --duc --per-cluster 70 > duc.txt   # DUC 2003 topics of the dated stream
    python3 bench/conflict_candidates.py --duc04 --per-cluster 40 > b2.txt  # DUC 2004 task-2 clusters (blind2)
    python3 bench/conflict_candidates.py --duc04 --clusters d30045t,d30051t   # named clusters, every pair (blind3)
    python3 bench/conflict_candidates.py --ecb --clusters 37_ecb,8_ecbplus     # named ECB+ events, every pair
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from pathlib import Path

STOP = set("""a an the of to in on at for by with from and or but is are was were be been being has have had
it its this that these those as he she they his her their them we our you your i not no said says say
will would could should may might can than then there here who whom which what when where while after
before about over into out up down more most also just only some any all one two three said told per
mr mrs ms dr new after last first""".split())
NUMWORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMWORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                 "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24})
NUM = re.compile(r"\$?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion|percent|%))?|\b(?:"
                 + "|".join(NUMWORDS) + r")\b", re.I)
WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
MONTHDAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b")
CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:a\.m\.|p\.m\.|am|pm)\b", re.I)
YEAR = re.compile(r"\b(19|20)\d\d\b")
AGE = re.compile(r"\b([A-Z][a-z]+),\s+(\d{1,3}),")
NEG = re.compile(r"\b(not|n't|never|no|denied|denies|deny|false|neither|nor|without)\b", re.I)
TITLES = set("""president minister secretary spokesman spokeswoman spokesperson director chief senator sen governor
gov mayor ceo chairman chairwoman officer judge attorney coach leader head adviser advisor assistant aide
ambassador general commander captain sheriff deputy lieutenant sergeant detective professor founder
executive manager prosecutor lawyer representative rep congressman congresswoman speaker chancellor premier
king queen prince princess pope bishop editor reporter analyst economist scientist researcher vice
former acting interim owner partner police""".split())
SENT = re.compile(r"[^\n]+?(?:[.!?][\"”’']?(?=\s)|$)", re.M)


def sentences(text: str):
    for m in SENT.finditer(text):
        s = m.group().strip()
        if len(s) > 25:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            yield start, start + len(s), s


def words(s: str) -> list[str]:
    return re.findall(r"[a-z][a-z'-]+", s.lower())


def stem(w: str) -> str:
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def content(s: str) -> set[str]:
    return {stem(w) for w in words(s) if w not in STOP and w not in NUMWORDS}


def figures(s: str):
    """(value text, head words) for each figure: the head words are the next three content words."""
    out = []
    for m in NUM.finditer(s):
        if YEAR.fullmatch(m.group()) or CLOCK.match(s, m.start()):
            continue
        after = [stem(w) for w in words(s[m.end():m.end() + 40]) if w not in STOP][:3]
        before = [stem(w) for w in words(s[max(0, m.start() - 25):m.start()]) if w not in STOP][-2:]
        out.append((m.group().lower(), set(after) | {"<" + w for w in before}))
    return out


def candidates(docs):
    sents = [(d["id"], a, b, s) for d in docs for a, b, s in sentences(d["text"])]
    info = [(content(s), figures(s), s) for _, _, _, s in sents]
    out = []
    for i, j in itertools.combinations(range(len(sents)), 2):
        if sents[i][0] == sents[j][0]:
            continue
        ci, fi, si = info[i]
        cj, fj, sj = info[j]
        shared = ci & cj
        if len(shared) < 2 or info[i][2] == info[j][2]:
            continue
        reasons = []
        for vi, hi in fi:
            for vj, hj in fj:
                heads = {h for h in hi & hj if not h.startswith("<")}
                if vi != vj and heads and len(shared) >= 3 and vi not in sj.lower() and vj not in si.lower():
                    reasons.append(f"number {vi}|{vj} [{','.join(sorted(heads))}]")
        ai = {m.group(1): m.group(2) for m in AGE.finditer(si)}
        aj = {m.group(1): m.group(2) for m in AGE.finditer(sj)}
        for name in ai.keys() & aj.keys():
            if ai[name] != aj[name]:
                reasons.append(f"age {name} {ai[name]}|{aj[name]}")
        for pat, kind in ((WEEKDAY, "weekday"), (MONTHDAY, "date"), (CLOCK, "clock")):
            xi = {m.group().lower() for m in pat.finditer(si)}
            xj = {m.group().lower() for m in pat.finditer(sj)}
            if xi and xj and not (xi & xj) and len(shared) >= 4:
                reasons.append(f"{kind} {'/'.join(sorted(xi))}|{'/'.join(sorted(xj))}")
        ti, tj = titles(si), titles(sj)
        for name in ti.keys() & tj.keys():
            if ti[name] and tj[name] and ti[name] != tj[name] and not (ti[name] <= tj[name] or tj[name] <= ti[name]):
                reasons.append(f"role {name} {' '.join(sorted(ti[name]))}|{' '.join(sorted(tj[name]))}")
        ni, nj = bool(NEG.search(si)), bool(NEG.search(sj))
        if ni != nj and len(shared) >= 5 and len(shared) >= 0.4 * min(len(ci), len(cj)):
            reasons.append("claim negation")
        if reasons:
            out.append((len(shared), reasons, sents[i], sents[j]))
    return out


def titles(s: str) -> dict[str, set[str]]:
    """Title words in the four words before each capitalised surname, or in an appositive after it."""
    out = {}
    for m in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b", s):
        before = words(s[max(0, m.start() - 45):m.start()])[-4:]
        after = re.match(r",\s+(?:the |a |an )?([^,]{3,60}),", s[m.end():])
        pool = before + (words(after.group(1)) if after else [])
        found = {w for w in pool if w in TITLES}
        if found:
            out.setdefault(m.group(2), set()).update(found)
    return out


AGE_BEFORE = re.compile(r"\b(\d{1,3})-year-old (?:[a-z]+ )?(?:[A-Z][a-z]+ )?([A-Z][a-z]+)")
REPO = Path(__file__).resolve().parents[1]


def loose_candidates(docs):
    """A second pass: figures in sentences sharing only two words, "N-year-old Name" ages, weaker negations."""
    sents = [(d["id"], a, b, s) for d in docs for a, b, s in sentences(d["text"])]
    info = [(content(s), figures(s), s) for _, _, _, s in sents]
    out = []
    for i, j in itertools.combinations(range(len(sents)), 2):
        if sents[i][0] == sents[j][0] or info[i][2] == info[j][2]:
            continue
        (ci, fi, si), (cj, fj, sj) = info[i], info[j]
        shared = ci & cj
        reasons = []
        ai = {m.group(2): m.group(1) for m in AGE_BEFORE.finditer(si)} | {m.group(1): m.group(2) for m in AGE.finditer(si)}
        aj = {m.group(2): m.group(1) for m in AGE_BEFORE.finditer(sj)} | {m.group(1): m.group(2) for m in AGE.finditer(sj)}
        reasons += [f"age {n} {ai[n]}|{aj[n]}" for n in ai.keys() & aj.keys() if ai[n] != aj[n]]
        if len(shared) == 2:
            for vi, hi in fi:
                for vj, hj in fj:
                    heads = {h for h in hi & hj if not h.startswith("<")}
                    if vi != vj and heads and vi not in sj.lower() and vj not in si.lower():
                        reasons.append(f"number {vi}|{vj} [{','.join(sorted(heads))}]")
        small = min(len(ci), len(cj))
        if bool(NEG.search(si)) != bool(NEG.search(sj)) and len(shared) >= 4 and len(shared) >= 0.5 * small \
                and not (len(shared) >= 5 and len(shared) >= 0.4 * small):
            reasons.append("claim negation(loose)")
        if reasons:
            out.append((len(shared), reasons, sents[i], sents[j]))
    return out


def detokenised(line: str) -> str:
    """ECB+ text has spaces around punctuation ("6 . 1", "$ 5"): join them so figures read as figures."""
    line = re.sub(r"(\d) ([.,]) (\d)", r"\1\2\3", line)
    line = re.sub(r" ([,.;:!?'%)])", r"\1", line)
    return re.sub(r"\$ (\d)", r"$\1", line).replace(" - ", "-").replace("( ", "(")


def ecb_sentences(text: str):
    """ECB+ has one sentence a line; offsets stay those of the tokenised text."""
    pos = 0
    for line in text.split("\n"):
        if len(line) > 25:
            yield pos, pos + len(line), detokenised(line)
        pos += len(line) + 1


def ecb_events(named: set[str] | None = None) -> list[tuple[str, list[dict]]]:
    """ECB+ events outside fresh_events, or, given ``named`` (ids like "37_ecb"), exactly those events."""
    gold = json.loads((REPO / "tests" / "data" / "attribution_gold.json").read_text(encoding="utf-8"))
    events: dict[str, list[dict]] = {}
    for line in (REPO.parent / "shared" / "eval" / "ecbplus_docs.jsonl").open():
        row = json.loads(line)
        events.setdefault("ecbplus/" + row["event"], []).append({"id": row["id"], "text": row["text"]})
    if named is not None:
        return sorted((k, v) for k, v in events.items() if k[8:] in named)
    return sorted((k, v) for k, v in events.items() if k not in gold["fresh_events"])


def duc03_topics() -> list[tuple[str, list[dict]]]:
    """Topics of the dated DUC stream that are not DUC 2004 task-2 topics, without task-2 articles."""
    eval_dir = REPO.parent / "shared" / "eval"
    task2 = [json.loads(line) for line in (eval_dir / "duc2004_task2.jsonl").open()]
    skip_topics = {row["id"] for row in task2}
    skip_docs = {d["id"] for row in task2 for d in row["docs"]}
    topics: dict[str, list[dict]] = {}
    for line in (eval_dir / "duc0304_stream.jsonl").open():
        row = json.loads(line)
        if row["id"] not in skip_docs and row["labels"][0] not in skip_topics:
            topics.setdefault(row["labels"][0], []).append({"id": row["id"], "text": row["text"]})
    return sorted(topics.items())


def duc04_clusters(max_pairs: int | None, named: set[str] | None = None) -> list[tuple[str, list[dict]]]:
    """DUC 2004 task-2 clusters whose whole candidate list has at most ``max_pairs`` pairs (all get read),
    or, given ``named``, exactly the clusters with those ids whatever their length."""
    rows = [json.loads(line) for line in (REPO.parent / "shared" / "eval" / "duc2004_task2.jsonl").open()]
    out = []
    for row in rows:
        docs = [{"id": d["id"], "text": d["text"]} for d in row["docs"]]
        if named is not None:
            if row["id"] in named:
                out.append((row["id"], docs))
        elif len(candidates(docs)) <= max_pairs:
            out.append((row["id"], docs))
    return out


def labelled_clusters() -> set[str]:
    gold = json.loads((REPO / "tests" / "data" / "attribution_gold.json").read_text(encoding="utf-8"))
    used = {c["cluster"] for c in gold["conflicts"] if c["split"] != "held"}
    used |= {"multinews_validation_sample_" + s["doc"].split("/")[1].split("-")[0]
             for s in gold["statements"] if s["doc"].startswith("multinews/")}
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-labelled", action="store_true", help="only clusters with no earlier label")
    parser.add_argument("--skip", default="014,077", help="cluster numbers to leave out (system output seen)")
    parser.add_argument("--loose", action="store_true", help="the second, looser pass")
    parser.add_argument("--per-cluster", type=int, default=14)
    parser.add_argument("--ecb", action="store_true", help="ECB+ events outside the fresh split instead")
    parser.add_argument("--duc", action="store_true", help="DUC 2003 topics of the dated stream instead")
    parser.add_argument("--duc04", action="store_true",
                        help="DUC 2004 task-2 clusters with at most --per-cluster pairs, every pair listed")
    parser.add_argument("--clusters", default="",
                        help="with --duc04 or --ecb: comma-separated cluster/event ids to list in full (e.g. d30045t or 37_ecb)")
    args = parser.parse_args()
    named = {c.strip() for c in args.clusters.split(",") if c.strip()} or None
    if args.duc04:
        show(duc04_clusters(args.per_cluster, named), candidates, limit=None, width=300)
    elif args.duc:
        show(duc03_topics(), candidates, limit=args.per_cluster, width=250)
    elif args.ecb:
        global sentences
        sentences = ecb_sentences
        show(ecb_events(named), candidates, limit=None if named else args.per_cluster, width=230,
             label=lambda key: key[8:])
    else:
        used = labelled_clusters() if args.skip_labelled else set()
        used |= {f"multinews_validation_sample_{n}" for n in args.skip.split(",") if n}
        rows = [json.loads(line) for line in (REPO.parent / "shared" / "eval" / "multinews_val250.jsonl").open()]
        rows = [r for r in rows if r["id"] not in used and len(r["docs"]) >= 2]
        random.Random(4).shuffle(rows)
        show(((r["id"], r["docs"]) for r in rows), loose_candidates if args.loose else candidates,
             limit=args.per_cluster, width=330, label=lambda key: key[-3:])


def show(groups, propose, *, limit: int | None, width: int, label=lambda key: key) -> None:
    """Print each group's candidate pairs, strongest first, for a human to judge."""
    for key, docs in groups:
        cands = sorted(propose(docs), key=lambda c: -c[0])
        print(f"=== {key} docs={len(docs)} candidates={len(cands)}")
        for k, (_, reasons, a, b) in enumerate(cands[:limit]):
            print(f"[{label(key)}.{k}] {'; '.join(reasons)[:150 if width > 300 else 140]}")
            print(f"   A {a[0]} {a[1]}-{a[2]}: {a[3][:width]}")
            print(f"   B {b[0]} {b[1]}-{b[2]}: {b[3][:width]}")

if __name__ == "__main__":
    main()
