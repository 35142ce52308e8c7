"""Agreement figures over several studies, and each reviewer against the final record."""

import pytest

from core.adjudication import (
    ComparisonState,
    Tolerance,
    agreement,
    compare_extractions,
    disagreement_with_final,
)
from core.domain import FieldValueInfo, Template
from tests.core.adjudication.answers import answer

TEMPLATE = Template.model_validate(
    {
        "id": "mini",
        "name": "Mini form",
        "sections": [
            {
                "id": "main",
                "label": "Main",
                "fields": [
                    {
                        "id": "phase",
                        "label": "Phase",
                        "type": "single_choice",
                        "choices": [{"code": c, "label": f"Phase {c}"} for c in "123"],
                    },
                    {"id": "enrolled", "label": "Enrolled", "type": "integer"},
                    {
                        "id": "sources",
                        "label": "Sources",
                        "type": "multiple_choice",
                        "choices": [{"code": c, "label": c} for c in ("cord", "marrow", "fat")],
                    },
                    {"id": "any_ae", "label": "Any adverse events", "type": "boolean"},
                ],
                "groups": [
                    {
                        "id": "arms",
                        "label": "Arms",
                        "key_fields": ["label"],
                        "fields": [
                            {"id": "label", "label": "Label", "type": "text"},
                            {"id": "n", "label": "N", "type": "integer"},
                        ],
                    }
                ],
            }
        ],
    }
)
TOLERANCES = {"enrolled": Tolerance(absolute=1)}


def study(
    phase: str | None = None,
    enrolled: int | None = None,
    sources: list[str] | None = None,
    any_ae: bool | None = None,
    arms: tuple[tuple[str, int], ...] = (),
) -> list[FieldValueInfo]:
    values = [
        answer(path, value)
        for path, value in (
            ("phase", phase),
            ("enrolled", enrolled),
            ("sources", sources),
            ("any_ae", any_ae),
        )
        if value is not None
    ]
    for row, (label, n) in enumerate(arms, 1):
        values += [answer(f"arms[{row}].label", label), answer(f"arms[{row}].n", n)]
    return values


A = [
    study("1", 15, ["cord"], True, (("Low", 5), ("High", 5))),
    study("2", 20, ["cord", "fat"], True, (("Placebo", 10),)),
    study("2", 30, ["marrow"], True),
    study("1"),
]
B = [
    study("1", 15, ["cord"], True, (("High", 5), ("Low", 5))),
    study("2", 21, ["fat", "cord"], True, (("Placebo", 11),)),
    study("3", 33, ["marrow", "fat"], True),
    study(arms=(("Sham", 4),)),
]
COMPARISONS = [compare_extractions(TEMPLATE, a, b, TOLERANCES) for a, b in zip(A, B, strict=True)]


def test_percent_agreement_and_kappa_of_a_single_choice_field() -> None:
    phase = agreement(TEMPLATE, COMPARISONS).field("phase")
    assert phase is not None
    # (1,1) (2,2) (2,3) (1,empty): the empty answer is a category and a disagreement.
    assert (phase.n_studies, phase.n_items, phase.agreed) == (4, 4, 2)
    assert phase.percent_agreement == 50.0
    assert phase.kappa is not None
    # n = 4, 2 agreements; A: 1 twice, 2 twice; B: 1, 2, 3, empty once each -> S = 4
    # kappa = (4·2 - 4) / (16 - 4)
    assert phase.kappa.value == pytest.approx(1 / 3, abs=1e-12)
    assert phase.states == {
        ComparisonState.AGREED: 2,
        ComparisonState.DISAGREED: 1,
        ComparisonState.ONLY_A: 1,
    }


def test_numbers_report_agreement_within_tolerance_and_exact_agreement() -> None:
    enrolled = agreement(TEMPLATE, COMPARISONS).field("enrolled")
    assert enrolled is not None
    assert (enrolled.n_studies, enrolled.n_items, enrolled.agreed, enrolled.exact) == (3, 3, 2, 1)
    assert enrolled.percent_agreement == pytest.approx(200 / 3, abs=1e-12)
    assert enrolled.percent_exact == pytest.approx(100 / 3, abs=1e-12)
    assert enrolled.kappa is None


