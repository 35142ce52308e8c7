"""Start-up figures: from starting the app to an interactive window, project of 1,000 studies.

Each run is a fresh process (`python -c`, offscreen platform, settings in a temporary
folder), timed from its start by this process:
- the app, started the way `trial-abstractor open PROJECT --reviewer NAME` starts it
  (`gui.launch.main`): the project opened, the main window shown with the study list
  filled, the first study's document shown with its form, and the event loop idle;
- the time to the window being shown with the study list filled, on the way;
- the reference: a bare QApplication showing an empty QMainWindow, the event loop idle.

The project comes from the benchmarks' generator: 1,000 studies of about 50 values.

Run: python -m tests.benchmarks.bench_startup [--studies N] [--runs N]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import Result, command_line, noted
from tests.benchmarks.generator import REVIEWER, build_project

STUDIES = 1_000
RUNS = 5
BUDGET = 1.0
TIMEOUT = 60.0

# Watches the app started by the real launcher: `make_application` is wrapped (once the
# launcher opens the GUI) so that a timer starts with the application; it reports when
# the window is shown with its study list filled, and when the first study's document
# is on screen and nothing is pending.
APP = """
import sys
import gui.launch

path, reviewer, studies = sys.argv[1], sys.argv[2], int(sys.argv[3])
state = {"shown": False}
open_gui = gui.launch._open_gui

def report(word):
    print(word, flush=True)

def watched_gui(project, reviewer=None):
    # Imported here, where the launcher imports them: after the core.
    import gui.app
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from gui.main_window import MainWindow

    def idle():
        report("ready")
        QApplication.instance().quit()

    def poll():
        window = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None
        )
        if window is None or not window.isVisible():
            return
        if not state["shown"] and window.study_list.topLevelItemCount() == studies:
            state["shown"] = True
            report("shown")
        if state["shown"] and window.current_view() is not None:
            timer.stop()
            QTimer.singleShot(0, idle)

    make_application = gui.app.make_application

    def watched(argv=None):
        global timer
        app = make_application(argv)
        timer = QTimer(app)
        timer.setInterval(2)
        timer.timeout.connect(poll)
        timer.start()
        return app

    gui.app.make_application = watched
    return open_gui(project, reviewer)

gui.launch._open_gui = watched_gui
sys.exit(gui.launch.main(["open", path, "--reviewer", reviewer]))
"""

REFERENCE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1440, 900)
window.show()

def idle():
    print("shown", flush=True)
    print("ready", flush=True)
    app.quit()

QTimer.singleShot(0, idle)
app.exec()
"""


def _start(code: str, args: list[str], settings: Path) -> dict[str, float]:
    """Seconds from starting a fresh process running `code` to each word it prints."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(settings))
    root = Path(__file__).resolve().parent.parent.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    seen: dict[str, float] = {}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    assert child.stdout is not None
    for line in child.stdout:
        seen[line.strip()] = time.perf_counter() - started
        if "ready" in seen:
            break
    try:
        _, errors = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    if "ready" not in seen:
        raise RuntimeError(f"the window never became ready: {errors[-2000:]}")
    return seen


def measure(studies: int, runs: int) -> tuple[list[Result], list[str]]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        project = build_project(folder / "startup.sqlite", studies, 50)
        project.close()
        args = [str(folder / "startup.sqlite"), REVIEWER, str(studies)]
        app_runs, reference_runs = [], []
        for turn in range(runs + 1):  # the first of each warms the disk cache, not counted
            settings = folder / f"settings-{turn}"
            app = _start(APP, args, settings)
            reference = _start(REFERENCE, [], settings)
            if turn:
                app_runs.append(app)
                reference_runs.append(reference)
    ready = statistics.median(r["ready"] for r in app_runs)
    shown = statistics.median(r["shown"] for r in app_runs)
    bare = statistics.median(r["ready"] for r in reference_runs)
    name = "bare QApplication, empty QMainWindow"
    notes = [f"{studies:,} studies, median of {runs} fresh processes each"]
    return [
        Result(
            f"start-up to an interactive window ({studies:,} studies)",
            ready,
            bare,
            name,
            budget=BUDGET,
        ),
        Result(f"start-up to the window with its study list ({studies:,} studies)", shown),
    ], notes


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    return noted(measure(STUDIES, RUNS))


def main(argv: list[str] | None = None) -> int:
    return command_line(__doc__, measure, argv, studies=STUDIES, runs=RUNS)


if __name__ == "__main__":
    sys.exit(main())
