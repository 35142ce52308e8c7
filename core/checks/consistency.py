"""Cross-field checks of the trial's numbers and dates.

They apply when the template has the fields of the default form they read (`enrolled`,
`completed`, `arms.n_randomized`, `outcomes.events`, ...); a template without them
is simply not checked for these problems.
"""

from collections.abc import Iterator
from typing import Any

from core.checks.record import View, number_text, row_path
from core.domain import Finding, Severity
from core.parsing import format_value

ARMS, OUTCOMES = "arms", "outcomes"


def completed_within_enrolled(view: View) -> Iterator[Finding]:
    """Completed or analysed cannot exceed the number enrolled."""
    completed, enrolled = _number(view.typed("completed")), _number(view.typed("enrolled"))
    if completed is None or enrolled is None or completed <= enrolled:
        return
    forms = view.forms
    message = (
        f"{forms.label(None, 'completed')} ({number_text(completed)}) is more than "
        f"{_lower(forms.label(None, 'enrolled'))} ({number_text(enrolled)})."
    )
    yield Finding(
        severity=Severity.ERROR, path="completed", code="completed_gt_enrolled", message=message
    )


def arms_add_up(view: View) -> Iterator[Finding]:
    """When every arm has a size, the sizes add up to the number enrolled."""
    enrolled = _number(view.typed("enrolled"))
    arms = view.rows.get(ARMS, [])
    if enrolled is None or not arms:
        return
    sizes = [_number(view.row_typed(ARMS, row, "n_randomized")) for row in arms]
    known = [size for size in sizes if size is not None]
    if len(known) < len(sizes) or sum(known) == enrolled:
        return
    parts = " + ".join(number_text(size) for size in known)
    total = number_text(sum(known))
    added = f"{total} ({parts})" if len(known) > 1 else total
    noun = "arm sizes add" if len(known) > 1 else "arm size comes"
    message = f"The {noun} up to {added}, not the {number_text(enrolled)} enrolled."
    yield Finding(severity=Severity.WARNING, path="enrolled", code="arm_sum", message=message)


def events_within_denominator(view: View) -> Iterator[Finding]:
    """An outcome's events cannot exceed its total, or else the size of its arm.

    The arm's size is a denominator of patients: outcomes counted in other units
    (fistula tracts, lesions) are compared with their own total only.
    """
    forms = view.forms
    arm_sizes: dict[str, int | float] | None = None
    for index, row in enumerate(view.rows.get(OUTCOMES, ()), start=1):
        events = _number(view.row_typed(OUTCOMES, row, "events"))
        if events is None:
            continue
        total = _number(view.row_typed(OUTCOMES, row, "total"))
        if total is not None:
            if events > total:
                message = (
                    f"{forms.where(OUTCOMES, index)}{forms.label(OUTCOMES, 'events')} "
                    f"({number_text(events)}) are more than the "
                    f"{_lower(forms.label(OUTCOMES, 'total'))} ({number_text(total)})."
                )
                yield _events(index, message)
            continue
        unit = view.row_typed(OUTCOMES, row, "unit_counted")
        arm = view.row_typed(OUTCOMES, row, "arm_label")
        if unit not in (None, "patients") or not isinstance(arm, str):
            continue
        if arm_sizes is None:
            arm_sizes = _arm_sizes(view)
        size = arm_sizes.get(_arm_key(arm))
        if size is not None and events > size:
            message = (
                f"{forms.where(OUTCOMES, index)}{forms.label(OUTCOMES, 'events')} "
                f"({number_text(events)}) are more than the {number_text(size)} allocated "
                f"to the arm “{arm}”."
            )
            yield _events(index, message)


def _events(index: int, message: str) -> Finding:
    path = row_path(OUTCOMES, index, "events")
    return Finding(severity=Severity.ERROR, path=path, code="events_gt_n", message=message)


def _arm_sizes(view: View) -> dict[str, int | float]:
    sizes: dict[str, int | float] = {}
    for row in view.rows.get(ARMS, ()):
        label = view.row_typed(ARMS, row, "label")
        size = _number(view.row_typed(ARMS, row, "n_randomized"))
        if isinstance(label, str) and size is not None:
            sizes.setdefault(_arm_key(label), size)
    return sizes


def _arm_key(label: str) -> str:
    return " ".join(label.casefold().split())


def percentages_agree(view: View) -> Iterator[Finding]:
    """A reported percentage agrees with events / total, to the precision it is written.

    Reports round or cut the last digit: 30 of 43 is 69.77 %, written 69.7 % or 69.8 %,
    so any difference below one unit of the last written digit is accepted.
    """
    for index, row in enumerate(view.rows.get(OUTCOMES, ()), start=1):
        percent = _number(view.row_typed(OUTCOMES, row, "percent"))
        if percent is None:
            continue
        events = _number(view.row_typed(OUTCOMES, row, "events"))
        total = _number(view.row_typed(OUTCOMES, row, "total"))
        if events is None or not total:
            continue
        written = number_text(percent)
        decimals = len(written.partition(".")[2])
        actual = 100 * events / total
        if abs(actual - percent) < 10**-decimals - 1e-9:
            continue
        computed = number_text(round(actual, max(1, decimals + 1)))
        message = (
            f"{view.forms.where(OUTCOMES, index)}{number_text(events)} of "
            f"{number_text(total)} is {computed} %, not the reported {written} %."
        )
        yield Finding(
            severity=Severity.ERROR,
            path=row_path(OUTCOMES, index, "percent"),
            code="percentage_mismatch",
            message=message,
        )


def dates_in_order(view: View) -> Iterator[Finding]:
    """The start date is not after the completion date, compared at their common precision."""
    start, end = view.typed("start_date"), view.typed("completion_date")
    if not isinstance(start, str) or not isinstance(end, str):
        return
    common = min(len(start), len(end))
    if start[:common] <= end[:common]:
        return
    forms = view.forms
    start_spec, end_spec = forms.spec(None, "start_date"), forms.spec(None, "completion_date")
    assert start_spec is not None and end_spec is not None
    message = (
        f"{start_spec.label} ({format_value(start_spec, start)}) is after the "
        f"{_lower(end_spec.label)} ({format_value(end_spec, end)})."
    )
    yield Finding(severity=Severity.ERROR, path="start_date", code="date_order", message=message)


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _lower(label: str) -> str:
    """The label inside a sentence: "Enrolled" -> "enrolled", but "PMID" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]
