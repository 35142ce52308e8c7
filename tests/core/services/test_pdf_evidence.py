"""Evidence in PDFs: passages keep their page and rectangles, areas of scanned pages."""

from pathlib import Path

import pytest
from sqlalchemy import select

from core.anchoring import reanchor, verify_anchor
from core.domain import AnchorStatus
from core.domain.adjudication import Choice
from core.domain.anchor import Rect
from core.errors import ValidationError
from core.services import (
    adjudication,
    assignments,
    bundle,
    checks,
    documents,
    editing,
    extractions,
    history,
)
from core.services.project import Project
from core.storage.models import AuditEntry
from tests.core.services.double_entry import submit
from tests.helpers import CROHN_PHASE2, RCT_ARTICLE, Box, pdf_with_scanned_page, pdfium_boxes

LINE_ONE = "Roughly 70% of smokers in the UK have regular internet"
LINE_TWO = "access and almost half are interested in use of online"


def start_extraction(project: Project, path: Path) -> tuple[int, int, str]:
    """Import `path` as a study of its own; Ana starts its extraction."""
    outcomes, _ = documents.import_files(project, [path], study_name=path.stem)
    doc = outcomes[0].document
    assert doc is not None, outcomes[0].error
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, doc.study_id, "Ana")
    return ext.id, doc.id, documents.document_text(project, doc.id).text


def centre_covered(box: Box, rects: tuple[Rect, ...]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r.left <= x <= r.right and r.bottom <= y <= r.top for r in rects)


def evidence_of(project: Project, extraction_id: int, path: str) -> tuple:  # type: ignore[type-arg]
    value = next(v for v in extractions.list_values(project, extraction_id) if v.path == path)
    return value.anchors


def test_a_pdf_fill_stores_the_page_and_rectangles_over_the_quote(project: Project) -> None:
    ext_id, doc_id, text = start_extraction(project, RCT_ARTICLE)
    start = text.index(LINE_ONE)
    end = text.index(LINE_TWO) + len(LINE_TWO)

    editing.fill_from_selection(project, ext_id, "acronym", doc_id, start, end)

    (anchor,) = evidence_of(project, ext_id, "acronym")
    assert anchor.page_index == 1
    assert anchor.exact == text[start:end]
    assert {r.page_index for r in anchor.rects} == {1}
    assert len(anchor.rects) == 2  # one rectangle per line
    for line in (LINE_ONE, LINE_TWO):
        boxes = pdfium_boxes(RCT_ARTICLE, 1, line)
        assert boxes and all(centre_covered(box, anchor.rects) for box in boxes)
    outside = pdfium_boxes(RCT_ARTICLE, 1, "Internet support is a low-cost")
    assert not any(centre_covered(box, anchor.rects) for box in outside)


def test_a_passage_across_two_pages_has_rectangles_on_both(project: Project) -> None:
    ext_id, doc_id, text = start_extraction(project, RCT_ARTICLE)
    page_two = text.index("Articles\n2 www.thelancet.com")
    start, end = page_two - 40, page_two + 8

    editing.add_evidence(project, ext_id, "acronym", doc_id, start, end)

    (anchor,) = evidence_of(project, ext_id, "acronym")
    assert anchor.page_index == 0
    assert {r.page_index for r in anchor.rects} == {0, 1}


def test_text_documents_keep_no_rectangles(project: Project) -> None:
    ext_id, doc_id, text = start_extraction(project, CROHN_PHASE2)
    start = text.index("Twenty-three")
    editing.fill_from_selection(project, ext_id, "enrolled", doc_id, start, start + 12)
    (anchor,) = evidence_of(project, ext_id, "enrolled")
    assert anchor.rects == ()


def test_an_area_of_a_scanned_page_becomes_evidence(project: Project, tmp_path: Path) -> None:
    ext_id, doc_id, text = start_extraction(project, pdf_with_scanned_page(tmp_path))
    page_start = documents.document_text(project, doc_id).pages[1].start
    drawn = Rect(page_index=0, left=50.0, bottom=400.0, right=300.0, top=450.0)

    editing.set_value(project, ext_id, "enrolled", 2591)
    changes = editing.add_region_evidence(project, ext_id, "enrolled", doc_id, 1, drawn)

    assert changes.fields == {"enrolled"}
    value = next(v for v in extractions.list_values(project, ext_id) if v.path == "enrolled")
    assert value.value == 2591  # the reviewer's typed value stays
    (anchor,) = value.anchors
    assert (anchor.start, anchor.end, anchor.exact) == (page_start, page_start, "")
    assert anchor.page_index == 1
    assert anchor.rects == (drawn.model_copy(update={"page_index": 1}),)
    assert anchor.status is AnchorStatus.EXACT
    assert verify_anchor(anchor, text)
    assert reanchor(anchor, text, anchor.source_sha256) == anchor
    codes = {f.code for f in checks.check_extraction(project, ext_id) if f.path == "enrolled"}
    assert not codes & {"anchor_moved", "anchor_orphaned", "number_not_in_evidence"}
    with project.uow.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "add_region_evidence")
        ).one()
        assert entry.actor == "Ana" and entry.field_key == "enrolled"
        (evidence,) = entry.new["evidence"]
        assert evidence["page_index"] == 1
        assert evidence["rects"][0]["left"] == 50.0


