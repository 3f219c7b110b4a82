"""Agreement and conflict between outlets.

Support: a summary point is supported by every independent source (wire
copies already collapsed into one :class:`Source`) that carries a sentence
saying the same thing. Conflicts are read off pairs of sentences from
different sources that talk about the same thing but differ in one checkable
detail: the role given a person, a number for the same quantity, the date of
the same event, or a negation (one says X happened, the other that it did
not). Figures are keyed by what they count and paired through that key
(:mod:`newsbrief.quantities`), so reworded sentences meet; dates and negations
are read off sentences whose content words overlap (one sparse product), so a
50-article story costs a fraction of a second, not an embedding pass.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .ages import age_conflicts
from .figure_pairs import figure_sentence, number_disagreements, publication_days, tally_denials
from .parsed_figures import CALENDAR_YEAR, Parser, parsed_disagreements, separate_parties
from .quantities import HAS_FIGURE, JUNK_LINE, figures
from .quotes import content_words
from .records import Citation, Claim, Conflict, Entity, Quote, Sentence, Source, SummarySentence
from .roles import role_conflicts

if TYPE_CHECKING:
    from .resources import Resources

log = logging.getLogger(__name__)

SUPPORT_OVERLAP = 0.6  # share of the shorter sentence's content words two sentences must share
SAME_TOPIC_DICE = 0.3
DATE_DICE = 0.4  # for sentences that may disagree on one detail
CLAIM_DICE = 0.6
_NEGATION = re.compile(
    r"\b(?:not|no|never|n't|denied|denies|deny|without|neither|nor|unable|unclear|refused|declined|failed|fails"
    # contractions typed without the apostrophe ("I cant speak for ...")
    r"|cant|dont|doesnt|didnt|wont|isnt|wasnt|arent|werent|couldnt|wouldnt|shouldnt|hasnt|havent|hadnt)\b"
    r"|n\s?['’]\s?t\b",  # "didn't", and "didn ’ t" / "had n't" in tokenised copies
    re.I,
)
_NOT_A_DENIAL = re.compile(r"\s+until\b", re.I)
_ADJECTIVE_BEFORE = re.compile(r"\b(?:a|an|the|his|her|their|its|our|my|your)\s+$", re.I)
_STATUS_SO_FAR = re.compile(r"\b(?:has|have)\s*(?:not|n['’]t)\s+(?:yet\s+)?been\b|\b(?:hasn|haven)\s?['’]\s?t\s+(?:yet\s+)?been\b"
                            r"|\bnot\s+yet\b", re.I)
_HAS_DATE = re.compile(r"\d|day\b", re.I)
# Words near any figure that say nothing about which quantity it is.
_MEASURE_WORDS = frozenset("""
million billion trillion thousand hundred percent per about around nearly almost roughly approximately
more less least most than over under up km miles mile feet foot meters metres inches hours minutes points
""".split())
# Sentences of social-media embeds and photo galleries carry their own timestamps, not the story's.
_EMBED = re.compile(r"\(@\w+\)|pic\.twitter\.com|A post shared by|Hide Caption|^Photos?:"
                    r"|^\W*(?:Updated|Published|Posted|Last modified)\s*:", re.I)  # and page stamps
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_DATE = re.compile(
    rf"\b(?P<md>{_MONTH}\s+\d{{1,2}})\b|\b(?P<dm>\d{{1,2}}\s+{_MONTH})\b"
    r"|\b(?:on|last|this|next)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_CLOCK_HEDGE = re.compile(r"\b(?:after|before|around|about|approximately|roughly|shortly|just|nearly|some time)\s+"
                          r"(?:after\s+|before\s+)?\d{1,2}(?::\d\d)?\s*[ap]\.?m", re.I)
_SAID_ON = re.compile(r"\b(?:said|says|told|reported|reports|added)\s+(?:on\s+)?$", re.I)
_TODAY = re.compile(r"\btoday\s*[(,]?\s*$", re.I)
# "3:20 p.m.", "3.45pm", and "3 : 20 p . m ." in tokenised copies
_TIME = re.compile(r"(?<![:\d]\s)\b(\d{1,2})(?:\s?[:.]\s?(\d\d))?\s*([ap])\s?\.?\s?m\b\.?", re.I)
# What a date dates: the same event word and the same named party in two outlets' sentences
# ("Smith was arrested June 18" / "... Dwight Smith, who was arrested" on "June 17").
_EVENT_WORD = re.compile(
    r"\b(arrest|die[ds]?\b|death|kill|shot\b|shooting|stabb|crash|collid|collis|explo|born|marri|sentenc|"
    r"convict|indict|arraign|resign|quake|earthquake|struck"
    # Events that follow another and carry their own date ("riots on Dec. 13 over the killing"):
    r"|riot|protest|rall|vigil|funeral|memorial|hearing|trial|meeting|anniversar|aftershock)", re.I)
# Words outlets use for one strike ("the raid began at 4.10pm" / "shelled the depot at 3:50 p.m.").
_ATTACK_WORD = re.compile(r"\b(attack|bomb|shell|airstrike|air strike|raid|blast)", re.I)
_ATTRIBUTIVE_DATE = re.compile(rf"{_MONTH}\s+\d{{1,2}}(?:\s?,\s?\d{{4}})?\s+[a-z]")
_WEEKDAY_NAME = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_PAST_VERB = re.compile(r"[a-z]{3,}ed")
_BEFORE_ADJECTIVE = frozenset("the a an on in at his her their its this that some many several few two three four "
                               "five six seven eight nine ten".split())
_AFTER_VERB = frozenset("on in at by to for from with after before during last this early late it he she they "
                        "that the a an his her their its".split())
_SPEECH_VERBS = frozenset("""said stated added noted reported quoted told declared claimed insisted asserted explained
confirmed denied warned urged argued suggested acknowledged revealed indicated stressed emphasized complained
predicted expected appeared continued remained published released cited""".split())
_SAYING = _SPEECH_VERBS | {"says"}  # a weekday right after one is the day of saying ("officials said Friday")
_LATER_EVENTS = ("riot", "prote", "rall", "vigil", "funer", "memor", "heari", "trial", "meeti", "anniv", "after")
_RESCHEDULED = re.compile(r"\b(?:continued|postponed|rescheduled|moved|delayed|pushed back|put off|adjourned|"
                          r"changed|until|to)\s+(?:to\s+|until\s+|for\s+)?(?:on\s+)?$", re.I)
_NOT_PARTIES = frozenset("""the a an in on at but and he she they it this that its his her their mr mrs ms dr
police officials authorities monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december jan feb aug sept oct nov dec
according after before when while some many most both all last next there here what who his""".split())
_PROPER = re.compile(r"\b[A-Z][a-z]{2,}")
_ACCUSED = re.compile(r"\b(?:charged|accused|alleged|allegedly|suspicion|suspected|arrested)\b", re.I)
_AUXILIARY = frozenset("be been being is are was were do does did have has had will would can could "
                       "should may might must yet even ever really always also".split())


# --------------------------------------------------------------------------- shared


class _Bag:
    """Binary content-word vectors of sentences, for overlap between many pairs at once."""

    def __init__(self, texts: Sequence[str]):
        from scipy.sparse import csr_matrix

        self.words = [content_words(re.sub(r"\d", " ", t)) for t in texts]
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, words in enumerate(self.words):
            for w in words:
                rows.append(i)
                cols.append(vocab.setdefault(w, len(vocab)))
        self.matrix = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                 shape=(len(texts), max(1, len(vocab))))
        self.sizes = np.array([len(w) for w in self.words], dtype=np.float32)

    def overlap(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(shared word counts, shared / size of the smaller) for every pair."""
        if not len(rows_a) or not len(rows_b):
            empty = np.zeros((len(rows_a), len(rows_b)), dtype=np.float32)
            return empty, empty
        a, b = self.matrix[list(rows_a)], self.matrix[list(rows_b)]
        shared = np.asarray((a @ b.T).toarray(), dtype=np.float32)
        smaller = np.minimum.outer(self.sizes[list(rows_a)], self.sizes[list(rows_b)])
        return shared, shared / np.clip(smaller, 1, None)


