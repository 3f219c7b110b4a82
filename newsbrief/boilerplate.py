"""What one line of a news page is, judged from its shape and general patterns.

Used by :mod:`newsbrief.clean`. The patterns name the kinds of web furniture
every news site has (bylines, credits, share prompts, comment forms, related
links, newsletters, disclaimers, source lists), worded the many ways sites
word them; they are not a list of any corpus's lines. Each pattern is guarded
by the line's shape (word count, terminal punctuation) so that a real sentence
that happens to start with "By" or "Follow" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Kinds after which nothing is article text (the comment form, next/previous links).
END_MARKER_KINDS = frozenset({"comments", "pagination"})

_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*]|[-–—](?=\s))\s*")
_I = re.I


@dataclass(frozen=True)
class Shape:
    words: int
    terminal: bool  # ends like a sentence
    prose: bool  # reads like running text
    heading: bool  # short, unpunctuated, starts capitalised
    question_short: bool  # "No time to read?"


@lru_cache(maxsize=8192)
def shape(text: str) -> Shape:
    # Long lines are prose whatever their exact count; splitting is ~10x cheaper than the regex.
    words = len(_WORD.findall(text)) if len(text) < 150 else len(text.split())
    terminal = bool(_TERMINAL.search(text[-6:]))  # only the end matters; searching a long line is not free
    first = text.lstrip("\"'“‘«([")[:1]
    # "Why Are Dockworkers on Strike?": a Title Case question is a section heading, not a sentence.
    title_question = text.endswith("?") and words <= 14 and _title_case(text)
    return Shape(
        words=words,
        terminal=terminal and not title_question,
        prose=(terminal and words >= 6 and not title_question) or words >= 20,
        heading=(not terminal or title_question) and 1 <= words <= 16
        and (first.isupper() or first.isdigit() or text[1:2].isupper()) and not text.endswith((",", ";"))
        and not (text.endswith(":") and words >= 4),  # "The union's demands include:" leads into a list
        question_short=text.endswith("?") and words <= 6,
    )


def _title_case(text: str) -> bool:
    long_words = [w for w in _WORD.findall(text) if len(w) > 3]
    return len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


def is_title_like(text: str) -> bool:
    """A headline: a few words, capitalised, not ending like a sentence with a period."""
    info = shape(text)
    first = text.lstrip("\"'“‘«([")[:1]
    return (2 <= info.words <= 25 and len(text) <= 200 and not text.endswith((".", ":", ",", ";"))
            and (first.isupper() or first.isdigit()))


# --------------------------------------------------------------------------- patterns

_URL_LINE = re.compile(r"^<?(?:https?://|www\.)\S+>?$|^[\w.-]+\.[a-z]{2,}(?::\d+)?/\S*$|^\S+@\S+\.\w+$", _I)
_URL_ANY = re.compile(r"https?://\S+|www\.\S+", _I)

_SOURCES = re.compile(
    r"^(?P<lead>[^\w\s]{1,3}\s*)?(?:sources?|source list|references|via)\b(?P<sep>\s*[:\-–—]\s*|\s+)(?P<rest>.+)$", _I)

_PAGINATION = re.compile(r"^(?:[«‹<←]+\s*)?(?:previous|prev|next|older|newer)\s+(?:article|post|story|entry|item|page)\b", _I)

_COMMENTS = [re.compile(p, _I) for p in (
    r"^(?:leave|post|add|write|submit|view|show|load|read)\s+(?:a\s+|all\s+|the\s+|\d+\s+)?(?:comments?|reply|replies|responses?)\b",
    r"^\d+\s+(?:comments?|replies|responses)$",
    r"^comments?\s*(?:\(\d+\))?\s*:?$",
    r"\byour email address will not be published\b",
    r"\brequired fields are marked\b",
    r"^be the first to (?:comment|reply)\b",
    r"^(?:cancel reply|post comment|submit comment|reply)$",
)]

# Each pattern list below needs one of these substrings to match.
_COMMENT_WORDS = ("comment", "repl", "respons", "email address", "required fields", "conversation", "discussion",
                  "debate")
_DISCLAIMER_WORDS = ("disclaim", "generated", "rights reserved", "©", "(c)", "copyright", "purposes only",
                     "advice", "views expressed")
_CREDIT_WORDS = ("photo", "image", "picture", "pic", "foto", "credit", "illustration", "video", "getty",
                 "shutterstock", "reuters", "afp", "epa-efe", "alamy")

_DISCLAIMER = [re.compile(p, _I) for p in (
    r"^[^\w]{0,3}(?:ai\s+)?(?:image\s+|editorial\s+|legal\s+)?disclaimer\b",
    r"\b(?:graphics|images?|pictures?|illustrations?|photos?)\s+(?:are|is|were|was)\s+ai[- ]generated\b",
    r"\ball rights reserved\b",
    r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|\d{4}))",
    r"\bthis (?:article|story|content|post|summary) (?:was|has been|is) (?:generated|written|created|produced|drafted|translated)\b[^.]*\b(?:ai|artificial intelligence|automated|machine)\b",
    r"\bfor (?:informational|educational|illustrative) purposes only\b",
    r"\bdoes not constitute (?:financial|legal|investment|medical) advice\b",
    r"\bviews expressed\b.*\b(?:not necessarily|do not necessarily)\b",
)]

_CREDIT = [re.compile(p, _I) for p in (
    r"\((?:photo|photograph|image|picture|pic|foto|credit|illustration|video|file photo)s?\b[^)]*\)\s*$",
    r"^(?:photo|photograph|image|picture|illustration|credit|foto|file photo)s?(?:\s+credit)?(?:\s+by)?\s*[:/|]",
    r"\b(?:photo|image|picture)s?(?:\s+credit)?\s*:\s*\S",
)]
_AGENCY_CREDIT = re.compile(r"\b(?:getty images|shutterstock|ap photo|afp via getty|reuters/|/reuters|/afp|epa-efe|alamy)\b", _I)

_NAME = r"[A-Z][\w.'’\-]*"
_BYLINE = re.compile(
    rf"^(?:by|written by|posted by|words by|story by|author)\s*:?\s+(?P<name>{_NAME}(?:\s+(?:{_NAME}|de|van|von|da|al|bin|le|la)){{0,4}})"
    r"(?P<rest>.*)$", _I | re.U)
_BYLINE_REST = re.compile(r"^(?:\s*$|\s*[|,·•—–\-]|\s+\d|\s+(?:and|&)\s+[A-Z]|\s+(?:for|in)\s+[A-Z])")
_NOT_NAMES = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "then", "now", "contrast", "comparison", "law", "far", "midday", "noon", "nightfall", "dawn", "morning",
}
_BYLINE_EMPTY = re.compile(r"^(?:written|posted|edited|reported|reporting|words|story|photos?|text)\s+by\s*:?$", _I)
_BYLINE_TRAILER = re.compile(r"^(?:additional\s+)?(?:reporting|writing|editing|compiled|edited|produced)\s+by\b", _I)

_RELATED = [re.compile(p, _I) for p in (
    r"^(?:read|see|watch|listen)\s+(?:also|more|next|too)\b",
    r"^also\s+(?:read|see|watch|on)\b",
    r"^related(?:\s+(?:articles?|stories|story|coverage|content|news|reading|posts?|topics?|links?))?\s*(?:[:\-–—|]|$)",
    r"^more\s+(?:on|from|about|in|stories|news|coverage)\b",
    r"^(?:recommended|trending|most read|most popular|top stories|editor'?s picks|in case you missed it|further reading|don'?t miss)\b",
    r"^you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be interested)",
)]

_SHARE = [re.compile(p, _I) for p in (
    r"^share\b",
    r"^(?:follow|like|find|join)\s+us\b",
    r"^(?:tweet|pin it|email this|print this|copy link|send this)\b",
)]
_SOCIAL = re.compile(r"\b(?:facebook|twitter|whatsapp|linkedin|telegram|pinterest|reddit|email|instagram|x\.com|copy link|print)\b", _I)

_ADVERT = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|promoted|paid content|partner content|"
    r"story continues below(?: advertisement)?|scroll to continue(?: with content)?|continue reading below)$", _I)
_CTA_START = re.compile(
    r"^(?:subscribe|sign\s*up|sign\s*in|log\s*in|register|download|click|tap|follow|join|listen|watch|support|donate|"
    r"become a|try|install|get|read the full|continue reading|learn more|find out more|discover|explore|don'?t miss|"
    r"never miss|stay (?:informed|updated|up to date|tuned)|scroll|swipe|enable|turn on|allow)\b", _I)
_JOIN = re.compile(r"^join (?:the|our) (?:conversation|discussion|debate|community)\b", _I)
_CTA_ANY = re.compile(r"\bnewsletters?\b|\bsubscribe\b|\bsubscription\b|\bsign up\b|\bpush notifications?\b|"
                      r"\bbreaking news alerts?\b|\bdownload (?:our|the) app\b|\bad ?blocker\b", _I)

_META = [re.compile(p, _I) for p in (
    r"^(?:published|updated|posted|last updated|first published|modified|created)\b[\s:]*.{0,60}$",
    r"^\d[\d,.]*\s*k?\s*(?:views|reads|shares|likes|comments)$",
    r"^\d+\s*(?:min|mins|minutes?)\s+(?:read|listen)$",
    r"^listen to (?:this|the) (?:article|story)\b",
    r"\b\d+\s+(?:minutes?|hours?|days?)\s+ago$",
    r"^(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:[\s,|·•\-]+\d{1,2}[:.]\d{2}\s*(?:am|pm|[A-Z]{2,4})?)*$",
)]
_NAVIGATION = [re.compile(p, _I) for p in (
    r"^(?:skip to (?:main )?content|skip navigation|menu|main menu|search|home|back to top|top of page|close|"
    r"open menu|toggle navigation|log out|sections)$",
    r"^(?:tags?|topics?|filed under|categories|category|keywords|sections?)\s*:",
)]
_SEPARATORS = re.compile(r"\s*[|•·»›]\s*|\s+[>/]\s+")


@lru_cache(maxsize=8192)
def classify(text: str) -> str | None:
    """The kind of page furniture ``text`` is, or None when it may be article text."""
    core = _BULLET.sub("", text).strip()
    if not core:
        return "navigation"
    info = shape(core)
    if info.words > 60:
        return None  # no furniture runs this long; skip the patterns (they cost time on long lines)
    if _URL_LINE.match(core) or _mostly_urls(core, info):
        return "url"
    if _is_sources(core):
        return "sources"
    if info.words <= 15 and _PAGINATION.match(core):
        return "pagination"
    lower = core.lower()
    if info.words <= 30 and _has(lower, _COMMENT_WORDS) and any(p.search(core) for p in _COMMENTS):
        return "comments"
    if info.words <= 60 and _has(lower, _DISCLAIMER_WORDS) and any(p.search(core) for p in _DISCLAIMER):
        return "disclaimer"
    if _has(lower, _CREDIT_WORDS) and _is_credit(core, info):
        return "credit"
    if _is_byline(core, info):
        return "byline"
    if info.words <= 30 and not (info.terminal and info.words > 15) and any(p.search(core) for p in _RELATED):
        return "related"
    if _is_share(core, info):
        return "share"
    if _ADVERT.match(core.rstrip(".:")):
        return "advert"
    if _is_call_to_action(core, info):
        return "call_to_action"
    if info.words <= 12 and any(p.search(core) for p in _META):
        return "meta"
    if info.words <= 12 and any(p.search(core) for p in _NAVIGATION):
        return "navigation"
    if _is_menu(core):
        return "navigation"
    return None


def _has(lower: str, words: tuple[str, ...]) -> bool:
    """A substring pre-check (C speed) before the patterns that need a word to match at all."""
    return any(word in lower for word in words)


def _mostly_urls(core: str, info: Shape) -> bool:
    if info.words > 15:
        return False
    urls = _URL_ANY.findall(core)
    return bool(urls) and sum(map(len, urls)) > 0.5 * len(core)


def _is_sources(core: str) -> bool:
    match = _SOURCES.match(core)
    if not match:
        return False
    rest = match.group("rest")
    if len(_WORD.findall(rest)) > 30:
        return False
    labelled = bool(match.group("lead")) or bool(match.group("sep").strip())
    # Without a colon or a symbol, "Sources said the talks..." is a sentence: every word must be a name.
    names_only = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in {"and", "of", "the", "de", "al"}
                     for w in _WORD.findall(rest))
    return names_only or (labelled and not rest.rstrip().endswith(("said.", "say.")))


def _is_credit(core: str, info: Shape) -> bool:
    if info.words <= 30 and any(p.search(core) for p in _CREDIT):
        return True
    return not info.terminal and info.words <= 20 and bool(_AGENCY_CREDIT.search(core))


def _is_byline(core: str, info: Shape) -> bool:
    if _BYLINE_EMPTY.match(core):
        return True
    if _BYLINE_TRAILER.match(core) and info.words <= 30:
        return True
    match = _BYLINE.match(core)
    if not match or info.words > 16 or not match.group("name")[:1].isupper():
        return False
    if info.terminal and info.words > 5 or match.group("name").split()[0].lower() in _NOT_NAMES:
        return False  # "By Tuesday, workers had left." is a sentence
    return bool(_BYLINE_REST.match(match.group("rest")))


def _is_share(core: str, info: Shape) -> bool:
    if info.words > 12 or (info.terminal and info.words > 6):
        return False
    if any(p.match(core) for p in _SHARE):
        return True
    return len(_SOCIAL.findall(core)) >= 2


def _is_call_to_action(core: str, info: Shape) -> bool:
    if info.words <= 30 and _JOIN.match(core):  # a promo for social media, not the comment form
        return True
    if info.words <= 12 and _CTA_START.match(core) and (not info.terminal or core.endswith(("!", "…", "..."))):
        return True
    return (not info.terminal and info.words <= 25 or info.words <= 8) and bool(_CTA_ANY.search(core))


def _is_menu(core: str) -> bool:
    """"Home | World | Europe": three or more short items between separators."""
    if len(core) > 200:
        return False
    parts = [p for p in _SEPARATORS.split(core) if p.strip()]
    return len(parts) >= 3 and all(len(_WORD.findall(p)) <= 4 for p in parts)


# --------------------------------------------------------------------------- parsing


_NO_AUTHOR = {"admin", "administrator", "staff", "editor", "editors", "newsroom", "team", "desk", "web desk"}


def parse_byline(text: str) -> str | None:
    """The author's name in a byline, unless it is a placeholder like "Admin"."""
    match = _BYLINE.match(_BULLET.sub("", text).strip())
    name = match.group("name").strip() if match else None
    return None if name is None or name.lower() in _NO_AUTHOR else name


