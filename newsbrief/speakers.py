"""Names, roles and speech cues: the cheap patterns the who-said-what stage reads.

Everything here is regular expressions over a sentence's text, so it costs
microseconds per sentence; spaCy is only consulted afterwards to type the few
distinct names a story attributes statements to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Verbs that introduce what someone said (present, past and a few participles).
_SPEECH_STEMS = """
say:says:said tell:tells:told add:adds:added note:notes:noted emphasize:emphasizes:emphasized
emphasise:emphasises:emphasised stress:stresses:stressed insist:insists:insisted
acknowledge:acknowledges:acknowledged warn:warns:warned argue:argues:argued claim:claims:claimed
state:states:stated declare:declares:declared confirm:confirms:confirmed deny:denies:denied
explain:explains:explained announce:announces:announced convey:conveys:conveyed
suggest:suggests:suggested urge:urges:urged describe:describes:described write:writes:wrote
reply:replies:replied respond:responds:responded recall:recalls:recalled admit:admits:admitted
predict:predicts:predicted observe:observes:observed remark:remarks:remarked
comment:comments:commented tweet:tweets:tweeted caution:cautions:cautioned
complain:complains:complained conclude:concludes:concluded disclose:discloses:disclosed
reveal:reveals:revealed maintain:maintains:maintained contend:contends:contended
assert:asserts:asserted allege:alleges:alleged testify:testifies:testified
reiterate:reiterates:reiterated affirm:affirms:affirmed promise:promises:promised vow:vows:vowed
counter:counters:countered estimate:estimates:estimated ask:asks:asked continue:continues:continued
report:reports:reported point:points:pointed
"""
# Bare stems double as nouns ("state news agency", "a report"): only these few speak bare.
_BARE_OK = {"say", "tell", "insist", "warn", "argue", "deny", "confirm", "acknowledge", "explain", "admit"}
SPEECH_VERBS = frozenset(
    w for group in _SPEECH_STEMS.split() for i, w in enumerate(group.split(":")) if i or w in _BARE_OK
)
#: Participles that speak for the sentence's subject: "Lavrov reacted sharply, declaring that ...".
SPEECH_PARTICIPLES = frozenset("""
saying declaring noting adding stressing emphasizing emphasising warning insisting arguing claiming
stating explaining suggesting telling acknowledging
""".split())
SPEECH_VERB = re.compile(r"\b(" + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True)) + r"|expressed)\b")
# "point" only speaks as "pointed out"; "continue"/"ask" only right after a quote.
WEAK_VERBS = frozenset({"point", "points", "pointed", "continue", "continues", "continued",
                        "ask", "asks", "asked", "report", "reports", "reported",
                        "estimate", "estimates", "estimated", "promise", "promises", "promised"})

# Head nouns of a role or title ("spokesman", "minister", "chief assistant").
ROLE_HEADS = frozenset("""
president vice-president president-elect premier minister secretary spokesman spokeswoman spokesperson
assistant aide adviser advisor envoy ambassador chancellor senator sen congressman congresswoman
representative rep governor gov mayor chief director chairman chairwoman chair ceo executive officer
official leader head commissioner general gen colonel col captain capt lieutenant lt sergeant sgt
detective sheriff judge justice attorney lawyer prosecutor professor prof analyst economist researcher
scientist expert king queen prince princess pope founder co-founder owner manager coach correspondent
editor reporter author historian candidate nominee lawmaker mp diplomat negotiator commander
superintendent inspector agent spokespeople officials negotiators diplomats lawmakers analysts experts
doctor dr counsel strategist pollster activist attorney-general deputy administrator curator
investigator physician surgeon dean principal teacher pastor bishop cardinal rabbi imam chairperson
coroner examiner sources source investigators police authorities witnesses witness prosecutors
residents researchers scientists doctors officers spokesmen
neighbor neighbour neighbors neighbours resident friend friends relative relatives mother father wife
husband son daughter brother sister grandfather grandmother uncle aunt cousin girlfriend boyfriend
fiancee fiance parent parents family families student students passenger passengers driver worker
workers employee employees victim victims survivor survivors
""".split())
# Words that may sit inside a role phrase before its head ("Russian deputy foreign minister").
ROLE_MODIFIERS = frozenset("""
former ex- ex acting deputy vice interim senior top chief foreign defense defence interior finance
justice state federal national presidential special assistant associate executive general political
security press communications economic trade health education military police white house
kremlin the of for to on and
""".split())
TITLE_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col",
                                 "capt", "lt", "sgt", "rev", "hon", "pres", "supt", "det"})
# Capitalised words that start sentences or name times, never people or organisations.
NOT_NAMES = frozenset("""
the a an he she they it we i you this that these those his her their its our my your but and or if
when while in on at for from by with as after before according meanwhile however also there here
so yet still then now today yesterday tomorrow monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december
what who why how where which one some many most all both each every no not mr mrs ms dr
did does do is was were will can could would should has have had are
""".split())
ORG_WORDS = frozenset("""
agency ministry kremlin department party inc corp ltd co company group council commission union
committee office bank university college institute association federation news times post journal
press reuters tass ap afp bbc cnn government administration police court parliament congress senate
house army navy force forces foundation organization organisation center centre club league
network service services board authority side nato un eu fbi cia who
""".split())
PRONOUNS = frozenset({"he", "she", "they"})

NAME_TOKEN = r"(?:[A-Z][\w'’\-]*[\w]|[A-Z]\.?)"
NAME_LINK = r"(?:de|da|van|von|der|den|bin|al|la|le|du|del|della|di|dos|ibn)"
# A run of capitalised words: candidate name with any title words in front of it.
NAME_RUN = re.compile(rf"\b{NAME_TOKEN}(?:\s+(?:{NAME_LINK}\s+)?{NAME_TOKEN})*")
_WORD = re.compile(r"[\w'’.\-]+|[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s?$")


def words_with_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    end = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def bare(word: str) -> str:
    """Lower-case, without a possessive or trailing dots: for lexicon look-ups."""
    return _POSSESSIVE.sub("", word.lower()).strip(".")


def is_role_head(word: str) -> bool:
    w = bare(word)
    return w in ROLE_HEADS or (w.endswith("man") and w[:-3] in {"spokes", "chair", "congress"})


def is_capitalized(word: str) -> bool:
    return word[:1].isupper() and bare(word) not in NOT_NAMES


@dataclass(frozen=True)
class Mention:
    """A noun phrase that names or points at a speaker, with offsets in the source text."""

    start: int
    end: int
    name: str | None  # "Dmitry Peskov", "Kremlin"
    role: str | None  # "Kremlin spokesman"
    pronoun: str | None = None  # "he", "she", "they"
    possessor: str | None = None  # "Vladimir Putin" in "Vladimir Putin's spokesman"


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run like "French President Emmanuel Macron" into title and name."""
    last_title = -1
    for i, token in enumerate(tokens[:-1]):
        if is_role_head(token) or bare(token) in TITLE_ABBREVIATIONS or bare(token) in ROLE_MODIFIERS:
            last_title = i
    return tokens[: last_title + 1], tokens[last_title + 1 :]


