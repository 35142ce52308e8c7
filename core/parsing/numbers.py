"""Reading one integer or decimal out of a quoted passage, refusing to guess."""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from text_to_num import alpha2digit

from core.domain.template import FieldSpec
from core.domain.values import ParseResult
from core.parsing.units import read_unit

NO_NUMBER = "No number found in the passage."

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
# "no one" is zero people, not the number one; leave it to the reviewer.
_NO_ONE = re.compile(r"\bno[\s-]+one\b", re.IGNORECASE)
_MULTIPLIER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.IGNORECASE)
_FACTORS = {"thousand": 10**3, "million": 10**6, "billion": 10**9}

_MANTISSA = r"(?<![\w.,])(?P<m>\d+(?:\.\d+)?)"
_EXPONENT = r"(?P<e>[-−+]?\d{1,3})"
_SCIENTIFIC = (
    # 1.5 × 10^6, 2 x 10^-3, 1×10⁶ (superscripts are rewritten as ^ first)
    re.compile(rf"{_MANTISSA}\s*[×xX*·⋅]\s*10\s*\^\s*\(?{_EXPONENT}\)?"),
    # 1e6, 2.5E-3
    re.compile(rf"{_MANTISSA}[eE]{_EXPONENT}(?![\w.])"),
    # 10^6 on its own
    re.compile(rf"(?<![\w.^])(?P<m>)10\s*\^\s*\(?{_EXPONENT}\)?"),
)
# "1 × 106 cells/kg": a superscript lost in copying. Only read as a power of ten when a
# unit follows and the exponent is a single digit 2-9, so "3 x 100 mL" stays two numbers.
_LOST_SUPERSCRIPT = re.compile(rf"{_MANTISSA}\s*[×xX]\s*10 ?(?P<e>[2-9])(?!\d)")

