"""A failed or cancelled export leaves no half file and no temporary file behind.

The failures are real: the file system refusing a write (a file size limit set with
setrlimit in a child process, as a full disk would), a folder where a file must go, and
a cancel from the progress callback.
"""

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.export.files import ExportError
from core.export.options import EvidenceMode, ExportOptions
from core.services.export import export_project
from tests.core.export.export_desk import Scene, build_scene
from tests.helpers import ROOT

OLD = b"an earlier export, complete\r\n"


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    built = build_scene(tmp_path_factory.mktemp("atomic"))
    yield built
    built.project.close()


def earlier_export(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("records.csv", "dictionary.csv", "records_arms.csv"):
        (folder / name).write_bytes(OLD)


def assert_untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == [
        "dictionary.csv",
        "records.csv",
        "records_arms.csv",
    ]
    for path in folder.iterdir():
        assert path.read_bytes() == OLD


class Stop(Exception):
    """Raised by the progress callback, as the app's cancel does."""


def test_cancel_midway_leaves_the_earlier_export(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "out"
    earlier_export(out)
    seen: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append(label)
        if label == "Writing dictionary.csv":
            raise Stop()

    options = ExportOptions(evidence=EvidenceMode.FILE, write_json=True)
    with pytest.raises(Stop):
        export_project(scene.project, out, options, progress=progress)
    assert "Writing records_arms.csv" in seen  # two files were written before the cancel
    assert_untouched(out)


def test_a_new_folder_is_removed_again_on_failure(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"

    def progress(done: int, total: int, label: str) -> None:
        if label.startswith("Writing records_arms"):
            raise Stop()

    with pytest.raises(Stop):
        export_project(scene.project, out, ExportOptions(), progress=progress)
    assert not out.exists()
    assert (tmp_path / "new").exists()  # made by the export too, but only the last is removed


def test_a_folder_in_the_way_stops_the_export_before_any_file_moves(
    scene: Scene, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    earlier_export(out)
    (out / "records.json").mkdir()
    with pytest.raises(ExportError, match=r"records.json is a folder"):
        export_project(scene.project, out, ExportOptions(write_json=True))
    assert sorted(p.name for p in out.iterdir()) == [
        "dictionary.csv",
        "records.csv",
        "records.json",
        "records_arms.csv",
    ]
    assert (out / "records.csv").read_bytes() == OLD


CHILD = """
import resource
import sys
from pathlib import Path

from core.export.options import EvidenceMode, ExportOptions
from core.services.export import export_project
from core.services.project import Project

project = Project.open(sys.argv[1])
limit = int(sys.argv[3])


def progress(done, total, label):
    # The records are read: from here on no file may grow past the limit, as on a full disk.
    if label == "Writing records.csv":
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))


options = ExportOptions(evidence=EvidenceMode.COLUMNS, write_json=True, jsonld=True)
try:
    export_project(project, Path(sys.argv[2]), options, progress=progress)
except Exception as exc:
    print(type(exc).__name__, exc)
    sys.exit(3)
print("written")
"""


def test_the_disk_refusing_a_write_midway_leaves_nothing(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "out"
    earlier_export(out)
    database = str(scene.project.engine.url.database)
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), database, str(out), "4096"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 3, run.stdout + run.stderr
    assert run.stdout.startswith("ExportError Cannot write dictionary.csv: File too large")
    assert_untouched(out)
    # The same export with room enough writes every file.
    roomy = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), database, str(out), str(1 << 24)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert roomy.returncode == 0, roomy.stdout + roomy.stderr
    assert (out / "records.json").exists() and (out / "annotations.jsonld").exists()
    assert not list(out.glob(".*.part"))
