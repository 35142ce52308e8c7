"""Reading yes or no out of a quoted passage ("Healthy volunteers: No" -> False)."""

import re
import unicodedata

from core.domain.values import ParseResult

# Whole answers: what a form or registry record writes after a label.
_ANSWERS: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "t": True,
    "1": True,
    "x": True,
    "✓": True,
    "✔": True,
    "present": True,
    "positive": True,
    "reported": True,
    "done": True,
    "performed": True,
    "no": False,
    "n": False,
    "false": False,
    "f": False,
    "0": False,
    "absent": False,
    "negative": False,
    "not done": False,
    "not performed": False,
    "not present": False,
}

# Words that still carry the answer inside a sentence ("No patient withdrew").
_SENTENCE_WORDS: dict[str, bool] = {
    "yes": True,
    "true": True,
    "no": False,
    "false": False,
    "nobody": False,
    "neither": False,
}

# Answers that say the value is unknown, not that it is false.
_UNKNOWN = frozenset(
    {"none", "n/a", "na", "not applicable", "not reported", "unknown", "nr", "not stated"}
)

_WORD = re.compile(r"[^\W_]+")
# Past a sentence or so, a stray "no" says nothing about the field.
_MAX_SENTENCE_WORDS = 30


def parse_boolean(raw: str) -> ParseResult:
    """True or False, or a message when the passage says neither or both."""
    for candidate in (raw, raw.rpartition(":")[2]):
        answer = _clean(candidate)
        if answer in _UNKNOWN:
            message = f"The passage says “{answer}”, which is neither yes nor no; pick one."
            return _refuse(raw, message)
        if answer in _ANSWERS:
            return ParseResult(ok=True, value=_ANSWERS[answer], raw=raw)
    words = _WORD.findall(_clean(raw))
    if len(words) > _MAX_SENTENCE_WORDS:
        return _refuse(raw, "The passage is too long to read yes or no from; pick one.")
    said = {_SENTENCE_WORDS[w] for w in words if w in _SENTENCE_WORDS}
    if len(said) == 1:
        return ParseResult(ok=True, value=said.pop(), raw=raw)
    if said:
        return _refuse(raw, "The passage says both yes and no; pick one.")
    return _refuse(raw, "The passage says neither yes nor no; pick one.")


def format_boolean(value: bool) -> str:
    """How a stored answer reads on the form."""
    return "Yes" if value else "No"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.strip().strip(".!;,()[]\"'“”").split())


def _refuse(raw: str, message: str) -> ParseResult:
    return ParseResult(ok=False, value=None, raw=raw, message=message)
