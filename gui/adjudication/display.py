"""How an adjudication item reads on screen: words, colours, value text, filters."""

from dataclasses import dataclass
from enum import StrEnum

from core.adjudication import ComparisonState
from core.domain import FieldSpec, FieldStatus, FieldValueInfo, Template
from core.domain.adjudication import Adjudication, AdjudicationItem, Choice, ItemState
from core.parsing import format_value
from gui.document_view.highlights import Highlight

COLOUR_A = "#b8e0ff"
COLOUR_B = "#ffd5b0"
COLOUR_BOTH = "#c8f0c0"
STATUS_TEXT = {
    FieldStatus.NOT_REPORTED: "not reported",
    FieldStatus.NOT_APPLICABLE: "not applicable",
    FieldStatus.UNCLEAR: "unclear",
}


@dataclass(frozen=True)
class Pill:
    """A short coloured label: text, text colour, background (empty: none)."""

    text: str
    colour: str
    background: str = ""
    tip: str = ""
    bold: bool = False


COMPARISON_PILLS = {
    ComparisonState.AGREED: Pill("agreed", "#2e7d32", "#e3f1e4", "Both reviewers gave this answer"),
    ComparisonState.DISAGREED: Pill(
        "differ", "#b00020", "#fbe3e6", "The reviewers' answers differ"
    ),
    ComparisonState.ONLY_A: Pill("only A", "#8a5a00", "#fff1cc", "Only reviewer A answered"),
    ComparisonState.ONLY_B: Pill("only B", "#8a5a00", "#fff1cc", "Only reviewer B answered"),
    ComparisonState.BOTH_EMPTY: Pill("", "#8a8a8a", "", "Neither reviewer answered"),
}
CHOICE_WORDS = {
    Choice.AGREED: "agreed",
    Choice.A: "took A",
    Choice.B: "took B",
    Choice.EDIT: "edited",
}
EMPTY_PILL = Pill("", "#8a8a8a")
ON_START_PILL = Pill("on start", "#5f6368", "", "Both gave this answer: starting takes it over")
EVIDENCE_PILL = Pill("≠ passage", "#1d4f91", "#e3ecfa", "Same value, different evidence")
PENDING_PILL = Pill("to decide", "#8a5a00", "#fff1cc", "Waits for your decision", bold=True)
STALE_PILL = Pill(
    "stale",
    "#ffffff",
    "#c2410c",
    "A reviewer changed their answer after this decision: decide again",
    bold=True,
)


class Filter(StrEnum):
    DISAGREEMENTS = "disagreements"
    STALE = "stale"
    ALL = "all"


FILTER_TITLES = {
    Filter.DISAGREEMENTS: "Disagreements",
    Filter.STALE: "Stale",
    Filter.ALL: "All fields",
}


def taken_over_on_start(item: AdjudicationItem, started: bool) -> bool:
    """Before the start, whether starting takes this answer over (both gave it in full)."""
    return not started and item.comparison.agreed_in_full and item.answer_a is not None


def waits(item: AdjudicationItem, started: bool = True) -> bool:
    """Whether the item needs the adjudicator (pending or stale, and not merged on start)."""
    if item.state is ItemState.STALE:
        return True
    return item.state is ItemState.PENDING and not taken_over_on_start(item, started)


def shown(item: AdjudicationItem, which: Filter, started: bool = True) -> bool:
    """Whether the item is listed under the filter.

    Disagreements keep a row once it is decided, so the list does not shift under the
    adjudicator's cursor; anything still waiting for a decision is listed too.
    """
    if which is Filter.ALL:
        return True
    if which is Filter.STALE:
        return item.state is ItemState.STALE
    return item.disagreement or waits(item, started)


def comparison_pill(item: AdjudicationItem) -> Pill:
    return COMPARISON_PILLS[item.comparison.state]


def decision_pill(item: AdjudicationItem, started: bool = True) -> Pill:
    if taken_over_on_start(item, started):
        return ON_START_PILL
    if item.state is ItemState.PENDING:
        return PENDING_PILL
    if item.state is ItemState.STALE:
        return STALE_PILL
    if item.decision is None:
        return EMPTY_PILL
    tip = f"{CHOICE_WORDS[item.decision.choice]} by {item.decision.actor}"
    if item.decision.reason:
        tip += f": {item.decision.reason}"
    return Pill("✓ " + CHOICE_WORDS[item.decision.choice], "#2e7d32", "", tip)


def spec_of(template: Template, item: AdjudicationItem) -> FieldSpec | None:
    return template.field(item.comparison.template_id)


def answer_text(spec: FieldSpec | None, answer: FieldValueInfo | None) -> str:
    """The answer as the reviewer would read it; "" for no answer."""
    if answer is None:
        return ""
    if answer.status is not FieldStatus.VALUE:
        return STATUS_TEXT.get(answer.status, answer.status.value.replace("_", " "))
    text = format_value(spec, answer.value) if spec is not None else str(answer.value)
    if answer.unit and not text.endswith(answer.unit):
        text = f"{text} {answer.unit}"
    return text


def evidence_words(answer: FieldValueInfo | None) -> str:
    count = len(answer.anchors) if answer is not None else 0
    return "no passage" if count == 0 else f"{count} passage{'s' if count != 1 else ''}"


def passage_highlights(view: Adjudication) -> dict[int, list[Highlight]]:
    """A's passages in blue, B's in orange, a passage both reviewers chose in green."""
    spans: dict[tuple[int, int, int], list[tuple[str, str]]] = {}
    for item in view.items:
        for who, answer in (("A", item.answer_a), ("B", item.answer_b)):
            for anchor in answer.anchors if answer is not None else ():
                key = (anchor.document_id, anchor.start, anchor.end)
                spans.setdefault(key, []).append((who, item.path))
    labels = {i.path: i.label for i in view.items}
    by_document: dict[int, list[Highlight]] = {}
    for (document_id, start, end), owners in spans.items():
        whose = {who for who, _ in owners}
        both = len(whose) == 2
        colour = COLOUR_BOTH if both else (COLOUR_A if "A" in whose else COLOUR_B)
        fields = ", ".join(sorted({labels[path] for _, path in owners}))
        who = "A and B" if both else next(iter(whose))
        by_document.setdefault(document_id, []).append(
            Highlight(start, end, owners[0][1], f"{who}: {fields}", colour)
        )
    return by_document
