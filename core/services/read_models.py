"""Turning ORM rows into the pydantic read models handed to callers."""

from core.domain import (
    Anchor,
    AnchorStatus,
    DocumentInfo,
    ExtractionInfo,
    ExtractionStatus,
    FieldStatus,
    FieldValueInfo,
    Rect,
    StudyInfo,
)
from core.storage.models import AnchorRow, Document, Extraction, FieldValue, Study


def document_info(row: Document, char_count: int) -> DocumentInfo:
    return DocumentInfo(
        id=row.id,
        study_id=row.study_id,
        filename=row.filename,
        media_type=row.media_type,
        sha256=row.sha256,
        size=row.size,
        extractor=row.extractor,
        extractor_version=row.extractor_version,
        encoding=row.encoding,
        char_count=char_count,
        imported_at=row.imported_at,
    )


def extraction_info(row: Extraction) -> ExtractionInfo:
    return ExtractionInfo(
        id=row.id,
        study_id=row.study_id,
        reviewer=row.reviewer.name,
        status=ExtractionStatus(row.status),
        template_version=row.template.version,
        kind=row.kind,
    )


def study_info(row: Study, lengths: dict[int, int]) -> StudyInfo:
    return StudyInfo(
        id=row.id,
        name=row.name,
        documents=tuple(document_info(d, lengths.get(d.id, 0)) for d in row.documents),
        extractions=tuple(extraction_info(e) for e in row.extractions),
    )


def anchor_model(row: AnchorRow) -> Anchor:
    return Anchor(
        document_id=row.document_id,
        source_sha256=row.source_sha256,
        start=row.start,
        end=row.end,
        exact=row.exact,
        prefix=row.prefix,
        suffix=row.suffix,
        page_index=row.page_index,
        rects=tuple(Rect.model_validate(r) for r in row.rects),
        status=AnchorStatus(row.status),
    )


def anchor_row(anchor: Anchor, position: int) -> AnchorRow:
    """The ORM row that stores `anchor` as passage number `position` of a value."""
    return AnchorRow(
        document_id=anchor.document_id,
        position=position,
        source_sha256=anchor.source_sha256,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        page_index=anchor.page_index,
        rects=[r.model_dump() for r in anchor.rects],
        status=anchor.status.value,
    )


def field_value_info(
    row: FieldValue, path: str, group_id: str | None, position: int | None
) -> FieldValueInfo:
    return FieldValueInfo(
        path=path,
        field_id=row.field_id,
        group_id=group_id,
        row=position,
        status=FieldStatus(row.status),
        raw_text=row.raw_text,
        value=row.value,
        unit=row.unit,
        note=row.note,
        anchors=tuple(anchor_model(a) for a in row.anchors),
        updated_by=row.updated_by.name,
        updated_at=row.updated_at,
        version=row.version,
    )
