"""Role conflicts: one person given titles by different outlets that cannot both hold.

"President" against "Prime Minister" for one man is a disagreement a reader must see;
"senator" and "committee chairman", "lawyer" and "attorney", a former title against a
current one, a relation ("his friend") or a clause caught as a role are not. Used by
:mod:`newsbrief.compare`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .names import names_in
from .records import Citation, Claim, Conflict, Sentence, Source
from .speakers import ORG_WORDS, bare, is_role_head

GENERIC_ROLES = frozenset({"leader", "head", "official", "chief", "member", "executive", "officer",
                           "director", "manager", "agent", "expert", "candidate", "nominee", "founder",
                           "co-founder", "owner", "author"})
# Offices one person holds at a time: two outlets naming different ones is a real disagreement,
# whereas "senator" and "committee chairman" can both be true. A chief executive is often also the
# chairman or president ("president and chief executive"), so CEO is not among them.
UNIQUE_OFFICES = frozenset({"president", "vice-president", "president-elect", "premier", "prime-minister",
                            "chancellor", "king", "queen", "pope", "governor", "gov", "mayor"})
# Heads that name the same kind of job: an outlet calling a lawyer an attorney is no conflict.
_ROLE_CLASSES = (
    {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen"},
    {"aide", "adviser", "advisor", "assistant", "counsel"},
    {"lawyer", "attorney", "counsel", "attorney-general"},
    {"author", "researcher", "scientist", "professor", "prof", "curator", "analyst", "economist",
     "expert", "investigator", "dean", "historian", "scientists", "researchers"},
    {"doctor", "dr", "physician", "surgeon"},
    {"police", "officer", "officers", "sergeant", "sgt", "detective", "lieutenant", "lt", "captain", "capt",
     "sheriff", "inspector", "investigator", "investigators"},
    {"senator", "sen", "congressman", "congresswoman", "representative", "rep", "lawmaker", "mp"},
    {"governor", "gov"},
    {"general", "gen", "commander"},
    {"chairman", "chairwoman", "chair", "chairperson", "head"},
    {"president", "president-elect", "leader", "head"},
    {"premier", "prime-minister", "chancellor"},
    {"minister", "secretary"},
)


def role_conflicts(sources: Sequence[Source], sentences: Sequence[Sentence]) -> list[Conflict]:
    """The same person given roles that cannot both hold, by different outlets."""
    by_name: dict[str, list[tuple[str, str, int]]] = {}
    for source in sources:
        for name, role, pos in names_in(source.text).role_mentions:
            if _title_like(role):
                by_name.setdefault(name, []).append((source.id, role, pos))
    starts = {}
    for s in sentences:
        starts.setdefault(s.source, []).append(s)
    conflicts = []
    for name, mentions in by_name.items():
        claims: dict[str, list[Citation]] = {}
        picked: list[tuple[str, str]] = []  # (source, role) kept, one per incompatible role
        for sid, role, pos in mentions:
            clash = [r for s2, r in picked if s2 != sid and not _roles_compatible(role, r)]
            same = [r for _, r in picked if _roles_compatible(role, r) and (not clash)]
            if not picked or clash or not same:
                picked.append((sid, role))
            sentence = next((s for s in starts.get(sid, []) if s.start <= pos < s.end), None)
            if sentence is not None:
                key = next((r for _, r in picked if _roles_compatible(role, r)), role)
                claims.setdefault(key, [])
                if all(c.source != sid for c in claims[key]):
                    claims[key].append(Citation(sentence.source, sentence.start, sentence.end))
        keys = [k for k in claims if claims[k]]
        clashing = [k for k in keys if any(not _roles_compatible(k, o) for o in keys if o != k)]
        if len(clashing) >= 2 and len({c.source for k in clashing for c in claims[k]}) >= 2:
            conflicts.append(Conflict("role", name, tuple(
                Claim(f"{name}: {k}", tuple(claims[k])) for k in clashing)))
    return conflicts


_TITLE_WORDS = frozenset("prime minister vice president house senate white state".split())
_RELATIONS = frozenset("""friend friends relative relatives mother father wife husband son daughter brother sister
grandfather grandmother uncle aunt cousin girlfriend boyfriend fiancee fiance parent parents neighbor neighbour
resident student passenger driver worker employee victim survivor witness""".split())
_OTHER_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")


def _title_like(role: str) -> bool:
    """A role another outlet's can contradict: a title, not a clause, a relation or another person.
    ("Prince Arno Vell", "service were former Prime Minister Anton Varga", "friend")."""
    words = role.split()
    if len(words) > 8 or re.search(r"\b(?:former|ex|then|onetime|late|one-time)\b|\bex-", role, re.I):
        return False  # a former title is no conflict: news names people by the title they held then
    heads = {bare(w) for w in words if is_role_head(w)}
    if not heads or heads <= _RELATIONS:
        return False
    for m in _OTHER_NAME.finditer(role):
        words = m.group().split()
        if is_role_head(words[0]) and not is_role_head(words[-1]):
            return False  # "King Norodom Sihanouk": another titled person named inside the role
        if is_role_head(words[-1]) or bare(words[-1]) in ORG_WORDS or words[-1].lower() in _TITLE_WORDS:
            continue  # "French President", "Senate Budget Committee": a title or a body, not a person
        if re.match(r"['’]", role[m.end() :]) or re.search(r"\b(?:of|for|at|to|with|in)\s+(?:the\s+)?$", role[: m.start()]):
            continue  # "the Russian President's chief assistant", "chief of the Army Staff": whose, where
        return False  # another person named inside the role: it is theirs, or a clause
    return True


def _role_heads(role: str) -> set[str]:
    role = re.sub(r"\bvice[\s-]+president", "vice-president", role, flags=re.I)
    role = re.sub(r"\b(?:deputy|vice)[\s-]+(?:prime[\s-]+minister|premier)", "minister", role, flags=re.I)  # not the PM
    role = re.sub(r"\bprime[\s-]+minister", "prime-minister", role, flags=re.I)
    role = re.sub(r"\bchief[\s-]+executive(?:[\s-]+officer)?\b", "CEO", role, flags=re.I)  # one office
    # "President's top strategist" is a strategist: a possessor's title is not the person's role.
    words = [w for w in role.split() if not re.search(r"['’]s?$", w)]
    heads = {bare(w) for w in words if is_role_head(w) or bare(w) == "prime-minister"}
    return heads


def _role_classes(heads: set[str]) -> set[int]:
    return {i for i, group in enumerate(_ROLE_CLASSES) if heads & group}


def _roles_compatible(a: str, b: str) -> bool:
    """Roles that can both be true of one person (a "former" title is no conflict: news names
    people by the title they held at the time it reports on)."""
    ha, hb = _role_heads(a), _role_heads(b)
    if not ha or not hb or ha & hb or ha <= GENERIC_ROLES or hb <= GENERIC_ROLES:
        return True
    if {a.strip().lower(), b.strip().lower()} & {"minister", "the minister"}:
        return True  # a minister without portfolio named is what a prime minister is too
    if not (ha | hb) & UNIQUE_OFFICES:
        return True
    return bool(_role_classes(ha) & _role_classes(hb))