def analyze_phrase(text: str, start: int, end: int) -> Mention | None:
    """Read a subject phrase (already cut out of a sentence) as name, role and pronoun."""
    words = words_with_spans(text, start, end)
    words = [w for w in words if w[0] not in {",", "“", "”", '"'}]
    if not words:
        return None
    if len(words) == 1 and bare(words[0][0]) in PRONOUNS:
        return Mention(start, end, None, None, pronoun=bare(words[0][0]))
    # Possessive: "Vladimir Putin's spokesman" names the spokesman, not Putin.
    for i, (w, _, _) in enumerate(words[:-1]):
        if re.search(r"['’]s?$", w) and len(w) > 2:
            if any(is_role_head(x[0]) for x in words[i + 1 :]) and not any(
                is_capitalized(x[0]) and not is_role_head(x[0]) for x in words[i + 1 :]
            ):
                owner = _name_tokens([x[0] for x in words[: i + 1]])
                role = " ".join(x[0] for x in words[i + 1 :])
                return Mention(start, end, None, _clean_role(role),
                               possessor=" ".join(owner) if owner else None)
    # The name is the last run of capitalised non-title words.
    tokens = [w[0] for w in words]
    name_end = len(tokens)
    while name_end > 0 and not is_capitalized(tokens[name_end - 1]):
        name_end -= 1
    if name_end == 0:
        if any(is_role_head(t) for t in tokens):
            return Mention(start, end, None, _clean_role(" ".join(tokens)))
        return None
    if name_end < len(tokens):
        # "the French side", "the Kremlin spokesman": a role or group after a capitalised word.
        tail = tokens[name_end:]
        if any(is_role_head(t) for t in tail):
            return Mention(start, end, None, _clean_role(" ".join(tokens)))
        if bare(tail[-1]) in ORG_WORDS:
            return Mention(start, end, (_clean_role(" ".join(tokens)) or "").rstrip(".") or None, None)
        return None
    name_start = name_end
    while name_start > 0 and (
        is_capitalized(tokens[name_start - 1]) or re.fullmatch(NAME_LINK, tokens[name_start - 1])
    ):
        name_start -= 1
    title, name = split_title(tokens[name_start:name_end])
    role_words = tokens[:name_start] + title
    if name_start > 0 and bare(tokens[name_start - 1]) in {"for", "of", "to", "at", "with"} and not title \
            and any(is_role_head(t) for t in tokens[: name_start - 1]):
        # "a spokesperson for Conyers" speaks for Conyers: the speaker is the spokesperson.
        return Mention(start, end, None, _clean_role(" ".join(tokens[: name_start - 1])),
                       possessor=" ".join(name))
    role = _clean_role(" ".join(role_words)) if role_words else None
    if role and not any(is_role_head(t) for t in role.split()):
        role = None
    name = [t for t in name if bare(t) not in TITLE_ABBREVIATIONS]
    if not name:
        return Mention(start, end, None, role) if role else None
    label = " ".join(name).replace(" ’", "’")
    return Mention(start, end, label if len(name[-1]) <= 2 else label.rstrip("."), role)


