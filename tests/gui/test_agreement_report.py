"""The agreement report dialog over the master project of two reviewers' bundles."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from core.services.agreement import project_agreement
from core.services.project import Project
from gui.agreement_report import AgreementReportDialog, level_colour
from tests.core.services.double_entry import master_project


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = master_project(tmp_path_factory.mktemp("agreement"))
    yield project
    project.close()


def loaded(qtbot: QtBot, project: Project) -> AgreementReportDialog:
    dialog = AgreementReportDialog(project)
    qtbot.addWidget(dialog)
    dialog.resize(1120, 720)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.agreement is not None)
    return dialog


def test_the_table_gives_each_field_and_overall(master: Project, qtbot: QtBot) -> None:
    dialog = loaded(qtbot, master)
    assert dialog.row_of("Phase") == ["Phase", "5", "5", "80.0 %", "—", "0.64"]
    percent = ["Outcome results: Percent", "1", "1", "0.0 %", "0.0 %", "—"]
    assert dialog.row_of("Outcome results: Percent") == percent
    assert dialog.row_of("Overall") == ["Overall", "5", "22", "86.4 %", "", "0.32"]
    assert dialog.row_of("Title") is None  # nobody answered it
    dialog.show_empty.setChecked(True)
    assert dialog.row_of("Title") == ["Title", "0", "0", "—", "—", "—"]
    assert "5</b> studies compared" in dialog.summary.text()
    assert dialog.reviewers.item(0, 0).text() == "No final record is finished yet."


def test_the_chart_draws_one_bar_per_answered_field(master: Project, qtbot: QtBot) -> None:
    dialog = loaded(qtbot, master)
    report = project_agreement(master).report
    answered = [f.field for f in report.fields if f.n_items]
    bars = dialog.chart.bars()
    assert len(bars) == len(answered) == 11
    assert [b.label for b in bars][:2] == ["Registry ID", "Phase"]
    assert "Arms: Arm label" in [b.label for b in bars]
    phase = next(b for b in bars if b.label == "Phase")
    assert (phase.percent, round(phase.kappa or 0, 2)) == (80.0, 0.64)
    image = dialog.chart.grab().toImage()
    for index, bar in enumerate(bars):
        centre = dialog.chart.bar_rect(index).center().toPoint()
        if bar.percent > 0:
            expected = QColor(level_colour(bar.percent))
            assert image.pixelColor(centre * image.devicePixelRatio()) == expected, bar.label


def test_no_double_entered_study_says_so(tmp_path: Path, qtbot: QtBot) -> None:
    project = Project.create(tmp_path / "empty.sqlite")
    try:
        dialog = loaded(qtbot, project)
        assert "nothing to compare" in dialog.summary.text()
        assert dialog.chart.bars() == []
    finally:
        project.close()
