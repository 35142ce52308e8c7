"""The command line as a user runs it: output, exit codes, nothing half-written."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.services import extractions
from core.services.project import Project
from tests.helpers import sample_files


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point, in a separate process, as a shell would run it."""
    return subprocess.run(
        [sys.executable, "-m", "gui.launch", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_import_studies(tmp_path: Path) -> None:
    project = tmp_path / "review.sqlite"
    created = run("init", str(project))
    assert created.returncode == 0, created.stderr
    imported = run("import", str(project), *map(str, sample_files()))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.count("imported:") == 5
    listed = run("studies", str(project), "--json")
    data = json.loads(listed.stdout)
    assert len(data) == 5
    assert all(len(s["documents"]) == 1 for s in data)
    again = run("import", str(project), str(sample_files()[0]))
    assert "already in the project" in again.stdout


def test_errors_are_one_line_with_status_2(tmp_path: Path) -> None:
    missing = run("studies", str(tmp_path / "nothing-here.sqlite"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0
    assert "does not exist" in missing.stderr
    project = tmp_path / "p.sqlite"
    assert run("init", str(project)).returncode == 0
    twice = run("init", str(project))
    assert twice.returncode == 2 and "already exists" in twice.stderr


def test_import_refusals_keep_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.sqlite"
    assert main(["init", str(project)]) == 0
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"PK\x03\x04" + bytes(200))
    empty = tmp_path / "empty.txt"
    empty.touch()
    code = main(["import", str(project), str(binary), str(sample_files()[1]), str(empty)])
    err = capsys.readouterr().err
    assert code == 2
    assert "scan.txt" in err and "empty.txt" in err
    opened = Project.open(project)
    assert len(extractions.list_studies(opened)) == 1
    opened.close()


def test_bad_template_is_refused_and_no_project_left(tmp_path: Path) -> None:
    template = tmp_path / "form.yaml"
    template.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    result = run("init", str(tmp_path / "p.sqlite"), "--template", str(template))
    assert result.returncode == 2
    assert "form.yaml" in result.stderr
    assert not (tmp_path / "p.sqlite").exists()


def test_schema_commands_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "bundle"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Trial Abstractor bundle"
    assert main(["schema", "template"]) == 0
    assert "sections" in json.loads(capsys.readouterr().out)["properties"]


def test_bundle_commands(tmp_path: Path) -> None:
    project = tmp_path / "p.sqlite"
    run("init", str(project))
    run("import", str(project), *map(str, sample_files()))
    assert run("reviewer", str(project), "Ana").returncode == 0
    out = tmp_path / "ana.json"
    exported = run("export-bundle", str(project), str(out))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "trial-abstractor-bundle"
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    refused = run("import-bundle", str(project), str(bad))
    assert refused.returncode == 2 and "bad.json" in refused.stderr


def test_no_display_is_said_in_words(tmp_path: Path) -> None:
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "gui.launch", "open", str(tmp_path / "p.sqlite")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 3
    assert "no display available" in result.stderr