def _name_tokens(tokens: list[str]) -> list[str]:
    out = [_POSSESSIVE.sub("", t) for t in tokens if is_capitalized(t)]
    _, name = split_title(out) if out else ([], [])
    return name


def _clean_role(role: str) -> str | None:
    role = re.sub(r"\s+", " ", role).strip(" ,")
    role = re.sub(r"^(?:the|a|an|one|another|his|her|their|its)\s+", "", role, flags=re.I)
    role = re.sub(r"\s+(?:of|for|to|and|the)$", "", role)
    role = role.replace(" ’s", "’s").replace(" 's", "'s")
    return role or None


def np_before(text: str, lo: int, pos: int) -> tuple[int, int] | None:
    """Offsets of the noun phrase that ends at ``pos`` (scanning back, not before ``lo``)."""
    words = words_with_spans(text, lo, pos)
    i = len(words)
    while i > 0 and bare(words[i - 1][0]) in _SKIPPED_ADVERBS:
        i -= 1
    end = words[i - 1][2] if i else None
    j = i
    while j > 0:
        w = words[j - 1][0]
        lw = bare(w)
        if j < i and w.endswith(".") and len(w) > 5:
            break  # "Jews." ends the previous sentence; "Sgt." and "U.S." do not
        if is_capitalized(w) or is_role_head(w) or lw in ROLE_MODIFIERS or re.fullmatch(NAME_LINK, w) \
                or (lw in ORG_WORDS and j == i):
            j -= 1
            continue
        if lw in PRONOUNS and j == i:
            j -= 1
            break
        if lw in {"the", "a", "an", "one", "another", "his", "her", "their", "its"}:
            j -= 1
            break
        if re.fullmatch(r"[A-Z][a-z]?\.|\w+['’]s?", w) or (w[:1].islower() and j < i and _is_role_adj(w)):
            j -= 1
            continue
        break
    if end is None or j == i:
        return None
    # A trailing "of"/"the" picked up at the start is not part of the phrase.
    while j < i and bare(words[j][0]) in {"of", "for", "to", "and", "on"}:
        j += 1
    return (words[j][1], end) if j < i else None


def np_after(text: str, pos: int, hi: int) -> tuple[int, int] | None:
    """Offsets of the noun phrase starting at ``pos`` ("said Kremlin spokesman Dmitry Peskov")."""
    words = words_with_spans(text, pos, hi)
    i = 0
    if i < len(words) and bare(words[i][0]) in {"the", "a", "an", "one", "his", "her", "their", "its"}:
        i += 1
    j = i
    # Up to three lower-case words may describe a name that follows: "farmer Lena Ortiz".
    lead = next((k for k in range(i, min(i + 4, len(words))) if is_capitalized(words[k][0])), None)
    if lead is not None and all(re.fullmatch(r"[a-z][a-z\-]*", words[k][0]) for k in range(i, lead)) \
            and not any(bare(words[k][0]) in PRONOUNS | _NOT_DESCRIPTORS for k in range(i, lead)):
        j = lead
    while j < len(words):
        w = words[j][0]
        if is_capitalized(w) or is_role_head(w) or bare(w) in ROLE_MODIFIERS - {"the", "and", "to", "on"} \
                or re.fullmatch(NAME_LINK, w) or (w[:1].islower() and _is_role_adj(w)) \
                or (bare(w) in ORG_WORDS and j > i):
            j += 1
            continue
        break
    while j > i and bare(words[j - 1][0]) in {"of", "for", "the"}:
        j -= 1
    if j == i and i < len(words) and bare(words[i][0]) in PRONOUNS:
        return words[i][1], words[i][2]
    return (words[0][1], words[j - 1][2]) if j > i else None


# Lower-case words that never describe a person named after them.
_NOT_DESCRIPTORS = frozenset("that to in on at for by with from as and or but the a an of it this".split())


def _is_role_adj(word: str) -> bool:
    # "American", "Russian": nationality-like adjectives in lower-case phrases are rare; accept -an/-ese.
    return bool(re.fullmatch(r"[a-z]+(?:ian|ese|ish)", word))


_SKIPPED_ADVERBS = frozenset("""
also has had have later again previously consistently repeatedly then further publicly earlier once
reportedly allegedly privately openly separately recently quickly immediately flatly firmly simply
had already even who would will
""".split())
