"""CSV exports read back with the csv module and with pandas: values equal the stored ones."""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from core.domain import FieldValueInfo
from core.errors import NotFoundError
from core.export.options import EvidenceMode, ExportOptions, RecordSet, parse_codes
from core.services import documents, extractions
from core.services.export import ExportReport, export_project
from tests.core.export.export_desk import FORMULA, NASTY, Scene, build_scene

CODES = {"not_reported": "NR", "not_applicable": "NAP", "unclear": "UNCLEAR"}


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    built = build_scene(tmp_path_factory.mktemp("export"))
    yield built
    built.project.close()


def export(scene: Scene, folder: Path, **options: Any) -> ExportReport:
    return export_project(scene.project, folder, ExportOptions(**options))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def stored_values(scene: Scene, study: int) -> dict[str, FieldValueInfo]:
    return {v.path: v for v in extractions.list_values(scene.project, scene.final[study])}


def as_cell(value: FieldValueInfo | None) -> str:
    """What the csv module must read back for a stored answer (protection off)."""
    if value is None:
        return ""
    if value.status != "value":
        return CODES[value.status]
    stored = value.value
    if isinstance(stored, bool):
        return "1" if stored else "0"
    if isinstance(stored, list):
        return "|".join(stored)
    return "" if stored is None else str(stored)


def test_wide_csv_holds_every_stored_answer(scene: Scene, tmp_path: Path) -> None:
    report = export(scene, tmp_path, formula_protection=False)
    rows = read_rows(tmp_path / "records.csv")
    assert report.file("records.csv") is not None and report.records == 2
    assert [int(r["study_id"]) for r in rows] == [scene.crohn_study, scene.nasty_study]
    plain = [spec.id for _, spec in scene.project.template.plain_fields()]
    for row in rows:
        study = int(row["study_id"])
        assert row["status"] == "final"
        values = stored_values(scene, study)
        for field in plain:
            assert row[field] == as_cell(values.get(field)), field
    nasty = next(r for r in rows if int(r["study_id"]) == scene.nasty_study)
    assert nasty["title"] == NASTY
    assert nasty["registry_id"] == FORMULA
    assert nasty["study"] == 'Nasty, "quoted" & 試験'
    assert nasty["follow_up__unit"] == "months"
    for key, expected in scene.expected[scene.nasty_study].items():
        assert nasty[key] == str(expected), key


def test_the_same_rows_on_every_database(db_target: str, tmp_path: Path) -> None:
    """PostgreSQL hands values over as JSON text, SQLite numbers as numbers: same cells."""
    scene = build_scene(tmp_path, db_target)
    try:
        export(scene, tmp_path / "out", formula_protection=False, evidence=EvidenceMode.COLUMNS)
        rows = read_rows(tmp_path / "out" / "records.csv")
        assert len(rows) == 2
        for row in rows:
            values = stored_values(scene, int(row["study_id"]))
            for _, spec in scene.project.template.plain_fields():
                assert row[spec.id] == as_cell(values.get(spec.id)), spec.id
        nasty = next(r for r in rows if int(r["study_id"]) == scene.nasty_study)
        assert nasty["title__quote"] == NASTY and nasty["mean_change"] == "-3.5"
    finally:
        scene.project.close()


def test_pandas_reads_numbers_dates_choices_and_codes(scene: Scene, tmp_path: Path) -> None:
    export(scene, tmp_path)
    frame = pd.read_csv(tmp_path / "records.csv", keep_default_na=False, na_values=[""])
    frame = frame.set_index("study_id")
    nasty, crohn = frame.loc[scene.nasty_study], frame.loc[scene.crohn_study]
    assert frame["enrolled"].dtype.kind == "i" and list(frame["enrolled"]) == [23, 23]
    assert frame["placebo"].dtype.kind == "i"
    assert (nasty["placebo"], crohn["placebo"]) == (1, 0)
    assert nasty["mean_change"] == "-3.5" and crohn["mean_change"] == "NR"
    assert nasty["year"] == "2019" and crohn["year"] == "NAP"
    assert nasty["start_date"] == "2019-03" and crohn["start_date"] == "UNCLEAR"
    assert pd.Period(nasty["start_date"], freq="M") == pd.Period("2019-03", freq="M")
    assert nasty["phase"] == "1_2" and str(crohn["phase"]) == "2"
    assert nasty["features"].split("|") == ["randomized", "blinded"]


def test_numeric_codes_keep_numeric_columns_numeric(scene: Scene, tmp_path: Path) -> None:
    codes = parse_codes("NR=-99,NA=-98,UNCLEAR=-97")
    export(scene, tmp_path, codes=codes)
    frame = pd.read_csv(tmp_path / "records.csv").set_index("study_id")
    assert frame["mean_change"].dtype.kind == "f"
    assert frame.loc[scene.nasty_study, "mean_change"] == -3.5
    assert frame.loc[scene.crohn_study, "mean_change"] == -99
    assert frame["year"].dtype.kind == "i"
    assert list(frame["year"]) == [-98, 2019]
    assert frame.loc[scene.crohn_study, "start_date"] == "-97"
    text = (tmp_path / "records.csv").read_text(encoding="utf-8")
    assert ",-99," in text and ",-3.5," in text and "'-9" not in text


