"""A reviewer at work on a sample document: filling fields from its real passages."""

from dataclasses import dataclass

from core.domain import Changes, Finding
from core.services import checks, editing, rows
from core.services.project import Project
from tests.helpers import SAMPLE_DOCS

CROHN = SAMPLE_DOCS / "001_dbdeea00f2d7ba41.txt"  # 23 enrolled, 20 completed, 12 (60%), 30/43
REGISTRY_LIVER = SAMPLE_DOCS / "002_2daa943672722da7.txt"  # NCT05871463, recruiting
REGISTRY_RECTAL = SAMPLE_DOCS / "003_4e1a4e9671574f0b.txt"  # NCT06536712, Aug to Dec 2024
SEPSIS = SAMPLE_DOCS / "004_289d336515b9ba3b.txt"  # 15 enrolled in three dose cohorts


@dataclass
class Desk:
    """One reviewer's extraction of one study, with the study's document open."""

    project: Project
    extraction_id: int
    study_id: int
    document_id: int
    text: str

    def span(self, passage: str, occurrence: int = 1) -> tuple[int, int]:
        """Where the `occurrence`-th appearance of `passage` is in the document."""
        start = -1
        for _ in range(occurrence):
            start = self.text.index(passage, start + 1)
        return start, start + len(passage)

    def fill(self, path: str, passage: str, occurrence: int = 1) -> Changes:
        """Select `passage` in the document and send it to the field, as in the app."""
        start, end = self.span(passage, occurrence)
        return editing.fill_from_selection(
            self.project, self.extraction_id, path, self.document_id, start, end
        )

    def evidence(self, path: str, passage: str) -> Changes:
        start, end = self.span(passage)
        return editing.add_evidence(
            self.project, self.extraction_id, path, self.document_id, start, end
        )

    def type(self, path: str, value: object, unit: str | None = None) -> Changes:
        return editing.set_value(self.project, self.extraction_id, path, value, unit=unit)

    def add_row(self, group: str) -> int:
        position, _ = rows.add_row(self.project, self.extraction_id, group)
        return position

    def findings(self) -> dict[str, Finding]:
        """The extraction's findings by key, as the problems panel lists them."""
        return {f.key: f for f in checks.check_extraction(self.project, self.extraction_id)}


def keys(changes_or_findings: Changes | list[Finding]) -> set[str]:
    found = (
        changes_or_findings.findings
        if isinstance(changes_or_findings, Changes)
        else changes_or_findings
    )
    return {f.key for f in found}
