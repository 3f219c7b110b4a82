"""The evaluation's report: one row a system with bootstrap intervals, the tune/report halves, Markdown and JSON.

Split from :mod:`newsbrief.evaluate` (which runs the systems and scores them);
``newsbrief eval summarize`` prints and writes what this module formats.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .errors import InputError
from .evaluate import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    METRIC_LABELS,
    METRICS,
    Evaluation,
    SystemResult,
    bootstrap_interval,
    split_of,
)


def summarize_result(result: SystemResult, budget: int) -> dict:
    row: dict = {"system": result.name, "kind": result.kind, "clusters": result.clusters}
    for metric in METRICS:
        pairs = np.asarray(result.scores[metric], dtype=np.float64).reshape(-1, 2) * 100
        for column, label in ((0, "R"), (1, "F")):
            mean, low, high = bootstrap_interval(pairs[:, column])
            row[f"{METRIC_LABELS[metric]} {label}"] = {"mean": mean, "low": low, "high": high}
    row["words"] = float(np.mean(result.words)) if result.words else 0.0
    row["over_budget"] = sum(1 for w in result.raw_words if w > budget)
    row["seconds_per_cluster"] = result.seconds / result.clusters if result.clusters else 0.0
    if result.official:
        row["official"] = {label: asdict(score) for label, score in result.official.items()}
    return row


COLUMNS = ("R-1 R", "R-1 F", "R-2 R", "R-2 F", "R-L R", "R-L F")


def table_rows(evaluation: Evaluation) -> list[dict]:
    """One row a system, best ROUGE-2 recall first, the oracle last."""
    rows = [summarize_result(r, evaluation.words) for r in evaluation.results]
    return sorted(rows, key=lambda r: (r["system"] == "Oracle", -r["R-2 R"]["mean"]))


def split_rows(evaluation: Evaluation) -> list[dict]:
    """Mean R-1/R-2 recall and F1 of every system on the tune and the report half (:func:`split_of`)."""
    halves = split_of(evaluation.cluster_ids)
    rows = []
    for result in evaluation.results:
        row: dict = {"system": result.name, "kind": result.kind}
        for half in ("tune", "report"):
            keep = [n for n, cid in enumerate(evaluation.cluster_ids[: result.clusters]) if halves[cid] == half]
            for metric in ("rouge1", "rouge2"):
                pairs = np.asarray(result.scores[metric], dtype=np.float64).reshape(-1, 2)[keep] * 100
                for column, label in ((0, "R"), (1, "F")):
                    row[f"{half} {METRIC_LABELS[metric]} {label}"] = float(pairs[:, column].mean()) if keep else 0.0
        rows.append(row)
    return sorted(rows, key=lambda r: (r["system"] == "Oracle", -r["report R-2 R"]))


SPLIT_COLUMNS = tuple(f"{half} {m} {k}" for half in ("tune", "report") for m in ("R-1", "R-2") for k in ("R", "F"))


OFFICIAL_COLUMNS = ("R-1 R", "R-1 F", "R-2 R", "R-2 F")


def official_rows(rows: Sequence[dict]) -> list[dict]:
    """The rows scored on the official scale, best official ROUGE-2 recall first, the oracle last."""
    scored = [r for r in rows if "official" in r]
    return sorted(scored, key=lambda r: (r["system"] == "Oracle", -r["official"]["R-2"]["recall"]))


def official_cells(row: dict) -> list[str]:
    """The official-scale cells of a row, in ``OFFICIAL_COLUMNS`` order."""
    cells = []
    for label in ("R-1", "R-2"):
        score = row["official"][label]
        cells += [f"{score['recall']:.2f} [{score['low']:.2f}, {score['high']:.2f}]", f"{score['f1']:.2f}"]
    return cells


def format_cell(cell: dict) -> str:
    return f"{cell['mean']:.2f} [{cell['low']:.2f}, {cell['high']:.2f}]"


def to_markdown(evaluation: Evaluation, rows: Sequence[dict], command: str = "") -> str:
    lines = [
        f"Dataset `{evaluation.dataset}`, {evaluation.clusters} clusters, {evaluation.words}-word budget. "
        "rouge-score 0.1.2 with Porter stemming, references pooled (ROUGE-1.5.5 `-f A`), "
        "R-L summary-level; mean over clusters with 95% bootstrap interval "
        f"({BOOTSTRAP_RESAMPLES} resamples of clusters, seed {BOOTSTRAP_SEED}).",
        "",
    ]
    if command:
        lines[:0] = [f"Command: `{command}`", ""]
    header = ["system", *COLUMNS, "n", "words", "s/cluster"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        name = f"**{row['system']}**" if row["kind"] == "newsbrief" else row["system"]
        cells = [name, *(format_cell(row[c]) for c in COLUMNS), str(row["clusters"]),
                 f"{row['words']:.0f}", f"{row['seconds_per_cluster']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    if any("official" in row for row in rows):
        lines += ["", "The same summaries on the official scale (ROUGE-1.5.5, DUC 2004's flags; the script's "
                  "mean and 95% interval):", "", "| system | " + " | ".join(OFFICIAL_COLUMNS) + " |",
                  "|" + "---|" * (len(OFFICIAL_COLUMNS) + 1)]
        for row in official_rows(rows):
            name = f"**{row['system']}**" if row["kind"] == "newsbrief" else row["system"]
            lines.append("| " + " | ".join([name, *official_cells(row)]) + " |")
    if evaluation.cluster_ids:
        lines += ["", "Tune half / report half (clusters sorted by id, even positions tune, odd report; "
                  "newsbrief's weights were tuned on the tune half only):", ""]
        lines.append("| system | " + " | ".join(SPLIT_COLUMNS) + " |")
        lines.append("|" + "---|" * (len(SPLIT_COLUMNS) + 1))
        for row in split_rows(evaluation):
            name = f"**{row['system']}**" if row["kind"] == "newsbrief" else row["system"]
            lines.append("| " + " | ".join([name, *(f"{row[c]:.2f}" for c in SPLIT_COLUMNS)]) + " |")
    lines += [""] + [f"- {note}" for note in evaluation.notes]
    return "\n".join(lines).rstrip() + "\n"


def to_json(evaluation: Evaluation, rows: Sequence[dict], command: str = "") -> str:
    return json.dumps(
        {"dataset": evaluation.dataset, "words": evaluation.words, "clusters": evaluation.clusters,
         "command": command, "scorer": "rouge-score, stemming, pooled references",
         "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED},
         "empty_clusters": evaluation.empty_clusters, "notes": evaluation.notes, "systems": list(rows),
         "splits": split_rows(evaluation),
         "per_cluster": {r.name: _per_cluster(evaluation, r) for r in evaluation.results}},
        indent=2,
    ) + "\n"


def _per_cluster(evaluation: Evaluation, result: SystemResult) -> dict[str, dict[str, list[float]]]:
    """Each cluster's (recall, F1) per metric, so halves or other subsets can be re-scored later."""
    return {cid: {m: list(result.scores[m][n]) for m in METRICS}
            for n, cid in enumerate(evaluation.cluster_ids[: result.clusters])}


def write_report(path: str | Path, evaluation: Evaluation, rows: Sequence[dict], command: str = "") -> list[Path]:
    """Write ``path`` as JSON or Markdown by its suffix, plus the other beside it.

    Each file is written to a temporary name and renamed, so a failed run
    leaves no half-written report.
    """
    path = Path(path)
    base = path.with_suffix("") if path.suffix.lower() in {".json", ".md"} else path
    written = []
    for suffix, text in ((".json", to_json(evaluation, rows, command)),
                         (".md", to_markdown(evaluation, rows, command))):
        target = base.with_suffix(suffix)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)
        except OSError as exc:
            raise InputError(f"cannot write the report ({exc.strerror})", origin=str(target)) from None
        written.append(target)
    return written
