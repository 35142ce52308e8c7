"""Checking extractions: one at a time (also inside an edit's transaction), all in batch,
and acknowledging findings with a reason.

`check_extraction` and `check_all` only read. `acknowledge` and `unacknowledge` are one
audited transaction each. Every call opens its own session, so all are safe from any
thread; `check_all` is meant to run off the GUI thread with a progress callback and a
cancel predicate.
"""

import gc
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.checks import Checker, ExtractionRecord, apply_acknowledgements, checker_for
from core.checks.record import StoredAnchor, StoredValue
from core.checks.registry import REGISTRY_FIELD, duplicate_finding, normalise_registry_id
from core.domain import AnchorStatus, Changes, FieldStatus, Finding, Template
from core.errors import NotFoundError, TrialAbstractorError, ValidationError
from core.services import stored_findings
from core.services.access import hidden_extractions
from core.services.extractions import editable_extraction, visible_extraction
from core.services.project import Project
from core.storage.models import Acknowledgement
from core.storage.repositories import audit, extractions
from core.storage.repositories import checks as queries

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

BATCH = 250  # extractions loaded per round of queries in `check_all`
SHOWN_ERRORS = 5


def check_extraction(project: Project, extraction_id: int) -> list[Finding]:
    """The current findings of one extraction, acknowledgements applied, in form order."""
    with project.uow.read() as session:
        visible_extraction(session, project, extraction_id)
        return findings_in_session(session, project.template, extraction_id)


def check_all(
    project: Project, progress: Progress | None = None, cancel: Cancel | None = None
) -> dict[int, list[Finding]]:
    """The findings of every extraction of the project, by extraction id.

    Extractions are checked in batches, by study name and reviewer; `progress(done,
    total)` is called before the first and after each batch, and `cancel()` is asked
    before each batch: once it answers True, the findings checked so far are returned.
    Python's cyclic garbage collector is paused meanwhile (`_collector_paused`).
    """
    template = project.template
    checker = checker_for(template)
    results: dict[int, list[Finding]] = {}
    checked: list[tuple[int, int, list[Finding]]] = []  # to store: id, revision, findings
    with _collector_paused(), project.uow.read() as session:
        hidden = hidden_extractions(session, project.viewer)
        heads = [head for head in extractions.extraction_heads(session) if head[0] not in hidden]
        stored = stored_findings.current(session, heads, checker.stamp)
        duplicates = _Duplicates(checker, _registry_values(session, template))
        total = len(heads)
        if progress is not None:
            progress(0, total)
        for start in range(0, total, BATCH):
            if cancel is not None and cancel():
                break
            batch = heads[start : start + BATCH]
            ids = [head[0] for head in batch]
            unchecked = [head for head in batch if head[0] not in stored]
            records = _records(session, template, unchecked) if unchecked else {}
            reasons = _reasons(session, ids)
            for head in batch:
                extraction_id = head[0]
                text = stored.get(extraction_id)
                if text is None:
                    found = checker.check(records[extraction_id])
                    checked.append((extraction_id, head[-1], list(found)))
                else:
                    found = stored_findings.decode(text)
                found = duplicates.added(extraction_id, head[1], found)
                acknowledged = reasons.get(extraction_id)
                results[extraction_id] = (
                    apply_acknowledgements(found, acknowledged) if acknowledged else found
                )
            if progress is not None:
                progress(start + len(batch), total)
    _store(project, checked, checker.stamp)
    return results


