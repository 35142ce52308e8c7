"""Queries for templates, reviewers, studies and documents."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from core.errors import NotFoundError
from core.storage.models import Document, Extraction, Reviewer, Study, TemplateRow


def current_template(session: Session) -> TemplateRow | None:
    return session.scalars(select(TemplateRow).order_by(TemplateRow.id.desc()).limit(1)).first()


def template_by_version(session: Session, key: str, version: str) -> TemplateRow | None:
    query = select(TemplateRow).where(
        TemplateRow.template_key == key, TemplateRow.version == version
    )
    return session.scalars(query).first()


def reviewer_by_name(session: Session, name: str) -> Reviewer | None:
    return session.scalars(select(Reviewer).where(Reviewer.name == name)).first()


def reviewers(session: Session) -> Sequence[Reviewer]:
    return session.scalars(select(Reviewer).order_by(Reviewer.name)).all()


def study(session: Session, study_id: int) -> Study:
    found = session.get(Study, study_id)
    if found is None:
        raise NotFoundError(f"There is no study with id {study_id} in this project.")
    return found


def study_by_name(session: Session, name: str) -> Study | None:
    return session.scalars(select(Study).where(Study.name == name)).first()


def studies(session: Session, study_id: int | None = None) -> Sequence[Study]:
    """Every study (or the one with `study_id`) with its documents and extractions."""
    query = (
        select(Study)
        .options(
            selectinload(Study.documents).load_only(
                Document.id,
                Document.study_id,
                Document.filename,
                Document.media_type,
                Document.sha256,
                Document.size,
                Document.extractor,
                Document.extractor_version,
                Document.encoding,
                Document.imported_at,
            ),
            selectinload(Study.extractions).selectinload(Extraction.reviewer),
            selectinload(Study.extractions).selectinload(Extraction.template),
        )
        .order_by(Study.name)
    )
    if study_id is not None:
        query = query.where(Study.id == study_id)
    return session.scalars(query).all()


def document(session: Session, document_id: int) -> Document:
    found = session.get(Document, document_id)
    if found is None:
        raise NotFoundError(f"There is no document with id {document_id} in this project.")
    return found


def document_by_hash(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


def text_lengths(session: Session, document_ids: Sequence[int]) -> dict[int, int]:
    query = select(Document.id, func.length(Document.text)).where(Document.id.in_(document_ids))
    return {row[0]: int(row[1] or 0) for row in session.execute(query)}


def documents_by_extractor(
    session: Session, study_id: int, extractor: str, media_type: str
) -> Sequence[Document]:
    """A study's documents read by one extractor, without loading their bytes or text."""
    query = (
        select(Document)
        .options(
            load_only(
                Document.id,
                Document.study_id,
                Document.sha256,
                Document.media_type,
                Document.extractor,
                Document.extractor_version,
            )
        )
        .where(
            Document.study_id == study_id,
            Document.extractor == extractor,
            Document.media_type == media_type,
        )
        .order_by(Document.id)
    )
    return session.scalars(query).all()
