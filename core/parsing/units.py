"""Units of measure named right after a number in a passage ("40 mg", "1 × 10⁶ cells/kg")."""

import re

from core.domain.template import FieldSpec

# Lower-case spelling -> the spelling we store. Compound units ("mg/kg", "cells/kg")
# are accepted when every part separated by "/" is known.
_KNOWN: dict[str, str] = {
    # mass
    "kg": "kg",
    "g": "g",
    "mg": "mg",
    "µg": "µg",
    "μg": "µg",
    "ug": "µg",
    "mcg": "mcg",
    "ng": "ng",
    "pg": "pg",
    # volume
    "l": "L",
    "dl": "dL",
    "ml": "mL",
    "µl": "µL",
    "μl": "µL",
    "ul": "µL",
    "cc": "cc",
    # amount of substance and activity
    "mol": "mol",
    "mmol": "mmol",
    "µmol": "µmol",
    "μmol": "µmol",
    "nmol": "nmol",
    "meq": "mEq",
    "iu": "IU",
    "u": "U",
    "units": "units",
    "unit": "unit",
    # things counted in doses of biologics
    "cells": "cells",
    "cell": "cell",
    "vg": "vg",
    "pfu": "PFU",
    "particles": "particles",
    # length and area
    "m": "m",
    "cm": "cm",
    "mm": "mm",
    "µm": "µm",
    "μm": "µm",
    "nm": "nm",
    "m2": "m2",
    "m²": "m2",
    # time
    "s": "s",
    "sec": "s",
    "min": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "hours",
    "hours": "hours",
    "d": "d",
    "day": "days",
    "days": "days",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "yrs": "years",
    "year": "years",
    "years": "years",
}

_CANDIDATE = re.compile(
    r"[ \t\u00a0\u2009\u202f]*-?([A-Za-zµμ][A-Za-z0-9µμ²]*(?:/[A-Za-zµμ][A-Za-z0-9µμ²]*)*)"
)


def read_unit(text: str, pos: int, spec: FieldSpec | None = None) -> tuple[str | None, int]:
    """The unit written at `pos` (after optional spaces or a hyphen: "5 mL", "2-month"),
    and where it ends.

    A unit the field lists (`spec.unit`, `spec.units`) is returned in the field's
    spelling; otherwise only units in the known table count, so that "15 patients"
    names no unit.
    """
    match = _CANDIDATE.match(text, pos)
    unit = _lookup(match.group(1), spec) if match else None
    return (unit, match.end()) if match and unit else (None, pos)


def _lookup(word: str, spec: FieldSpec | None) -> str | None:
    lowered = word.casefold()
    if spec is not None:
        for listed in (spec.unit, *spec.units):
            if listed and listed.casefold() == lowered:
                return listed
    parts = lowered.split("/")
    if all(part in _KNOWN for part in parts):
        return "/".join(_KNOWN[part] for part in parts)
    return None
