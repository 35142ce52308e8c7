"""What an export writes: the options of `services.export.export_project`, in one model."""

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.domain import FieldStatus

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")


class RecordSet(StrEnum):
    FINAL = "final"  # each study's final (adjudicated) record
    REVIEWER = "reviewer"  # one reviewer's extractions
    ALL = "all"  # every extraction and final record, with a reviewer column


class EvidenceMode(StrEnum):
    NONE = "none"
    COLUMNS = "columns"  # quote, document, page and offsets beside each field
    FILE = "file"  # one long evidence.csv


Code = str | int | float


def code_value(text: str) -> Code:
    """A code as typed: numbers become numbers, so numeric columns stay numeric."""
    clean = text.strip()
    if _INTEGER.match(clean):
        return int(clean)
    if _NUMBER.match(clean):
        return float(clean)
    return clean


class StatusCodes(BaseModel):
    """What a cell holds when a field is not reported, not applicable or unclear.

    The defaults are words no reader (pandas, R, Stata) takes for a missing value.
    Numbers (such as -99) are written as numbers.
    """

    model_config = ConfigDict(frozen=True)

    not_reported: Code = "NR"
    not_applicable: Code = "NAP"
    unclear: Code = "UNCLEAR"

    @field_validator("not_reported", "not_applicable", "unclear", mode="before")
    @classmethod
    def _typed(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("a status code must not be empty")
            return code_value(value)
        return value

    @model_validator(mode="after")
    def _distinct(self) -> "StatusCodes":
        codes = [str(c) for c in (self.not_reported, self.not_applicable, self.unclear)]
        if len(set(codes)) != 3:
            raise ValueError("the codes for not reported, not applicable and unclear must differ")
        return self

    def for_status(self, status: str) -> Code | None:
        """The code of a field status; None for an answered field."""
        if status == FieldStatus.NOT_REPORTED:
            return self.not_reported
        if status == FieldStatus.NOT_APPLICABLE:
            return self.not_applicable
        if status == FieldStatus.UNCLEAR:
            return self.unclear
        return None

    def words(self) -> str:
        return (
            f"not reported = {self.not_reported} | not applicable = {self.not_applicable} | "
            f"unclear = {self.unclear}"
        )


STATUS_KEYS = {
    "nr": "not_reported",
    "not_reported": "not_reported",
    "na": "not_applicable",
    "nap": "not_applicable",
    "not_applicable": "not_applicable",
    "unclear": "unclear",
    "uc": "unclear",
}


def parse_codes(text: str) -> StatusCodes:
    """`NR=-99,NA=-98,UNCLEAR=-97` (any subset; also not_reported=, not_applicable=)."""
    given: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, code = part.partition("=")
        name = STATUS_KEYS.get(key.strip().lower())
        if not sep or name is None:
            raise ValueError(
                f"'{part}' is not a code setting; write NR=code, NA=code or UNCLEAR=code"
            )
        given[name] = code
    return StatusCodes.model_validate(given)


class ExportOptions(BaseModel):
    """Which records, which files, and how cells are written."""

    model_config = ConfigDict(frozen=True)

    records: RecordSet = RecordSet.FINAL
    reviewer: str | None = None  # with records = reviewer
    include_unfinished: bool = False  # also in-progress records (and unsubmitted work)
    evidence: EvidenceMode = EvidenceMode.NONE
    dictionary: bool = True  # dictionary.csv
    write_json: bool = False  # records.json: records with their evidence anchors
    jsonld: bool = False  # annotations.jsonld: evidence as W3C Web Annotations
    redcap: bool = False  # redcap_dictionary.csv and redcap_import.csv
    bom: bool = False  # a UTF-8 byte order mark, for Excel
    formula_protection: bool = True  # neutralise cells that start with = + - @ tab CR
    codes: StatusCodes = Field(default_factory=StatusCodes)
    multi_separator: str = Field(default="|", min_length=1)

    @model_validator(mode="after")
    def _reviewer_named(self) -> "ExportOptions":
        if self.records is RecordSet.REVIEWER and not (self.reviewer or "").strip():
            raise ValueError("name the reviewer whose extractions are exported")
        return self
