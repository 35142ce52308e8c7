"""Fixtures for the checks: sample documents opened as studies, reviewers at work."""

from collections.abc import Callable
from pathlib import Path

import pytest

from core.services import documents, extractions
from core.services.project import Project
from tests.core.checks.desk import Desk

DeskFactory = Callable[..., Desk]


@pytest.fixture
def desk(project: Project) -> DeskFactory:
    """Opens a sample document as a study for a reviewer: desk(CROHN, reviewer="Ana")."""
    studies: dict[Path, tuple[int, int, str]] = {}

    def open_desk(sample: Path, reviewer: str = "Ana", study: str | None = None) -> Desk:
        if sample not in studies:
            outcomes, _ = documents.import_files(project, [sample], study_name=study)
            doc = outcomes[0].document
            assert doc is not None, outcomes[0].error
            text = documents.document_text(project, doc.id).text
            studies[sample] = (doc.study_id, doc.id, text)
        study_id, document_id, text = studies[sample]
        extractions.add_reviewer(project, reviewer)
        extraction, _ = extractions.start_extraction(project, study_id, reviewer)
        return Desk(project, extraction.id, study_id, document_id, text)

    return open_desk
