"""`trial-abstractor export` and `template-from-redcap` as a user runs them."""

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cli import main
from tests.core.export.export_desk import Scene, build_scene
from tests.helpers import ROOT, TEST_DATA


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    built = build_scene(tmp_path_factory.mktemp("cli"))
    yield built
    built.project.close()


def database(scene: Scene) -> str:
    return str(scene.project.engine.url.database)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_export_every_file(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "export", database(scene), "--out", str(out), "--evidence", "file", "--json",
            "--jsonld", "--redcap", "--bom", "--codes", "NR=-99,NA=-98", "--codes", "UNCLEAR=-97",
        ]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "annotations.jsonld",
        "dictionary.csv",
        "evidence.csv",
        "records.csv",
        "records.json",
        "records_arms.csv",
        "redcap_dictionary.csv",
        "redcap_import.csv",
    ]
    for name in names:
        assert f"  {name}: " in printed
    assert "Exported 2 record(s) of 2 studies" in printed
    assert "make these instruments repeating before importing redcap_import.csv: arms" in printed
    assert "1 date(s) give only a year or a month" in printed
    assert (out / "records.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    crohn = next(r for r in rows(out / "records.csv") if r["study"] == "Crohn phase 2")
    assert (crohn["mean_change"], crohn["year"], crohn["start_date"]) == ("-99", "-98", "-97")


def test_export_one_reviewer_unfinished(scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "ann"
    args = ["export", database(scene), "--out", str(out), "--records", "reviewer", "Ann"]
    assert main([*args, "--include-unfinished", "--no-dictionary"]) == 0
    written = rows(out / "records.csv")
    assert len(written) == 3 and {r["reviewer"] for r in written} == {"Ann"}
    assert not (out / "dictionary.csv").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--records", "reviewer"], "--records takes final, all, or reviewer"),
        (["--records", "final", "Ann"], "--records takes final, all, or reviewer"),
        (["--records", "reviewer", "Nobody"], "There is no reviewer called Nobody"),
        (["--codes", "NR="], "--codes: "),
        (["--codes", "XX=1"], "--codes: 'XX=1' is not a code setting"),
        (["--codes", "NR=A,NA=A"], "must differ"),
    ],
)
def test_export_refusals_are_one_line(
    scene: Scene,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "out"
    assert main(["export", database(scene), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.strip().count("\n") == 0
    assert not out.exists()


def test_template_from_redcap_then_init(tmp_path: Path) -> None:
    dictionary = TEST_DATA / "redcap" / "repeating-instruments-dictionary.csv"
    template = tmp_path / "form.yaml"
    made = subprocess.run(
        [sys.executable, "-m", "gui.launch", "template-from-redcap", str(dictionary),
         str(template), "--repeating", "bp", "--name", "Blood pressure study"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "with 10 field(s)" in made.stdout and "Note: " in made.stdout
    created = subprocess.run(
        [sys.executable, "-m", "gui.launch", "init", str(tmp_path / "p.sqlite"), "--template",
         str(template)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "Blood pressure study" in created.stdout


def test_template_from_redcap_refuses_a_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = TEST_DATA / "redcap" / "clinical-trial-1-data.csv"
    assert main(["template-from-redcap", str(data), str(tmp_path / "t.yaml")]) == 2
    assert "not a REDCap data dictionary" in capsys.readouterr().err
    assert not (tmp_path / "t.yaml").exists()
