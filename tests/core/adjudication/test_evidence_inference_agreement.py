"""Real double extraction: two physicians' answers in Evidence Inference 2.0.

Each prompt (an outcome, an intervention and a comparator in one article) was answered
by physician 0 and by one other physician, each with a label and the passages that
support it; a third physician judged every label valid or not. Each article is a study
here, each prompt a row of a repeating group, physician 0 reviewer A and the other one
reviewer B, and the verifier's choice the final record. The figures are checked against
a second, plain count over the CSV files.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.adjudication import (
    ComparisonState,
    StudyComparison,
    agreement,
    cohen_kappa,
    compare_extractions,
    disagreement_with_final,
)
from core.domain import Anchor, FieldValueInfo, Template
from tests.core.adjudication.answers import answer, passage
from tests.helpers import TEST_DATA

DATA: Path = TEST_DATA / "evidence_inference"
MERGED = {"significantly increase": "significantly increased"}
CODES = {
    "significantly increased": "increased",
    "significantly decreased": "decreased",
    "no significant difference": "no_difference",
}
PROMPT_FIELDS = ("outcome", "intervention", "comparator")
TEMPLATE = Template.model_validate(
    {
        "id": "evidence_inference",
        "name": "Evidence Inference prompts",
        "sections": [
            {
                "id": "findings",
                "label": "Findings",
                "groups": [
                    {
                        "id": "prompts",
                        "label": "Prompts",
                        "key_fields": list(PROMPT_FIELDS),
                        "fields": [
                            {"id": "prompt_id", "label": "Prompt", "type": "text"},
                            *({"id": f, "label": f.title(), "type": "text"} for f in PROMPT_FIELDS),
                            {
                                "id": "effect",
                                "label": "Effect",
                                "type": "single_choice",
                                "choices": [
                                    {"code": code, "label": label} for label, code in CODES.items()
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }
)


@dataclass
class Judgement:
    """One physician's answer to one prompt: the label, its passages, the verdict on it."""

    user: int
    label: str
    valid: bool
    spans: list[tuple[int, int]] = field(default_factory=list)


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


PROMPTS = {row["PromptID"]: row for row in read_csv("prompts.csv")}
JUDGEMENTS: dict[str, dict[int, Judgement]] = {}
for row in read_csv("annotations.csv"):
    user = int(row["UserID"])
    label = MERGED.get(row["Label"], row["Label"])
    found = JUDGEMENTS.setdefault(row["PromptID"], {}).setdefault(
        user, Judgement(user, label, row["Valid Label"] == "True")
    )
    assert found.label == label  # a physician's several passages share one label
    found.spans.append((int(row["Evidence Start"]), int(row["Evidence End"])))
DOUBLE = {p: by_user for p, by_user in JUDGEMENTS.items() if 0 in by_user and len(by_user) == 2}


def second(by_user: dict[int, Judgement]) -> Judgement:
    return next(j for user, j in by_user.items() if user != 0)


def rows_of(prompt_ids: list[str], first: bool) -> list[FieldValueInfo]:
    """Physician 0's rows (`first`) or the other physician's, in the order given."""
    values: list[FieldValueInfo] = []
    for row, prompt_id in enumerate(prompt_ids, 1):
        prompt, by_user = PROMPTS[prompt_id], JUDGEMENTS[prompt_id]
        judgement = by_user[0] if first else second(by_user)
        document = int(prompt["PMCID"])
        anchors: tuple[Anchor, ...] = tuple(passage(s, e, document) for s, e in judgement.spans)
        values.append(answer(f"prompts[{row}].prompt_id", prompt_id))
        values += [answer(f"prompts[{row}].{f}", prompt[f.title()]) for f in PROMPT_FIELDS]
        values.append(answer(f"prompts[{row}].effect", CODES[judgement.label], anchors=anchors))
    return values


def compare_articles(
    prompts: dict[str, dict[int, Judgement]],
) -> tuple[list[StudyComparison], list[tuple[str, str]]]:
    """One comparison per article and second physician, with the two physicians' names.

    Physician 0 is reviewer A; the other physician, reviewer B, entered the prompts in the
    reverse order.
    """
    studies: dict[tuple[str, int], list[str]] = {}
    for prompt_id in sorted(prompts, key=int):
        key = (PROMPTS[prompt_id]["PMCID"], second(prompts[prompt_id]).user)
        studies.setdefault(key, []).append(prompt_id)
    comparisons = []
    for prompt_ids in studies.values():
        by_a = [p for p in prompt_ids if 0 in prompts[p]]
        by_b = list(reversed(prompt_ids))
        comparisons.append(compare_extractions(TEMPLATE, rows_of(by_a, True), rows_of(by_b, False)))
    names = [("physician 0", f"physician {user}") for _, user in studies]
    return comparisons, names