def _citation(s: Sentence) -> Citation:
    return Citation(s.source, s.start, s.end)


# --------------------------------------------------------------------------- support


def add_support(summary: Sequence[SummarySentence], sources: Sequence[Source],
                sentences: Sequence[Sentence]) -> list[SummarySentence]:
    """Cite every source that says the same as a summary point; support = outlets citing it."""
    by_id = {s.id: s for s in sources}
    texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
    bag = _Bag(texts + [p.text for p in summary])
    points = list(range(len(sentences), len(sentences) + len(summary)))
    shared, ratio = bag.overlap(points, range(len(sentences)))
    out = []
    for row, point in enumerate(summary):
        cited = {c.source for c in point.citations}
        extra: dict[str, tuple[float, Sentence]] = {}
        for col in np.flatnonzero((ratio[row] >= SUPPORT_OVERLAP) & (shared[row] >= 4)):
            s = sentences[col]
            if s.source not in cited and ratio[row, col] > extra.get(s.source, (0.0, s))[0]:
                extra[s.source] = (float(ratio[row, col]), s)
        citations = point.citations + tuple(_citation(s) for _, s in extra.values())
        out.append(replace(point, citations=citations, support=len({c.source for c in citations})))
    return out


def single_source(items: Sequence[SummarySentence | Quote]) -> list[bool]:
    """True for each point or quote only one independent outlet carries."""
    return [len({c.source for c in item.citations}) <= 1 for item in items]


