"""Each reviewer's disagreement with the final (adjudicated) record."""

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from core.adjudication.agreement import specs_by_id
from core.adjudication.compare import compare_answers, is_empty
from core.adjudication.comparison import StudyComparison
from core.adjudication.states import ComparisonState
from core.adjudication.values import Tolerance, tolerance_for
from core.domain.answers import PassageLike, StoredAnswer
from core.domain.records import FieldStatus
from core.domain.template import FieldSpec, Template


class FieldDisagreement(BaseModel):
    """How often one reviewer's answer to a field differs from the final record's."""

    model_config = ConfigDict(frozen=True)

    field: str  # template id
    n_items: int
    disagreed: int
    percent_disagreement: float | None


class ReviewerDisagreement(BaseModel):
    """One reviewer against the final records of the studies they extracted.

    Items are the fields (and group row fields) where the reviewer or the final record
    has an answer; an answer the reviewer missed, or gave where the final record has
    none, is a disagreement. Values compare as between two reviewers (units, tolerance).
    """

    model_config = ConfigDict(frozen=True)

    reviewer: str
    n_studies: int
    n_items: int
    disagreed: int
    percent_disagreement: float | None
    fields: tuple[FieldDisagreement, ...]


class _Answer(NamedTuple):
    status: FieldStatus
    value: Any
    unit: str | None
    anchors: Sequence[PassageLike] = ()


def disagreement_with_final(
    template: Template,
    comparisons: Sequence[StudyComparison],
    finals: Sequence[Sequence[StoredAnswer]],
    reviewers: Sequence[tuple[str, str]] | None = None,
    tolerances: Mapping[str, Tolerance] | None = None,
) -> tuple[ReviewerDisagreement, ...]:
    """Each reviewer's disagreement rate against the final records.

    `comparisons[i]` compares study i's two extractions and `finals[i]` holds the final
    record's answers, with paths in the final numbering (`FieldComparison.path`).
    `reviewers[i]` names study i's reviewers A and B; without it they are "A" and "B".
    Rows the adjudicator added that neither reviewer had count against both.
    """
    if len(finals) != len(comparisons):
        raise ValueError("one final record is needed per comparison")
    specs = specs_by_id(template)
    tolerances = tolerances or {}
    items: dict[str, Counter[str]] = {}
    disagreed: dict[str, Counter[str]] = {}
    studies: dict[str, set[int]] = {}
    for study, (comparison, final) in enumerate(zip(comparisons, finals, strict=True)):
        names = reviewers[study] if reviewers is not None else ("A", "B")
        final_by_path = {answer.path: answer for answer in final}
        for name in names:
            items.setdefault(name, Counter())
            disagreed.setdefault(name, Counter())
            studies.setdefault(name, set()).add(study)
        for compared in comparison.fields:
            spec = specs[compared.template_id]
            tolerance = tolerances.get(compared.template_id) or tolerance_for(spec)
            final_answer = final_by_path.pop(compared.path, None)
            for name, status, value, unit in (
                (names[0], compared.status_a, compared.value_a, compared.unit_a),
                (names[1], compared.status_b, compared.value_b, compared.unit_b),
            ):
                own = _Answer(status, value, unit) if status is not None else None
                state = compare_answers(spec, own, final_answer, tolerance).state
                if state is not ComparisonState.BOTH_EMPTY:
                    items[name][compared.template_id] += 1
                    disagreed[name][compared.template_id] += state is not ComparisonState.AGREED
        for extra in final_by_path.values():
            template_id = _template_id(extra)
            if template_id in specs and not is_empty(extra):
                for name in names:
                    items[name][template_id] += 1
                    disagreed[name][template_id] += 1
    return tuple(
        _reviewer(name, specs, items[name], disagreed[name], len(studies[name])) for name in items
    )


def _reviewer(
    name: str,
    specs: Mapping[str, FieldSpec],
    items: Counter[str],
    disagreed: Counter[str],
    n_studies: int,
) -> ReviewerDisagreement:
    fields = tuple(
        FieldDisagreement(
            field=template_id,
            n_items=items[template_id],
            disagreed=disagreed[template_id],
            percent_disagreement=_percent(disagreed[template_id], items[template_id]),
        )
        for template_id in specs
        if items[template_id]
    )
    total, wrong = sum(items.values()), sum(disagreed.values())
    return ReviewerDisagreement(
        reviewer=name,
        n_studies=n_studies,
        n_items=total,
        disagreed=wrong,
        percent_disagreement=_percent(wrong, total),
        fields=fields,
    )


def _template_id(answer: StoredAnswer) -> str:
    return answer.field_id if answer.group_id is None else f"{answer.group_id}.{answer.field_id}"


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None
