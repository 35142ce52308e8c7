"""Findings kept per extraction, so that checking a whole project rechecks only what
changed since it was last checked.

Every edit checks its extraction inside its own transaction (`checks.findings_changes`)
and stores the result here; `checks.check_all` stores what it had to check. A stored list
counts only while it is current: its revision is the extraction's (the database raises
that on every change to a value, a group row, a passage or a quoted document's text, see
migration 0005) and its stamp names the same checking code and template
(`core.checks.stamp`). Anything else is checked again, so a write path that forgets the
findings leaves them merely unstored, never stale.

Stored lists hold the findings before acknowledgements (applied when read, as they can
change without the values) and without the one finding that depends on other studies,
the same registry ID recorded twice (`DUPLICATE_CODE`), which the reader adds back.
"""

import json
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from core.checks.registry import DUPLICATE_CODE
from core.domain import Finding, Severity
from core.storage.repositories import checks as queries

_SEVERITIES = {severity.value: severity for severity in Severity}


def encode(findings: Iterable[Finding]) -> str:
    """The findings as stored: a JSON list of [severity, path, code, message]."""
    return json.dumps(
        [
            [f.severity.value, f.path, f.code, f.message]
            for f in findings
            if f.code != DUPLICATE_CODE
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(text: str) -> list[Finding]:
    """Stored findings as `Finding`s, none acknowledged (they were checked when stored).

    The same finding comes again and again across extractions (a field left empty, a
    value without a passage), and findings are immutable, so each distinct one is built
    once and shared."""
    known, build = _DECODED, _finding
    found = []
    for item in json.loads(text):
        key = tuple(item)
        finding = known.get(key)
        if finding is None:
            if len(known) >= _DECODED_SIZE:
                known.clear()
            finding = known[key] = build(*key)
        found.append(finding)
    return found


def _finding(severity: str, path: str, code: str, message: str) -> Finding:
    return Finding.model_construct(
        severity=_SEVERITIES[severity], path=path, code=code, message=message
    )


_DECODED: dict[tuple[str, ...], Finding] = {}
_DECODED_SIZE = 100_000


def current(session: Session, heads: Sequence[Sequence[int]], stamp: str) -> dict[int, str]:
    """Extraction id -> stored findings (JSON) of each head (id, ..., revision last) whose
    stored list is current."""
    stored = queries.stored_findings(session, stamp)
    found: dict[int, str] = {}
    for head in heads:
        entry = stored.get(head[0])
        if entry is not None and entry[0] == head[-1]:
            found[head[0]] = entry[1]
    return found


def store(session: Session, checked: Sequence[tuple[int, int, list[Finding]]], stamp: str) -> int:
    """Store (extraction id, revision checked at, findings) in the session's transaction,
    leaving out extractions that changed since they were checked; how many were stored."""
    if not checked:
        return 0
    now = queries.revisions(session, [entry[0] for entry in checked])
    rows = [
        (extraction_id, revision, stamp, encode(findings))
        for extraction_id, revision, findings in checked
        if now.get(extraction_id) == revision
    ]
    queries.replace_stored_findings(session, rows)
    return len(rows)