def _store(project: Project, checked: list[tuple[int, int, list[Finding]]], stamp: str) -> None:
    """Keep what `check_all` checked for the next run; a busy or read-only database only
    means the next run checks them again."""
    if not checked:
        return
    try:
        with project.uow() as session:
            stored_findings.store(session, checked, stamp)
    except (TrialAbstractorError, SQLAlchemyError):
        return


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large project is checked.

    Checking makes a great many short-lived, acyclic objects (reference counting frees
    them) next to a growing list of results; every collector run scans those results
    again, which doubled the time of checking 10,000 extractions. Cycles made meanwhile
    by other threads are collected once the pause ends.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def findings_in_session(
    session: Session, template: Template, extraction_id: int, *, store: bool = False
) -> list[Finding]:
    """The current findings of one extraction, read through `session`.

    For services that change an extraction and return its findings in the same
    transaction (they see their own, not yet committed, writes). With `store`, the
    findings are also stored for `check_all` (`stored_findings`): the session must be
    writing.
    """
    heads = extractions.extraction_heads(session, [extraction_id])
    if not heads:
        raise NotFoundError(f"There is no extraction with id {extraction_id} in this project.")
    checker = checker_for(template)
    record = _records(session, template, heads)[extraction_id]
    found = checker.check(record)
    if store:
        stored_findings.store(session, [(extraction_id, heads[0][-1], found)], checker.stamp)
    own = next((v.value for v in record.values if v.path == REGISTRY_FIELD), None)
    if isinstance(own, str) and own.strip():
        # Only studies recording an ID with the same digits can share it: read just those.
        digits = max(re.findall(r"\d+", own), key=len, default="")
        values = _registry_values(session, template, containing=digits or None)
        found = _Duplicates(checker, values).added(extraction_id, heads[0][1], found)
    return apply_acknowledgements(found, _reasons(session, [extraction_id])[extraction_id])


def findings_changes(session: Session, template: Template, extraction_id: int) -> Changes:
    """`Changes` carrying the extraction's current findings (see `Changes`)."""
    findings = findings_in_session(session, template, extraction_id, store=True)
    return Changes(findings=tuple(findings), findings_extraction=extraction_id)


def blocking_message(findings: Sequence[Finding], doing: str = "submitting") -> str | None:
    """Why an extraction cannot be submitted (or a final record finished), or None."""
    blocking = [f for f in findings if f.blocking]
    if not blocking:
        return None
    count = f"{len(blocking)} error{'s' if len(blocking) > 1 else ''}"
    listed = " ".join(f.message for f in blocking[:SHOWN_ERRORS])
    more = f" (and {len(blocking) - SHOWN_ERRORS} more)" if len(blocking) > SHOWN_ERRORS else ""
    return f"{count} must be fixed or acknowledged before {doing}: {listed}{more}"


def acknowledge(project: Project, extraction_id: int, key: str, reason: str) -> Changes:
    """Accept a current finding with a reason (a new reason replaces an earlier one).

    An acknowledged error no longer blocks submitting. Refused without a reason, on a
    submitted extraction, or when no finding has that key.
    """
    clean = reason.strip()
    if not clean:
        raise ValidationError("Say why the finding is acceptable; the reason is logged.")
    template = project.template
    with project.uow() as session:
        extraction = editable_extraction(
            session, extraction_id, viewer=project.viewer, final_record=True
        )
        found = findings_in_session(session, template, extraction_id)
        finding = next((f for f in found if f.key == key), None)
        if finding is None:
            raise NotFoundError(
                f"This extraction has no finding '{key}' (any more); nothing to acknowledge."
            )
        row = queries.acknowledgement(session, extraction_id, key)
        old = {"reason": row.reason, "actor": row.actor} if row is not None else None
        if row is None:
            row = Acknowledgement(extraction_id=extraction_id, finding_key=key, reason="", actor="")
            session.add(row)
        row.reason, row.actor = clean, extraction.reviewer.name
        session.flush()
        audit.record(
            session,
            actor=extraction.reviewer.name,
            action="acknowledge",
            entity="finding",
            entity_id=row.id,
            study_id=extraction.study_id,
            extraction_id=extraction_id,
            field_key=finding.path or None,
            old=old,
            new={
                "key": key,
                "severity": finding.severity.value,
                "message": finding.message,
                "reason": clean,
            },
            reason=clean,
        )
        changes = findings_changes(session, template, extraction_id)
        study_id = extraction.study_id
    return changes | _touched(study_id, extraction_id, finding.path)


