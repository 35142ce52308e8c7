"""Reading one partial date ("2024", "2024-08", "2024-12-01") out of a quoted passage."""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.domain.values import ParseResult

NO_DATE = "No date found in the passage."

# English names, not the locale's: passages are read the same on every machine.
_ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
)
MONTH_NAMES = tuple(_ENGLISH_MONTHS.split())
_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Dates written only in digits must look like a year of a trial report, so that
# "10.1097" (a DOI) or "1564-15" (pages) is not read as a date.
_DIGIT_YEAR = r"(?P<year>(?:1[89]|2[01])\d{2})"
_DIGIT_MONTH = r"(?P<mnum>\d{1,2})"
_NOT_DIGIT_BEFORE = r"(?<![\d.,/-])"
_NOT_DIGIT_AFTER = r"(?!\d|[.,/-]\d)"


@dataclass(frozen=True)
class _Found:
    """A date written in the passage: its ISO form, or why it cannot be one."""

    text: str
    iso: str | None
    problem: str | None = None


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(_NOT_DIGIT_BEFORE + body + _NOT_DIGIT_AFTER, re.IGNORECASE)


def _named(match: re.Match[str]) -> _Found:
    parts = match.groupdict()
    month = _MONTHS[parts["month"].lower()] if parts.get("month") else parts.get("mnum")
    day = parts.get("day")
    year = parts.get("year")
    if year is None:
        return _Found(match.group(), None, f"“{match.group()}” gives no year; type the value.")
    return _checked(match.group(), int(year), month, day)


def _numeric(match: re.Match[str]) -> _Found:
    """dd/mm/yyyy or mm/dd/yyyy: only read when the order is plain from the numbers."""
    first, second, year = (int(match.group(name)) for name in ("a", "b", "year"))
    if first > 12 >= second:
        return _checked(match.group(), year, second, first)
    if second > 12 >= first or first == second:
        return _checked(match.group(), year, first, second)
    problem = f"“{match.group()}” can be read day-first or month-first; type the value."
    return _Found(match.group(), None, problem)


def _checked(text: str, year: int, month: int | str | None, day: int | str | None) -> _Found:
    invalid = _Found(text, None, f"“{text}” is not a real date; type the value.")
    if not 1 <= year <= 9999:
        return invalid
    if month is None:
        return _Found(text, f"{year:04d}")
    month = int(month)
    if not 1 <= month <= 12:
        return invalid
    if day is None:
        return _Found(text, f"{year:04d}-{month:02d}")
    day = int(day)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return invalid
    return _Found(text, f"{year:04d}-{month:02d}-{day:02d}")


# Most specific first; each match hides its text from the patterns after it.
_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Found]], ...] = (
    (_pattern(rf"{_DIGIT_YEAR}(?P<sep>[-/.]){_DIGIT_MONTH}(?P=sep)(?P<day>\d{{1,2}})"), _named),
    (_pattern(rf"(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep){_DIGIT_YEAR}"), _numeric),
    (_pattern(rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"), _named),
    (_pattern(rf"\b{_MONTH}\s*{_DAY},?\s+{_YEAR}"), _named),
    (_pattern(rf"{_YEAR},?\s+{_MONTH}\s*{_DAY}"), _named),
    (_pattern(rf"\b{_MONTH},?\s+{_YEAR}"), _named),
    (_pattern(rf"{_YEAR},?\s+{_MONTH}"), _named),
    (_pattern(rf"{_DIGIT_YEAR}[-/]{_DIGIT_MONTH}"), _named),
    (_pattern(rf"{_DIGIT_MONTH}[/-]{_DIGIT_YEAR}"), _named),
    (_pattern(rf"\b{_MONTH}\s*{_DAY}"), _named),
    (_pattern(rf"{_DAY}\s+(?:of\s+)?{_MONTH}"), _named),
    (re.compile(r"(?<![\d.,])(?P<year>(?:19|20)\d{2})(?!\d|[.,]\d)"), _named),
)


def parse_partial_date(raw: str) -> ParseResult:
    """The single date of `raw` as an ISO partial string, or a message saying why not."""
    found = find_dates(raw)
    if not found:
        return _refuse(raw, NO_DATE)
    distinct = list(dict.fromkeys(f.iso or f.text for f in found))
    if len(distinct) > 1:
        shown = ", ".join(f"“{f.text}”" for f in _first_of_each(found)[:5])
        return _refuse(raw, f"The passage holds several dates ({shown}); type the value.")
    first = found[0]
    if first.iso is None:
        return _refuse(raw, first.problem or NO_DATE)
    return ParseResult(ok=True, value=first.iso, raw=raw)


def find_dates(text: str) -> list[_Found]:
    """Every date written in `text`, in reading order."""
    hits: list[tuple[int, _Found]] = []
    masked = text
    for pattern, read in _READERS:
        for match in pattern.finditer(masked):
            hits.append((match.start(), read(match)))
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    return [found for _, found in sorted(hits, key=lambda hit: hit[0])]


def _first_of_each(found: list[_Found]) -> list[_Found]:
    seen: dict[str, _Found] = {}
    for item in found:
        seen.setdefault(item.iso or item.text, item)
    return list(seen.values())


def _refuse(raw: str, message: str) -> ParseResult:
    return ParseResult(ok=False, value=None, raw=raw, message=message)
