"""Reading inputs: files, directories, globs, stdin, JSON Lines, URLs, and bad input of every sort."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from loopback_server import loopback_server

from newsbrief.clean import clean_documents
from newsbrief.fetch import Fetcher
from newsbrief.ingest import read_inputs
from newsbrief.settings import Settings

STORY = ("The council of Valmora voted on Tuesday to close the old fish market by the end of the year, "
         "ending a trade that has run on the quay since 1891. Stallholders said they would appeal.")
SETTINGS = Settings()


def _read(specs, settings: Settings = SETTINGS, **kwargs):
    return read_inputs([str(s) for s in specs], settings, **kwargs)


def _reasons(skipped) -> dict[str, str]:
    return {s.origin: s.reason for s in skipped}


def test_text_and_html_files_detected_by_content(tmp_path: Path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    # HTML saved with a .txt name is still HTML; the content decides.
    (tmp_path / "page.txt").write_text(f"<html><body><article><p>{STORY}</p></article></body></html>")
    docs, skipped = _read([tmp_path / "a.txt", tmp_path / "page.txt"])
    assert skipped == []
    assert [(Path(d.origin).name, d.is_html) for d in docs] == [("a.txt", False), ("page.txt", True)]
    assert docs[0].content == STORY and docs[0].raw_bytes == len(STORY.encode())


def test_directory_reads_every_file_sorted_and_skips_what_is_not_text(tmp_path: Path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "b.html").write_text(f"<!doctype html><html><body><p>{STORY}</p></body></html>")
    (folder / "a.txt").write_text(STORY)
    (folder / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "d.jsonl").write_text(json.dumps({"text": STORY, "outlet": "Quay News"}) + "\n")
    (folder / "e.txt").write_bytes(b"")
    (folder / ".hidden").write_text(STORY)
    (folder / "sub").mkdir()
    (folder / "sub" / "x.txt").write_text(STORY)
    docs, skipped = _read([folder])
    assert [d.origin for d in docs] == [str(folder / "a.txt"), str(folder / "b.html"), f"{folder / 'd.jsonl'}:1"]
    assert docs[1].is_html and docs[2].outlet == "Quay News"
    reasons = _reasons(skipped)
    assert reasons == {str(folder / "c.png"): "binary file (PNG image), not text", str(folder / "e.txt"): "empty file"}


def test_glob_and_glob_without_match(tmp_path: Path):
    for name in ("one.txt", "two.txt", "three.md"):
        (tmp_path / name).write_text(STORY)
    docs, skipped = _read([tmp_path / "*.txt", tmp_path / "*.nothing"])
    assert [Path(d.origin).name for d in docs] == ["one.txt", "two.txt"]
    assert _reasons(skipped) == {str(tmp_path / "*.nothing"): "glob matched no files"}


def test_missing_path_and_zero_inputs(tmp_path: Path):
    docs, skipped = _read([tmp_path / "nope.txt"])
    assert docs == [] and _reasons(skipped) == {str(tmp_path / "nope.txt"): "no such file or directory"}
    assert read_inputs([], SETTINGS) == ([], [])


def test_stdin_text_and_jsonl():
    docs, skipped = read_inputs(["-"], SETTINGS, stdin=io.BytesIO(STORY.encode()))
    assert skipped == [] and docs[0].origin == "stdin" and docs[0].content == STORY
    lines = "\n".join(json.dumps({"text": STORY, "title": f"T{i}"}) for i in range(2)).encode()
    docs, skipped = read_inputs(["-"], SETTINGS, stdin=io.BytesIO(lines))
    assert [(d.origin, d.title) for d in docs] == [("stdin:1", "T0"), ("stdin:2", "T1")]


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1252", "Le café du quai a fermé ; les employés réclament 2 000 € — « c’est injuste », dit José Núñez."),
    ("latin-1", "Der Bürgermeister von Köln sagte, die Straße bleibe geschlossen, während Bauarbeiten laufen."),
    ("utf-16", "The harbour master said the storm surge reached 2.4 metres — the highest since 1953."),
    ("utf-8-sig", "Überschwemmung: Der Pegel stieg über Nacht um zwei Meter, berichtete die Feuerwehr."),
])
def test_encodings_are_decoded_correctly(tmp_path: Path, encoding: str, text: str):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    docs, skipped = _read([path])
    assert skipped == [] and docs[0].content == text


def test_html_meta_charset_is_honoured(tmp_path: Path):
    text = "Мэр города заявил, что порт закроется на ремонт в понедельник."
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>' \
           f"<body><p>{text}</p></body></html>"
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    docs, skipped = _read([tmp_path / "ru.html"])
    assert skipped == [] and text in docs[0].content and docs[0].is_html


def test_undecodable_garbage_is_rejected(tmp_path: Path):
    rng = random.Random(7)
    garbage = bytes(rng.choice(list(range(0x80, 0x100)) + [1, 2, 3, 0x1b]) for _ in range(4000))
    (tmp_path / "garbage.txt").write_bytes(garbage)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x00\x01def" * 100)
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t ")
    docs, skipped = _read(sorted(tmp_path.iterdir()))
    reasons = _reasons(skipped)
    assert docs == []
    assert reasons[str(tmp_path / "blank.txt")] == "empty file"
    assert "NUL" in reasons[str(tmp_path / "nul.txt")]
    assert reasons[str(tmp_path / "garbage.txt")] in {
        "does not look like text (undecodable or garbage bytes)",
        "unknown text encoding (not UTF-8, UTF-16 or a detectable charset)"}


def test_oversized_file_is_rejected_from_its_size(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # a sparse 50 MB file: created instantly
        handle.truncate(50_000_000)
    docs, skipped = _read([big])
    assert docs == []
    assert _reasons(skipped) == {str(big): "file is 50.0 MB, over the 20.0 MB limit (max_input_bytes)"}


def test_malformed_jsonl_lines_are_skipped_and_the_rest_count(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": STORY, "url": "https://quay.example/1", "title": "Market to close",
                    "outlet": "Quay News", "published": "2025-03-01"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no body"}),
        "",
        json.dumps({"html": f"<html><body><p>{STORY}</p></body></html>"}),
        json.dumps({"text": 42}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    docs, skipped = _read([path])
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:6"]
    first = docs[0]
    assert (first.url, first.title, first.outlet, first.published) == (
        "https://quay.example/1", "Market to close", "Quay News", "2025-03-01")
    assert docs[1].is_html
    reasons = _reasons(skipped)
    assert set(reasons) == {f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:7"}
    assert reasons[f"{path}:2"].startswith("line is not valid JSON")
    assert "expected an object" in reasons[f"{path}:3"]
    assert "no `text` or `html`" in reasons[f"{path}:4"]
    assert reasons[f"{path}:7"] == "field `text` must be a string, got int"


def test_json_files_and_text_that_starts_with_a_bracket(tmp_path: Path):
    (tmp_path / "list.json").write_text(json.dumps([{"text": STORY, "outlet": "Quay News"}, {"title": "x"}]))
    (tmp_path / "one.json").write_text(json.dumps({"html": f"<html><body><p>{STORY}</p></body></html>"}))
    (tmp_path / "bad.json").write_text('{"text": "unterminated')
    (tmp_path / "odd.json").write_text('[["nested"]]')
    (tmp_path / "bracket.txt").write_text("[Updated] " + STORY)
    docs, skipped = _read(sorted(tmp_path.iterdir()))
    names = [Path(d.origin).name for d in docs]
    assert names == ["bracket.txt", "list.json[0]", "one.json"]
    assert docs[0].content.startswith("[Updated] ") and docs[1].outlet == "Quay News" and docs[2].is_html
    reasons = {Path(k).name: v for k, v in _reasons(skipped).items()}
    assert reasons == {"bad.json": "not valid JSON (Unterminated string starting at)",
                       "list.json[1]": "has no `text` or `html` field with content (a bare `url` is not fetched)",
                       "odd.json[0]": "is a JSON list, expected an object with `text` or `html`"}
    # One JSON object a line on stdin is JSON Lines even without the file suffix, a single line too.
    docs, _ = read_inputs(["-"], SETTINGS, stdin=io.BytesIO(json.dumps({"text": STORY}).encode()))
    assert [d.origin for d in docs] == ["stdin"] and docs[0].content == STORY


def test_more_inputs_than_max_articles(tmp_path: Path):
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(STORY)
    (tmp_path / "more.jsonl").write_text("\n".join(json.dumps({"text": STORY}) for _ in range(3)))
    settings = SETTINGS.with_overrides(max_articles=3)
    docs, skipped = _read([tmp_path / "0.txt", tmp_path / "1.txt", tmp_path / "more.jsonl"], settings)
    assert [Path(d.origin).name for d in docs] == ["0.txt", "1.txt", "more.jsonl:1"]
    assert [Path(s.origin).name for s in skipped] == ["more.jsonl:2", "more.jsonl:3"]
    assert all("over the limit of 3 articles" in s.reason for s in skipped)
    docs, skipped = _read(sorted(tmp_path.glob("*.txt")), settings)
    assert len(docs) == 3 and [Path(s.origin).name for s in skipped] == ["3.txt"]


def test_feed_is_pointed_to_newsbrief_add(tmp_path: Path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    docs, skipped = _read([path])
    assert docs == [] and _reasons(skipped) == {str(path): "is a feed; use `newsbrief add`"}


def test_urls_are_fetched_and_failures_skipped():
    progress = []
    with loopback_server() as base:
        urls = [base + p for p in ("/article", "/plain", "/missing", "/image", "/feed")]
        fetcher = Fetcher(SETTINGS)
        docs, skipped = read_inputs(urls, SETTINGS, fetcher=fetcher,
                                    progress=lambda *args: progress.append(args))
    assert [(d.origin, d.is_html) for d in docs] == [(base + "/article", True), (base + "/plain", False)]
    assert docs[0].url == base + "/article"
    assert _reasons(skipped) == {
        base + "/missing": "HTTP 404 Not Found",
        base + "/image": "not HTML (content type image/png)",
        base + "/feed": "is a feed; use `newsbrief add`",
    }
    assert progress[0] == ("fetch", 0, 5) and ("fetch", 5, 5) in progress
    assert progress[-1] == ("read", 5, 5)
    # The fetched page goes on through the clean stage like any other.
    articles, dropped = clean_documents(docs)
    assert dropped == [] and articles[0].outlet == "Cape Courier"
    assert articles[0].title == "Lighthouse keepers return to Grey Point"


def test_unsupported_scheme_is_skipped():
    docs, skipped = read_inputs(["ftp://example.com/a.txt"], SETTINGS)
    assert docs == [] and "unsupported URL scheme 'ftp'" in skipped[0].reason
