"""Built-in checks and template rules (CEL) over one extraction: pure, no database, no Qt.

`check_record(record)` runs them all and returns the findings in form order. The work
that depends only on the template (indexes, compiled rules) is done once per template
and kept (`checker_for`).
"""

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from core.anchoring import verify_anchor
from core.checks.consistency import (
    arms_add_up,
    completed_within_enrolled,
    dates_in_order,
    events_within_denominator,
    percentages_agree,
)
from core.checks.evidence import (
    anchor_problems,
    clear_passage_caches,
    number_problem,
    number_written,
    written_in,
)
from core.checks.fields import required, value_problems
from core.checks.record import Cells, ExtractionRecord, Forms, ValueLike, View
from core.checks.registry import normalise_registry_id, registry_findings, registry_id_problem
from core.checks.template_rules import RuleSet
from core.domain import (
    AnchorStatus,
    FieldSpec,
    FieldStatus,
    FieldType,
    Finding,
    Severity,
    Template,
)

RECORD_CHECKS: tuple[Callable[[View], Iterable[Finding]], ...] = (
    required,
    completed_within_enrolled,
    arms_add_up,
    events_within_denominator,
    percentages_agree,
    dates_in_order,
    registry_findings,
)
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_MAX_ROWS = 100_000
MEMO_SIZE = 50_000  # remembered findings of values without evidence
_PATH = re.compile(r"^(?:(?P<group>\w+)\[(?P<row>\d+)\]\.)?(?P<field>\w+)$")


class Checker:
    """Every check for one template, compiled once. Safe to share between threads."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.forms = Forms(template)
        self.rules = RuleSet(self.forms)
        self._places: dict[str, int] = {}
        self._memo: dict[Any, tuple[Finding, ...]] = {}
        self._numeric = {
            key
            for key, spec in self.forms.specs.items()
            if spec.type in (FieldType.INTEGER, FieldType.DECIMAL)
        }

    def check(self, record: ExtractionRecord) -> list[Finding]:
        """All findings of the record in form order, errors first within a field.

        Keys are unique by construction: each check reports a code once per field (the
        anchor checks name every passage concerned in one finding), each rule once.
        """
        plain: dict[str, ValueLike] = {}
        cells: Cells = {}
        found = self._value_findings(record, plain, cells)
        view = View(record, self.forms, (plain, cells))
        for check in RECORD_CHECKS:
            found.extend(check(view))
        found.extend(self.rules.findings(view))
        if len(found) > 1:
            ranks, place = self._places, self._place
            for finding in found:
                if finding.path not in ranks:
                    ranks[finding.path] = place(finding.path)
            severity = _SEVERITY_ORDER
            found.sort(key=lambda f: ranks[f.path] + severity[f.severity])
        return found

    def _value_findings(
        self, record: ExtractionRecord, plain: dict[str, ValueLike], cells: Cells
    ) -> list[Finding]:
        """Per-value checks, indexing the values for the `View` on the way. The loop runs
        for every value of every extraction, so the common case (placed passages that
        quote the number) is tested inline and the check functions run only for values
        that may have a problem."""
        specs, forms, texts = self.forms.specs, self.forms, record.texts
        numeric, value_status, exact = self._numeric, FieldStatus.VALUE, AnchorStatus.EXACT
        found: list[Finding] = []
        for value in record.values:
            group_id, field_id = value.group_id, value.field_id
            if group_id is None:
                plain[field_id] = value
            else:  # as `add_to_index` does, without a call per value
                cell = cells.get((group_id, value.row or 1))
                if cell is None:
                    cell = cells[(group_id, value.row or 1)] = {}
                cell[field_id] = value
            key = (group_id, field_id)
            spec = specs.get(key)
            if spec is None:  # a field the current form no longer has
                continue
            anchors = value.anchors
            for anchor in anchors:
                text = texts.get(anchor.document_id)
                # verify_anchor reads only start, end and exact, which every AnchorLike has.
                if anchor.status is not exact or (
                    text is not None and not verify_anchor(anchor, text)  # type: ignore[arg-type]
                ):
                    anchor_problems(forms, spec, value, texts, found)
                    break
            if value.status is not value_status:
                continue
            if not anchors:
                found.extend(self._unsupported(spec, value))
                continue
            value_problems(forms, spec, value, found)
            if key in numeric:
                written = number_written(value.value)
                for anchor in anchors:
                    if written is not None and written_in(anchor.exact, written):
                        break
                else:
                    problem = number_problem(forms, spec, value)
                    if problem is not None:
                        found.append(problem)
        return found

    def _unsupported(self, spec: FieldSpec, value: ValueLike) -> tuple[Finding, ...]:
        """The findings of a value without evidence. They depend only on the field, the
        value and its unit, and typed values repeat across extractions (the same choice,
        the same row's label), so they are remembered."""
        raw = value.value
        key: tuple[Any, ...] | None = None
        known: tuple[Finding, ...] | None = None
        if raw is not None:  # without a value, the finding depends on the passage typed
            try:
                key = (value.path, tuple(raw) if type(raw) is list else raw, value.unit)
                known = self._memo.get(key)
            except TypeError:  # an unhashable value from a bundle: nothing to remember
                key = None
        if known is None:
            found: list[Finding] = []
            value_problems(self.forms, spec, value, found)
            known = tuple(found)
            if key is not None:
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.clear()
                self._memo[key] = known
        return known

    def _place(self, path: str) -> int:
        """A rank in form order: the field's place, then the row (steps of 4 leave room
        for the severity)."""
        match = _PATH.match(path)
        if match is None:
            return -4
        group, row, field = match["group"], match["row"], match["field"]
        order = self.forms.order.get((group, field), len(self.forms.order))
        return (order * _MAX_ROWS + (int(row) if row else 0)) * 4


_CACHE: dict[int, Checker] = {}
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def checker_for(template: Template) -> Checker:
    """The checker of a template, built on first use and kept for the next calls."""
    checker = _CACHE.get(id(template))
    if checker is not None and checker.template is template:
        return checker
    checker = Checker(template)
    with _LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(template)] = checker
    return checker


def clear_caches() -> None:
    """Forget the checkers and the passages read so far (as a fresh process would)."""
    with _LOCK:
        _CACHE.clear()
    clear_passage_caches()


def check_record(record: ExtractionRecord) -> list[Finding]:
    """Every finding of one extraction (none acknowledged yet)."""
    return checker_for(record.template).check(record)


def apply_acknowledgements(
    findings: Iterable[Finding], reasons: Mapping[str, str]
) -> list[Finding]:
    """The findings with those whose key has an acknowledgement marked, with its reason."""
    if not reasons:
        return list(findings)
    return [
        f.model_copy(update={"acknowledged": True, "ack_reason": reasons[f.key]})
        if f.key in reasons
        else f
        for f in findings
    ]


__all__ = [
    "Checker",
    "ExtractionRecord",
    "apply_acknowledgements",
    "check_record",
    "checker_for",
    "clear_caches",
    "normalise_registry_id",
    "registry_id_problem",
]
