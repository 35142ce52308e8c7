"""Agreement statistics of double extraction: per field and overall, from comparisons."""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from core.adjudication.compare import is_empty_value
from core.adjudication.comparison import FieldComparison, StudyComparison
from core.adjudication.kappa import Kappa, cohen_kappa
from core.adjudication.states import ComparisonState, Match
from core.domain.records import FieldStatus
from core.domain.template import FieldSpec, FieldType, Template

CATEGORICAL = (FieldType.SINGLE_CHOICE, FieldType.BOOLEAN, FieldType.MULTIPLE_CHOICE)
NUMERIC = (FieldType.INTEGER, FieldType.DECIMAL)
EMPTY_CATEGORY = "(empty)"


class FieldAgreement(BaseModel):
    """How often A and B agree on one field of the template.

    Items are the comparisons where at least one reviewer answered (a value or a status
    such as not reported): one per study for a plain field, one per paired or unpaired
    row for a group field. An answer only one reviewer gave counts as a disagreement.
    For numbers `agreed` is within the field's tolerance and `exact` without it. Kappa is
    computed over the same items, an empty answer being a category of its own ("(empty)")
    and a status another ("(not_reported)"); multiple choice takes each exact set of
    codes as a category, and `kappa_by_choice` rates each code as chosen or not.
    """

    model_config = ConfigDict(frozen=True)

    field: str  # template id: "phase", "arms.dose"
    label: str
    type: FieldType
    n_studies: int
    n_items: int
    agreed: int
    percent_agreement: float | None
    exact: int | None = None
    percent_exact: float | None = None
    kappa: Kappa | None = None
    kappa_by_choice: dict[str, Kappa] = {}
    states: dict[ComparisonState, int] = {}


class OverallAgreement(BaseModel):
    """All fields together: items pooled; kappa as the plain mean of defined field kappas."""

    model_config = ConfigDict(frozen=True)

    n_studies: int
    n_items: int
    agreed: int
    percent_agreement: float | None
    mean_kappa: float | None
    kappa_fields: int  # how many fields' kappas the mean is taken over
    states: dict[ComparisonState, int] = {}


class AgreementReport(BaseModel):
    """Per field in template order, then overall."""

    model_config = ConfigDict(frozen=True)

    fields: tuple[FieldAgreement, ...]
    overall: OverallAgreement

    def field(self, field_id: str) -> FieldAgreement | None:
        return next((f for f in self.fields if f.field == field_id), None)


def agreement(template: Template, comparisons: Sequence[StudyComparison]) -> AgreementReport:
    """Agreement statistics over the studies compared (one `StudyComparison` each).

    Fields nobody answered in any study are listed with zero items and no percentages.
    """
    items: dict[str, list[tuple[int, FieldComparison]]] = defaultdict(list)
    for study, comparison in enumerate(comparisons):
        for compared in comparison.fields:
            if compared.state is not ComparisonState.BOTH_EMPTY:
                items[compared.template_id].append((study, compared))
    fields = tuple(
        _field(template_id, spec, items[template_id])
        for template_id, spec in specs_by_id(template).items()
    )
    studies = {study for found in items.values() for study, _ in found}
    states: Counter[ComparisonState] = Counter()
    for found in fields:
        states.update(found.states)
    kappas = [f.kappa.value for f in fields if f.kappa is not None and f.kappa.value is not None]
    n_items = sum(f.n_items for f in fields)
    agreed = sum(f.agreed for f in fields)
    overall = OverallAgreement(
        n_studies=len(studies),
        n_items=n_items,
        agreed=agreed,
        percent_agreement=_percent(agreed, n_items),
        mean_kappa=sum(kappas) / len(kappas) if kappas else None,
        kappa_fields=len(kappas),
        states=dict(states),
    )
    return AgreementReport(fields=fields, overall=overall)


def specs_by_id(template: Template) -> dict[str, FieldSpec]:
    """Every field of the template by its template id, in form order."""
    specs = {spec.id: spec for _, spec in template.plain_fields()}
    for _, group in template.groups():
        specs.update((f"{group.id}.{spec.id}", spec) for spec in group.fields)
    return specs


def _field(
    template_id: str, spec: FieldSpec, found: list[tuple[int, FieldComparison]]
) -> FieldAgreement:
    compared = [c for _, c in found]
    agreed = sum(c.state is ComparisonState.AGREED for c in compared)
    exact = percent_exact = None
    if spec.type in NUMERIC:
        exact = agreed - sum(c.match is Match.WITHIN_TOLERANCE for c in compared)
        percent_exact = _percent(exact, len(compared))
    kappa = None
    by_choice: dict[str, Kappa] = {}
    if spec.type in CATEGORICAL:
        kappa = cohen_kappa(
            (_category(c.status_a, c.value_a, spec), _category(c.status_b, c.value_b, spec))
            for c in compared
        )
    if spec.type is FieldType.MULTIPLE_CHOICE:
        by_choice = {
            choice.code: cohen_kappa(_chosen(compared, choice.code)) for choice in spec.choices
        }
    return FieldAgreement(
        field=template_id,
        label=spec.label,
        type=spec.type,
        n_studies=len({study for study, _ in found}),
        n_items=len(compared),
        agreed=agreed,
        percent_agreement=_percent(agreed, len(compared)),
        exact=exact,
        percent_exact=percent_exact,
        kappa=kappa,
        kappa_by_choice=by_choice,
        states=dict(Counter(c.state for c in compared)),
    )


def _category(status: FieldStatus | None, value: object, spec: FieldSpec) -> Hashable:
    """What kappa counts as one reviewer's category for an item."""
    if is_empty_value(status, value):
        return EMPTY_CATEGORY
    if status != FieldStatus.VALUE:
        return f"({status})"
    if spec.type is FieldType.MULTIPLE_CHOICE:
        return frozenset(_codes(value))
    return value if isinstance(value, bool) else str(value)


def _chosen(compared: Iterable[FieldComparison], code: str) -> Iterable[tuple[bool, bool]]:
    for c in compared:
        chosen_a = c.status_a == FieldStatus.VALUE and code in _codes(c.value_a)
        chosen_b = c.status_b == FieldStatus.VALUE and code in _codes(c.value_b)
        yield chosen_a, chosen_b


def _codes(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple | set | frozenset):
        return {str(v) for v in value}
    return {str(value)}


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None
