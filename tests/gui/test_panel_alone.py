"""Each panel of the main window runs alone against a sample document (gui.panel_alone)."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from gui import panel_alone
from gui.adjudication.view import AdjudicationPanel
from gui.document_view.pane import DocumentPane
from gui.document_view.pdf_view import PdfPageView
from gui.form.panel import FormPanel
from gui.problems_panel import ProblemsPanel
from gui.study_list import StudyListWidget
from tests.helpers import RCT_ARTICLE, ROOT, SAMPLE_DOCS

PHASE_1 = SAMPLE_DOCS / "000_7e8788222f9dad24.txt"
TITLE = "Safety and efficacy of injection of human placenta mesenchymal stem cells"


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[panel_alone.Sample]:
    built = panel_alone.build_sample(tmp_path, PHASE_1)
    yield built
    built.project.close()


def test_the_study_list_alone_shows_the_study_and_both_reviewers(
    sample: panel_alone.Sample, qtbot: QtBot
) -> None:
    panel = panel_alone.studies_panel(sample)
    qtbot.addWidget(panel)
    assert isinstance(panel, StudyListWidget)
    study = panel.topLevelItem(0)
    assert study is not None
    assert study.text(0) == "Pak 2023 - exosomes for complex perianal fistula (phase I)"
    lines = [study.child(i).text(0) for i in range(study.childCount())]
    assert "000_7e8788222f9dad24.txt" in lines
    assert "A: Reviewer A — in progress" in lines


def test_the_document_alone_shows_the_sample_text(sample: panel_alone.Sample, qtbot: QtBot) -> None:
    panel = panel_alone.document_panel(sample)
    qtbot.addWidget(panel)
    assert isinstance(panel, DocumentPane)
    view = panel.current_view()
    assert isinstance(view, QPlainTextEdit)
    assert view.toPlainText().startswith(TITLE)


def test_the_document_alone_shows_a_pdf_as_pages(tmp_path: Path, qtbot: QtBot) -> None:
    sample = panel_alone.build_sample(tmp_path, RCT_ARTICLE)
    try:
        panel = panel_alone.document_panel(sample)
        qtbot.addWidget(panel)
        assert isinstance(panel.current_view(), PdfPageView)
        panel.clear()
    finally:
        sample.project.close()


def test_the_form_alone_shows_reviewer_a_values_and_evidence(
    sample: panel_alone.Sample, qtbot: QtBot
) -> None:
    panel = panel_alone.form_panel(sample)
    qtbot.addWidget(panel)
    assert isinstance(panel, FormPanel)
    title = panel.fields["title"].value
    assert title is not None and str(title.value).startswith(TITLE)
    assert [a.exact.startswith(TITLE) for a in title.anchors] == [True]
    assert panel.fields["year"].editor.widget.text() == "2023"  # type: ignore[attr-defined]


def test_the_problems_alone_list_the_findings_with_field_names(
    sample: panel_alone.Sample, qtbot: QtBot
) -> None:
    panel = panel_alone.problems_panel(sample)
    qtbot.addWidget(panel)
    assert isinstance(panel, ProblemsPanel)
    rows = [
        (item.text(1), item.text(2))
        for item in (panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount()))
        if item is not None
    ]
    assert ("Enrolled", "Enrolled is required: record it, or mark it not reported.") in rows
    assert ("Year", "Year (2023) has no evidence: select the passage it comes from.") in rows


def test_the_adjudication_alone_shows_the_one_disagreement(
    sample: panel_alone.Sample, qtbot: QtBot
) -> None:
    panel = panel_alone.adjudication_panel(sample)
    qtbot.addWidget(panel)
    assert isinstance(panel, AdjudicationPanel)
    assert panel.people.text().startswith("A: Reviewer A  ·  B: Reviewer B")
    assert panel.table.paths() == ["year"]
    answers = [panel.table.cell_for("year", column) for column in (2, 3)]
    assert [cell.value.text() if cell else None for cell in answers] == ["2023", "2024"]


def test_a_file_that_cannot_be_imported_is_named_with_the_reason(tmp_path: Path) -> None:
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    done = subprocess.run(
        [sys.executable, "-m", "gui.panel_alone", "document", str(binary)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"{binary}: ")
    assert "binary" in done.stderr.lower() or "not a" in done.stderr.lower()
