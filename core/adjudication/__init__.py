"""Double extraction: comparing two reviewers' answers, aligning rows, agreement figures."""

from core.adjudication.agreement import (
    AgreementReport,
    FieldAgreement,
    OverallAgreement,
    agreement,
)
from core.adjudication.align import RowPair, align_rows
from core.adjudication.compare import (
    AnswerComparison,
    compare_answers,
    describe,
    shares_passage,
)
from core.adjudication.comparison import (
    FieldComparison,
    RowAlignment,
    StudyComparison,
    compare_extractions,
)
from core.adjudication.final import (
    FieldDisagreement,
    ReviewerDisagreement,
    disagreement_with_final,
)
from core.adjudication.kappa import Kappa, cohen_kappa
from core.adjudication.states import ComparisonState, Match
from core.adjudication.values import Tolerance, match_values, tolerance_for

__all__ = [
    "AgreementReport",
    "AnswerComparison",
    "ComparisonState",
    "FieldAgreement",
    "FieldComparison",
    "FieldDisagreement",
    "Kappa",
    "Match",
    "OverallAgreement",
    "ReviewerDisagreement",
    "RowAlignment",
    "RowPair",
    "StudyComparison",
    "Tolerance",
    "agreement",
    "align_rows",
    "cohen_kappa",
    "compare_answers",
    "compare_extractions",
    "describe",
    "disagreement_with_final",
    "match_values",
    "shares_passage",
    "tolerance_for",
]
