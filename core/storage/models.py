"""SQLAlchemy 2 typed ORM models of a project database."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TemplateRow(Base):
    """One stored version of the extraction form; the newest is current."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("template_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_key: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reviewer(Base):
    """A person of the project: a reviewer extracts, an adjudicator also settles."""

    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="reviewer", server_default="reviewer")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Study(Base):
    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    documents: Mapped[list["Document"]] = relationship(
        back_populates="study", order_by="Document.id"
    )
    extractions: Mapped[list["Extraction"]] = relationship(
        back_populates="study", order_by="Extraction.id"
    )


class Document(Base):
    """An imported file: original bytes kept, plus its canonical text."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    pages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    spans: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    title: Mapped[str | None] = mapped_column(String(1000))
    extractor: Mapped[str] = mapped_column(String(100))
    extractor_version: Mapped[str] = mapped_column(String(50))
    encoding: Mapped[str | None] = mapped_column(String(50))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    study: Mapped[Study] = relationship(back_populates="documents")


class Extraction(Base):
    """One reviewer's abstraction of one study, or (kind "final") its adjudicated record."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("study_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="RESTRICT"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="RESTRICT"))
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    kind: Mapped[str] = mapped_column(String(20), default="reviewer", server_default="reviewer")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Raised by database triggers whenever a value, row, passage or quoted document text
    # of the extraction changes (migration 0005); never written by the application.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    study: Mapped[Study] = relationship(back_populates="extractions")
    reviewer: Mapped[Reviewer] = relationship()
    template: Mapped[TemplateRow] = relationship()


class GroupRow(Base):
    """A row of a repeating group (one arm, one outcome...) in an extraction."""

    __tablename__ = "group_rows"
    __table_args__ = (Index("ix_group_rows_extraction_group", "extraction_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id", ondelete="CASCADE"))
    group_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class FieldValue(Base):
    """An answer: `field_key` is `field` or `group#<row id>.field`, unique per extraction."""

    __tablename__ = "field_values"
    __table_args__ = (UniqueConstraint("extraction_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    extraction_id: Mapped[int] = mapped_column(
        ForeignKey("extractions.id", ondelete="CASCADE"), index=True
    )
    field_key: Mapped[str] = mapped_column(String(300))
    field_id: Mapped[str] = mapped_column(String(100))
    row_id: Mapped[int | None] = mapped_column(ForeignKey("group_rows.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="value")
    raw_text: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[Any | None] = mapped_column(JSON)
    unit: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="RESTRICT"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Raised by every change; a write that names an older version is refused (stale).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # UPDATE and DELETE name the version they read; the unit of work raises it
    # once per transaction (core.storage.db), not once per flush.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012

    anchors: Mapped[list["AnchorRow"]] = relationship(
        order_by="AnchorRow.position", cascade="all, delete-orphan"
    )
    updated_by: Mapped[Reviewer] = relationship()


class AnchorRow(Base):
    """One evidence passage of a value (W3C position + quote selectors)."""

    __tablename__ = "anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_value_id: Mapped[int] = mapped_column(
        ForeignKey("field_values.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_sha256: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    page_index: Mapped[int | None] = mapped_column(Integer)
    rects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="exact")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Append-only log: who changed what, when, from what, to what, and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    study_id: Mapped[int | None] = mapped_column(Integer, index=True)
    extraction_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field_key: Mapped[str | None] = mapped_column(String(300))
    old: Mapped[Any | None] = mapped_column(JSON)
    new: Mapped[Any | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")


class Acknowledgement(Base):
    """A reviewer's acceptance of a finding (by its key) with the reason; audited."""

    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("extraction_id", "finding_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("extractions.id", ondelete="CASCADE"))
    finding_key: Mapped[str] = mapped_column(String(400))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoredFindings(Base):
    """An extraction's findings (before acknowledgements) as checked at `revision` by the
    checks and template named by `checked_with`; current only while both still hold."""

    __tablename__ = "stored_findings"

    extraction_id: Mapped[int] = mapped_column(
        ForeignKey("extractions.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    checked_with: Mapped[str] = mapped_column(String(64))
    findings: Mapped[str] = mapped_column(Text)


class Assignment(Base):
    """Who extracts a study: slot 1 is reviewer A, slot 2 reviewer B."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("study_id", "slot"),
        UniqueConstraint("study_id", "reviewer_id", name="uq_assignments_study_reviewer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id", ondelete="RESTRICT"))
    slot: Mapped[int] = mapped_column(Integer)
    assigned_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    reviewer: Mapped[Reviewer] = relationship()


class Decision(Base):
    """One adjudication decision on a field of a study's final record; never changed.

    A newer decision on the same path supersedes an older one. `basis` holds A's and
    B's answers as they stood when the decision was made: when either changes later the
    decision is stale and must be made again.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_final_path", "final_extraction_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    final_extraction_id: Mapped[int] = mapped_column(
        ForeignKey("extractions.id", ondelete="CASCADE")
    )
    path: Mapped[str] = mapped_column(String(300))
    choice: Mapped[str] = mapped_column(String(20))
    answer: Mapped[Any | None] = mapped_column(JSON)
    basis: Mapped[Any] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