_NUMBER = re.compile(
    r"(?P<comma>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?!\d|,\d)"
    r"|(?P<spaced>\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?)(?!\d)"
    r"|(?P<european>\d+,\d{1,2})(?!\d|,\d)"
    r"|(?P<plain>\d+(?:\.\d+)?|(?<![\w.])\.\d+)"
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)(?![^\W\d_])", re.IGNORECASE)
_PERCENT = re.compile(r"\s*(?:%|per\s?cent\b)", re.IGNORECASE)
_RANGE_SEP = re.compile(
    r"\s*(?:%|[^\W\d_]+\.?)?\s*(?:[-‐‑‒–—−]|to|until|till|through)\s*", re.IGNORECASE
)
_BETWEEN_AND = re.compile(r"\s*(?:%|[^\W\d_]+\.?)?\s*and\s*", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberToken:
    """A number found in the prepared passage, with the unit written after it."""

    value: Decimal
    start: int
    end: int
    unit: str | None
    unit_end: int


def parse_number(spec: FieldSpec, raw: str, *, integer: bool) -> ParseResult:
    """The single number of `raw` as an int or float, or a message saying why not."""
    text = prepare(raw)
    tokens = find_numbers(text, spec)
    if not tokens:
        return _refuse(raw, NO_NUMBER)
    distinct = list(dict.fromkeys(t.value for t in tokens))
    if len(distinct) > 1:
        pair = _range(text, tokens)
        if len(distinct) == 2 and pair is not None:
            low, high = pair
            shown = f"{format_number(low)}–{format_number(high)}"
            return _refuse(raw, f"The passage gives a range ({shown}); type the value.")
        shown = _list(distinct)
        return _refuse(raw, f"The passage holds several numbers ({shown}); type the value.")
    value = distinct[0]
    units = list(dict.fromkeys(t.unit for t in tokens if t.unit))
    if len(units) > 1:
        message = f"The passage gives {format_number(value)} in several units ({', '.join(units)})"
        return _refuse(raw, message + "; type the value.")
    if integer:
        if value != value.to_integral_value():
            message = f"The passage gives {format_number(value)}, not a whole number"
            return _refuse(raw, message + "; type the value.")
        return ParseResult(ok=True, value=int(value), raw=raw)
    number = float(value)
    if not math.isfinite(number):
        return _refuse(raw, "The number in the passage is too large to store; type the value.")
    return ParseResult(ok=True, value=number, unit=units[0] if units else None, raw=raw)


def prepare(raw: str) -> str:
    """`raw` with superscripts as ^powers ("10⁶" -> "10^6", "m²" -> "m2") and number
    words as digits."""
    text = _SUPERSCRIPT_RUN.sub(_superscript, raw)
    text = _NO_ONE.sub("nobody", text)
    text = _MULTIPLIER.sub(_multiply, text)
    try:
        text = alpha2digit(text, "en", threshold=0)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # native code: a panic there must not lose the reviewer's quote
        pass
    return _MULTIPLIER.sub(_multiply, text)


def find_numbers(text: str, spec: FieldSpec | None = None) -> list[NumberToken]:
    """Every number of `text` in reading order; ordinals ("2nd") are not quantities."""
    tokens: list[NumberToken] = []
    # Spans already read: powers of ten, and units, whose digits ("mg/m2") are no numbers.
    taken: list[tuple[int, int]] = []

    def add(token: NumberToken, span: tuple[int, int]) -> None:
        tokens.append(token)
        taken.extend((span, (token.end, token.unit_end)))

    for pattern in _SCIENTIFIC:
        for match in pattern.finditer(text):
            if not _overlaps(match.span(), taken):
                add(_scientific(text, match, spec), match.span())
    for match in _LOST_SUPERSCRIPT.finditer(text):
        if read_unit(text, match.end(), spec)[0] and not _overlaps(match.span(), taken):
            add(_scientific(text, match, spec), match.span())
    for match in _NUMBER.finditer(text):
        if _overlaps(match.span(), taken) or _ORDINAL.match(text, match.end()):
            continue
        add(_token(text, _plain_value(match), match.start(), match.end(), spec), match.span())
    return sorted(tokens, key=lambda t: t.start)


def format_number(value: Decimal | float) -> str:
    """A number as a reviewer would write it: no trailing ".0", no exponent if avoidable."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _refuse(raw: str, message: str) -> ParseResult:
    return ParseResult(ok=False, value=None, raw=raw, message=message)


def _superscript(match: re.Match[str]) -> str:
    digits = match.group().translate(_SUPERSCRIPTS)
    start = match.start()
    after_letter = start > 0 and match.string[start - 1].isalpha()
    return digits if after_letter else "^" + digits


def _multiply(match: re.Match[str]) -> str:
    product = Decimal(match.group(1)) * _FACTORS[match.group(2).lower()]
    return format_number(product)


def _scientific(text: str, match: re.Match[str], spec: FieldSpec | None) -> NumberToken:
    mantissa = Decimal(match.group("m") or "1")
    exponent = int(match.group("e").replace("−", "-"))
    return _token(text, mantissa.scaleb(exponent), match.start(), match.end(), spec)


def _plain_value(match: re.Match[str]) -> Decimal:
    written = match.group()
    if match.group("comma"):
        return Decimal(written.replace(",", ""))
    if match.group("spaced"):
        return Decimal(re.sub(r"[^\d.,]", "", written).replace(",", "."))
    if match.group("european"):
        return Decimal(written.replace(",", "."))
    return Decimal(written)


def _is_sign(text: str, start: int) -> bool:
    if start == 0 or text[start - 1] not in "-−":
        return False
    before = text[start - 2] if start >= 2 else " "
    return not (before.isalnum() or before in ")]%.,^")


def _token(text: str, value: Decimal, start: int, end: int, spec: FieldSpec | None) -> NumberToken:
    if _is_sign(text, start):
        value, start = -value, start - 1
    percent = _PERCENT.match(text, end)
    if percent:
        return NumberToken(value, start, end, "%", percent.end())
    unit, unit_end = read_unit(text, end, spec)
    return NumberToken(value, start, end, unit, unit_end)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in taken)


def _range(text: str, tokens: list[NumberToken]) -> tuple[Decimal, Decimal] | None:
    """Two neighbouring numbers joined as a range: "18-65", "18 to 65", "between 18 and 65"."""
    for first, second in pairwise(tokens):
        if second.value <= first.value:
            continue
        gap = text[first.end : second.start]
        if _RANGE_SEP.fullmatch(gap) or (
            _BETWEEN_AND.fullmatch(gap) and _BETWEEN_BEFORE.search(text[: first.start])
        ):
            return first.value, second.value
    return None


def _list(values: list[Decimal], limit: int = 6) -> str:
    shown = ", ".join(format_number(v) for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")
