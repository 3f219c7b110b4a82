"""Budgeted concept coverage: which candidate sentences a summary takes.

Maximise the covered concept weight plus a per-sentence bonus within a word
budget, never two sentences of a conflicting pair: an integer programme
(HiGHS via ``scipy.optimize.milp``, exact), a greedy fallback when the solver
is unavailable or gives no solution, and a fill step for the words the
optimum leaves. Arguments are positions: ``members[s]`` lists the concept
ids of sentence ``s``, ``pairs`` the sentence pairs that must not both be chosen.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)

SOLVER_SECONDS = 3.0
#: A filling sentence that adds no uncovered concept still scores its quality times this.
FILL_FLOOR = 0.001


def _conflict_map(pairs) -> dict[int, set[int]]:
    conflicts: dict[int, set[int]] = {}
    for a, b in pairs:
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    return conflicts


def merge_concepts(members, weights, bonus):
    """The same objective with fewer concept variables, so HiGHS solves it faster.

    A concept only one sentence carries is covered exactly when that sentence
    is chosen, so its weight moves into the sentence's bonus; concepts carried
    by the same set of sentences become one concept with their summed weight.
    """
    carriers: dict[int, list[int]] = {}
    for s, ids in enumerate(members):
        for c in ids:
            carriers.setdefault(c, []).append(s)
    bonus = np.array(bonus, dtype=float)
    merged: dict[tuple[int, ...], float] = {}
    for c, sentences in carriers.items():
        if len(sentences) == 1:
            bonus[sentences[0]] += weights[c]
        else:
            key = tuple(sentences)
            merged[key] = merged.get(key, 0.0) + float(weights[c])
    new_members: list[list[int]] = [[] for _ in members]
    for j, key in enumerate(merged):
        for s in key:
            new_members[s].append(j)
    return new_members, np.array(list(merged.values()), dtype=float), bonus


def solve_ilp(members, weights, bonus, lengths, budget, pairs) -> list[int] | None:
    """Exact concept coverage: max sum(w_c z_c) + sum(b_s y_s), sum(len_s y_s) <= budget."""
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:
        return None
    members, weights, bonus = merge_concepts(members, weights, bonus)
    n_s, n_c = len(members), len(weights)
    # Variables: y (sentences) then z (concepts); milp minimises, so negate.
    objective = -np.concatenate([bonus, weights])
    rows, cols, vals = [], [], []
    # z_c <= sum of y_s over the sentences that contain c.
    for s, ids in enumerate(members):
        for c in ids:
            rows.append(c)
            cols.append(s)
            vals.append(-1.0)
    for c in range(n_c):
        rows.append(c)
        cols.append(n_s + c)
        vals.append(1.0)
    cover = coo_matrix((vals, (rows, cols)), shape=(n_c, n_s + n_c))
    constraints = [LinearConstraint(cover, -np.inf, 0.0)]
    length_row = np.concatenate([lengths.astype(float), np.zeros(n_c)])
    constraints.append(LinearConstraint(length_row[None, :], -np.inf, float(budget)))
    if pairs:
        p_rows = np.repeat(np.arange(len(pairs)), 2)
        p_cols = np.array(pairs).ravel()
        pair_matrix = coo_matrix((np.ones(len(p_cols)), (p_rows, p_cols)), shape=(len(pairs), n_s + n_c))
        constraints.append(LinearConstraint(pair_matrix, -np.inf, 1.0))
    result = milp(
        objective,
        constraints=constraints,
        integrality=np.concatenate([np.ones(n_s), np.zeros(n_c)]),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": SOLVER_SECONDS, "disp": False},
    )
    if result.x is None:
        log.info("ILP gave no solution (%s); using greedy selection", result.message)
        return None
    return [s for s in range(n_s) if result.x[s] > 0.5]


def fill(picked, members, weights, quality, lengths, budget, pairs, readable) -> list[int]:
    """Spend the words the optimum leaves unused on the sentences that add most, whole ones only.

    The coverage objective stops once no sentence adds net weight, but ROUGE
    (and a reader given a word budget) rewards a full summary: every further
    sentence that fits, says something not yet said (no conflict with a chosen
    one) and reads on its own is added, the one adding most uncovered concept
    weight per word x quality first.
    """
    conflicts = _conflict_map(pairs)
    picked = list(picked)
    covered = {c for s in picked for c in members[s]}
    blocked = set(picked).union(*(conflicts.get(s, set()) for s in picked))
    left = budget - int(sum(lengths[s] for s in picked))
    while True:
        best, best_score = None, 0.0
        for s in range(len(members)):
            if s in blocked or not readable[s] or lengths[s] > left:
                continue
            gain = sum(weights[c] for c in members[s] if c not in covered)
            score = (gain + FILL_FLOOR) * quality[s]
            if score > best_score:
                best, best_score = s, score
        if best is None:
            return picked
        picked.append(best)
        covered.update(members[best])
        blocked |= {best} | conflicts.get(best, set())
        left -= int(lengths[best])


def greedy(members, weights, bonus, lengths, budget, pairs) -> list[int]:
    """Budgeted greedy on gain per word (the usual fallback for coverage objectives)."""
    conflicts = _conflict_map(pairs)
    covered: set[int] = set()
    picked: list[int] = []
    used = 0
    open_ = set(range(len(members)))
    while open_:
        best, best_gain = None, 0.0
        for s in open_:
            if used + lengths[s] > budget:
                continue
            gain = sum(weights[c] for c in members[s] if c not in covered) + bonus[s]
            ratio = gain / max(1, lengths[s])
            if gain > 0 and (best is None or ratio > best_gain):
                best, best_gain = s, ratio
        if best is None:
            break
        picked.append(best)
        used += lengths[best]
        covered.update(members[best])
        open_ -= {best} | conflicts.get(best, set())
    return picked