def unacknowledge(project: Project, extraction_id: int, key: str) -> Changes:
    """Withdraw an acknowledgement: the finding counts again (an error blocks again)."""
    template = project.template
    with project.uow() as session:
        extraction = editable_extraction(
            session, extraction_id, viewer=project.viewer, final_record=True
        )
        row = queries.acknowledgement(session, extraction_id, key)
        if row is None:
            raise NotFoundError(f"The finding '{key}' is not acknowledged in this extraction.")
        old = {"key": key, "reason": row.reason, "actor": row.actor}
        row_id = row.id
        session.delete(row)
        session.flush()
        path = key.partition("@")[2]
        audit.record(
            session,
            actor=extraction.reviewer.name,
            action="unacknowledge",
            entity="finding",
            entity_id=row_id,
            study_id=extraction.study_id,
            extraction_id=extraction_id,
            field_key=path or None,
            old=old,
        )
        changes = findings_changes(session, template, extraction_id)
        study_id = extraction.study_id
    return changes | _touched(study_id, extraction_id, path)


def _touched(study_id: int, extraction_id: int, path: str) -> Changes:
    return Changes(
        studies=frozenset({study_id}),
        extractions=frozenset({extraction_id}),
        fields=frozenset({path}) if path else frozenset(),
    )


def _reasons(session: Session, extraction_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    reasons: dict[int, dict[str, str]] = defaultdict(dict)
    for extraction_id, key, reason in queries.acknowledgements(session, extraction_ids):
        reasons[extraction_id][key] = reason
    return reasons


def _registry_values(
    session: Session, template: Template, containing: str | None = None
) -> list[tuple[int, int, str, str]]:
    """(extraction id, study id, study name, ID) of every registry ID recorded in the
    project (or of those containing some digits)."""
    if template.field(REGISTRY_FIELD) is None:
        return []
    found = []
    for extraction_id, study_id, name, text in queries.plain_values_by_study(
        session, REGISTRY_FIELD, containing=containing
    ):
        value = _json(text)
        if isinstance(value, str) and value.strip():
            found.append((extraction_id, study_id, name, value))
    return found


class _Duplicates:
    """Adds the finding that depends on other studies, the same registry ID recorded for
    another study, to an extraction's findings."""

    def __init__(self, checker: Checker, values: Sequence[tuple[int, int, str, str]]) -> None:
        self._checker = checker
        self._label = checker.forms.label(None, REGISTRY_FIELD)
        self._own = {extraction_id: value for extraction_id, _, _, value in values}
        self._studies: dict[str, dict[int, str]] = defaultdict(dict)
        for _, study_id, name, value in values:
            self._studies[normalise_registry_id(value)][study_id] = name

    def added(self, extraction_id: int, study_id: int, found: list[Finding]) -> list[Finding]:
        own = self._own.get(extraction_id)
        if own is None:
            return found
        studies = self._studies.get(normalise_registry_id(own), {})
        others = [name for other, name in studies.items() if other != study_id]
        duplicate = duplicate_finding(self._label, REGISTRY_FIELD, own, others)
        if duplicate is None:
            return found
        return self._checker.ordered([*found, duplicate])


def _records(
    session: Session, template: Template, heads: Sequence[Any]
) -> dict[int, ExtractionRecord]:
    """The check input of each extraction in `heads`, read with a few queries in all.

    The records know no other study's registry IDs: that one finding is added by
    `_Duplicates`, so that what is checked here can be stored."""
    ids = [head[0] for head in heads]
    positions, counts = _row_positions(session, ids)
    evidence = _evidence(session, ids)
    texts = queries.evidence_texts(session, ids)
    values = _values(session, ids, positions, evidence)
    no_values: list[StoredValue] = []
    no_rows: dict[str, int] = {}
    return {
        head[0]: ExtractionRecord(
            template=template,
            values=values.get(head[0], no_values),
            row_counts=counts.get(head[0], no_rows),
            texts=texts,
        )
        for head in heads
    }


def _row_positions(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, tuple[str, int, str]], dict[int, dict[str, int]]]:
    """Row id -> (group, 1-based position, path prefix "group[position]."), and each
    extraction's row count per group."""
    positions: dict[int, tuple[str, int, str]] = {}
    counts: dict[int, dict[str, int]] = {}
    for extraction_id, group_id, row_id in queries.group_rows(session, ids):
        known = counts.get(extraction_id)
        if known is None:
            known = counts[extraction_id] = {}
        position = known[group_id] = known.get(group_id, 0) + 1
        positions[row_id] = (group_id, position, f"{group_id}[{position}].")
    return positions, counts


