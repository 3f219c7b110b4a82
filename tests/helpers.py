"""Checks and fixtures shared by several test modules.

``assert_citations_valid`` checks the JSON contract's central promise: every
citation points at whole sentences of the source it names, and every summary
sentence is text that source really carries (nothing invented).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsbrief import segment
from newsbrief.compare import detail_conflicts, role_conflicts
from newsbrief.parsed_figures import default_parser
from newsbrief.records import Article, Source
from newsbrief.segment import split_spans


def _squash(text: str) -> str:
    return " ".join(text.split())


def _all_citations(briefing: dict) -> list[tuple[str, dict, bool]]:
    """Every citation in the briefing, where it was found, and whether it must be whole sentences.

    A profile's evidence may point at a phrase (a template marker, a number),
    so only its bounds are checked.
    """
    found = []
    for i, sentence in enumerate(briefing["summary"]):
        found += [(f"summary[{i}]", c, True) for c in sentence["citations"]]
    for i, quote in enumerate(briefing["quotes"]):
        found += [(f"quotes[{i}]", c, True) for c in quote["citations"]]
    for i, conflict in enumerate(briefing["conflicts"]):
        for j, claim in enumerate(conflict["claims"]):
            found += [(f"conflicts[{i}].claims[{j}]", c, True) for c in claim["citations"]]
    for profile in briefing["profiles"]:
        for name, measure in profile["measures"].items():
            found += [(f"profiles[{profile['source']}].{name}", c, False) for c in measure["spans"]]
    return found


def _without(text: str, sentence: dict, where: str) -> str:
    """The first cited span of ``text`` with the sentence's ``omitted`` ranges removed."""
    first = sentence["citations"][0]
    pieces, at = [], first["start"]
    for span in sentence["omitted"]:
        assert at <= span["start"] < span["end"] <= first["end"], f"{where}: omitted {span} outside its citation"
        pieces.append(text[at : span["start"]])
        at = span["end"]
    return "".join(pieces) + text[at : first["end"]]


def assert_citations_valid(briefing: dict) -> None:
    """Fail unless every citation of a briefing (as ``render.to_dict`` gives it) holds.

    - it names a source of the briefing, and ``0 <= start < end <= len(text)``;
    - ``text[start:end]`` begins where a sentence begins and ends where a
      sentence ends (the segmenter's boundaries), so it is the cited sentence(s),
      not a fragment (profile evidence may cite a phrase: bounds only);
    - each summary sentence's text is the text of one of its citations
      (whitespace aside) or, when it lists ``omitted`` ranges, exactly its first
      citation with those ranges removed; its ``support`` counts its distinct sources;
    - each quote's words lie inside one of the spans it cites.
    """
    sources = {s["id"]: s for s in briefing["sources"]}
    assert len(sources) == len(briefing["sources"]), "source ids must be unique"
    boundaries: dict[str, tuple[set[int], set[int]]] = {}
    for sid, source in sources.items():
        spans = list(split_spans(source["text"]))
        boundaries[sid] = ({s for s, _ in spans}, {e for _, e in spans})
    for where, citation, whole in _all_citations(briefing):
        assert set(citation) >= {"source", "start", "end"}, f"{where}: citation fields {sorted(citation)}"
        sid, start, end = citation["source"], citation["start"], citation["end"]
        assert sid in sources, f"{where}: cites unknown source {sid!r}"
        text = sources[sid]["text"]
        assert isinstance(start, int) and isinstance(end, int), f"{where}: offsets must be ints"
        assert 0 <= start < end <= len(text), f"{where}: span {start}:{end} outside source {sid} ({len(text)} chars)"
        starts, ends = boundaries[sid]
        assert whole is False or start in starts and end in ends, (
            f"{where}: {sid}[{start}:{end}] = {text[start:end]!r} is not a whole sentence"
        )
    for i, sentence in enumerate(briefing["summary"]):
        cited = [sources[c["source"]]["text"][c["start"] : c["end"]] for c in sentence["citations"]]
        assert cited, f"summary[{i}] has no citation"
        if sentence.get("omitted"):  # words left out: the first citation minus those ranges, exactly
            cited = [_without(sources[sentence["citations"][0]["source"]]["text"], sentence, f"summary[{i}]")]
        assert _squash(sentence["text"]) in {_squash(t) for t in cited}, (
            f"summary[{i}] {sentence['text']!r} is not the text of any source it cites"
        )
        assert sentence["support"] == len({c["source"] for c in sentence["citations"]}), (
            f"summary[{i}] support {sentence['support']} != its distinct cited sources"
        )
    for i, quote in enumerate(briefing["quotes"]):
        cited = [_squash(sources[c["source"]]["text"][c["start"] : c["end"]]) for c in quote["citations"]]
        assert cited, f"quotes[{i}] has no citation"
        assert any(_squash(quote["text"]) in span for span in cited), (
            f"quotes[{i}] {quote['text']!r} is not inside the sentence it cites"
        )


