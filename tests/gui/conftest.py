"""GUI tests run the real widgets offscreen with isolated settings."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def clipboard_released_before_exit() -> Iterator[None]:
    """Copy tests leave Python-made data on the clipboard; hand it to Qt before exit."""
    yield
    from gui.app import keep_clipboard_in_qt

    keep_clipboard_in_qt()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[None]:
    """Keep QSettings of tests away from the user's own."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("Trial Abstractor Tests")
    QCoreApplication.setApplicationName("Trial Abstractor Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Modal message boxes would wait for a click forever: record them instead.

    `question` answers No unless a test patches it.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def record(kind: str, answer: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def show(_parent: object, title: str, text: str, *_args: object, **_kw: object):  # type: ignore[no-untyped-def]
            shown.append((kind, f"{title}: {text}"))
            return answer

        return show

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, record(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.No))
    return shown


@pytest.fixture
def window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The demo project in the main window, Ana at work on the Crohn's study, its document shown."""
    from core.services import extractions
    from core.services.demo import open_demo_project
    from gui.main_window import MainWindow
    from tests.helpers import DEMO_CROHN

    project = open_demo_project(tmp_path / "demo.sqlite")
    main = MainWindow(project, reviewer="Ana")
    qtbot.addWidget(main)
    main.show()
    crohn = next(s for s in extractions.list_studies(project) if s.name == DEMO_CROHN)
    main.workspace.load_study(crohn.id)
    qtbot.waitUntil(
        lambda: (
            main.current_view() is not None
            and main.workspace.study is not None
            and main.workspace.study.id == crohn.id
        )
    )
    yield main
    project.close()
