"""The template's CEL rules: compiled once per template, evaluated per extraction.

Variables follow `core.rules`: a plain field is a variable named by its id, a group a list
of rows (maps from field id to value), an empty or unusable value null. Rows hold the
fields the rules read through them (`rule_binding.row_fields`).

A rule is a pure function of the values it reads, so its outcome is remembered per rule
for the values it saw: many extractions give a rule the same inputs (empty optional
fields, the same arms), and handing values to CEL costs more than evaluating. Only the
rules whose inputs are new are evaluated, in a context holding just what they read.
"""

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from core.cel_engine import STDLIB_FUNCTIONS, cel
from core.checks.record import Forms, View
from core.checks.rule_binding import not_null_guards, row_fields
from core.domain import Finding, Rule, Severity
from core.rules import (
    MACROS,
    NATIVE_FUNCTIONS,
    RuleExpressionError,
    compile_rule_expression,
    referenced_names,
    rule_context,
    rule_problems,
)

MEMO_SIZE = 20_000  # remembered outcomes per rule
_PASSED = None  # the remembered outcome of a rule that holds

Row = tuple[Any, ...]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: its programs, what it reads, and where its finding points."""

    rule: Rule
    check: Any  # cel.Program; None when the rule does not compile
    when: Any  # cel.Program or None
    path: str
    plain: tuple[str, ...] = ()  # plain fields it reads
    guards: tuple[str, ...] = ()  # `when` is just "these are not null"
    groups: tuple[tuple[str, Callable[[Row], Hashable] | None], ...] = ()  # group, projection
    problem: str | None = None  # why it cannot run
    # `plain` and `guards` read off the tuple of values in `RuleSet.plain` order.
    plain_at: Callable[[Row], Row] | None = None
    guards_at: Callable[[Row], Row] | None = None

    @property
    def code(self) -> str:
        return f"rule:{self.rule.id}"


class RuleSet:
    """The rules of one template with their remembered outcomes. Safe across threads."""

    def __init__(self, forms: Forms) -> None:
        self.forms = forms
        reads: list[tuple[Rule, list[Any], set[str], dict[str, set[str] | None]]] = []
        self.rules: list[CompiledRule] = []
        plain_names: set[str] = set()
        group_fields: dict[str, set[str] | None] = {}
        # Forms read from files were refused with these problems; forms built in code
        # were not checked, so their broken rules are reported instead of run.
        problems: dict[int, str] = {}
        for problem in rule_problems(forms.template):
            where = "" if problem.part == "check" else f" in '{problem.part}'"
            problems.setdefault(problem.rule_index, problem.problem + where)
        for index, rule in enumerate(forms.template.rules):
            expressions = [rule.check] + ([rule.when] if rule.when is not None else [])
            try:
                if index in problems:
                    raise RuleExpressionError(problems[index])
                programs = [compile_rule_expression(expr) for expr in expressions]
                names = set().union(*(referenced_names(expr) for expr in expressions))
            except RuleExpressionError as exc:
                self.rules.append(CompiledRule(rule, None, None, "", problem=str(exc)))
                continue
            fields: dict[str, set[str] | None] = {}
            for expr in expressions:
                for group_id, used in row_fields(expr, forms.groups).items():
                    fields[group_id] = _union(fields.get(group_id, set()), used)
            for group_id in names & set(forms.groups):
                fields.setdefault(group_id, None)  # read in a way `row_fields` cannot follow
                group_fields[group_id] = _union(group_fields.get(group_id, set()), fields[group_id])
            plain_names |= {name for name in names if name not in forms.groups}
            reads.append((rule, programs, names, fields))
        # The fields each group's row tuples hold, in form order.
        self.row_layout: dict[str, tuple[str, ...]] = {}
        for group_id, used in sorted(group_fields.items()):
            every = tuple(spec.id for spec in forms.groups[group_id].fields)
            self.row_layout[group_id] = (
                every if used is None else tuple(f for f in every if f in used)
            )
        self.plain = tuple(sorted(plain_names))
        self._projections: dict[tuple[str, tuple[int, ...]], Callable[[Row], Hashable]] = {}
        for rule, programs, names, fields in reads:
            when = programs[1] if len(programs) > 1 else None
            groups = tuple(
                (group_id, self._projection(group_id, used))
                for group_id, used in sorted(fields.items())
            )
            plain = tuple(sorted(name for name in names if name not in forms.groups))
            path = _subject(forms, rule.check, names)
            guards = not_null_guards(rule.when, set(plain)) if rule.when is not None else ()
            place = self.plain.index
            self.rules.append(
                CompiledRule(
                    rule,
                    programs[0],
                    when,
                    path,
                    plain,
                    guards,
                    groups,
                    plain_at=_picker([place(name) for name in plain]),
                    guards_at=_picker([place(name) for name in guards]),
                )
            )
        self._memo: list[dict[Hashable, Finding | None]] = [{} for _ in self.rules]
        # The extended library costs microseconds per context: add it only when a rule
        # calls anything beyond the operators, macros and functions CEL has natively.
        called = {
            name
            for item in self.rules
            for program in (item.check, item.when)
            if program is not None
            for name in program.functions()
            if name[:1] not in ("_", "@", "!")  # operators and internal markers
        }
        extended = {name.rsplit(".", 1)[-1] for name in STDLIB_FUNCTIONS}
        self.stdlib = bool(called & extended or called - NATIVE_FUNCTIONS - MACROS)

    def _projection(self, group_id: str, used: set[str] | None) -> Callable[[Row], Hashable] | None:
        """Picks the fields a rule reads out of a row tuple; None when it reads none.

        Rules reading the same fields of a group share one projection, so that each
        extraction's rows are projected once for all of them (`findings`).
        """
        layout = self.row_layout[group_id]
        indexes = tuple(
            range(len(layout))
            if used is None
            else [layout.index(f) for f in sorted(used) if f in layout]
        )
        if not indexes:
            return None
        shared = self._projections.get((group_id, indexes))
        if shared is None:
            shared = self._projections[(group_id, indexes)] = itemgetter(*indexes)
        return shared

    def findings(self, view: View) -> list[Finding]:
        """A finding per rule whose `when` holds and whose `check` does not.

        A `when` that is false or cannot be evaluated (a null where a number is needed)
        skips the rule. A `check` that cannot be evaluated gives a warning saying so.
        """
        if not self.rules:
            return []
        plain = self._plain_values(view)
        rows = {group_id: self._rows(view, group_id) for group_id in self.row_layout}
        projected: dict[tuple[str, Callable[[Row], Hashable] | None], Hashable] = {}
        found: list[Finding] = []
        missed: list[tuple[int, Hashable]] = []
        for index, item in enumerate(self.rules):
            if item.problem is not None:
                found.append(_cannot_run(item, item.problem))
                continue
            if item.guards_at and None in item.guards_at(plain):
                continue  # its `when` is false (typed values never equal None)
            parts = []
            for group in item.groups:
                part = projected.get(group, _UNSET)
                if part is _UNSET:
                    group_id, pick = group
                    part = projected[group] = (
                        tuple(map(pick, rows[group_id])) if pick else len(rows[group_id])
                    )
                parts.append(part)
            key = (item.plain_at(plain) if item.plain_at else (), tuple(parts))
            memo = self._memo[index]
            outcome = memo.get(key, _UNSET)
            if outcome is _UNSET:
                missed.append((index, key))
            elif outcome is not None:
                found.append(outcome)
        if missed:
            found.extend(self._evaluate(missed, dict(zip(self.plain, plain, strict=True)), rows))
        return found

    def _plain_values(self, view: View) -> Row:
        """The typed values of the plain fields the rules read, in `self.plain` order."""
        given, typed = view.plain, view.typed_of
        values: list[Any] = []
        for name in self.plain:
            value = given.get(name)
            if value is None:
                values.append(None)
            else:
                known = typed(None, name, value)
                values.append(tuple(known) if type(known) is list else known)
        return tuple(values)

    def _rows(self, view: View, group_id: str) -> list[Row]:
        layout, typed = self.row_layout[group_id], view.typed_of
        rows = []
        for row in view.rows.get(group_id, ()):
            cells = []
            for field_id in layout:
                value = row.get(field_id)
                cells.append(None if value is None else _hashable(typed(group_id, field_id, value)))
            rows.append(tuple(cells))
        return rows

    def _evaluate(
        self,
        missed: Sequence[tuple[int, Hashable]],
        plain: dict[str, Any],
        rows: dict[str, list[Row]],
    ) -> list[Finding]:
        items = [self.rules[index] for index, _ in missed]
        variables: dict[str, Any] = {}
        for item in items:
            variables.update((name, plain[name]) for name in item.plain)
            for group_id, _ in item.groups:
                if group_id not in variables:
                    layout = self.row_layout[group_id]
                    variables[group_id] = [
                        dict(zip(layout, row, strict=True)) for row in rows[group_id]
                    ]
        context = rule_context(variables) if self.stdlib else cel.Context(variables=variables)
        found = []
        for (index, key), item in zip(missed, items, strict=True):
            outcome = _outcome(item, context)
            memo = self._memo[index]
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = outcome
            if outcome is not None:
                found.append(outcome)
        return found


def _outcome(item: CompiledRule, context: Any) -> Finding | None:
    if item.when is not None:
        try:
            applies = item.when.execute(context)
        except Exception:  # evaluation errors of the native library have no common type
            return _PASSED
        if applies is not True:
            return _PASSED
    try:
        result = item.check.execute(context)
    except Exception as exc:
        return _cannot_run(item, _first_line(str(exc)))
    if result is True:
        return _PASSED
    if result is False:
        return Finding(
            severity=item.rule.severity, path=item.path, code=item.code, message=item.rule.message
        )
    return _cannot_run(item, f"it gave {result!r} instead of true or false")


_UNSET: Any = object()


def _picker(at: Sequence[int]) -> Callable[[Row], Row] | None:
    """Reads the values at the indexes off a tuple, always as a tuple; None for none."""
    if not at:
        return None
    return itemgetter(*at) if len(at) > 1 else itemgetter(slice(at[0], at[0] + 1))


def _union(known: set[str] | None, more: set[str] | None) -> set[str] | None:
    return None if known is None or more is None else known | more


def _hashable(value: Any) -> Any:
    """Multiple choices are lists; as tuples they can be remembered (CEL reads them as lists)."""
    return tuple(value) if type(value) is list else value


def _subject(forms: Forms, check: str, names: set[str]) -> str:
    """The field a rule is about: the first plain field its check names, else a group."""
    positions: list[tuple[int, int, str]] = []
    for name in names:
        match = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", check)
        where = match.start() if match else len(check)
        is_group = name in forms.groups
        if is_group or (None, name) in forms.specs:
            positions.append((int(is_group), where, name))
    return min(positions)[2] if positions else ""


def _cannot_run(item: CompiledRule, problem: str) -> Finding:
    message = f"The rule '{item.rule.id}' could not be checked ({problem}): {item.rule.message}"
    return Finding(severity=Severity.WARNING, path=item.path, code=item.code, message=message)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "an evaluation error"
    return line if len(line) <= 160 else line[:159] + "…"
