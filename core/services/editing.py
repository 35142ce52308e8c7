"""Changing one field of an extraction: fill from a passage, type, status, evidence.

Each function is one transaction: the value, its anchors and the audit row are
written together or not at all. Safe from any thread (own session per call). The
returned `Changes` carries the extraction's findings as they are after the edit,
checked in the same transaction. Each also takes `expected_version`, the version of
the field the caller shows (0: shown empty): when someone else changed the field
since, StaleWriteError says who and when, and nothing is written.
"""

from typing import Any

from sqlalchemy.orm import Session

from core.anchoring import create_anchor
from core.documents.pdf_engine import MEDIA_TYPE as PDF_MEDIA_TYPE
from core.documents.pdf_layout import layout_for
from core.domain import Changes, FieldSpec, FieldStatus, ParseResult
from core.domain.anchor import Anchor, AnchorStatus, Rect
from core.errors import DocumentImportError, NotFoundError, ValidationError
from core.parsing import parse_value
from core.services.checks import findings_changes
from core.services.extractions import editable_extraction, resolve_row
from core.services.paths import FieldPath, field_spec, parse_path
from core.services.project import Project
from core.services.read_models import anchor_row
from core.services.typed_values import coerce_value
from core.services.versions import check_expected, first_version
from core.storage.models import AnchorRow, Document, Extraction, FieldValue, utcnow
from core.storage.repositories import audit, catalog, extractions


def snapshot(row: FieldValue | None) -> dict[str, Any] | None:
    """A JSON picture of a value and its evidence, for the audit log."""
    if row is None:
        return None
    return {
        "status": row.status,
        "value": row.value,
        "unit": row.unit,
        "raw_text": row.raw_text,
        "note": row.note,
        "evidence": [
            {"document_id": a.document_id, "start": a.start, "end": a.end, "exact": a.exact}
            | ({"page_index": a.page_index, "rects": a.rects} if not a.exact else {})
            for a in row.anchors
        ],
    }


class _FieldEdit:
    """Opens the extraction and the field's row; writes the audit entry on exit.

    With `expected_version` (the version the caller showed, 0 for none) a field that
    changed since is refused with StaleWriteError before anything is written.
    """

    def __init__(
        self,
        session: Session,
        project: Project,
        extraction_id: int,
        path: str,
        expected_version: int | None = None,
    ):
        self.session = session
        self.template = project.template
        self.extraction: Extraction = editable_extraction(
            session, extraction_id, viewer=project.viewer
        )
        self.path: FieldPath = parse_path(path)
        self.spec: FieldSpec = field_spec(self.template, self.path)
        self.key = resolve_row(session, extraction_id, self.path)
        self.row = extractions.value(session, extraction_id, self.key)
        check_expected(session, self.template, extraction_id, self.path, self.row, expected_version)
        self.before = snapshot(self.row)

    def ensure_row(self) -> FieldValue:
        if self.row is None:
            row_id = None
            if self.path.group is not None:
                row_id = int(self.key.split("#", 1)[1].split(".", 1)[0])
            self.row = FieldValue(
                extraction_id=self.extraction.id,
                field_key=self.key,
                field_id=self.path.field,
                row_id=row_id,
                updated_by_id=self.extraction.reviewer_id,
                version=first_version(self.session, self.extraction.id, self.path),
            )
            self.session.add(self.row)
        return self.row

    def _document(self, document_id: int) -> Document:
        doc = catalog.document(self.session, document_id)
        if doc.study_id != self.extraction.study_id:
            raise ValidationError("That document belongs to another study.")
        return doc

    def add_anchor(self, document_id: int, start: int, end: int) -> AnchorRow:
        anchor = passage_anchor(self._document(document_id), start, end)
        row = self.ensure_row()
        stored = anchor_row(anchor, len(row.anchors))
        row.anchors.append(stored)
        return stored

    def add_region(self, document_id: int, page_index: int, rect: Rect) -> AnchorRow:
        doc = self._document(document_id)
        if not 0 <= page_index < len(doc.pages):
            raise ValidationError(f"{doc.filename} has no page {page_index + 1}.")
        if not (rect.right > rect.left and rect.top > rect.bottom):
            raise ValidationError("Draw a rectangle with some width and height.")
        start = int(doc.pages[page_index][0])
        area = Anchor(
            document_id=doc.id,
            source_sha256=doc.sha256,
            start=start,
            end=start,
            exact="",
            page_index=page_index,
            rects=(rect.model_copy(update={"page_index": page_index}),),
            status=AnchorStatus.EXACT,
        )
        row = self.ensure_row()
        stored = anchor_row(area, len(row.anchors))
        row.anchors.append(stored)
        return stored

    def finish(self, action: str, reason: str = "") -> Changes:
        if self.row is not None:
            self.row.updated_at = utcnow()
            self.row.updated_by_id = self.extraction.reviewer_id
        self.extraction.updated_at = utcnow()
        self.session.flush()
        after = snapshot(self.row) if self.row in self.session else None
        audit.record(
            self.session,
            actor=self.extraction.reviewer.name,
            action=action,
            entity="field_value",
            entity_id=self.row.id if self.row is not None else None,
            study_id=self.extraction.study_id,
            extraction_id=self.extraction.id,
            field_key=str(self.path),
            old=self.before,
            new=after,
            reason=reason,
        )
        findings = findings_changes(self.session, self.template, self.extraction.id)
        return findings | Changes(
            studies=frozenset({self.extraction.study_id}),
            extractions=frozenset({self.extraction.id}),
            fields=frozenset({str(self.path)}),
        )