def test_multiple_choice_kappa_over_exact_sets_and_per_choice() -> None:
    sources = agreement(TEMPLATE, COMPARISONS).field("sources")
    assert sources is not None
    assert (sources.n_items, sources.agreed) == (3, 2)
    # sets {c} {c,f} {m} against {c} {c,f} {m,f}: 2 agreements, S = 2 -> (6 - 2) / (9 - 2)
    assert sources.kappa is not None and sources.kappa.value == pytest.approx(4 / 7, abs=1e-12)
    by_choice = {code: k.value for code, k in sources.kappa_by_choice.items()}
    # fat: (no,no) (yes,yes) (no,yes): 2 agreements, S = 1·2 + 2·1 -> (6 - 4) / (9 - 4)
    assert by_choice == {"cord": 1.0, "marrow": 1.0, "fat": pytest.approx(2 / 5, abs=1e-12)}


def test_a_field_everybody_answers_alike_with_one_category_has_no_kappa() -> None:
    any_ae = agreement(TEMPLATE, COMPARISONS).field("any_ae")
    assert any_ae is not None
    assert (any_ae.n_items, any_ae.percent_agreement) == (3, 100.0)
    assert any_ae.kappa is not None and any_ae.kappa.value is None
    assert "True" in any_ae.kappa.reason


def test_group_fields_count_row_pairs_and_the_studies_they_come_from() -> None:
    report = agreement(TEMPLATE, COMPARISONS)
    label, n = report.field("arms.label"), report.field("arms.n")
    assert label is not None and n is not None
    assert (label.n_studies, label.n_items, label.agreed) == (3, 4, 3)
    assert (n.n_studies, n.n_items, n.agreed) == (3, 4, 2)


def test_the_overall_figures_pool_every_item() -> None:
    overall = agreement(TEMPLATE, COMPARISONS).overall
    assert (overall.n_studies, overall.n_items, overall.agreed) == (4, 21, 14)
    assert overall.percent_agreement == pytest.approx(100 * 14 / 21, abs=1e-12)
    assert overall.kappa_fields == 2
    assert overall.mean_kappa == pytest.approx((1 / 3 + 4 / 7) / 2, abs=1e-12)


def test_no_studies_give_no_percentages() -> None:
    report = agreement(TEMPLATE, [])
    assert [f.field for f in report.fields] == [
        "phase", "enrolled", "sources", "any_ae", "arms.label", "arms.n",
    ]  # fmt: skip
    assert all(f.n_items == 0 and f.percent_agreement is None for f in report.fields)
    assert report.overall.percent_agreement is None and report.overall.mean_kappa is None


FINALS = [
    study("1", 15, ["cord"], True, (("Low", 5), ("High", 5))),
    study("2", 20, ["cord", "fat"], True, (("Placebo", 10),)),
    study("3", 30, ["marrow"], True),
    # B's only row became row 1; the adjudicator added a row neither reviewer had.
    study("1", arms=(("Sham", 4), ("Placebo", 4)))[:-1],
]


def test_each_reviewer_is_measured_against_the_final_record() -> None:
    rates = disagreement_with_final(
        TEMPLATE,
        COMPARISONS,
        FINALS,
        reviewers=[("Ana", "Ben"), ("Ana", "Ben"), ("Ana", "Ben"), ("Ana", "Cy")],
    )
    summary = {r.reviewer: (r.n_studies, r.n_items, r.disagreed) for r in rates}
    # Ana: study 3 phase; study 4 missed the Sham row (2 fields) and the added row's label
    # Ben: study 2 enrolled 21 and arm n 11 (no tolerance here); study 3 enrolled, sources
    # Cy: study 4 missed the phase and the added row's label
    assert summary == {"Ana": (4, 22, 4), "Ben": (3, 18, 4), "Cy": (1, 4, 2)}
    ana = next(r for r in rates if r.reviewer == "Ana")
    assert ana.percent_disagreement == pytest.approx(100 * 4 / 22, abs=1e-12)
    assert {f.field: (f.n_items, f.disagreed) for f in ana.fields} == {
        "phase": (4, 1),
        "enrolled": (3, 0),
        "sources": (3, 0),
        "any_ae": (3, 0),
        "arms.label": (5, 2),
        "arms.n": (4, 1),
    }


def test_the_final_record_is_compared_with_the_field_tolerances_given() -> None:
    rates = disagreement_with_final(TEMPLATE, COMPARISONS, FINALS, tolerances=TOLERANCES)
    b = next(r for r in rates if r.reviewer == "B")
    enrolled = next(f for f in b.fields if f.field == "enrolled")
    assert (enrolled.n_items, enrolled.disagreed) == (3, 1)


def test_one_final_record_is_needed_per_comparison() -> None:
    with pytest.raises(ValueError, match="one final record"):
        disagreement_with_final(TEMPLATE, COMPARISONS, FINALS[:2])
