"""Ingest: turn what the user named (paths, globs, directories, ``-``, JSON Lines,
URLs) into decoded :class:`RawDocument` records.

Every failure of one input becomes a :class:`Skipped` with a one-line reason, so
one bad file never sinks a run. Nothing here cleans text: that is
:mod:`newsbrief.clean`'s job.
"""

from __future__ import annotations

import glob
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import FetchError, InputError
from .records import FetchedPage, RawDocument, Skipped
from .settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
FETCH_WORKERS = 4  # URLs are I/O bound; a few in flight hide latency without hammering one site

# Magic numbers of the binary formats people most often drop into an article folder by mistake.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"RIFF", "RIFF media file"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
)
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_TAG = re.compile(r"<(?:head|body|p|div|article|section|main|br|h[1-6]|span|a\s+href|meta|title)[\s/>]", re.I)
_FEED = re.compile(r"<(?:rss[\s>]|feed[\s>][^>]*xmlns=[\"']http://www\.w3\.org/2005/Atom|rdf:RDF[\s>])", re.I)
_URL = re.compile(r"^https?://", re.I)
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class _Item:
    """One thing to read: a file, a URL or stdin, in the order the user named it."""

    kind: str  # "file" | "url" | "stdin"
    ref: str


# --------------------------------------------------------------------------- public


def read_inputs(
    specs: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    fetcher=None,
    progress: Progress | None = None,
) -> tuple[list[RawDocument], list[Skipped]]:
    """Read every input the user named; unusable ones come back as ``Skipped``."""
    progress = progress or (lambda stage, done, total: None)
    skipped: list[Skipped] = []
    items: list[_Item] = []
    for spec in specs:
        found, problems = _expand(spec)
        items.extend(found)
        skipped.extend(problems)
    limit = settings.max_articles
    if len(items) > limit:
        skipped.extend(Skipped(_origin(i), _over_limit(limit)) for i in items[limit:])
        items = items[:limit]

    urls = [i.ref for i in items if i.kind == "url"]
    pages = _fetch_all(urls, fetcher, settings, progress) if urls else {}

    documents: list[RawDocument] = []
    total = len(items)
    progress("read", 0, total)
    for done, item in enumerate(items, 1):
        if item.kind == "url":
            docs, problems = _read_page(item.ref, pages[item.ref])
        elif item.kind == "stdin":
            docs, problems = _read_stream("stdin", stdin, settings)
        else:
            docs, problems = _read_file(Path(item.ref), settings)
        documents.extend(docs)
        skipped.extend(problems)
        progress("read", done, total)
    if len(documents) > limit:  # JSON Lines files can hold many articles each
        skipped.extend(Skipped(d.origin, _over_limit(limit)) for d in documents[limit:])
        documents = documents[:limit]
    return documents, skipped


