"""Agreement between reviewers over the project's double-entered studies.

Studies count once both reviewers have submitted; the reviewers' disagreement with the
final record counts the studies whose adjudication is finished.
"""

from pydantic import BaseModel, ConfigDict

from core.adjudication import (
    AgreementReport,
    ReviewerDisagreement,
    StudyComparison,
    agreement,
    compare_extractions,
    disagreement_with_final,
)
from core.domain import ExtractionStatus, FieldValueInfo
from core.services.access import DONE, FINAL_KIND
from core.services.assignments import study_pair
from core.services.extractions import values_in_session
from core.services.project import Project
from core.storage.repositories import catalog


class ProjectAgreement(BaseModel):
    model_config = ConfigDict(frozen=True)

    studies_compared: tuple[str, ...]
    studies_final: tuple[str, ...]
    report: AgreementReport
    reviewers: tuple[ReviewerDisagreement, ...]


def project_agreement(project: Project) -> ProjectAgreement:
    """Per-field and overall agreement, and each reviewer's disagreement with the finals.

    Only studies both reviewers have submitted take part, so the figures never reveal
    an answer to a reviewer still blinded.
    """
    template = project.template
    comparisons: list[StudyComparison] = []
    compared: list[str] = []
    finals: list[list[FieldValueInfo]] = []
    final_comparisons: list[StudyComparison] = []
    final_names: list[tuple[str, str]] = []
    final_studies: list[str] = []
    with project.uow.read() as session:
        for study in catalog.studies(session):
            ext_a, ext_b = study_pair(session, study)
            if ext_a is None or ext_b is None:
                continue
            if ext_a.status not in DONE or ext_b.status not in DONE:
                continue
            comparison = compare_extractions(
                template, values_in_session(session, ext_a.id), values_in_session(session, ext_b.id)
            )
            comparisons.append(comparison)
            compared.append(study.name)
            final = next((e for e in study.extractions if e.kind == FINAL_KIND), None)
            if final is not None and final.status == ExtractionStatus.FINAL.value:
                finals.append(values_in_session(session, final.id))
                final_comparisons.append(comparison)
                final_names.append((ext_a.reviewer.name, ext_b.reviewer.name))
                final_studies.append(study.name)
    return ProjectAgreement(
        studies_compared=tuple(compared),
        studies_final=tuple(final_studies),
        report=agreement(template, comparisons),
        reviewers=disagreement_with_final(template, final_comparisons, finals, final_names),
    )
