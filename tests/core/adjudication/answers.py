"""Building reviewers' answers in memory, as `extractions.list_values` returns them."""

import re
from datetime import UTC, datetime
from typing import Any

from core.domain import Anchor, FieldStatus, FieldValueInfo

NOW = datetime(2024, 11, 12, tzinfo=UTC)
_PATH = re.compile(r"^(?:(?P<group>[a-z_]+)\[(?P<row>\d+)\]\.)?(?P<field>[a-z_0-9]+)$")


def passage(start: int, end: int, document_id: int = 1) -> Anchor:
    """A passage of document `document_id` from `start` to `end` (code points)."""
    return Anchor(
        document_id=document_id,
        source_sha256="0" * 64,
        start=start,
        end=end,
        exact="x" * (end - start),
    )


def answer(
    path: str,
    value: Any = None,
    unit: str | None = None,
    *,
    status: FieldStatus = FieldStatus.VALUE,
    anchors: tuple[Anchor, ...] = (),
    by: str = "Ana",
) -> FieldValueInfo:
    """One stored answer at `path` ("enrolled", "arms[2].dose")."""
    match = _PATH.match(path)
    assert match is not None, path
    row = match["row"]
    return FieldValueInfo(
        path=path,
        field_id=match["field"],
        group_id=match["group"],
        row=int(row) if row else None,
        status=status,
        raw_text="" if value is None else str(value),
        value=value,
        unit=unit,
        note="",
        anchors=anchors,
        updated_by=by,
        updated_at=NOW,
    )


def arm(row: int, label: str, dose: float, unit: str, n: int, **more: Any) -> list[FieldValueInfo]:
    """The answers of one row of the arms group."""
    values = [
        answer(f"arms[{row}].label", label),
        answer(f"arms[{row}].dose", dose, unit),
        answer(f"arms[{row}].n_randomized", n),
    ]
    values += [answer(f"arms[{row}].{field}", value) for field, value in more.items()]
    return values