_OUTLET_END = {
    "news", "post", "times", "pravda", "journal", "herald", "tribune", "guardian", "telegraph", "express",
    "today", "agency", "press", "network", "radio", "tv", "review", "monitor", "gazette", "observer",
    "independent", "standard", "mail", "star", "insider", "wire", "report", "daily", "weekly", "chronicle",
    "courier", "examiner", "globe", "sun", "mirror", "record", "register", "bulletin", "dispatch", "online",
    "magazine", "newspaper", "media", "broadcasting", "service", "street", "economist", "atlantic",
}
_OUTLET_JOIN = {"the", "al", "el", "la", "le", "new", "der", "die", "de", "los", "wall", "financial", "daily"}


def parse_outlets(text: str) -> list[str]:
    """Outlet names from a "Sources: A | B | C" or "📰 Sources A B C" line."""
    match = _SOURCES.match(_BULLET.sub("", text).strip())
    rest = (match.group("rest") if match else text).strip().rstrip(".")
    if re.search(r"[|;,•·/]", rest):
        parts = re.split(r"\s*[|;,•·]\s*|\s+/\s+", rest)
        names = [n for p in parts for n in re.split(r"\s+(?:and|&)\s+", p)]
    else:
        names = _group_names(re.split(r"\s+(?:and|&)\s+|\s+", rest))
    return [n.strip() for n in names if n.strip()]


