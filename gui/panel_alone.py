"""One panel of the main window alone, against one document, for working on that panel.

    python -m gui.panel_alone PANEL FILE

PANEL is one of `studies`, `document`, `form`, `problems`, `adjudication`; FILE is any
document the app imports, such as one in `sample_docs/`. The file is imported into a
throwaway project in a temporary folder, where two reviewers have each started an
extraction: both took the title from the document's first line, and they disagree on
the year. The panel is fed the same read models the main window gives it; the project
is deleted when the window closes.
"""

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from core.documents.pdf_engine import MEDIA_TYPE as PDF
from core.domain import ExtractionInfo, StudyInfo, Template
from core.errors import NotFoundError, TrialAbstractorError
from core.services import checks, documents, extractions, submission
from core.services.adjudication import adjudication
from core.services.demo import study_names
from core.services.editing import fill_from_selection, set_value
from core.services.paths import parse_path
from core.services.project import Project
from core.services.versions import field_label
from gui.adjudication.view import AdjudicationPanel
from gui.app import apply_style, make_application
from gui.document_view.pane import DocumentPane
from gui.form.panel import FormPanel
from gui.problems_panel import ProblemsPanel
from gui.study_list import StudyListWidget

REVIEWERS = ("Reviewer A", "Reviewer B")
YEARS = (2023, 2024)
ACKNOWLEDGED = "Accepted so that the extraction can be submitted for adjudication."


@dataclass
class Sample:
    """A throwaway project holding one study made of one document."""

    project: Project
    study: StudyInfo
    extractions: tuple[ExtractionInfo, ExtractionInfo]


def build_sample(folder: Path, file: Path) -> Sample:
    """Import `file` into a new project in `folder` and enter two reviewers' answers."""
    project = Project.create(folder / "panel.sqlite")
    outcomes, _ = documents.import_files(project, [file], study_name=study_names().get(file.name))
    document = outcomes[0].document
    if outcomes[0].error or document is None:
        project.close()
        raise TrialAbstractorError(outcomes[0].error or f"{file.name} could not be imported.")
    text = documents.document_text(project, document.id).text
    start, end = _first_line(text)
    started = []
    for reviewer, year in zip(REVIEWERS, YEARS, strict=True):
        extractions.add_reviewer(project, reviewer)
        info, _ = extractions.start_extraction(project, document.study_id, reviewer)
        if end > start:
            fill_from_selection(project, info.id, "title", document.id, start, end)
        set_value(project, info.id, "year", year)
        started.append(info)
    study = extractions.get_study(project, document.study_id)
    assert study is not None
    return Sample(project, study, (started[0], started[1]))


def _first_line(text: str) -> tuple[int, int]:
    """Offsets of the first line holding words, without its surrounding spaces."""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) > 3:
            start = offset + line.index(stripped)
            return start, start + len(stripped)
        offset += len(line) + 1
    return 0, 0


def submit_both(sample: Sample) -> None:
    """Acknowledge every error of both extractions and submit them, as adjudication needs."""
    for info in sample.extractions:
        for finding in checks.check_extraction(sample.project, info.id):
            if finding.blocking:
                checks.acknowledge(sample.project, info.id, finding.key, ACKNOWLEDGED)
        submission.submit_extraction(sample.project, info.id)


def _document_names(sample: Sample) -> dict[int, str]:
    return {doc.id: doc.filename for doc in sample.study.documents}


def studies_panel(sample: Sample) -> QWidget:
    panel = StudyListWidget()
    panel.set_studies(extractions.list_studies(sample.project))
    panel.expandAll()
    return panel


def document_panel(sample: Sample) -> QWidget:
    panel = DocumentPane()
    for doc in sample.study.documents:
        text = documents.document_text(sample.project, doc.id)
        data = documents.document_bytes(sample.project, doc.id) if doc.media_type == PDF else None
        panel.add_document(doc, text, data)
    return panel


def form_panel(sample: Sample) -> QWidget:
    project, first = sample.project, sample.extractions[0]
    panel = FormPanel(project.template)
    values = extractions.list_values(project, first.id)
    panel.show_extraction(
        values,
        extractions.row_counts(project, first.id),
        _document_names(sample),
        read_only=False,
    )
    return panel


def problems_panel(sample: Sample) -> QWidget:
    project, first = sample.project, sample.extractions[0]
    findings = checks.check_extraction(project, first.id)
    panel = ProblemsPanel()
    panel.set_findings(findings, {f.path: _label(project.template, f.path) for f in findings})
    return panel


def _label(template: Template, path: str) -> str:
    """The field's name as the form shows it; a group or the whole record by its path."""
    try:
        return field_label(template, parse_path(path))
    except NotFoundError:
        return path


def adjudication_panel(sample: Sample) -> QWidget:
    submit_both(sample)
    panel = AdjudicationPanel(sample.project.template)
    panel.set_adjudication(
        adjudication(sample.project, sample.study.id), None, _document_names(sample)
    )
    panel.set_active(True)
    return panel


PANELS: dict[str, Callable[[Sample], QWidget]] = {
    "studies": studies_panel,
    "document": document_panel,
    "form": form_panel,
    "problems": problems_panel,
    "adjudication": adjudication_panel,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gui.panel_alone", description=__doc__)
    parser.add_argument("panel", choices=sorted(PANELS))
    parser.add_argument("file", type=Path, help="a document, for example one in sample_docs/")
    args = parser.parse_args(argv)
    app = make_application()
    apply_style(app)
    with tempfile.TemporaryDirectory(prefix="trial-abstractor-panel-") as folder:
        try:
            sample = build_sample(Path(folder), args.file)
        except (OSError, TrialAbstractorError) as exc:
            print(f"{args.file}: {exc}", file=sys.stderr)
            return 1
        try:
            widget = PANELS[args.panel](sample)
            widget.setWindowTitle(f"{args.panel}: {args.file.name}")
            widget.resize(900, 700)
            widget.show()
            code = app.exec()
            if isinstance(widget, DocumentPane):
                widget.clear()  # releases the PDFs before their project goes
            return code
        finally:
            sample.project.close()


if __name__ == "__main__":
    sys.exit(main())