# --------------------------------------------------------------------------- conflicts


def _dates(text: str) -> dict[str, str]:
    """The day, weekday and clock time a sentence names, in one spelling ("March 8")."""
    out = {}
    for m in _DATE.finditer(text):
        if _TODAY.search(text, max(0, m.start() - 12), m.start()) or _SAID_ON.search(text, max(0, m.start() - 16), m.start()):
            continue  # "announced today (14 October 2011)", "TASS reported September 26": the day of writing
        if m.group("wd"):
            out["weekday"] = m.group("wd")
        else:
            month, day = m.group("md").split() if m.group("md") else m.group("dm").split()[::-1]
            out["day"] = f"{month[:3]} {day}"
    for m in _TIME.finditer(text):
        out["time"] = f"{int(m.group(1))}:{m.group(2) or '00'} {m.group(3)[0].lower()}m"
    return out


def _all_dates(text: str) -> set[str]:
    out = {f"{int(m.group(1))}:{m.group(2) or '00'} {m.group(3)[0].lower()}m" for m in _TIME.finditer(text)}
    for m in _DATE.finditer(text):
        if m.group("md") or m.group("dm"):
            month, day = m.group("md").split() if m.group("md") else m.group("dm").split()[::-1]
            out.add(f"{month[:3]} {day}")
    # "recovered on Sunday after attempts on Saturday failed": a sentence naming both days gives both.
    return out | set(_WEEKDAY_NAME.findall(text))


def detail_conflicts(sources: Sequence[Source], sentences: Sequence[Sentence], parse: Parser | None = None
                     ) -> list[Conflict]:
    """Number, date and yes/no disagreements between near-identical sentences of different outlets.

    ``parse`` hands over spaCy's pipeline when a pair needs parsing (``lambda: resources.nlp``);
    without it (the default ``ner = "rules"`` run, which loads no model) the parse-keyed figures and
    the two-parties check are left out.
    """
    by_id = {s.id: s for s in sources}
    texts = [by_id[s.source].text[s.start : s.end] for s in sentences]
    # Cheap tests first: most sentences hold no figure, date or negation at all.
    dates = [_dates(t) if _HAS_DATE.search(t) else {} for t in texts]
    negated = [_negated_words(t) for t in texts]
    numbers = _Lazy(lambda t: bool(HAS_FIGURE.search(t) and figures(t)), texts)
    dates_all = _Lazy(_all_dates, texts)
    embeds = {k for k, t in enumerate(texts) if _EMBED.search(t) or JUNK_LINE.search(t)}
    bag = _Bag(texts)
    rows = [i for i in range(len(texts)) if dates[i] or negated[i]]
    shared, _ = bag.overlap(rows, range(len(texts)))
    sizes = bag.sizes
    found: dict[tuple[str, str], Conflict] = {}

    def claims(members) -> tuple[Claim, ...]:
        return tuple(Claim(texts[k], (_citation(sentences[k]),)) for k in members)

    for r, i in enumerate(rows):
        # Dice, not overlap of the smaller: a short sentence must not match any long one.
        dice = 2 * shared[r] / np.clip(sizes[i] + sizes, 1, None)
        for j in np.flatnonzero((dice >= SAME_TOPIC_DICE) & (shared[r] >= 4)):
            if sentences[j].source == sentences[i].source or (j < i and j in rows) or {i, j} & embeds:
                continue
            for kind, subject in _disagreements(i, j, numbers, dates, negated, float(dice[j]), bag,
                                                  dates_all, texts):
                found.setdefault((kind, subject), Conflict(kind, subject, claims((i, j))))
    for i, j, subject in _event_date_pairs(texts, sentences, dates, dates_all, embeds, bag):
        found.setdefault(("date", subject), Conflict("date", subject, claims((i, j))))
    sources_of = [s.source for s in sentences]
    covered: list[set[int]] = []
    for subject, members in number_disagreements(
            [t if k not in embeds else "" for k, t in enumerate(texts)], sources_of, bag, publication_days(sentences, sources)):
        if len(members) == 2 and _two_parties(subject, texts[members[0]], texts[members[1]], parse):
            continue
        found.setdefault(("number", subject), Conflict("number", subject, claims(members)))
        covered.append(set(members))
    for subject, members in tally_denials(texts, sources_of, bag):  # "no casualties" / "12 killed"
        found.setdefault(("claim", subject), Conflict("claim", subject, claims(members)))
    # Retold passages that differ in one figure the surface keys miss ("appointed army commander in
    # 1988" / "in 1989"), keyed by the parse; only sentence pairs no conflict above already cites.
    with_figures = [k for k, t in enumerate(texts) if k not in embeds and figure_sentence(t)]
    parsed = parsed_disagreements(texts, sources_of, bag, with_figures, parse) if parse is not None else []
    for subject, members in parsed:
        if any(set(members) <= done for done in covered):
            continue
        kind = "date" if subject.startswith(CALENDAR_YEAR) else "number"
        found.setdefault((kind, subject), Conflict(kind, subject, claims(members)))
    return list(found.values()) + age_conflicts(sentences, texts)


