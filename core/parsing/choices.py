"""Matching a passage to the choices of a single- or multiple-choice field."""

import re
import unicodedata
from dataclasses import dataclass

from core.domain.template import Choice, FieldSpec
from core.domain.values import ParseResult

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_SUBTYPE = re.compile(r"^(\d+|i{1,3}|iv)([ab])$")
_NUMERAL = re.compile(r"^\d+[ab]?$")
_TOKEN = re.compile(r"[^\W_]+|/|[-‐‑‒–—−]")
_DASHES = frozenset("-‐‑‒–—−")
_BRITISH = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    size: int
    relaxed: bool
    index: int


def normalise(text: str, *, relaxed: bool = False) -> list[str]:
    """Words of `text` in a form that ignores case, punctuation, dashes and numeral style.

    Roman numerals I-IV become digits ("IIa" -> "2a"); a dash between two numerals means
    "/" ("I-II"); "Phase 1/2" reads "phase 1 / phase 2" so that it meets a label
    "Phase 1/Phase 2". `relaxed` also drops a subtype letter: "IIa" -> "2", "1b" -> "1".
    The number of words does not depend on `relaxed`.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    raw_tokens = _TOKEN.findall(text)
    words: list[str] = []
    for position, token in enumerate(raw_tokens):
        if token in _DASHES:
            following = raw_tokens[position + 1] if position + 1 < len(raw_tokens) else ""
            if words and _NUMERAL.match(words[-1]) and _NUMERAL.match(_word(following, False)):
                words.append("/")
            continue
        words.append(_word(token, relaxed))
    return _expand_slashes(words)


def parse_single_choice(spec: FieldSpec, raw: str) -> ParseResult:
    """The one choice the passage names, or a message saying none or several do."""
    found = _matching(spec, raw)
    if not found:
        return _refuse(raw, _no_match(raw))
    if len(found) > 1:
        labels = ", ".join(c.label for c in found)
        return _refuse(raw, f"The passage matches several choices ({labels}); pick one.")
    return ParseResult(ok=True, value=found[0].code, raw=raw)


def parse_multiple_choice(spec: FieldSpec, raw: str) -> ParseResult:
    """Every choice the passage names, in the order of the form."""
    found = _matching(spec, raw)
    if not found:
        return _refuse(raw, _no_match(raw))
    return ParseResult(ok=True, value=[c.code for c in found], raw=raw)


def _matching(spec: FieldSpec, raw: str) -> list[Choice]:
    """Choices named by the whole passage (or what follows its last colon), else within it.

    Words are compared as written first; only then with subtype letters dropped, so a
    choice "Phase 2a" wins over "Phase 2" when the form has both.
    """
    after_colon = raw.rpartition(":")[2]
    for relaxed in (False, True):
        wholes = {" ".join(normalise(t, relaxed=relaxed)) for t in (raw, after_colon)}
        exact = [
            c
            for c in spec.choices
            if any(term in wholes for term in _terms(c, relaxed, whole=True))
        ]
        if exact:
            return exact
    return _contained(spec.choices, raw)


def _contained(choices: tuple[Choice, ...], raw: str) -> list[Choice]:
    """Choices whose label or synonym occurs in the passage.

    A longer phrase hides a shorter one it contains ("non randomized" hides
    "randomized"), and a phrase matched as written hides one matched only once subtype
    letters are dropped at the same place.
    """
    hits: list[_Hit] = []
    for relaxed in (False, True):
        words = normalise(raw, relaxed=relaxed)
        for index, choice in enumerate(choices):
            for term in _terms(choice, relaxed, whole=False):
                spans = _occurrences(term, words)
                hits.extend(_Hit(s, e, len(term), relaxed, index) for s, e in spans)
    hits.sort(key=lambda h: (-h.size, h.relaxed, h.start))
    kept: list[_Hit] = []
    for hit in hits:
        clash = [k for k in kept if hit.start < k.end and k.start < hit.end]
        if all((k.start, k.end, k.relaxed) == (hit.start, hit.end, hit.relaxed) for k in clash):
            kept.append(hit)
    indexes = {h.index for h in kept}
    return [c for i, c in enumerate(choices) if i in indexes]


def _occurrences(term: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans of consecutive words that spell `term` when joined ("non", "randomized")."""
    spans = []
    for start in range(len(words)):
        joined = ""
        for end in range(start, len(words)):
            joined += words[end]
            if joined == term:
                spans.append((start, end + 1))
                break
            if not term.startswith(joined):
                break
    return spans


def _terms(choice: Choice, relaxed: bool, *, whole: bool) -> set[str]:
    """The normalised forms of a choice's label and synonyms, and of its code if `whole`.

    For a whole passage words are compared one by one; inside a passage they are joined,
    so that "Nonrandomized" meets "Non-randomized". A bare code such as "1" would match
    any number in a sentence, so codes only count when they are the whole passage.
    """
    texts = [choice.label, *choice.synonyms]
    if whole:
        texts.append(choice.code)
    joiner = " " if whole else ""
    terms = {joiner.join(normalise(t, relaxed=relaxed)) for t in texts}
    terms.discard("")
    return terms


def _word(token: str, relaxed: bool) -> str:
    if token in _ROMAN:
        return _ROMAN[token]
    subtype = _SUBTYPE.match(token)
    if subtype:
        number = _ROMAN.get(subtype.group(1), subtype.group(1))
        return number if relaxed else number + subtype.group(2)
    return _BRITISH.sub(r"iz\1", token)


def _expand_slashes(words: list[str]) -> list[str]:
    """Repeat the word before "1/2" after the slash: "phase 1 / 2" -> "phase 1 / phase 2"."""
    out: list[str] = []
    for word in words:
        if (
            _NUMERAL.match(word)
            and len(out) >= 3
            and out[-1] == "/"
            and _NUMERAL.match(out[-2])
            and out[-3] != "/"
            and not _NUMERAL.match(out[-3])
        ):
            out.append(out[-3])
        out.append(word)
    return out


def _no_match(raw: str) -> str:
    shown = " ".join(raw.split())
    if len(shown) > 60:
        shown = shown[:59] + "…"
    return f"No choice matches “{shown}”; pick one."


def _refuse(raw: str, message: str) -> ParseResult:
    return ParseResult(ok=False, value=None, raw=raw, message=message)
