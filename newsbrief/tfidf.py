"""TF-IDF sentence vectors without scikit-learn: numpy and scipy.sparse only.

scikit-learn costs ~1.5-2 s of CPU to import, more than a small briefing's
whole TF-IDF work, and a briefing needs only one of its vectorizers. This is
the same arithmetic as ``TfidfVectorizer(stop_words="english",
sublinear_tf=True)``: lowercase, words of two or more word characters,
scikit-learn's English stop words removed, ``1 + ln(tf)``, smoothed idf
``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised; columns in sorted term
order. ``tests/test_tfidf.py`` checks it against scikit-learn.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

#: scikit-learn's ENGLISH_STOP_WORDS (from the Glasgow Information Retrieval Group list), as a literal.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond bill both bottom but by call can cannot cant co con could
    couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere
    empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
    fire first five for former formerly forty found four from front full further get give go had has
    hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least
    less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
    myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she should
    show side since sincere six sixty so some somehow someone something sometime sometimes somewhere
    still such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those though three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very via
    was we well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves
    """.split()
)

# scikit-learn's token pattern is ``\b\w\w+\b``; a greedy ``\w\w+`` finds the same words (a match
# always runs to the end of its word), without the two boundary tests: ~30% faster.
_TOKEN = re.compile(r"\w\w+")


def tfidf_matrix(texts: Sequence[str], stop_words: frozenset[str] = ENGLISH_STOP_WORDS):
    """One L2-normalised float32 CSR row per text (an empty vocabulary gives one all-zero column)."""
    from scipy.sparse import csr_matrix

    # Columns numbered in first-seen order by C calls (a dict whose missing keys get the next
    # number), counted per row below by numpy: no Python step per word.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    rows = [
        list(map(vocabulary.__getitem__, itertools.filterfalse(stop_words.__contains__, _TOKEN.findall(t.lower()))))
        for t in texts
    ]
    if not vocabulary:
        return csr_matrix((len(texts), 1), dtype=np.float32)
    # Sorted term order, as scikit-learn gives it: columns are comparable across equal inputs.
    n_terms = len(vocabulary)
    new_column = np.empty(n_terms, dtype=np.int64)
    new_column[sorted(range(n_terms), key=list(vocabulary).__getitem__)] = np.arange(n_terms)
    lengths = list(map(len, rows))
    words = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=sum(lengths))
    # One key per (row, column), sorted: the counts come out in CSR order, columns sorted in each row.
    keys = np.repeat(np.arange(len(texts), dtype=np.int64) * n_terms, lengths) + new_column[words]
    keys, counts = np.unique(keys, return_counts=True)
    row_of, columns = np.divmod(keys, n_terms)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=len(texts)), out=indptr[1:])
    document_frequency = np.bincount(columns, minlength=n_terms)
    idf = np.log((1 + len(texts)) / (1 + document_frequency)) + 1.0
    values = (1.0 + np.log(counts.astype(np.float64))) * idf[columns]
    # Row norms summed by scipy as before (same order of additions: the same float64 bits).
    squares = csr_matrix((values * values, columns, indptr), shape=(len(texts), n_terms))
    norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
    scale = 1.0 / np.where(norms > 0, norms, 1.0)
    values = (values * np.repeat(scale, np.diff(indptr))).astype(np.float32)
    return csr_matrix((values, columns.astype(np.int32), indptr.astype(np.int32)), shape=(len(texts), n_terms))