def passage_anchor(doc: Document, start: int, end: int) -> Anchor:
    """The anchor of a passage of a stored document: quote, context, page, PDF rectangles."""
    try:
        anchor = create_anchor(doc.text, start, end, document_id=doc.id, source_sha256=doc.sha256)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    rects = _pdf_rects(doc, start, end)
    page = rects[0].page_index if rects else _page_of(doc.pages, start)
    return anchor.model_copy(update={"page_index": page, "rects": tuple(rects)})


def _pdf_rects(doc: Document, start: int, end: int) -> list[Rect]:
    """Rectangles in PDF points under a PDF passage; none for other documents.

    The layout is cached per content hash, so the viewer that showed the passage
    has usually built it already. None either when the stored text was read by
    another extractor version and its offsets no longer match the pages.
    """
    if doc.media_type != PDF_MEDIA_TYPE:
        return []
    try:
        layout = layout_for(doc.content, doc.sha256)
    except DocumentImportError:
        return []
    if len(layout.text) != len(doc.text) or layout.text[start:end] != doc.text[start:end]:
        return []
    return layout.rects_for_span(start, end)


def _page_of(pages: list[Any], offset: int) -> int | None:
    if len(pages) <= 1:
        return None if not pages else 0
    for index, (start, end) in enumerate(pages):
        if start <= offset < end:
            return int(index)
    return None


def fill_from_selection(
    project: Project,
    extraction_id: int,
    path: str,
    document_id: int,
    start: int,
    end: int,
    *,
    value: Any = None,
    unit: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Changes:
    """Set a field from a passage: parse its value and keep the passage as evidence.

    The passage replaces the field's earlier evidence. When the passage holds no
    clear value the value is left empty and `Changes.messages` says why. A `value`
    (with `unit`) given by the caller, such as a registry suggestion's, is checked
    against the field's type and stored instead of parsing the passage; `reason`
    goes into the audit row.
    """
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        given = None if value is None else coerce_value(edit.spec, value, unit)
        row = edit.ensure_row()
        row.anchors.clear()
        session.flush()
        anchor = edit.add_anchor(document_id, start, end)
        if given is None:
            result = parse_value(edit.spec, anchor.exact)
        else:
            result = ParseResult(ok=True, value=given[0], unit=given[1], raw=anchor.exact)
        row.status = FieldStatus.VALUE.value
        row.raw_text = result.raw or anchor.exact
        row.value = result.value if result.ok else None
        row.unit = (result.unit or edit.spec.unit) if result.ok else None
        changes = edit.finish("fill", reason)
    if not result.ok and result.message:
        changes = changes | Changes(messages=(result.message,))
    return changes


def add_evidence(
    project: Project,
    extraction_id: int,
    path: str,
    document_id: int,
    start: int,
    end: int,
    *,
    expected_version: int | None = None,
) -> Changes:
    """Add a passage to a field's evidence without changing its value."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        edit.add_anchor(document_id, start, end)
        return edit.finish("add_evidence")


def add_region_evidence(
    project: Project,
    extraction_id: int,
    path: str,
    document_id: int,
    page_index: int,
    rect: Rect,
    *,
    expected_version: int | None = None,
) -> Changes:
    """Add an area of a PDF page (in PDF points) to a field's evidence, value unchanged.

    For pages without a text layer: the anchor quotes nothing, starts and ends where
    the page's text would begin, and keeps the page and the rectangle.
    """
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        edit.add_region(document_id, page_index, rect)
        return edit.finish("add_region_evidence")


def remove_evidence(
    project: Project,
    extraction_id: int,
    path: str,
    index: int,
    *,
    expected_version: int | None = None,
) -> Changes:
    """Remove the field's passage number `index` (0-based, in display order)."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        if edit.row is None or not 0 <= index < len(edit.row.anchors):
            raise NotFoundError(f"{path} has no passage number {index + 1}.")
        del edit.row.anchors[index]
        for position, anchor in enumerate(edit.row.anchors):
            anchor.position = position
        return edit.finish("remove_evidence")


def set_value(
    project: Project,
    extraction_id: int,
    path: str,
    value: Any,
    *,
    unit: str | None = None,
    expected_version: int | None = None,
) -> Changes:
    """Set a value typed by the reviewer. Existing evidence stays; none is added."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        stored, stored_unit = coerce_value(edit.spec, value, unit)
        row = edit.ensure_row()
        row.status = FieldStatus.VALUE.value
        row.value = stored
        row.unit = stored_unit
        row.raw_text = value if isinstance(value, str) else ""
        return edit.finish("set_value")


def set_status(
    project: Project,
    extraction_id: int,
    path: str,
    status: FieldStatus,
    note: str | None = None,
    *,
    expected_version: int | None = None,
) -> Changes:
    """Mark a field not reported / not applicable / unclear (its value is emptied)."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        row = edit.ensure_row()
        row.status = FieldStatus(status).value
        if row.status != FieldStatus.VALUE.value:
            row.value = None
            row.unit = None
        if note is not None:
            row.note = note
        return edit.finish("set_status")


def set_note(
    project: Project,
    extraction_id: int,
    path: str,
    note: str,
    *,
    expected_version: int | None = None,
) -> Changes:
    """Attach the reviewer's note to a field."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        edit.ensure_row().note = note
        return edit.finish("set_note")


def clear_field(
    project: Project, extraction_id: int, path: str, *, expected_version: int | None = None
) -> Changes:
    """Remove a field's value, status, note and evidence."""
    with project.uow() as session:
        edit = _FieldEdit(session, project, extraction_id, path, expected_version)
        if edit.row is not None:
            session.delete(edit.row)
            session.flush()
        return edit.finish("clear")
