"""Versions of stored field values: a write based on a stale read is refused, not saved.

Every stored change of a field raises its `version` by one (see core.storage.db). A
caller that shows a field passes the version it shows as `expected_version` (0 when it
shows the field empty); when the stored version differs, someone else changed the field
in between and the write is refused with StaleWriteError instead of overwriting them.
These helpers run inside the caller's transaction, after the extraction is locked.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from core.domain import Template
from core.errors import StaleWriteError
from core.services.paths import FieldPath, field_spec
from core.storage.models import FieldValue
from core.storage.repositories import audit

NOT_SAVED = "after you opened it; your change was not saved."


def check_expected(
    session: Session,
    template: Template,
    extraction_id: int,
    path: FieldPath,
    row: FieldValue | None,
    expected: int | None,
) -> None:
    """Refuse the write when the stored version is not the one the caller saw."""
    stored = row.version if row is not None else 0
    if expected is None or expected == stored:
        return
    label = field_label(template, path)
    if row is not None:
        verb = "filled" if expected == 0 else "changed"
        raise StaleWriteError(
            f"{label} was {verb} by {row.updated_by.name} {_when(row.updated_at)} "
            f"{NOT_SAVED} The field now shows their value."
        )
    entry = audit.last_field_entry(session, extraction_id, str(path))
    who = f" by {entry.actor} {_when(entry.at)}" if entry is not None else ""
    raise StaleWriteError(f"{label} was cleared{who} {NOT_SAVED} The field is now empty.")


def first_version(session: Session, extraction_id: int, path: FieldPath) -> int:
    """The version of a value about to be created: 1, unless the field held one before.

    A field cleared and filled again continues counting after its earlier changes, so
    a version seen before the clear never matches the new value.
    """
    return 1 + audit.field_change_count(session, extraction_id, str(path))


def field_label(template: Template, path: FieldPath) -> str:
    """The field's name as the form shows it: `Arms 2: Dose` inside groups."""
    label = field_spec(template, path).label
    group = template.group(path.group) if path.group is not None else None
    return label if group is None else f"{group.label} {path.row}: {label}"


def _when(at: datetime) -> str:
    local = (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"at {local:%H:%M}"
    return f"on {local:%d %b %Y} at {local:%H:%M}"