# --------------------------------------------------------------------------- a story of our own

# A made-up story told by three made-up outlets, written for these tests. Two
# agree on most facts and differ on one number, as real coverage does.
STORY = {
    "harbor-gazette.txt": (
        "Harbor Gazette",
        "Port of Calder reopens after storm",
        "The Port of Calder reopened on Tuesday after a storm closed it for three days.\n\n"
        "Harbour master Lena Ortiz said the main channel had been cleared of debris overnight. "
        "\"We are open for business, but ships will move slowly this week,\" Ortiz said.\n\n"
        "About 40 cargo ships had waited offshore during the closure. "
        "The storm damaged two cranes at the eastern terminal, according to the port authority. "
        "Repairs to the cranes are expected to take a month.\n\n"
        "Local fishing crews returned to the water on Tuesday morning.",
    ),
    "coastal-daily.txt": (
        "Coastal Daily",
        "Calder port back in business",
        "The Port of Calder reopened on Tuesday, three days after a storm forced it to close.\n\n"
        "Around 60 cargo ships had been waiting offshore, the shipping association said. "
        "Harbour master Lena Ortiz said the main channel was cleared of debris overnight.\n\n"
        "The storm damaged two cranes at the eastern terminal. "
        "Union leader Sam Okafor said dock workers would work extra shifts to clear the backlog. "
        "\"Nobody goes home until the queue is gone,\" Okafor said.",
    ),
    "valley-news.txt": (
        "Valley News",
        "Storm-hit port reopens",
        "Calder's port reopened on Tuesday after being shut for three days by a storm.\n\n"
        "About 40 cargo ships waited offshore while the port was closed. "
        "Two cranes at the eastern terminal were damaged, the port authority said.\n\n"
        "Harbour master Lena Ortiz said traffic would be slow this week. "
        "Shipping companies warned of delays for retailers ahead of the holidays.",
    ),
}


def write_story(directory: Path) -> list[Path]:
    """Write the three articles as plain text files (outlet and title on top)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (_outlet, title, body) in STORY.items():
        path = directory / name
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def make_article(origin: str, text: str, **fields) -> Article:
    """An already-cleaned article, for stages that start after cleaning."""
    article_id = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return Article(id=article_id, origin=origin, text=text, raw_text=text, raw_chars=len(text), **fields)


def story_articles() -> list[Article]:
    return [
        make_article(name, body, outlet=outlet, title=title, path=name)
        for name, (outlet, title, body) in STORY.items()
    ]


# Untrusted article text and metadata, written to break out of every HTML context it lands in.
HOSTILE = [
    make_article(
        "evil-1.txt",
        "The city council approved the budget on Tuesday <script>alert('council')</script> after a long debate.\n\n"
        "Mayor Jane Roe said the plan <img src=x onerror=alert(1)> would fund new schools. "
        "Critics said the vote was rushed.",
        outlet="<b onmouseover=alert(2)>Evil Times</b>",
        title='"><svg onload=alert(3)>',
        url="javascript:alert(4)",
    ),
    make_article(
        "evil-2.txt",
        "The city council approved the budget on Tuesday <script>alert('council')</script> after a long debate.\n\n"
        "Mayor Jane Roe said the plan would fund new schools <iframe src=\"javascript:alert(5)\"></iframe>.",
        outlet="Second Paper",
        title="Budget passes",
        url=" JaVaScRiPt:alert(6)",
    ),
    make_article(
        "ok.txt",
        "The city council approved the budget on Tuesday after a long debate.\n\n"
        "The budget adds money for schools and roads, officials said.",
        outlet="Plain Post",
        title="Council passes budget",
        url="https://plain.example/budget?a=1&b=2",
    ),
]


def story(*texts: str, dates: tuple[str, ...] = (),
          carried: dict[int, tuple[str, ...]] | None = None) -> list[Source]:
    """One outlet per text, written for a test; ``dates`` are publication dates, ``carried`` wire copies."""
    dates, carried = dates or ("",) * len(texts), carried or {}
    return [Source(str(i + 1), Article(id=f"t{i}", origin=f"t{i}", text=t, raw_text=t, raw_chars=len(t),
                                       published=d or None), also_carried_by=carried.get(i, ()))
            for i, (t, d) in enumerate(zip(texts, dates, strict=True))]


def conflicts_of(*texts: str):
    """The role and detail conflicts between these texts, one outlet each."""
    sources = story(*texts)
    sentences = segment.segment(sources)
    return role_conflicts(sources, sentences) + detail_conflicts(sources, sentences, default_parser)