def _group_names(words: list[str]) -> list[str]:
    """Split run-together names: "The" and particles open a name, words like "Post" close one."""
    names: list[list[str]] = []
    current: list[str] = []
    for word in words:
        closes = word.lower().strip(".") in _OUTLET_END or word.isdigit()
        if closes and not current and names and names[-1][-1].lower() in _OUTLET_END:
            names[-1].append(word)  # "Press Agency", "News Network": one name
            continue
        if current and not (current[-1].lower() in _OUTLET_JOIN or closes):
            names.append(current)
            current = []
        current.append(word)
        if closes:
            names.append(current)
            current = []
    if current:
        names.append(current)
    return [" ".join(n) for n in names]


_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
    r"(?P<name>[\w&.'’ -]{2,60}?)\s*(?:[.,;|]|\s-\s|\(|all rights|$)", _I)


def outlet_from_line(text: str, kind: str) -> str | None:
    """The publisher a removed line names: "© 2025 Coastal Ledger", "By X | Meridian Press Agency",
    or a site name like "Coastline News" above the headline."""
    core = _BULLET.sub("", text).strip()
    if kind == "disclaimer":
        match = _COPYRIGHT_NAME.search(core)
        name = match.group("name").strip() if match else ""
        return name if name[:1].isupper() and 1 <= len(name.split()) <= 6 else None
    if kind == "byline":
        parts = re.split(r"\s*[|·•—–]\s*|,\s*", core)[1:]
        return next((p for p in parts if _is_outlet_name(p)), None)
    if kind == "navigation" and _is_outlet_name(core):
        return core
    return None


def _is_outlet_name(name: str) -> bool:
    words = name.split()
    # A label ("Contributing: The Associated Press") names a helper, not the publisher.
    return (":" not in name and 1 <= len(words) <= 5 and words[-1].lower() in _OUTLET_END
            and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _OUTLET_JOIN for w in words))

