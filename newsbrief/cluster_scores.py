"""How well a clustering matches gold story labels: the benchmark's and the CI floor's one scorer."""

from __future__ import annotations

from collections.abc import Sequence


def clustering_scores(gold: Sequence[set], predicted: Sequence) -> dict[str, float]:
    """Pairwise precision/recall/F1 and B-cubed F1 of a clustering against gold labels.

    Articles may carry several gold labels: two are in the same gold story when
    they share any. Used by the clustering benchmark and its CI floor.
    """
    n = len(gold)
    tp = fp = fn = 0
    for i in range(n):
        for j in range(i + 1, n):
            same_gold, same_pred = bool(gold[i] & gold[j]), predicted[i] == predicted[j]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    bp = br = 0.0
    for i in range(n):
        in_gold = {j for j in range(n) if gold[i] & gold[j]}
        in_pred = {j for j in range(n) if predicted[j] == predicted[i]}
        bp += len(in_gold & in_pred) / len(in_pred)
        br += len(in_gold & in_pred) / len(in_gold)
    bp, br = (bp / n, br / n) if n else (1.0, 1.0)
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
            "B3F1": 2 * bp * br / (bp + br) if bp + br else 0.0, "clusters": len(set(predicted))}
