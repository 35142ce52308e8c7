"""The records an export writes, assembled in memory from plain rows of the project.

An answer is kept as the project stores it (status, decoded value, unit); group rows
are in display order. Evidence passages are held apart, by answer id, and only read
when the export asks for evidence.
"""

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from core.domain import FieldStatus, Template


class Head(NamedTuple):
    """An extraction or final record, before its answers are read."""

    extraction_id: int
    study_id: int
    study: str
    reviewer: str
    kind: str  # "reviewer" or "final"
    status: str
    revision: int  # raised by the database on every change to the extraction's record


class Answer(NamedTuple):
    id: int
    status: str  # a FieldStatus value
    value: Any
    unit: str | None


class Passage(NamedTuple):
    """One evidence anchor of an answer, as stored."""

    document_id: int
    sha256: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    page_index: int | None
    status: str


class DocumentRef(NamedTuple):
    id: int
    study_id: int
    filename: str
    media_type: str
    sha256: str


Row = dict[str, Answer]
STATUSES = {s.value: s.value for s in FieldStatus}


@dataclass
class ExportRecord:
    """A record's answers. `values` and `unanswered` repeat what `fields` holds, split
    the way the wide table wants it: the stored value of every answered plain field,
    and (field id, status) of the plain fields not reported, not applicable or unclear.
    """

    head: Head
    fields: Row = field(default_factory=dict)
    groups: dict[str, list[Row]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    unanswered: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Records:
    template: Template
    records: list[ExportRecord]
    documents: dict[int, DocumentRef] = field(default_factory=dict)
    passages: dict[int, list[Passage]] = field(default_factory=dict)
    unknown_fields: set[str] = field(default_factory=set)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million small objects are made.

    Nothing made here forms cycles, and every collection would scan all that was made
    so far: with the collector on, assembling records takes three to five times longer.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assemble(
    template: Template,
    heads: list[Head],
    group_rows: Iterable[tuple[int, int, str]],
    values: Iterable[Sequence[tuple[Any, ...]]],
) -> Records:
    """Records in the order of `heads`, with their answers and group rows.

    `group_rows` are (row id, extraction id, group id) in display order; `values` are
    chunks of (answer id, extraction id, field id, row id, status, value, unit), the
    value as JSON text, as a number already decoded, or None.
    Answers of fields the template no longer has are left out and named in
    `unknown_fields`.
    """
    # Keys and statuses are swapped for the template's own strings: a dict lookup or a
    # comparison with the very same string object is the quickest there is.
    plain = {spec.id: spec.id for _, spec in template.plain_fields()}
    group_fields = {g.id: {f.id: f.id for f in g.fields} for _, g in template.groups()}
    records = {h.extraction_id: ExportRecord(h) for h in heads}
    rows: dict[int, tuple[Row, dict[str, str]]] = {}
    unknown: set[str] = set()
    for group_row_id, extraction_id, group_id in group_rows:
        record = records.get(extraction_id)
        known = group_fields.get(group_id)
        if record is None or known is None:
            continue
        row: Row = {}
        record.groups.setdefault(group_id, []).append(row)
        rows[group_row_id] = (row, known)
    new = tuple.__new__  # a NamedTuple's own constructor is a Python call: too slow here
    statuses = STATUSES
    for chunk in values:
        for (answer_id, extraction_id, field_id, row_id, status, _, unit), value in zip(
            chunk, _decoded([item[5] for item in chunk]), strict=True
        ):
            record = records.get(extraction_id)
            if record is None:
                continue
            status = statuses.get(status, status)
            answer = new(Answer, (answer_id, status, value, unit))
            if row_id is None:
                key = plain.get(field_id)
                if key is not None:
                    record.fields[key] = answer
                    if status == "value":
                        record.values[key] = value
                    else:
                        record.unanswered.append((key, status))
                else:
                    unknown.add(field_id)
            else:
                found = rows.get(row_id)
                key = found[1].get(field_id) if found is not None else None
                if found is not None and key is not None:
                    found[0][key] = answer
                else:
                    unknown.add(field_id)
    return Records(template, list(records.values()), unknown_fields=unknown)


def _decoded(stored: list[Any]) -> list[Any]:
    """Values from JSON text, all texts of a chunk in one decode (a JSON array of them:
    ten times faster than decoding each); numbers and None pass as they are."""
    texts = [item for item in stored if item.__class__ is str]
    if not texts:
        return stored
    decoded = iter(json.loads("[" + ",".join(texts) + "]"))
    return [next(decoded) if item.__class__ is str else item for item in stored]


def attach_passages(
    records: Records,
    anchors: Iterable[tuple[int, int, str, int, int, str, str, str, int | None, str]],
) -> None:
    """Add evidence rows: (answer id, document id, sha256, start, end, exact, prefix,
    suffix, page index, status), in display order."""
    passages = records.passages
    for answer_id, document_id, sha256, start, end, exact, prefix, suffix, page, status in anchors:
        passage = Passage(document_id, sha256, start, end, exact, prefix, suffix, page, status)
        passages.setdefault(answer_id, []).append(passage)