def decode_bytes(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode an input to text, or raise :class:`InputError` saying why not.

    Order: a declared charset (HTTP header), BOMs, strict UTF-8, Windows-1252
    when the result reads like Western text (charset detectors often pick
    cp1250 for short French or Spanish text), then charset-normalizer.
    """
    if not data.strip():
        raise InputError("empty file", origin=origin)
    kind = binary_kind(data)
    if kind:
        raise InputError(f"binary file ({kind}), not text", origin=origin)
    declared = declared or _meta_charset(data)
    if declared:
        try:
            return _checked(data.decode(declared), origin)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not fit; detecting", origin, declared)
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), origin)
            except UnicodeDecodeError:
                raise InputError(f"starts with a {codec} byte-order mark but does not decode as {codec}",
                                 origin=origin) from None
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not text", origin=origin)
    try:
        return _checked(data.decode("utf-8"), origin)
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return _checked(western, origin)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.25:
        raise InputError("unknown text encoding (not UTF-8, UTF-16 or a detectable charset)", origin=origin)
    return _checked(str(best), origin)


def binary_kind(data: bytes) -> str | None:
    """A name for the binary format of ``data``, or None when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def looks_like_html(text: str) -> bool:
    """True when the content is markup, whatever the file is called."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAG.findall(head)) >= 3


def looks_like_feed(text: str) -> bool:
    return bool(_FEED.search(text[:2048]))


def expand_feed(origin: str, text: str) -> tuple[list[RawDocument], list[Skipped]]:
    """What a feed given as an input becomes.

    Feeds are read by ``newsbrief add`` (the stream library) until the feed
    reader is wired in here.
    """
    return [], [Skipped(origin, "is a feed; use `newsbrief add`")]


# --------------------------------------------------------------------------- expanding specs


def _expand(spec: str) -> tuple[list[_Item], list[Skipped]]:
    if spec == "-":
        return [_Item("stdin", "-")], []
    if _URL.match(spec):
        return [_Item("url", spec)], []
    if "://" in spec:
        scheme = spec.split("://", 1)[0]
        return [], [Skipped(spec, f"unsupported URL scheme {scheme!r} (only http and https)")]
    path = Path(spec).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if not files:
            return [], [Skipped(spec, "directory holds no files")]
        return [_Item("file", str(p)) for p in files], []
    if path.exists():
        if not path.is_file():
            return [], [Skipped(spec, "not a regular file")]
        return [_Item("file", str(path))], []
    if _GLOB_CHARS.search(spec):
        matches = sorted(m for m in glob.glob(str(path), recursive=True) if Path(m).is_file())
        if not matches:
            return [], [Skipped(spec, "glob matched no files")]
        return [_Item("file", m) for m in matches], []
    return [], [Skipped(spec, "no such file or directory")]


def _origin(item: _Item) -> str:
    return "stdin" if item.kind == "stdin" else item.ref


def _over_limit(limit: int) -> str:
    return f"over the limit of {limit} articles per run (max_articles); not read"


# --------------------------------------------------------------------------- reading


def _read_file(path: Path, settings: Settings) -> tuple[list[RawDocument], list[Skipped]]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > settings.max_input_bytes:
            # Decided from the size alone: a huge file is never read into memory.
            return [], [Skipped(origin, _too_large(size, settings.max_input_bytes))]
        if size == 0:
            return [], [Skipped(origin, "empty file")]
        data = path.read_bytes()
    except OSError as exc:
        return [], [Skipped(origin, f"cannot read file ({exc.strerror or exc})")]
    return _document(origin, data, path=path)


def _read_stream(origin: str, stream: BinaryIO | None, settings: Settings):
    stream = stream if stream is not None else sys.stdin.buffer
    try:
        data = stream.read(settings.max_input_bytes + 1)
    except OSError as exc:
        return [], [Skipped(origin, f"cannot read standard input ({exc})")]
    if isinstance(data, str):  # a text stream was handed in
        data = data.encode("utf-8")
    if len(data) > settings.max_input_bytes:
        return [], [Skipped(origin, f"input is over the {_mb(settings.max_input_bytes)} limit (max_input_bytes)")]
    return _document(origin, data)


def _document(origin: str, data: bytes, *, path: Path | None = None, url: str | None = None,
              declared: str | None = None, content_type: str | None = None):
    try:
        text = decode_bytes(data, origin, declared)
    except InputError as exc:
        return [], [Skipped(origin, _reason(exc, origin))]
    suffix = path.suffix.lower() if path is not None else ""
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(origin, text, path)
    if url is None and text.lstrip()[:1] in ("{", "["):
        found = _read_json(origin, text, path, strict=suffix == ".json")
        if found is not None:
            return found
    if looks_like_feed(text):
        return expand_feed(origin, text)
    is_html = looks_like_html(text) or (
        content_type is not None and content_type.startswith(("text/html", "application/xhtml"))
        or suffix in HTML_SUFFIXES
    ) and "<" in text
    return [RawDocument(origin=origin, content=text, is_html=is_html, url=url,
                        path=str(path) if path else None, raw_bytes=len(data))], []


def _read_json(origin: str, text: str, path: Path | None, *, strict: bool):
    """Articles from JSON (one object, or a list of them) or JSON Lines; None when the text is not JSON."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        first = text.lstrip().split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return _read_jsonl(origin, text, path)
        except ValueError:
            pass
        if strict:
            return [], [Skipped(origin, f"not valid JSON ({str(exc).split(':')[0]})")]
        return None  # a text article that happens to start with a bracket
    items = value if isinstance(value, list) else [value]
    documents, skipped = [], []
    for index, item in enumerate(items):
        where = f"{origin}[{index}]" if isinstance(value, list) else origin
        document, problem = _record(where, item, path, len(json.dumps(item)))
        if document is not None:
            documents.append(document)
        else:
            skipped.append(Skipped(where, problem))
    if not items:
        skipped.append(Skipped(origin, "empty JSON list"))
    return documents, skipped


def _read_jsonl(origin: str, text: str, path: Path | None):
    documents, skipped = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        document, problem = _jsonl_record(where, line, path, len(line.encode("utf-8")))
        if document is not None:
            documents.append(document)
        else:
            skipped.append(Skipped(where, problem))
    if not documents and not skipped:
        skipped.append(Skipped(origin, "empty file"))
    return documents, skipped


def _jsonl_record(where: str, line: str, path: Path | None, size: int) -> tuple[RawDocument | None, str]:
    try:
        record = json.loads(line)
    except ValueError as exc:
        return None, f"line is not valid JSON ({str(exc).split(':')[0]})"
    return _record(where, record, path, size)


def _record(where: str, record: object, path: Path | None, size: int) -> tuple[RawDocument | None, str]:
    if not isinstance(record, dict):
        return None, f"is a JSON {type(record).__name__}, expected an object with `text` or `html`"
    fields = {}
    for name in ("text", "html", "url", "title", "outlet", "author", "published"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return None, f"field `{name}` must be a string, got {type(value).__name__}"
        fields[name] = value.strip() if isinstance(value, str) and value.strip() else None
    body, is_html = (fields["html"], True) if fields["html"] else (fields["text"], False)
    if not body:
        return None, "has no `text` or `html` field with content (a bare `url` is not fetched)"
    if not is_html and looks_like_html(body):
        is_html = True
    return RawDocument(origin=where, content=body, is_html=is_html, url=fields["url"],
                       path=str(path) if path else None, title=fields["title"], outlet=fields["outlet"],
                       author=fields["author"], published=fields["published"], raw_bytes=size), ""


# --------------------------------------------------------------------------- URLs


def _fetch_all(urls: list[str], fetcher, settings: Settings,
               progress: Progress) -> dict[str, FetchedPage | FetchError]:
    if fetcher is None:
        from .fetch import Fetcher

        fetcher = Fetcher(settings)

    def one(url: str) -> FetchedPage | FetchError:
        try:
            return fetcher.get(url)
        except FetchError as exc:
            return exc

    unique = list(dict.fromkeys(urls))
    pages: dict[str, FetchedPage | FetchError] = {}
    progress("fetch", 0, len(unique))
    with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(unique))) as pool:
        futures = {pool.submit(one, url): url for url in unique}
        for done, future in enumerate(as_completed(futures), 1):
            pages[futures[future]] = future.result()
            progress("fetch", done, len(unique))
    return pages


