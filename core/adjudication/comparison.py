"""Comparing two reviewers' whole extractions of a study, field by field and row by row."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from core.adjudication.align import RowPair, Rows, align_rows
from core.adjudication.compare import compare_answers
from core.adjudication.states import ComparisonState, Match
from core.adjudication.values import EXACT, Tolerance, tolerance_for
from core.domain.answers import AnswerLike, StoredAnswer
from core.domain.records import FieldStatus
from core.domain.template import FieldSpec, GroupSpec, Template


# A pydantic dataclass with slots rather than a BaseModel: validated all the same, but
# one object each instead of three for the garbage collector to scan, which is a third
# of the time when a project's studies are compared at once.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class FieldComparison:
    """One field of the final record with A's and B's answers and the verdict on them.

    `path` names the field in the final record: a group row keeps A's row number when A
    has the row, else B's unless A uses that number (then the next free one). `path_a`
    and `path_b` name it in each extraction (None where that reviewer has no such row).
    """

    path: str
    field_id: str
    group_id: str | None = None
    row: int | None = None
    row_a: int | None = None
    row_b: int | None = None
    state: ComparisonState
    match: Match | None = None
    value_a: Any = None
    value_b: Any = None
    unit_a: str | None = None
    unit_b: str | None = None
    status_a: FieldStatus | None = None
    status_b: FieldStatus | None = None
    reason: str
    same_value_different_evidence: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def path_a(self) -> str | None:
        return self._source_path(self.row_a)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def path_b(self) -> str | None:
        return self._source_path(self.row_b)

    def _source_path(self, row: int | None) -> str | None:
        if self.group_id is None:
            return self.field_id
        return None if row is None else f"{self.group_id}[{row}].{self.field_id}"

    @property
    def template_id(self) -> str:
        """The field's id in the template: `enrolled`, or `arms.dose` inside a group."""
        return self.field_id if self.group_id is None else f"{self.group_id}.{self.field_id}"

    @property
    def agreed_in_full(self) -> bool:
        """Agreed, and either answer may stand for both (no tolerance, no lost precision)."""
        return (
            self.state is ComparisonState.AGREED
            and self.match is not None
            and (self.match.complete)
        )


class RowAlignment(BaseModel):
    """Which row of A and which row of B became row `row` of the final record's group."""

    model_config = ConfigDict(frozen=True)

    group_id: str
    row: int
    row_a: int | None
    row_b: int | None
    score: float | None  # key-field similarity; None for a row only one reviewer has


class StudyComparison(BaseModel):
    """Every field of the template compared, plain fields first, then each group's rows.

    `ignored` lists paths of answers whose field the template does not know.
    """

    model_config = ConfigDict(frozen=True)

    fields: tuple[FieldComparison, ...]
    rows: tuple[RowAlignment, ...] = ()
    ignored: tuple[str, ...] = ()

    def field(self, path: str) -> FieldComparison | None:
        return next((f for f in self.fields if f.path == path), None)

    def disagreements(self) -> list[FieldComparison]:
        """Fields that need a decision because A and B do not give the same answer."""
        settled = (ComparisonState.AGREED, ComparisonState.BOTH_EMPTY)
        return [f for f in self.fields if f.state not in settled]

    def counts(self) -> Counter[ComparisonState]:
        return Counter(f.state for f in self.fields)


def compare_extractions(
    template: Template,
    values_a: Sequence[StoredAnswer],
    values_b: Sequence[StoredAnswer],
    tolerances: Mapping[str, Tolerance] | None = None,
) -> StudyComparison:
    """Compare reviewer A's and reviewer B's answers to every field of `template`.

    Pure and quick (no database): rows of each repeating group are paired first
    (`align_rows`), then every field of every paired or unpaired row is compared. A
    field's tolerance comes from `tolerances` (keyed by template id, e.g. "arms.dose")
    or else from the template (`tolerance_for`).
    """
    form = _form(template)
    plain_a, groups_a, ignored_a = _index(form, values_a)
    plain_b, groups_b, ignored_b = _index(form, values_b)
    fields: list[FieldComparison] = []
    alignments: list[RowAlignment] = []
    for spec, tolerance in form.plain:
        if tolerances:
            tolerance = tolerances.get(spec.id) or tolerance
        a, b = plain_a.get(spec.id), plain_b.get(spec.id)
        if a is None and b is None:
            fields.append(form.nothing(spec, None, spec.id, None, None, None))
        else:
            fields.append(_field(spec, None, spec.id, None, None, None, a, b, tolerance))
    for group, own_tolerances in form.groups:
        rows_a, rows_b = groups_a.get(group.id, {}), groups_b.get(group.id, {})
        if not rows_a and not rows_b:
            continue
        group_tolerances = own_tolerances
        if tolerances:
            group_tolerances = {
                field_id: tolerances.get(f"{group.id}.{field_id}") or tolerance
                for field_id, tolerance in own_tolerances.items()
            }
        pairs = align_rows(group, rows_a, rows_b, group_tolerances)
        for row, pair in _final_rows(pairs):
            alignments.append(
                RowAlignment(
                    group_id=group.id,
                    row=row,
                    row_a=pair.row_a,
                    row_b=pair.row_b,
                    score=pair.score,
                )
            )
            fields.extend(_row(form, group, row, pair, rows_a, rows_b, group_tolerances))
    ignored = tuple(dict.fromkeys(ignored_a + ignored_b))
    return StudyComparison(fields=tuple(fields), rows=tuple(alignments), ignored=ignored)


