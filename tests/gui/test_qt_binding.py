"""The Qt binding itself: a release that leaks references to None aborts the app."""

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
    assert sys.getrefcount(None) >= before - 50


QUIT_AFTER_COPY = """
import sys
from PySide6.QtCore import QMimeData, QTimer
from gui.app import make_application

app = make_application(["trial-abstractor"])
data = QMimeData()
data.setText("Twenty-three patients were enrolled")
data.setData("application/x-trial-abstractor-passage", b"{}")
app.clipboard().setMimeData(data)
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def test_quitting_after_a_copy_exits_cleanly() -> None:
    """Qt frees clipboard data after Python has gone; data made in Python must not be there."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", QUIT_AFTER_COPY],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