def test_the_subset_is_the_one_the_corpus_readme_describes() -> None:
    assert len(PROMPTS) == 148
    assert len({p["PMCID"] for p in PROMPTS.values()}) == 40
    assert len(DOUBLE) == 141
    disagreeing = sum(j[0].label != second(j).label for j in DOUBLE.values())
    assert disagreeing == 60


def test_prompts_in_another_order_are_paired_on_their_wording_alone() -> None:
    comparisons, _ = compare_articles(JUDGEMENTS)
    paired = [c for study in comparisons for c in study.fields if c.field_id == "prompt_id"]
    states = Counter(c.state for c in paired)
    # prompt_id is no key field: it agrees because the wording found the right partner
    assert states == {ComparisonState.AGREED: 141, ComparisonState.ONLY_B: 148 - 141}


def test_percent_agreement_and_kappa_match_a_plain_count() -> None:
    report = agreement(TEMPLATE, compare_articles(DOUBLE)[0])
    effect = report.field("prompts.effect")
    assert effect is not None and effect.kappa is not None and effect.kappa.value is not None

    pairs = [(j[0].label, second(j).label) for j in DOUBLE.values()]
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    counts_a, counts_b = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(counts_a[label] / n * counts_b[label] / n for label in CODES)
    kappa = (observed - expected) / (1 - expected)

    assert (effect.n_items, effect.agreed) == (141, 81)
    assert effect.percent_agreement == pytest.approx(100 * observed, abs=1e-9)
    assert effect.kappa.value == pytest.approx(kappa, abs=1e-9)
    assert effect.kappa.value == pytest.approx(0.3352, abs=1e-4)
    # Enriched for disagreement, the subset sits far below the whole file's 87.2 % / 0.80.
    assert effect.percent_agreement < 87.2 and effect.kappa.value < 0.80


def test_without_merging_the_label_variant_agreement_looks_worse() -> None:
    raw: dict[str, dict[int, str]] = {}
    for row in read_csv("annotations.csv"):
        raw.setdefault(row["PromptID"], {})[int(row["UserID"])] = row["Label"]
    pairs = [
        (labels[0], next(v for u, v in labels.items() if u != 0))
        for labels in raw.values()
        if len(labels) == 2 and 0 in labels
    ]
    unmerged = cohen_kappa(pairs)
    merged = cohen_kappa([(j[0].label, second(j).label) for j in DOUBLE.values()])
    assert unmerged.observed is not None and merged.observed is not None
    assert unmerged.observed < merged.observed


def test_agreeing_labels_backed_by_passages_that_never_overlap_are_marked() -> None:
    comparisons, _ = compare_articles(DOUBLE)
    marked = sum(
        c.same_value_different_evidence
        for study in comparisons
        for c in study.fields
        if c.field_id == "effect"
    )

    def overlap(a: Judgement, b: Judgement) -> bool:
        return any(s1 < e2 and s2 < e1 for s1, e1 in a.spans for s2, e2 in b.spans)

    expected = sum(
        j[0].label == second(j).label and not overlap(j[0], second(j)) for j in DOUBLE.values()
    )
    assert marked == expected
    assert 0 < marked < 81


def test_each_physician_against_the_verifier() -> None:
    """The final label is the one the verifier judged valid (physician 0's when both are)."""
    comparisons, names = compare_articles(DOUBLE)
    finals: list[list[FieldValueInfo]] = []
    for study in comparisons:
        final: list[FieldValueInfo] = []
        for compared in study.fields:
            if compared.field_id != "prompt_id":
                continue
            by_user = JUDGEMENTS[compared.value_a]
            valid = [j for j in (by_user[0], second(by_user)) if j.valid]
            if valid:
                final.append(answer(f"prompts[{compared.row}].effect", CODES[valid[0].label]))
        finals.append(final)
    rates = disagreement_with_final(TEMPLATE, comparisons, finals, names)

    expected_items: Counter[str] = Counter()
    expected_wrong: Counter[str] = Counter()
    for by_user in DOUBLE.values():
        valid = [j for j in (by_user[0], second(by_user)) if j.valid]
        for judgement in (by_user[0], second(by_user)):
            name = f"physician {judgement.user}"
            expected_items[name] += 1  # every physician answered, so every prompt counts
            expected_wrong[name] += not valid or judgement.label != valid[0].label
    found = {
        r.reviewer: next((f.n_items, f.disagreed) for f in r.fields if f.field == "prompts.effect")
        for r in rates
    }
    assert found == {name: (expected_items[name], expected_wrong[name]) for name in expected_items}
    assert found["physician 0"][1] < found["physician 0"][0] / 2


def test_kappa_matches_scikit_learn_where_it_is_installed() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    pairs = [(j[0].label, second(j).label) for j in DOUBLE.values()]
    expected = metrics.cohen_kappa_score([a for a, _ in pairs], [b for _, b in pairs])
    assert cohen_kappa(pairs).value == pytest.approx(expected, abs=1e-9)