def _two_parties(subject: str, a: str, b: str, parse: Parser | None) -> bool:
    """A two-sentence number conflict whose figures the parse gives to different named parties."""
    values = subject.rsplit(": ", 1)[-1].split(" vs ")
    if parse is None or len(values) != 2:
        return False
    names_a, names_b = (set(_PROPER.findall(t)) for t in (a, b))
    if not (names_a - names_b and names_b - names_a):
        return False  # no name of its own on each side: the parse cannot find two parties (and is not run)
    # Which figure sits in which sentence: the subject lists values by size, not by sentence.
    first, second = values if _shows(a, values[0]) else values[::-1]
    return separate_parties(a, first, b, second, parse)


def _shows(text: str, shown: str) -> bool:
    """Whether ``text`` states the figure shown as ``shown`` as a whole number ("12" is not in "2012")."""
    figure = re.escape(shown.split()[-1])
    return re.search(rf"(?<![\w.,]){figure}(?![\w]|[.,]\d)", text, re.IGNORECASE) is not None


def _weekday_events(text: str) -> list[tuple[str, str]]:
    """(weekday, verb stem) for each weekday that dates the verb it stands next to ("were arrested by
    RCMP on Tuesday", "HP Monday announced"); the day something was said is the outlet's, not the event's."""
    out = []
    for m in _WEEKDAY_NAME.finditer(text):
        if re.match(r"\s?['’]\s?s\b", text[m.end() :]):
            continue  # "Thursday's play-in round" names another event by its day; it dates no verb here
        before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 45) : m.start()])[-4:]
        after = re.findall(r"[A-Za-z]+", text[m.end() : m.end() + 25])[:2]
        words = before + [m.group()] + after
        # A participle before a noun is an adjective ("placed on the injured list on Wednesday").
        verbs = [w for k, w in enumerate(words) if _PAST_VERB.fullmatch(w) and not (
            0 < k < len(words) - 1 and words[k - 1].lower() in _BEFORE_ADJECTIVE
            and words[k + 1].islower() and words[k + 1] not in _AFTER_VERB)]
        verbs = [w for w in verbs if words.index(w) < len(before)][::-1] or [
            w for w in verbs if words.index(w) > len(before)]
        said = before and before[-1].lower() in _SAYING
        if verbs and verbs[0].lower() not in _SPEECH_VERBS and not said:  # "officials said Friday"
            out.append((m.group(), verbs[0].lower()[:5]))
    return out


