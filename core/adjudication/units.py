"""Units of measure reduced to a base unit, so that 40 mg and 0.04 g compare equal."""

import re
import unicodedata
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

# Calendar units use the mean Gregorian year: a year is 365.25 days and a month a twelfth
# of it, so 12 months == 1 year exactly, while 52 weeks (364 days) is not a year. Fields
# whose reviewers mix weeks and months need a tolerance.
_DAYS_PER_YEAR = Fraction(36525, 100)

# Lower-case spelling -> (factor to the base unit, dimension). Base units: g, mL, mol,
# day, m, m2. Spellings follow `core.parsing.units` and the common ones reviewers type.
_TABLE: dict[str, tuple[Fraction, str]] = {}


def _add(dimension: str, factor: Fraction | int, *spellings: str) -> None:
    for spelling in spellings:
        _TABLE[spelling] = (Fraction(factor), dimension)


_add("mass", 1000, "kg", "kilogram", "kilograms")
_add("mass", 1, "g", "gram", "grams", "gm")
_add("mass", Fraction(1, 10**3), "mg", "milligram", "milligrams")
_add("mass", Fraction(1, 10**6), "µg", "μg", "ug", "mcg", "microgram", "micrograms")
_add("mass", Fraction(1, 10**9), "ng", "nanogram", "nanograms")
_add("mass", Fraction(1, 10**12), "pg")
_add("volume", 1000, "l", "liter", "liters", "litre", "litres")
_add("volume", 100, "dl")
_add("volume", 1, "ml", "cc", "millilitre", "millilitres", "milliliter", "milliliters")
_add("volume", Fraction(1, 1000), "µl", "μl", "ul", "microlitre", "microliter")
_add("substance", 1, "mol")
_add("substance", Fraction(1, 10**3), "mmol")
_add("substance", Fraction(1, 10**6), "µmol", "μmol", "umol")
_add("substance", Fraction(1, 10**9), "nmol")
_add("length", 1, "m", "metre", "meter", "metres", "meters")
_add("length", Fraction(1, 100), "cm")
_add("length", Fraction(1, 1000), "mm")
_add("length", Fraction(1, 10**6), "µm", "μm", "um")
_add("length", Fraction(1, 10**9), "nm")
_add("area", 1, "m2", "m²", "sqm")
_add("time", Fraction(1, 86400), "s", "sec", "secs", "second", "seconds")
_add("time", Fraction(1, 1440), "min", "mins", "minute", "minutes")
_add("time", Fraction(1, 24), "h", "hr", "hrs", "hour", "hours")
_add("time", 1, "d", "day", "days")
_add("time", 7, "wk", "wks", "week", "weeks")
_add("time", _DAYS_PER_YEAR / 12, "mo", "mos", "month", "months")
_add("time", _DAYS_PER_YEAR, "y", "yr", "yrs", "year", "years")
# "10^6/kg" counts cells without naming them: a bare count and cells are one dimension.
_add("count", 1, "cell", "cells")
_add("percent", 1, "%", "percent", "per cent")

_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "mio": 10**6, "billion": 10**9}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
# A power of ten written in front of the unit: "10^6 cells", "x 10^9/L", "×10⁶ cells/kg".
_POWER = re.compile(r"^(?:[x×*·]\s*)?10\s*\^\s*\(?([-−]?\d{1,3})\)?\s*")
_SCALE = re.compile(r"^(thousand|million|mio|billion)\b\s*")
_PER = re.compile(r"\s+per\s+|\s*/\s*")


class BaseQuantity(NamedTuple):
    """A magnitude in the base unit of `dimension` ("mass/mass", "cells/mass", ...)."""

    magnitude: Fraction
    dimension: str


class UnitScale(NamedTuple):
    """What one unit means: multiply by `factor` to reach the base unit of `dimension`."""

    factor: Fraction
    dimension: str


def to_base(value: Fraction, unit: str | None) -> BaseQuantity:
    """`value` in `unit` as a magnitude in the dimension's base unit.

    A unit not in the table is its own dimension (its normalised spelling) with factor 1,
    so "IU" equals "iu" but is never converted into anything else.
    """
    scale = unit_scale(unit)
    return BaseQuantity(value * scale.factor, scale.dimension)


@lru_cache(maxsize=1024)
def unit_scale(unit: str | None) -> UnitScale:
    """The factor and dimension of a unit as written; no unit is the dimensionless 1."""
    text = _clean(unit)
    if not text:
        return UnitScale(Fraction(1), "")
    factor = Fraction(1)
    while True:
        power = _POWER.match(text)
        scale = _SCALE.match(text)
        if power:
            factor *= Fraction(10) ** int(power.group(1).replace("−", "-"))
            text = text[power.end() :]
        elif scale:
            factor *= _SCALE_WORDS[scale.group(1)]
            text = text[scale.end() :]
        else:
            break
    dimensions: list[str] = []
    for position, part in enumerate(_PER.split(text)):
        part_factor, dimension = _TABLE.get(part, (Fraction(1), part))
        if position == 0:
            factor *= part_factor
            dimensions.append(dimension or "count")
        else:
            factor /= part_factor
            dimensions.append(dimension)
    return UnitScale(factor, "/".join(dimensions))


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two units are written the same, up to case, spaces and Unicode form."""
    return _clean(a) == _clean(b)


@lru_cache(maxsize=1024)
def _clean(unit: str | None) -> str:
    if not unit:
        return ""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), unit)
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())
