"""Turning ORM rows into the pydantic read models handed to callers."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

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
from core.storage.models import AnchorRow, Document, Extraction, FieldValue


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


def study_infos(
    studies: Sequence[Any], documents: Sequence[Any], extractions: Sequence[Any]
) -> list[StudyInfo]:
    """Read models of studies from the plain rows of `catalog.study_rows`,
    `document_rows` and `extraction_rows`, built without validation: a project of
    thousands of studies is listed at every start."""
    docs: dict[int, list[DocumentInfo]] = defaultdict(list)
    for (doc_id, study_id, filename, media_type, sha, size, extractor, version, encoding,
         imported_at, length) in documents:  # fmt: skip
        docs[study_id].append(
            DocumentInfo.model_construct(
                id=doc_id,
                study_id=study_id,
                filename=filename,
                media_type=media_type,
                sha256=sha,
                size=size,
                extractor=extractor,
                extractor_version=version,
                encoding=encoding,
                char_count=int(length or 0),
                imported_at=imported_at,
            )
        )
    statuses = {status.value: status for status in ExtractionStatus}
    works: dict[int, list[ExtractionInfo]] = defaultdict(list)
    for ext_id, study_id, reviewer, status, template_version, kind in extractions:
        works[study_id].append(
            ExtractionInfo.model_construct(
                id=ext_id,
                study_id=study_id,
                reviewer=reviewer,
                status=statuses[status],
                template_version=template_version,
                kind=kind,
            )
        )
    return [
        StudyInfo.model_construct(
            id=study_id,
            name=name,
            documents=tuple(docs.get(study_id, ())),
            extractions=tuple(works.get(study_id, ())),
        )
        for study_id, name in studies
    ]


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
