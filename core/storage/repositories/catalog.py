"""Queries for templates, reviewers, studies and documents."""

from collections.abc import Sequence
from typing import Any

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


# What describes a document in lists: everything but its bytes and its text.
_DESCRIPTION = (
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
)


def studies(session: Session, study_id: int | None = None) -> Sequence[Study]:
    """Every study (or the one with `study_id`) with its documents and extractions."""
    query = (
        select(Study)
        .options(
            selectinload(Study.documents).load_only(*_DESCRIPTION),
            selectinload(Study.extractions).selectinload(Extraction.reviewer),
            selectinload(Study.extractions).selectinload(Extraction.template),
        )
        .order_by(Study.name)
    )
    if study_id is not None:
        query = query.where(Study.id == study_id)
    return session.scalars(query).all()


def study_rows(session: Session, study_id: int | None = None) -> Sequence[Any]:
    """(id, name) of every study (or the one with `study_id`), by name."""
    query = select(Study.id, Study.name).order_by(Study.name)
    if study_id is not None:
        query = query.where(Study.id == study_id)
    return session.execute(query).all()


def document_rows(session: Session, study_id: int | None = None) -> Sequence[Any]:
    """Each document's description and text length (no bytes, no text), by id."""
    query = select(*_DESCRIPTION, func.length(Document.text)).order_by(Document.id)
    if study_id is not None:
        query = query.where(Document.study_id == study_id)
    return session.execute(query).all()


def extraction_rows(session: Session, study_id: int | None = None) -> Sequence[Any]:
    """(id, study id, reviewer name, status, template version, kind) of each extraction."""
    query = (
        select(
            Extraction.id,
            Extraction.study_id,
            Reviewer.name,
            Extraction.status,
            TemplateRow.version,
            Extraction.kind,
        )
        .join(Reviewer, Extraction.reviewer_id == Reviewer.id)
        .join(TemplateRow, Extraction.template_id == TemplateRow.id)
        .order_by(Extraction.id)
    )
    if study_id is not None:
        query = query.where(Extraction.study_id == study_id)
    return session.execute(query).all()


def document(session: Session, document_id: int) -> Document:
    found = session.get(Document, document_id)
    if found is None:
        raise NotFoundError(f"There is no document with id {document_id} in this project.")
    return found


def document_by_hash(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


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
