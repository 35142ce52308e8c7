"""The outcome of parsing a value out of a quoted passage."""

from typing import Any

from pydantic import BaseModel, ConfigDict


class ParseResult(BaseModel):
    """`ok` False means: keep the quote as evidence, leave the value to the reviewer.

    `value` is JSON-compatible: int, float, str (choice code, ISO partial date,
    text), list[str] (multiple choice) or bool. `unit` is set for decimals whose
    passage named a unit. `message` says in words why no value was taken.
    """

    model_config = ConfigDict(frozen=True)

    ok: bool
    value: Any = None
    unit: str | None = None
    raw: str = ""
    message: str | None = None
