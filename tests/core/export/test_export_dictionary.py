"""The data dictionary describes every column of every table the export writes."""

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.export.options import EvidenceMode, ExportOptions, RecordSet, parse_codes
from core.services.export import export_project
from tests.core.export.export_desk import Scene, build_scene


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    built = build_scene(tmp_path_factory.mktemp("dictionary"))
    yield built
    built.project.close()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return next(csv.reader(stream))


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(records=RecordSet.ALL, evidence=EvidenceMode.COLUMNS),
    ],
    ids=["final", "all-with-evidence"],
)
def test_one_row_per_column_of_every_table(
    scene: Scene, tmp_path: Path, options: ExportOptions
) -> None:
    export_project(scene.project, tmp_path, options)
    rows = read(tmp_path / "dictionary.csv")
    described = [(r["table"], r["id"]) for r in rows]
    written = [
        (table, column)
        for table in ("records.csv", "records_arms.csv")
        for column in header(tmp_path / table)
    ]
    assert described == written


def test_rows_say_type_choices_range_rules_and_codes(scene: Scene, tmp_path: Path) -> None:
    codes = parse_codes("NR=-99,NA=-98,UNCLEAR=-97")
    export_project(scene.project, tmp_path, ExportOptions(codes=codes))
    rows = {(r["table"], r["id"]): r for r in read(tmp_path / "dictionary.csv")}
    phase = rows["records.csv", "phase"]
    assert (phase["type"], phase["required"]) == ("single_choice", "yes")
    assert phase["choices"] == "1=Phase 1 | 2=Phase 2 | 1_2=Phase 1/2"
    assert phase["status_codes"] == "not reported = -99 | not applicable = -98 | unclear = -97"
    year = rows["records.csv", "year"]
    assert (year["type"], year["min"], year["max"]) == ("integer", "1900", "2100")
    features = rows["records.csv", "features"]
    assert features["format"] == "codes separated by '|'"
    assert rows["records.csv", "placebo"]["format"] == "1 = yes, 0 = no"
    follow_up = rows["records.csv", "follow_up"]
    assert (follow_up["type"], follow_up["unit"]) == ("decimal", "weeks")
    assert rows["records.csv", "follow_up__unit"]["choices"] == "weeks=weeks | months=months"
    rule = "arms_le_enrolled: arms.all(a, a.n_randomized == null || a.n_randomized <= enrolled)"
    assert rows["records.csv", "enrolled"]["rules"] == rule + " (when enrolled != null)"
    assert rows["records_arms.csv", "n_randomized"]["rules"].startswith("arms_le_enrolled: ")
    assert rows["records_arms.csv", "dose"]["rules"] == ""
    assert rows["records_arms.csv", "dose"]["section"] == "Population › Arms"
    assert rows["records_arms.csv", "row"]["type"] == "integer"