def test_undo_and_redo_keep_the_area(project: Project, tmp_path: Path) -> None:
    ext_id, doc_id, _ = start_extraction(project, pdf_with_scanned_page(tmp_path))
    drawn = Rect(page_index=1, left=10.0, bottom=20.0, right=30.0, top=40.0)
    editing.add_region_evidence(project, ext_id, "enrolled", doc_id, 1, drawn)
    after = history.field_state(project, ext_id, "enrolled")

    history.restore_field(project, ext_id, "enrolled", None)
    history.restore_field(project, ext_id, "enrolled", after, action="redo")

    (anchor,) = evidence_of(project, ext_id, "enrolled")
    assert anchor.rects == (drawn,) and anchor.page_index == 1


@pytest.mark.parametrize(
    ("page", "rect", "words"),
    [
        (2, Rect(page_index=2, left=0, bottom=0, right=10, top=10), "no page 3"),
        (1, Rect(page_index=1, left=10, bottom=10, right=10, top=30), "width and height"),
    ],
)
def test_areas_off_the_page_or_without_size_are_refused(
    project: Project, tmp_path: Path, page: int, rect: Rect, words: str
) -> None:
    ext_id, doc_id, _ = start_extraction(project, pdf_with_scanned_page(tmp_path))
    with pytest.raises(ValidationError, match=words):
        editing.add_region_evidence(project, ext_id, "enrolled", doc_id, page, rect)
    assert extractions.list_values(project, ext_id) == []


def test_areas_and_rectangles_survive_a_bundle_round_trip(project: Project, tmp_path: Path) -> None:
    ext_id, doc_id, _ = start_extraction(project, pdf_with_scanned_page(tmp_path))
    drawn = Rect(page_index=1, left=50.0, bottom=400.0, right=300.0, top=450.0)
    editing.set_value(project, ext_id, "enrolled", 2591)
    editing.add_region_evidence(project, ext_id, "enrolled", doc_id, 1, drawn)
    exported = bundle.export_bundle(project)
    (evidence,) = exported.extractions[0].values[0].evidence
    assert evidence.rects == [drawn]

    target = Project.create(tmp_path / "copy.sqlite")
    documents.import_files(target, [tmp_path / "scanned-page.pdf"], study_name="scanned-page")
    (tmp_path / "ana.json").write_text(bundle.bundle_to_json(exported), encoding="utf-8")
    bundle.import_bundle(target, bundle.read_bundle(tmp_path / "ana.json"))
    study = extractions.list_studies(target)[0]
    value = extractions.list_values(target, study.extractions[0].id)[0]
    assert value.anchors[0].rects == (drawn,)
    assert value.anchors[0].exact == ""
    target.close()


def test_an_adjudicated_value_keeps_the_rectangles_of_its_pdf_passage(project: Project) -> None:
    ext_a, doc_id, text = start_extraction(project, RCT_ARTICLE)
    extractions.add_reviewer(project, "Ben")
    extractions.add_reviewer(project, "Cleo")
    assignments.set_role(project, "Cleo", "adjudicator", actor="lead")
    study = extractions.get_extraction(project, ext_a).study_id
    ext_b = extractions.start_extraction(project, study, "Ben")[0].id
    editing.set_value(project, ext_a, "acronym", "UK smokers")
    editing.set_value(project, ext_b, "acronym", "Smokers online")
    for ext in (ext_a, ext_b):
        submit(project, ext)
    adjudication.start_adjudication(project, study, adjudicator="Cleo")
    start = text.index(LINE_ONE)

    adjudication.decide(
        project,
        study,
        "acronym",
        Choice.EDIT,
        adjudicator="Cleo",
        value="Smokers with internet",
        reason="Neither reviewer quoted the article",
        evidence=[(doc_id, start, start + len(LINE_ONE))],
    )

    final = adjudication.adjudication(project, study).item("acronym")
    assert final is not None and final.final is not None
    (anchor,) = final.final.anchors
    assert anchor.page_index == 1 and anchor.exact == LINE_ONE
    boxes = pdfium_boxes(RCT_ARTICLE, 1, LINE_ONE)
    assert boxes and all(centre_covered(box, anchor.rects) for box in boxes)
