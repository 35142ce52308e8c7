"""Built-in checks and template rules (CEL) over one extraction: pure, no database, no Qt.

`check_record(record)` runs them all and returns the findings in form order. The work
that depends only on the template (indexes, compiled rules) is done once per template
and kept (`checker_for`).
"""

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from math import isfinite
from typing import Any, NamedTuple

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
    written_in,
)
from core.checks.fields import required, value_problems
from core.checks.record import (
    Cells,
    ExtractionRecord,
    Forms,
    View,
    valid_partial_date,
)
from core.checks.registry import normalise_registry_id, registry_findings, registry_id_problem
from core.checks.stamp import checked_with
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
from core.domain.answers import ValueLike
from core.parsing.numbers import format_number

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


class _Plan(NamedTuple):
    """How the values of one field are checked, worked out once per template."""

    spec: FieldSpec
    quick: int  # which quick test tells a value needs no further look (`_value_findings`)
    cls: type | None  # _SAME_CLASS: the one class a valid value has
    low: float | None
    high: float | None
    unit: str | None
    decimal: bool
    numeric: bool  # integers and decimals: is the number in its evidence?
    codes: frozenset[str]


_SAME_CLASS, _NUMBER, _CHOICE, _DATE, _FULL = range(5)
_QUICK = {
    FieldType.TEXT: _SAME_CLASS,
    FieldType.LONG_TEXT: _SAME_CLASS,
    FieldType.BOOLEAN: _SAME_CLASS,
    FieldType.INTEGER: _NUMBER,
    FieldType.DECIMAL: _NUMBER,
    FieldType.SINGLE_CHOICE: _CHOICE,
    FieldType.PARTIAL_DATE: _DATE,
}  # other types (multiple choices) always take the full check
_CLASSES = {FieldType.TEXT: str, FieldType.LONG_TEXT: str, FieldType.BOOLEAN: bool}


def _plan(forms: Forms, key: tuple[str | None, str], spec: FieldSpec) -> _Plan:
    kind = spec.type
    quick = _QUICK.get(kind, _FULL)
    return _Plan(
        spec,
        quick,
        _CLASSES.get(kind),
        spec.min,
        spec.max,
        spec.unit,
        kind is FieldType.DECIMAL,
        quick == _NUMBER,
        forms.codes[key],
    )


class Checker:
    """Every check for one template, compiled once. Safe to share between threads."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.forms = Forms(template)
        self.rules = RuleSet(self.forms)
        self._places: dict[str, int] = {}
        self._memo: dict[Any, tuple[Finding, ...]] = {}
        self._digits: dict[float, str] = {}  # numbers as reports write them
        self._plans = {key: _plan(self.forms, key, spec) for key, spec in self.forms.specs.items()}

    @cached_property
    def stamp(self) -> str:
        """What findings checked by this checker are stamped with (`checked_with`)."""
        return checked_with(self.template)

    def check(self, record: ExtractionRecord) -> list[Finding]:
        """All findings of the record in form order, errors first within a field.

        Keys are unique by construction: each check reports a code once per field (the
        anchor checks name every passage concerned in one finding), each rule once.
        """
        plain: dict[str, ValueLike] = {}
        cells: Cells = {}
        typed: dict[int, Any] = {}
        found = self._value_findings(record, plain, cells, typed)
        view = View(record, self.forms, (plain, cells), typed)
        for check in RECORD_CHECKS:
            found.extend(check(view))
        found.extend(self.rules.findings(view))
        return self.ordered(found)

    def ordered(self, found: list[Finding]) -> list[Finding]:
        """The findings sorted in form order, errors first within a field (in place)."""
        if len(found) > 1:
            ranks, place = self._places, self._place
            for finding in found:
                if finding.path not in ranks:
                    ranks[finding.path] = place(finding.path)
            severity = _SEVERITY_ORDER
            found.sort(key=lambda f: ranks[f.path] + severity[f.severity])
        return found

    def _value_findings(
        self,
        record: ExtractionRecord,
        plain: dict[str, ValueLike],
        cells: Cells,
        typed: dict[int, Any],
    ) -> list[Finding]:
        """Per-value checks, indexing the values for the `View` on the way.

        The loop runs for every value of every extraction, so the common case is tested
        inline: passages still quoted at their place, a value of its field's class within
        its range or among its choices, a number its passage writes in digits. Only values
        that fail a quick test go through the check functions, which say what is wrong.
        A value that passes is also its own typed value (`typed_value`), noted in `typed`
        by the id of the answer, so the record checks and rules need not work it out again.
        """
        plans, forms, texts = self._plans, self.forms, record.texts
        value_status, exact = FieldStatus.VALUE, AnchorStatus.EXACT
        valid_date, memo, digits = valid_partial_date, self._memo, self._digits
        found: list[Finding] = []
        for value in record.values:
            group_id, field_id = value.group_id, value.field_id
            if group_id is None:
                plain[field_id] = value
            else:  # as `add_to_index` does, without a call per value
                place = (group_id, value.row or 1)
                cell = cells.get(place)
                if cell is None:
                    cell = cells[place] = {}
                cell[field_id] = value
            plan = plans.get((group_id, field_id))
            if plan is None:  # a field the current form no longer has
                continue
            anchors = value.anchors
            for anchor in anchors:
                text = texts.get(anchor.document_id)
                # As `verify_anchor` does, without a call per passage.
                if anchor.status is not exact or (
                    text is not None
                    and (anchor.end > len(text) or text[anchor.start : anchor.end] != anchor.exact)
                ):
                    anchor_problems(forms, plan.spec, value, texts, found)
                    break
            if value.status is not value_status:
                continue
            if not anchors:
                raw = value.value
                known = None
                if raw is not None and type(raw) is not list:  # as `_unsupported` keys it
                    try:
                        known = memo.get((value.path, raw, value.unit))
                    except TypeError:  # an unhashable value from a bundle
                        known = None
                found.extend(self._unsupported(plan.spec, value) if known is None else known)
                continue
            raw = value.value
            cls = type(raw)
            quick = plan.quick
            if quick == _SAME_CLASS:
                valid = cls is plan.cls
            elif quick == _NUMBER:
                low, high = plan.low, plan.high
                valid = (cls is int or (plan.decimal and cls is float and isfinite(raw))) and (
                    (low is None and high is None)
                    or (
                        (value.unit is None or value.unit == plan.unit)
                        and (low is None or raw >= low)
                        and (high is None or raw <= high)
                    )
                )
            elif quick == _CHOICE:
                valid = cls is str and raw in plan.codes
            elif quick == _DATE:
                valid = cls is str and valid_date(raw)
            else:
                valid = False
            if not valid:
                value_problems(forms, plan.spec, value, found)
            elif not plan.decimal:
                typed[id(value)] = raw
            elif value.unit is None or value.unit == plan.unit:
                typed[id(value)] = float(raw)
            if plan.numeric:
                # The digits as reports print them (see `number_written`); the same doses
                # and percentages come again and again, so floats are written once.
                written = str(raw) if cls is int else digits.get(raw) if cls is float else ""
                if written is None:
                    if len(digits) >= MEMO_SIZE:
                        digits.clear()
                    written = digits[raw] = format_number(raw)
                elif not written:
                    continue  # not a number: the type check said so
                for anchor in anchors:
                    if written_in(anchor.exact, written):
                        break
                else:
                    problem = number_problem(forms, plan.spec, value)
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