@dataclass(frozen=True)
class _Form:
    """A template indexed for comparing many studies: field ids and tolerances.

    A field neither reviewer answered gives the same comparison in every study, so each
    is built once and shared (comparisons are immutable); most forms leave a quarter of
    their fields empty.
    """

    known: dict[str | None, frozenset[str]]  # group id (None: plain) -> field ids
    plain: tuple[tuple[FieldSpec, Tolerance], ...]
    groups: tuple[tuple[GroupSpec, dict[str, Tolerance]], ...]
    empty: dict[tuple[str, int | None, int | None], FieldComparison] = field(default_factory=dict)

    def nothing(
        self,
        spec: FieldSpec,
        group_id: str | None,
        path: str,
        row: int | None,
        row_a: int | None,
        row_b: int | None,
    ) -> FieldComparison:
        """The comparison of a field both reviewers left empty."""
        key = (path, row_a, row_b)
        found = self.empty.get(key)
        if found is None:
            if len(self.empty) >= 100_000:
                self.empty.clear()
            found = self.empty[key] = _field(
                spec, group_id, path, row, row_a, row_b, None, None, EXACT
            )
        return found


# Templates are immutable and few: index each one once, found by identity, as hashing a
# whole template for every study compared would cost more than the comparison.
_FORMS: dict[int, tuple[Template, _Form]] = {}


def _form(template: Template) -> _Form:
    cached = _FORMS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    plain = tuple((spec, tolerance_for(spec)) for _, spec in template.plain_fields())
    groups = tuple(
        (group, {spec.id: tolerance_for(spec) for spec in group.fields})
        for _, group in template.groups()
    )
    known: dict[str | None, frozenset[str]] = {None: frozenset(spec.id for spec, _ in plain)}
    known.update((group.id, frozenset(fields)) for group, fields in groups)
    form = _Form(known, plain, groups)
    if len(_FORMS) >= 16:
        _FORMS.clear()
    _FORMS[id(template)] = (template, form)
    return form


def _final_rows(pairs: list[RowPair]) -> list[tuple[int, RowPair]]:
    used = {p.row_a for p in pairs if p.row_a is not None}
    numbered = [(p.row_a, p) for p in pairs if p.row_a is not None]
    for pair in pairs:
        if pair.row_a is None and pair.row_b is not None:
            row = pair.row_b if pair.row_b not in used else max(used) + 1
            used.add(row)
            numbered.append((row, pair))
    return sorted(numbered, key=lambda item: item[0])


def _row(
    form: "_Form",
    group: GroupSpec,
    row: int,
    pair: RowPair,
    rows_a: Rows,
    rows_b: Rows,
    tolerances: Mapping[str, Tolerance],
) -> list[FieldComparison]:
    answers_a = rows_a[pair.row_a] if pair.row_a is not None else {}
    answers_b = rows_b[pair.row_b] if pair.row_b is not None else {}
    result = []
    for spec in group.fields:
        path = f"{group.id}[{row}].{spec.id}"
        a, b = answers_a.get(spec.id), answers_b.get(spec.id)
        if a is None and b is None:
            result.append(form.nothing(spec, group.id, path, row, pair.row_a, pair.row_b))
        else:
            result.append(
                _field(spec, group.id, path, row, pair.row_a, pair.row_b, a, b, tolerances[spec.id])
            )
    return result


def _field(
    spec: FieldSpec,
    group_id: str | None,
    path: str,
    row: int | None,
    row_a: int | None,
    row_b: int | None,
    a: AnswerLike | None,
    b: AnswerLike | None,
    tolerance: Tolerance,
) -> FieldComparison:
    verdict = compare_answers(spec, a, b, tolerance)
    return FieldComparison(
        path=path,
        field_id=spec.id,
        group_id=group_id,
        row=row,
        row_a=row_a,
        row_b=row_b,
        state=verdict.state,
        match=verdict.match,
        value_a=a.value if a is not None else None,
        value_b=b.value if b is not None else None,
        unit_a=a.unit if a is not None else None,
        unit_b=b.unit if b is not None else None,
        status_a=a.status if a is not None else None,
        status_b=b.status if b is not None else None,
        reason=verdict.reason,
        same_value_different_evidence=verdict.same_value_different_evidence,
    )


def _index(
    form: _Form, values: Sequence[StoredAnswer]
) -> tuple[dict[str, AnswerLike], dict[str, dict[int, dict[str, AnswerLike]]], tuple[str, ...]]:
    """Answers by plain field id, and by group, row and field id; paths not in the form."""
    plain: dict[str, AnswerLike] = {}
    groups: dict[str, dict[int, dict[str, AnswerLike]]] = {}
    ignored: list[str] = []
    known = form.known
    for value in values:
        group_id, field_id = value.group_id, value.field_id
        if field_id not in known.get(group_id, ()):
            ignored.append(value.path)
        elif group_id is None:
            plain[field_id] = value
        elif value.row is None:
            ignored.append(value.path)
        else:
            groups.setdefault(group_id, {}).setdefault(value.row, {})[field_id] = value
    return plain, groups, tuple(ignored)