def _evidence(session: Session, ids: Sequence[int]) -> dict[int, tuple[StoredAnchor, ...]]:
    """Value id -> its anchors, in display order."""
    evidence: dict[int, tuple[StoredAnchor, ...]] = {}
    statuses: dict[str | None, AnchorStatus] = {status.value: status for status in AnchorStatus}
    statuses[None] = AnchorStatus.EXACT  # as the query spells it
    new = tuple.__new__  # builds the named tuple without the cost of keyword handling
    for value_id, doc_id, start, end, exact, status in queries.anchors(session, ids):
        anchor = new(StoredAnchor, (doc_id, start, end, exact, statuses[status]))
        known = evidence.get(value_id)
        evidence[value_id] = (anchor,) if known is None else (*known, anchor)
    return evidence


def _values(
    session: Session,
    ids: Sequence[int],
    positions: dict[int, tuple[str, int, str]],
    evidence: dict[int, tuple[StoredAnchor, ...]],
) -> dict[int, list[StoredValue]]:
    """Extraction id -> its values, as light tuples: checking a large project reads
    hundreds of thousands of them, and building read models would dominate the time.

    Most stored values repeat (choice codes, small numbers, the same words), so each
    distinct JSON text is decoded once per batch.
    """
    values: dict[int, list[StoredValue]] = {}
    statuses: dict[str | None, FieldStatus] = {status.value: status for status in FieldStatus}
    statuses[None] = FieldStatus.VALUE  # as the query spells it
    decoded: dict[str | None, Any] = {}
    missing = object()
    new = tuple.__new__
    no_anchors: tuple[StoredAnchor, ...] = ()
    evidence_of = evidence.get
    no_values: list[StoredValue] = []
    current, bucket = None, no_values
    for value_id, extraction_id, field_id, row_id, status, raw_text, text, unit in queries.values(
        session, ids
    ):
        value = decoded.get(text, missing)
        if value is missing:
            value = _json(text)
            if type(value) not in (list, dict):  # shared only when nobody can change it
                decoded[text] = value
        if extraction_id != current:  # rows come by extraction, though nothing promises it
            current, bucket = extraction_id, values.get(extraction_id, no_values)
            if bucket is no_values:
                bucket = values[extraction_id] = []
        anchors = evidence_of(value_id, no_anchors)
        stored: tuple[Any, ...]
        if row_id is None:
            status_of = statuses[status]
            stored = (field_id, field_id, None, None, status_of, raw_text, value, unit, anchors)
        else:
            place = positions.get(row_id)
            if place is None:
                continue  # a value of a row that is being deleted
            group_id, position, prefix = place
            stored = (
                prefix + field_id,
                field_id,
                group_id,
                position,
                statuses[status],
                raw_text,
                value,
                unit,
                anchors,
            )
        bucket.append(new(StoredValue, stored))
    return values


_JSON_WORDS: dict[str, Any] = {"null": None, "true": True, "false": False}


def _json(text: str | None) -> Any:
    """A stored JSON value; plain numbers, words and strings without escapes read directly."""
    if text is None:
        return None
    first = text[:1]
    if first == '"' and "\\" not in text and text.endswith('"'):
        return text[1:-1]
    if first.isdigit() and text.isdigit():
        return int(text)
    if text in _JSON_WORDS:
        return _JSON_WORDS[text]
    return json.loads(text)
