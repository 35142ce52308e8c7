"""The adjudication of a study as services report it: each field's answers and verdict."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.adjudication import ComparisonState, FieldComparison
from core.domain import ExtractionStatus, FieldValueInfo


class Choice(StrEnum):
    AGREED = "agreed"  # both reviewers gave this answer; taken over on start
    A = "a"
    B = "b"
    EDIT = "edit"  # the adjudicator's own answer, with a reason


class ItemState(StrEnum):
    EMPTY = "empty"  # neither reviewer answered; nothing to decide
    PENDING = "pending"  # waits for a decision
    DECIDED = "decided"
    STALE = "stale"  # decided, but A's or B's answer has changed since


class DecisionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    path: str
    choice: Choice
    answer: dict[str, Any] | None
    reason: str
    actor: str
    at: datetime
    stale: bool = False
    superseded: bool = False


class AdjudicationItem(BaseModel):
    """One field of the final record: both reviewers' answers, the final one, the verdict."""

    model_config = ConfigDict(frozen=True)

    path: str
    label: str
    comparison: FieldComparison
    answer_a: FieldValueInfo | None = None
    answer_b: FieldValueInfo | None = None
    final: FieldValueInfo | None = None
    decision: DecisionInfo | None = None
    state: ItemState

    @property
    def disagreement(self) -> bool:
        """Whether A and B gave different answers (a decision between them was needed)."""
        return self.comparison.state not in (ComparisonState.AGREED, ComparisonState.BOTH_EMPTY)


class Adjudication(BaseModel):
    """A study's adjudication as it stands: every field, in form order."""

    model_config = ConfigDict(frozen=True)

    study_id: int
    study: str
    reviewer_a: str
    reviewer_b: str
    extraction_a: int
    extraction_b: int
    final_extraction_id: int | None
    final_status: ExtractionStatus | None
    items: tuple[AdjudicationItem, ...]

    def item(self, path: str) -> AdjudicationItem | None:
        return next((i for i in self.items if i.path == path), None)

    def waiting(self) -> list[AdjudicationItem]:
        """Fields that still need a decision (pending or stale)."""
        return [i for i in self.items if i.state in (ItemState.PENDING, ItemState.STALE)]

    @property
    def finished(self) -> bool:
        return self.final_status is ExtractionStatus.FINAL