def test_formulas_are_neutralised_and_numbers_are_not(scene: Scene, tmp_path: Path) -> None:
    report = export(scene, tmp_path, evidence=EvidenceMode.COLUMNS)
    nasty = next(
        r for r in read_rows(tmp_path / "records.csv") if int(r["study_id"]) == scene.nasty_study
    )
    assert nasty["title"] == "'" + NASTY
    assert nasty["title__quote"] == "'" + NASTY
    assert nasty["registry_id"] == "'" + FORMULA
    assert nasty["mean_change"] == "-3.5"  # a number in a numeric column stays a number
    assert nasty["mean_change__quote"] == "'-3.5"  # the same characters as quoted text do not
    written = report.file("records.csv")
    assert written is not None and written.neutralised == 4
    arms = read_rows(tmp_path / "records_arms.csv")
    assert [a["dose"] for a in arms] == ["10", "-0.5"]
    frame = pd.read_csv(tmp_path / "records_arms.csv")
    assert frame["dose"].dtype.kind == "f" and list(frame["dose"]) == [10.0, -0.5]


def test_without_protection_the_quote_is_kept_raw(scene: Scene, tmp_path: Path) -> None:
    export(scene, tmp_path, evidence=EvidenceMode.COLUMNS, formula_protection=False)
    nasty = next(
        r for r in read_rows(tmp_path / "records.csv") if int(r["study_id"]) == scene.nasty_study
    )
    assert nasty["title__quote"] == NASTY
    assert (
        nasty["title__quote"]
        == scene.nasty_text[int(nasty["title__start"]) : int(nasty["title__end"])]
    )
    assert nasty["title__document"] == "nasty-report.txt" and nasty["title__page"] == "1"


def test_rfc_4180_crlf_rows_and_embedded_newlines(scene: Scene, tmp_path: Path) -> None:
    export(scene, tmp_path, formula_protection=False)
    raw = (tmp_path / "records.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    escaped = NASTY.replace('"', '""').encode("utf-8")
    assert b'"' + escaped + b'"' in raw  # quoted, quotes doubled, the newline kept as \n
    assert raw.count(b"\r\n") == 3  # header and two records; the inner \n is no row end
    export(scene, tmp_path / "bom", bom=True)
    with_bom = (tmp_path / "bom" / "records.csv").read_bytes()
    assert with_bom.startswith(b"\xef\xbb\xbfstudy_id,")
    assert pd.read_csv(tmp_path / "bom" / "records.csv", encoding="utf-8-sig").columns[0] == (
        "study_id"
    )


def test_long_table_has_one_row_per_group_row(scene: Scene, tmp_path: Path) -> None:
    export(scene, tmp_path)
    rows = read_rows(tmp_path / "records_arms.csv")
    values = stored_values(scene, scene.nasty_study)
    assert [(r["study_id"], r["row"]) for r in rows] == [
        (str(scene.nasty_study), "1"),
        (str(scene.nasty_study), "2"),
    ]
    for row in rows:
        for field in ("label", "n_randomized", "dose"):
            assert row[field] == as_cell(values.get(f"arms[{row['row']}].{field}"))
    assert rows[0]["label"] == "Low, dose"


def test_evidence_file_has_one_row_per_passage(scene: Scene, tmp_path: Path) -> None:
    report = export(scene, tmp_path, evidence=EvidenceMode.FILE, formula_protection=False)
    rows = read_rows(tmp_path / "evidence.csv")
    expected = [
        (study, v.path, a)
        for study in (scene.crohn_study, scene.nasty_study)
        for v in extractions.list_values(scene.project, scene.final[study])
        for a in v.anchors
    ]
    assert len(rows) == len(expected) == 4
    written = report.file("evidence.csv")
    assert written is not None and written.rows == 4
    by_field = {(int(r["study_id"]), r["field"]): r for r in rows}
    for study, path, anchor in expected:
        row = by_field[study, path]
        assert (int(row["start"]), int(row["end"])) == (anchor.start, anchor.end)
        assert row["quote"] == anchor.exact
        text = documents.document_text(scene.project, anchor.document_id).text
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
        assert row["document_sha256"] == anchor.source_sha256


def test_which_records(scene: Scene, tmp_path: Path) -> None:
    final = export(scene, tmp_path / "final")
    assert final.records == 2
    assert any("no final record" in n for n in final.notes)
    ann = export(scene, tmp_path / "ann", records=RecordSet.REVIEWER, reviewer="Ann")
    assert ann.records == 0 and any("not yet submitted" in n for n in ann.notes)
    ann = export(
        scene,
        tmp_path / "ann2",
        records=RecordSet.REVIEWER,
        reviewer="Ann",
        include_unfinished=True,
    )
    rows = read_rows(tmp_path / "ann2" / "records.csv")
    assert ann.records == 3 and {r["reviewer"] for r in rows} == {"Ann"}
    assert {r["status"] for r in rows} == {"in_progress"}
    every = export(scene, tmp_path / "all", records=RecordSet.ALL, include_unfinished=True)
    rows = read_rows(tmp_path / "all" / "records.csv")
    assert every.records == 5
    assert sorted((r["reviewer"], r["record"]) for r in rows) == [
        ("Ann", "reviewer"),
        ("Ann", "reviewer"),
        ("Ann", "reviewer"),
        ("Cleo", "final"),
        ("Cleo", "final"),
    ]
    with pytest.raises(NotFoundError, match="no reviewer called Nobody"):
        export(scene, tmp_path / "nobody", records=RecordSet.REVIEWER, reviewer="Nobody")


def test_blinding_holds_in_exports(scene: Scene, tmp_path: Path) -> None:
    extractions.add_reviewer(scene.project, "Ben")
    scene.project.viewer = "Ben"
    try:
        report = export(scene, tmp_path, records=RecordSet.ALL, include_unfinished=True)
    finally:
        scene.project.viewer = None
    assert report.records == 0
    assert read_rows(tmp_path / "records.csv") == []
