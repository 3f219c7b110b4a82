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

import re
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

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tfidf_matrix(texts: Sequence[str], stop_words: frozenset[str] = ENGLISH_STOP_WORDS):
    """One L2-normalised float32 CSR row per text (an empty vocabulary gives one all-zero column)."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for text in texts:
        row: dict[int, int] = {}
        for token in _TOKEN.findall(text.lower()):
            if token in stop_words:
                continue
            column = vocabulary.setdefault(token, len(vocabulary))
            row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    if not vocabulary:
        return csr_matrix((len(texts), 1), dtype=np.float32)
    # Sorted term order, as scikit-learn gives it: columns are comparable across equal inputs.
    order = np.argsort(np.array(list(vocabulary), dtype=object))
    new_column = np.empty(len(order), dtype=np.int64)
    new_column[order] = np.arange(len(order))
    columns = new_column[np.asarray(indices, dtype=np.int64)]
    document_frequency = np.bincount(columns, minlength=len(order))
    idf = np.log((1 + len(texts)) / (1 + document_frequency)) + 1.0
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[columns]
    matrix = csr_matrix((values, columns, np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(order)))
    matrix.sort_indices()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = csr_matrix(matrix.multiply(1.0 / np.where(norms > 0, norms, 1.0)[:, None]))
    return matrix.astype(np.float32)
