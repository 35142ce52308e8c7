"""A project made by the first release opens with nothing lost; backups are real copies."""

import shutil
import sqlite3
from pathlib import Path

from core.cli import main
from core.services import bundle, extractions
from core.services.audit_log import audit_trail
from core.services.project import Project
from core.storage import db
from tests.helpers import TEST_DATA

RELEASE_0_1 = TEST_DATA / "projects" / "release-0.1.0.sqlite"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "old-project.sqlite"
    shutil.copy(RELEASE_0_1, target)
    return target


def test_first_release_project_opens_with_every_value(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    project = Project.open(path)
    assert db.current_revision(project.engine) == db.head_revision()
    studies = extractions.list_studies(project)
    assert len(studies) == 5
    crohn = next(s for s in studies if s.name.startswith("001_"))
    assert {e.reviewer: e.status.value for e in crohn.extractions} == {
        "Ana": "in_progress",
        "Bo": "submitted",
    }
    for ext in crohn.extractions:
        values = {v.path: v for v in extractions.list_values(project, ext.id)}
        assert values["enrolled"].value == 23
        assert values["enrolled"].note == "from the abstract"
        assert values["enrolled"].anchors[0].exact == "Twenty-three"
        assert values["completed"].value == 20
        assert values["age_mean_or_median"].status.value == "not_reported"
        assert values["arms[1].label"].value == "MSC-derived exosomes"
    assert len(audit_trail(project)) > 20
    exported = bundle.export_bundle(project)
    assert len(exported.extractions) == 2
    project.close()


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with sqlite3.connect(path) as connection:
        old_revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    project = Project.open(path)
    project.close()
    backups = list(tmp_path.glob("*.bak"))
    if old_revision == db.head_revision():
        assert backups == []
    else:
        assert [b.name for b in backups] == [f"old-project.sqlite.before-{old_revision}.bak"]
        assert not list(tmp_path.glob("*.part*")), "the backup left side files behind"
        with sqlite3.connect(backups[0]) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert revision[0] == old_revision


def test_backup_command_makes_a_checked_copy(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    project = Project.open(path)  # keep it open: the backup is online
    dest = tmp_path / "copies"
    dest.mkdir()
    assert main(["backup", str(path), str(dest)]) == 0
    (copy,) = dest.glob("*.sqlite")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = Project.open(copy)
    assert len(extractions.list_studies(reopened)) == len(extractions.list_studies(project))
    reopened.close()
    project.close()


def test_backup_refuses_postgres_urls(capsys: object) -> None:
    assert main(["backup", "postgresql://u@127.0.0.1/x", "/tmp/x"]) == 2


def test_audit_command_tells_who_changed_what(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _copy(tmp_path)
    assert main(["audit", str(path), "--study", "001_dbdeea00f2d7ba41"]) == 0
    out = capsys.readouterr().out
    assert "Bo: submit extraction" in out
    assert "Ana: fill field_value [001_dbdeea00f2d7ba41] enrolled" in out
    assert main(["audit", str(path), "--json"]) == 0
    import json

    entries = json.loads(capsys.readouterr().out)
    assert any(
        e["action"] == "set_note" and e["new"]["note"] == "from the abstract" for e in entries
    )