def _event_dates(text: str, dates: dict[str, str]) -> list[tuple[str, str, str, frozenset[str]]]:
    """(kind, date, event stem, names of the sentence) for each date an event word stands next to."""
    names = frozenset(w.lower() for w in _PROPER.findall(text)) - _NOT_PARTIES
    out = [("weekday", day, verb, names) for day, verb in _weekday_events(text)]
    for kind, value in dates.items():
        if kind == "weekday":
            continue  # a weekday is often the day something was said, not the day it happened
        anchor = value.split()[0].split(":")[0]
        at = text.find(anchor) if kind == "day" else next((m.start() for m in _TIME.finditer(text)), -1)
        if at < 0 or _RESCHEDULED.search(text[max(0, at - 30) : at]):
            continue  # "was continued to July 6": a new date, not another outlet's version of the old one
        lo = max(0, at - 45)
        if kind == "day" and _ATTRIBUTIVE_DATE.match(text, at) and text[max(0, at - 4) : at].lower() == "the ":
            lo = at  # "convicted in the May 3, 2001 attempted robbery": the date names the noun after it
        # The event word nearest the date is what it dates.
        # A clock time also dates a strike ("the attack came at 3.45pm"); a day rarely does: a story
        # names the days of earlier attacks ("since the bombing of two embassies on Aug. 7").
        words = _EVENT_WORD.finditer(text, lo, at + 45)
        if kind == "time":
            words = [*words, *_ATTACK_WORD.finditer(text, lo, at + 45)]
        nearest = min(words, key=lambda m: abs(m.start() - at), default=None)
        if nearest is not None and not nearest.group(1).lower().startswith(_LATER_EVENTS):
            stem = "attack" if nearest.re is _ATTACK_WORD else nearest.group(1).lower()[:5]  # one word for a strike
            out.append((kind, value, stem, names))
    return out


def _other_figures(a: str, b: str) -> bool:
    """The two sentences give different values for something they both measure: two events."""
    fa = {f.key: f.value for f in figures(a)} if HAS_FIGURE.search(a) else {}
    fb = {f.key: f.value for f in figures(b)} if fa and HAS_FIGURE.search(b) else {}
    shared = fa.keys() & fb.keys()
    return bool(shared) and all(fa[k] != fb[k] for k in shared)


def _rescheduled(text: str, date: str) -> bool:
    at = text.find(date.split()[0].split(":")[0])
    return at >= 0 and bool(_RESCHEDULED.search(text[max(0, at - 30) : at]))


def _event_date_pairs(texts, sentences, dates, dates_all, embeds, bag):
    """Sentences of different outlets that date one event (same event word, a shared name) differently."""
    index: dict[tuple[str, str], list[tuple[int, str, frozenset[str]]]] = {}
    for k, t in enumerate(texts):
        if not (dates[k] or _WEEKDAY_NAME.search(t)) or k in embeds:
            continue
        seen = set()
        for kind, value, event, names in _event_dates(t, dates[k]):
            if names and (kind, event) not in seen:
                seen.add((kind, event))
                index.setdefault((kind, event), []).append((k, value, names))
    done = set()
    for (kind, _event), entries in index.items():
        for x, (i, a, names_i) in enumerate(entries):
            for j, b, names_j in entries[x + 1 :]:
                if sentences[i].source == sentences[j].source or a == b or (i, j) in done:
                    continue
                if a in dates_all[j] or b in dates_all[i] or not names_i & names_j:
                    continue
                if kind == "weekday" and (a in texts[j] or b in texts[i]):
                    continue  # one sentence names both days: two steps of one story
                if kind == "time" and abs(_minutes(a) - _minutes(b)) <= _clock_slack(texts[i], texts[j]):
                    continue
                shared, _ = bag.overlap([i], [j])
                if shared[0, 0] < 3 or _other_figures(texts[i], texts[j]):
                    continue
                done.add((i, j))
                yield i, j, f"{a} vs {b}"


def _negated_words(text: str) -> set[str]:
    """Content words right after a negation: what the sentence says did not happen."""
    out: set[str] = set()
    for m in _NEGATION.finditer(text):
        if _NOT_A_DENIAL.match(text, m.end()) or (m.group().lower() in ("failed", "unclear")
                                                   and _ADJECTIVE_BEFORE.search(text, max(0, m.start() - 12), m.start())):
            continue  # "it wasn't until May 30 that ..." affirms; "her failed campaign" denies nothing
        if _STATUS_SO_FAR.search(text, max(0, m.start() - 12), m.end() + 12):
            continue  # "results have not been released": the state when written, which a later report updates
        # The first two content words after the negation are what is denied ("was not *breached*
        # during the *night*"): one shared word is too little ("not at the church" vs "visited the church").
        following = [w for w in re.findall(r"[a-z]+", text[m.end() : m.end() + 60].lower())
                     if w not in _AUXILIARY and content_words(w)]
        out.add(" ".join(following[:2]) if following else "(negated)")
    return out


