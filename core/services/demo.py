"""The demo project: built once from `sample_docs/` in the user's data directory."""

from pathlib import Path

import yaml
from platformdirs import user_data_dir

from core.errors import TrialAbstractorError
from core.services.documents import import_files
from core.services.project import Project

_MANIFEST = Path(__file__).resolve().parent.parent.parent / "resources" / "demo_studies.yaml"


def sample_docs_dir() -> Path:
    """The `sample_docs/` folder next to the installed packages."""
    return Path(__file__).resolve().parent.parent.parent / "sample_docs"


def demo_project_path() -> Path:
    return Path(user_data_dir("trial-abstractor", appauthor=False)) / "demo-project.sqlite"


def study_names() -> dict[str, str]:
    """File name -> readable study name for the sample documents."""
    data = yaml.safe_load(_MANIFEST.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["studies"].items()}


def open_demo_project(path: Path | None = None) -> Project:
    """Open the demo project, creating it from the sample documents the first time."""
    target = path or demo_project_path()
    if target.exists():
        return Project.open(target)
    samples = sample_docs_dir()
    files = sorted(samples.glob("*.txt")) if samples.is_dir() else []
    if not files:
        raise TrialAbstractorError(f"The sample documents are missing from {samples}.")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    project = Project.create(partial)
    names = study_names()
    for file in files:
        outcomes, _ = import_files(project, [file], study_name=names.get(file.name))
        if outcomes[0].error:
            project.close()
            raise TrialAbstractorError(outcomes[0].error)
    project.close()
    for suffix in ("-wal", "-shm"):
        side = Path(str(partial) + suffix)
        if side.exists():
            side.rename(Path(str(target) + suffix))
    partial.rename(target)
    return Project.open(target)
