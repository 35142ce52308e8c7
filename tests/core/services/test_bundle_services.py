"""JSON bundle: export, import into a fresh project, export again gives the same content."""

import json
from pathlib import Path

import pytest

from core.domain.bundle import bundle_json_schema
from core.errors import BundleError
from core.services import bundle, documents, editing, extractions, rows
from core.services.project import Project
from tests.helpers import CROHN_PHASE2, sample_files


def _filled_project(target: str | Path) -> Project:
    project = Project.create(target)
    outcomes, _ = documents.import_files(project, sample_files())
    extractions.add_reviewer(project, "Ana")
    extractions.add_reviewer(project, "Bo")
    crohn = next(o.document for o in outcomes if o.filename == CROHN_PHASE2.name)
    assert crohn is not None
    text = documents.document_text(project, crohn.id).text
    for reviewer in ("Ana", "Bo"):
        ext, _ = extractions.start_extraction(project, crohn.study_id, reviewer)
        start = text.index("Twenty-three")
        editing.fill_from_selection(project, ext.id, "enrolled", crohn.id, start, start + 12)
        start = text.index("20 of whom")
        editing.fill_from_selection(project, ext.id, "completed", crohn.id, start, start + 2)
        editing.set_value(project, ext.id, "title", 'Exosomes, "fistula"\nand ☃ 🧪')
        editing.set_note(project, ext.id, "title", "typed from the header")
        row, _ = rows.add_row(project, ext.id, "arms")
        editing.set_value(project, ext.id, f"arms[{row}].label", "MSC exosomes")
    return project


def test_round_trip_gives_identical_content(tmp_path: Path, db_target: str) -> None:
    source = _filled_project(tmp_path / "source.sqlite")
    first = bundle.bundle_to_json(bundle.export_bundle(source))
    source.close()
    path = tmp_path / "out.json"
    path.write_text(first, encoding="utf-8")

    target = Project.create(db_target)
    documents.import_files(target, sample_files())
    bundle.import_bundle(target, bundle.read_bundle(path))
    second = bundle.bundle_to_json(bundle.export_bundle(target))
    target.close()
    assert second == first
    data = json.loads(first)
    assert len(data["extractions"]) == 2
    values = {v["path"]: v for v in data["extractions"][0]["values"]}
    assert values["enrolled"]["value"] == 23
    assert values["enrolled"]["evidence"][0]["exact"] == "Twenty-three"


def test_bundle_for_one_reviewer(tmp_path: Path) -> None:
    project = _filled_project(tmp_path / "p.sqlite")
    only = bundle.export_bundle(project, reviewer="Bo")
    project.close()
    assert [e.reviewer for e in only.extractions] == ["Bo"]


def test_import_refuses_missing_documents_and_keeps_project(tmp_path: Path) -> None:
    source = _filled_project(tmp_path / "source.sqlite")
    exported = bundle.export_bundle(source)
    source.close()
    target = Project.create(tmp_path / "empty.sqlite")
    documents.import_files(target, [f for f in sample_files() if f != CROHN_PHASE2])
    with pytest.raises(BundleError, match=r"import its documents first|not in this project"):
        bundle.import_bundle(target, exported)
    assert extractions.list_reviewers(target) == []
    target.close()


def test_existing_values_need_replace(tmp_path: Path) -> None:
    project = _filled_project(tmp_path / "p.sqlite")
    exported = bundle.export_bundle(project)
    with pytest.raises(BundleError, match="--replace"):
        bundle.import_bundle(project, exported)
    bundle.import_bundle(project, exported, replace=True)
    again = bundle.export_bundle(project)
    project.close()
    assert again == exported


def test_bad_bundle_files_get_readable_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(BundleError, match="not a JSON file"):
        bundle.read_bundle(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(BundleError, match="not a valid bundle"):
        bundle.read_bundle(wrong)


def test_schema_describes_the_bundle() -> None:
    schema = bundle_json_schema()
    assert schema["title"] == "Trial Abstractor bundle"
    assert {"template_id", "documents", "extractions"} <= set(schema["properties"])