class _Lazy:
    """``f(texts[k])`` computed on first use: only sentences that pair up need it."""

    def __init__(self, f, texts):
        self.f, self.texts, self.done = f, texts, {}

    def __getitem__(self, k: int):
        if k not in self.done:
            self.done[k] = self.f(self.texts[k])
        return self.done[k]


def _clock_slack(a: str, b: str) -> int:
    """Minutes two reported clock times may differ by and still be one moment: 15, or 30 when both
    are hedged ("just after 2:30 a.m." / "shortly after 2 a.m.")."""
    hedged = all(_CLOCK_HEDGE.search(t) for t in (a, b))
    return 30 if hedged else 15


def _minutes(clock: str) -> int:
    hours, rest = clock.split(":")
    minutes, half = rest.split()
    return (int(hours) % 12 + (12 if half == "pm" else 0)) * 60 + int(minutes)


def _near_words(text: str, date: str) -> set[str]:
    """Content words within a few words of where a date or time is written."""
    month_or_clock = date.split()[0].split(":")[0]
    at = text.find(month_or_clock)
    if at < 0:
        return set()
    return content_words(re.sub(r"\d", " ", text[max(0, at - 50) : at + 50])) - _MEASURE_WORDS - {
        "am", "pm", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _disagreements(i, j, numbers, dates, negated, dice, bag, dates_all, texts):
    for kind in dates[i].keys() & dates[j].keys():
        if dice < (CLAIM_DICE if kind == "weekday" else DATE_DICE):
            continue  # two times or days in loosely similar sentences are usually two events
        a, b = dates[i][kind], dates[j][kind]
        if a == b or a in dates_all[j] or b in dates_all[i]:
            continue  # one sentence gives both: "6:30 a.m. local time (2:30 p.m. ET)"
        if kind == "time" and abs(_minutes(a) - _minutes(b)) <= _clock_slack(texts[i], texts[j]):
            continue  # "around 9:30" and "at 9:19" are one moment, reported loosely
        if not _near_words(texts[i], a) & _near_words(texts[j], b):
            continue  # nothing around the two dates says they date the same thing
        if _rescheduled(texts[i], a) or _rescheduled(texts[j], b):
            continue  # "was continued to July 6": a new date, not another version of the old one
        if _other_figures(texts[i], texts[j]):
            continue  # a 2.0 and a 4.4 quake: two events, each at its own time
        yield "date", f"{a} vs {b}"
    if bool(negated[i]) != bool(negated[j]) and dice >= CLAIM_DICE and not numbers[i] and not numbers[j]:
        negative, positive = (i, j) if negated[i] else (j, i)
        # Only a negation of something both sentences say is an opposite claim.
        if _ACCUSED.search(texts[positive]) and re.search(r"\bden(?:y|ies|ied)\b", texts[negative]):
            return  # denying a charge is no disagreement with a report of the charge
        if any(set(words.split()) <= bag.words[positive] for words in negated[negative]):
            # Longest first, ties alphabetical: set order changes with the hash seed, so the subject did too.
            common = sorted(bag.words[i] & bag.words[j], key=lambda w: (-len(w), w))[:4]
            yield "claim", " ".join(common)


def compare(sources: Sequence[Source], sentences: Sequence[Sentence], vectors,
            summary: Sequence[SummarySentence], quotes: Sequence[Quote], entities: Sequence[Entity],
            resources: Resources | None = None) -> tuple[list[SummarySentence], list[Conflict]]:
    """The summary with each point's independent support, and where the outlets disagree."""
    supported = add_support(summary, sources, sentences)
    # spaCy only where the run asked for it: importing and loading it costs ~1.5-2 s per process.
    use_spacy = resources is not None and resources.settings.ner == "spacy"
    parse = (lambda: resources.nlp) if use_spacy else None
    conflicts = role_conflicts(sources, sentences) + detail_conflicts(sources, sentences, parse)
    log.info("%d conflicts; %d of %d summary points single-source", len(conflicts),
             sum(single_source(supported)), len(supported))
    return supported, conflicts
