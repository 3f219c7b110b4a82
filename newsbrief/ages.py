"""One named person given different ages by different outlets.

Ages are read where a name and an age sit together ("Eric Brill, 59,", "59-year-old Eric Brill",
"Brill, a 59-year-old engineer", "the 59-year-old student, Eric Brill,"). Articles name a person in
full once and by one name after that ("Brill, 59," or, for Chinese names, the family name first:
"Qin, 44,"), so a lone name is the full name it shortens: the one its own article gives in full, or
else the only one the story gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .records import Citation, Claim, Conflict, Sentence

# One word of a name, with the inner capitals of "McKinney", "MacDonald", "O'Brien", "DeLay".
_WORD = r"(?:Ma?c|O['’]|De|Di|La|Le)?[A-Z][a-z]+"
_NAME = rf"{_WORD}(?:\s+(?:[“\"]{_WORD}[”\"]\s+)?{_WORD})*"
_AGE = re.compile(
    rf"\b(?P<n1>{_NAME}),\s*(?P<a1>\d{{1,2}})[,;)]"  # "Eric Brill, 59,"
    rf"|\b(?P<a2>\d{{1,2}})\s?-\s?year\s?-?\s?olds?\s+(?:[a-z]+\s+){{0,3}}?(?P<n2>{_WORD}(?:\s+{_WORD})+)"
    # "the 21-year-old Brill, ..." / "... Brill was": one name right after the age, not a place before a
    # noun ("the 39-year-old Troy man")
    rf"|\b(?:[Tt]he|[Aa]n?)\s+(?:[a-z,-]+\s+){{0,3}}?(?P<a3>\d{{1,2}})\s?-\s?year\s?-?\s?old\s+(?P<n3>{_WORD})"
    r"(?=\s*[,.;)]|\s+(?:was|is|had|has|who|said|says|died|remains|remained)\b)"
    # "Brill, a 59-year-old engineer": an apposition, the age describes the name before it
    rf"|\b(?P<n4>{_NAME}),\s+(?:a|an)\s+(?:[a-z]+\s+){{0,2}}?(?P<a4>\d{{1,2}})\s?-\s?year\s?-?\s?old\b"
    # "the 30-year-old driver, Ana Kell,": the name in apposition after the description
    rf"|\bthe\s+(?P<a5>\d{{1,2}})\s?-\s?year\s?-?\s?old\s+[a-z]+,\s+(?P<n5>{_WORD}(?:\s+{_WORD})+)\s*[,.;]"
)
# Capitalised words that start a sentence or a description, never a person's name.
_NOT_NAMES = frozenset("""The A An In On At But And He She They It This That His Her Their One Two Three Both Each
Police Officials University College School State City County Mr Mrs Ms Dr""".split())
_DIGIT = re.compile(r"\d")
_FULL_NAME = re.compile(rf"\b{_WORD}(?:\s+{_WORD})+")


def _first_and_last(parts: list[str]) -> str:
    """A name by its first and last word: "Kevin Deon Johnson" is the Kevin Johnson other outlets name."""
    return f"{parts[0]} {parts[-1]}" if len(parts) > 2 else " ".join(parts)


def ages(text: str) -> dict[str, int]:
    """Ages given to named people in one sentence: name -> age."""
    out = {}
    for m in _AGE.finditer(text):
        name = next(m.group(f"n{k}") for k in range(1, 6) if m.group(f"n{k}"))
        age = int(next(m.group(f"a{k}") for k in range(1, 6) if m.group(f"a{k}")))
        name = re.sub(r"\s*[“\"][^”\"]+[”\"]", "", name)  # drop a quoted nickname
        parts = name.split()
        while len(parts) > 2 and re.search(r"(?:an|ese|ish|ic|man|woman)$", parts[0]):
            parts = parts[1:]  # "32-year-old Englishman Robert Buckley": a nationality, not a first name
        if parts[0] in _NOT_NAMES:
            continue
        name = _first_and_last(parts)
        out[name] = age
    return out


def _full_names(text: str) -> set[str]:
    """Two-word names an article gives ("Qin Yongmin"), first and last word of longer ones."""
    out = set()
    for m in _FULL_NAME.finditer(text):
        parts = m.group().split()
        if parts[0] not in _NOT_NAMES:
            out.add(_first_and_last(parts))
    return out


def _expand(name: str, candidates: set[str]) -> str | None:
    """The one full name among ``candidates`` a lone name shortens (family name last or first)."""
    found = {c for c in candidates if name in (c.split()[0], c.split()[-1])}
    return next(iter(found)) if len(found) == 1 else None


def age_conflicts(sentences: Sequence[Sentence], texts: Sequence[str]) -> list[Conflict]:
    """One person given different ages by different outlets."""
    ages_of: dict[str, dict[int, dict[str, Citation]]] = {}  # name -> age -> source -> first sentence
    shown: dict[tuple[str, int], str] = {}
    # Every age is written in digits: most sentences are skipped by one search.
    given = [(k, s, ages(texts[k])) for k, s in enumerate(sentences) if _DIGIT.search(texts[k])]
    lone = {s.source for _, s, found in given for n in found if " " not in n}
    article_names: dict[str, set[str]] = {}
    for k, s in enumerate(sentences):
        if s.source in lone:
            article_names.setdefault(s.source, set()).update(_full_names(texts[k]))
    story_names = {n for k, s, found in given for n in found if len(n.split()) > 1}
    for k, s, found in given:
        for name, age in found.items():
            if len(name.split()) == 1:
                # "Qin, 44": the Qin this article names in full, else the only one the story names
                name = (_expand(name, article_names.get(s.source, set()) & story_names)
                        or _expand(name, article_names.get(s.source, set()))
                        or _expand(name, story_names) or name)
            ages_of.setdefault(name, {}).setdefault(age, {}).setdefault(s.source, Citation(s.source, s.start, s.end))
            shown.setdefault((name, age), texts[k])
    conflicts = []
    for name, by_age in ages_of.items():
        if min(by_age) < 18 <= max(by_age):
            continue  # a child and an adult of one name are two people
        outlets = {src for cited in by_age.values() for src in cited}
        if len(by_age) >= 2 and len(outlets) >= 2:
            claims = tuple(Claim(shown[(name, age)], tuple(cited.values())) for age, cited in by_age.items())
            conflicts.append(Conflict("number", f"age of {name}: " + " vs ".join(map(str, by_age)), claims))
    return conflicts