def _read_page(url: str, page: FetchedPage | FetchError):
    if isinstance(page, FetchError):
        return [], [Skipped(url, _reason(page, url))]
    content_type = (page.content_type or "").split(";")[0].strip().lower()
    charset = _charset(page.content_type)
    textual = content_type.startswith("text/") or content_type in {
        "", "application/xhtml+xml", "application/xml", "application/rss+xml", "application/atom+xml"}
    if not textual:
        return [], [Skipped(url, f"not HTML (content type {content_type})")]
    documents, skipped = _document(url, page.content, url=page.final_url, declared=charset,
                                   content_type=content_type)
    if documents and not documents[0].is_html and content_type not in {"text/plain", ""}:
        return [], [Skipped(url, f"not HTML (content type {content_type})")]
    return documents, skipped


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its <meta>, which beats guessing."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


# --------------------------------------------------------------------------- helpers


def _checked(text: str, origin: str) -> str:
    """Reject decoded text that is still garbage: control characters or replacement marks."""
    sample = text[:20000]
    if not sample.strip():
        raise InputError("empty file (only whitespace)", origin=origin)
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    letters = sum(1 for ch in sample if ch.isalpha())
    if bad > 0.01 * len(sample) or letters < 0.3 * len(sample.strip()):
        raise InputError("does not look like text (undecodable or garbage bytes)", origin=origin)
    return text


_WESTERN_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


def _as_western(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if len(non_ascii) > 0.15 * len(text):
        return None
    ok = sum(1 for ch in non_ascii if ch.isalpha() or ch in _WESTERN_EXTRA or ch in "«»°£§©®±·¿¡½¼¾×")
    return text if ok >= 0.9 * len(non_ascii) else None


def _too_large(size: int, limit: int) -> str:
    return f"file is {_mb(size)}, over the {_mb(limit)} limit (max_input_bytes)"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _reason(exc: Exception, origin: str) -> str:
    """The message of an error without the origin prefix (Skipped carries it)."""
    text = str(exc)
    prefix = f"{origin}: "
    return text[len(prefix):] if text.startswith(prefix) else text
