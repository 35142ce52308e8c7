"""QApplication setup and `run()`: opens a project (the demo project by default)."""

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core import __version__
from core.errors import TrialAbstractorError
from core.services.demo import open_demo_project
from core.services.project import Project
from gui.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("Trial Abstractor")
    QCoreApplication.setApplicationName("Trial Abstractor")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv or sys.argv[:1])
    app.aboutToQuit.connect(keep_clipboard_in_qt)
    icon = RESOURCES / "icons" / "trial-abstractor.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def keep_clipboard_in_qt() -> None:
    """Replace clipboard data made in Python by a plain copy that Qt owns.

    Qt deletes the clipboard's data after the interpreter has shut down; data whose
    object was created from Python (a copied passage) would crash the process then.
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    clipboard = app.clipboard()
    text = clipboard.text()
    if text:
        clipboard.setText(text)
    else:
        clipboard.clear()


def apply_style(app: QApplication) -> None:
    """The app's look (resources/style.qss)."""
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def open_project(target: str | None) -> Project:
    return open_demo_project() if target is None else Project.open(target)


def run(target: str | None, reviewer: str | None = None) -> int:
    """Start the app on `target` (a project file or URL; None = demo project)."""
    app = make_application()
    apply_style(app)
    try:
        project = open_project(target)
    except TrialAbstractorError as exc:
        QMessageBox.critical(None, "Cannot open project", str(exc))
        print(f"error: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(project, reviewer=reviewer)
    window.show()
    window.ask_reviewer_if_unknown()
    code = app.exec()
    project.close()
    return int(code)
