"""Hostile input: every bad file or bundle gets a clear message and changes nothing."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain.bundle import Bundle
from core.errors import BundleError
from core.services import bundle, documents, editing, extractions
from core.services.project import Project
from tests.helpers import CROHN_PHASE2, sample_files


@pytest.fixture
def filled(sqlite_project: Project) -> tuple[Project, int]:
    outcomes, _ = documents.import_files(sqlite_project, sample_files())
    extractions.add_reviewer(sqlite_project, "Ana")
    doc = next(o.document for o in outcomes if o.filename == CROHN_PHASE2.name)
    assert doc is not None
    ext, _ = extractions.start_extraction(sqlite_project, doc.study_id, "Ana")
    editing.set_value(sqlite_project, ext.id, "enrolled", 23)
    return sqlite_project, ext.id


def _snapshot(project: Project) -> tuple[object, ...]:
    studies = extractions.list_studies(project)
    values = [extractions.list_values(project, e.id) for s in studies for e in s.extractions]
    return tuple(studies), tuple(map(tuple, values))


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".html", ".json"])
def test_random_bytes_are_refused_by_name(
    filled: tuple[Project, int], tmp_path: Path, suffix: str
) -> None:
    project, _ = filled
    before = _snapshot(project)
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(os.urandom(64 * 1024))
    outcomes, changes = documents.import_files(project, [path])
    assert outcomes[0].error is not None and f"noise{suffix}" in outcomes[0].error
    assert changes.empty
    assert _snapshot(project) == before


def test_zero_byte_and_vanished_files(filled: tuple[Project, int], tmp_path: Path) -> None:
    project, _ = filled
    before = _snapshot(project)
    empty = tmp_path / "empty.html"
    empty.touch()
    gone = tmp_path / "chosen-then-deleted.txt"
    gone.write_text("soon gone", encoding="utf-8")
    gone.unlink()
    outcomes, _ = documents.import_files(project, [empty, gone])
    assert "empty.html" in (outcomes[0].error or "")
    assert "chosen-then-deleted.txt" in (outcomes[1].error or "")
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("latin-1", "Résumé: 15 patients reçurent une dose élevée.\n"),
        ("utf-16", "Zusammenfassung: Fünfzehn Patienten, Größe 1 × 10⁶ Zellen/kg.\n"),
        ("shift_jis", "臨床試験：患者１５名を登録した。低用量群と高用量群。\n"),
    ],
)
def test_other_encodings_import_as_the_right_text(
    filled: tuple[Project, int], tmp_path: Path, encoding: str, text: str
) -> None:
    project, _ = filled
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes((text * 20).encode(encoding))
    outcomes, _ = documents.import_files(project, [path])
    assert outcomes[0].error is None, outcomes[0].error
    assert outcomes[0].document is not None
    assert documents.document_text(project, outcomes[0].document.id).text == text * 20


def test_large_text_file_imports(filled: tuple[Project, int], tmp_path: Path) -> None:
    project, _ = filled
    line = "Patients were randomised 1:1 to exosomes or placebo; 23 enrolled, 20 completed.\n"
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as handle:
        for index in range(1_300_000):  # about 100 MB
            handle.write(f"{index} {line}")
    outcomes, _ = documents.import_files(project, [path])
    outcome = outcomes[0]
    assert outcome.error is None or "huge.txt" in outcome.error
    if outcome.document is not None:
        assert outcome.document.char_count > 100_000_000


def _exported(project: Project) -> dict:  # type: ignore[type-arg]
    return json.loads(bundle.bundle_to_json(bundle.export_bundle(project)))


@pytest.mark.parametrize(
    "damage",
    ["wrong_hash", "missing_field", "unknown_field", "huge_value", "bad_offsets", "bad_row"],
)
def test_damaged_bundles_are_refused_whole(
    filled: tuple[Project, int], tmp_path: Path, damage: str
) -> None:
    project, _ = filled
    data = _exported(project)
    data["extractions"][0]["reviewer"] = "Bo"
    values = data["extractions"][0]["values"]
    values.append(
        {
            "path": "completed",
            "value": 20,
            "evidence": [
                {
                    "document_sha256": data["documents"][1]["sha256"],
                    "start": 0,
                    "end": 5,
                    "exact": "Skip ",
                }
            ],
        }
    )
    if damage == "wrong_hash":
        values[-1]["evidence"][0]["document_sha256"] = "0" * 64
    elif damage == "missing_field":
        del values[-1]["path"]
    elif damage == "unknown_field":
        values[-1]["path"] = "enroled"
    elif damage == "huge_value":
        values[-1]["value"] = "9" * 5_000_000
        values[-1]["path"] = "title"
    elif damage == "bad_offsets":
        values[-1]["evidence"][0]["start"] = -4
    elif damage == "bad_row":
        values[-1]["path"] = "arms[3].label"
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _snapshot(project)
    with pytest.raises(BundleError) as refused:
        bundle.import_bundle(project, bundle.read_bundle(path))
    if damage == "huge_value":
        assert "longer than 200,000 characters" in str(refused.value)
    assert str(refused.value)
    assert _snapshot(project) == before
    assert [r.name for r in extractions.list_reviewers(project)] == ["Ana"]


HOSTILE = st.sampled_from(
    [
        "'; DROP TABLE field_values; --",
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "@SUM(A1)",
        "\x00\x01\x02 control",
        "\u202eevil",
        "🧪" * 50,
        "a" * 10_000,
        "\r\n\r\n",
    ]
)


@settings(max_examples=30, deadline=None)
@given(note=HOSTILE, text=st.text(max_size=200))
def test_hostile_strings_round_trip_through_bundles(
    tmp_path_factory: pytest.TempPathFactory, note: str, text: str
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    project = Project.create(folder / "p.sqlite")
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2])
    assert outcomes[0].document is not None
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, outcomes[0].document.study_id, "Ana")
    editing.set_note(project, ext.id, "title", note)
    if text.strip():
        editing.set_value(project, ext.id, "inclusion_criteria", text)
    first = bundle.export_bundle(project)
    project.close()
    target = Project.create(folder / "q.sqlite")
    documents.import_files(target, [CROHN_PHASE2])
    bundle.import_bundle(target, Bundle.model_validate_json(bundle.bundle_to_json(first)))
    assert bundle.export_bundle(target) == first
    target.close()
