"""Creating and opening projects: a database URL or a SQLite file, migrated on open.

Threading: a `Project` may be shared between threads; every service call opens
its own session through `project.uow`, so calls never share ORM state.
"""

from functools import cached_property
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from core.domain import Changes, Template
from core.errors import TrialAbstractorError
from core.storage import db
from core.storage.backup import backup_sqlite, sqlite_path
from core.storage.models import TemplateRow
from core.storage.repositories import audit, catalog
from core.templates import default_template, template_to_dict

SYSTEM_ACTOR = "system"


class Project:
    """An open project. Create with `Project.create` or `Project.open`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = db.make_engine(url)
        self.uow = db.UnitOfWork(self.engine)
        self.backup_path: Path | None = None
        # Who is working: a reviewer's name binds every read to blinding (see
        # services.access); None is the project lead, who sees everything.
        self.viewer: str | None = None

    @property
    def label(self) -> str:
        """A short name for window titles: the file name or the database name."""
        if self.engine.dialect.name == "sqlite":
            return Path(self.engine.url.database or "project").stem
        return f"{self.engine.url.database} on {self.engine.url.host}"

    @classmethod
    def open(cls, target: str | Path) -> "Project":
        """Open an existing project and bring its schema up to date."""
        url = db.database_url(target)
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            raise TrialAbstractorError(f"No project at {target}: the file does not exist.")
        project = cls(url)
        project._migrate()
        with project.uow.read() as session:
            if catalog.current_template(session) is None:
                project.close()
                raise TrialAbstractorError(
                    f"{target} is not a Trial Abstractor project (it holds no template)."
                )
        return project

    @classmethod
    def create(cls, target: str | Path, template: Template | None = None) -> "Project":
        """Create a new project with a template (the default form when none is given)."""
        url = db.database_url(target)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if path.exists() and path.stat().st_size > 0:
                raise TrialAbstractorError(f"{target} already exists; open it instead.")
            path.parent.mkdir(parents=True, exist_ok=True)
        project = cls(url)
        if "templates" in inspect(project.engine).get_table_names():
            project.close()
            raise TrialAbstractorError(f"{target} already holds a project; open it instead.")
        project._migrate()
        project.set_template(template or default_template(), actor=SYSTEM_ACTOR)
        return project

    def _migrate(self) -> None:
        self._backup_before_upgrade()
        try:
            db.migrate(self.engine)
        except OperationalError as exc:
            raise TrialAbstractorError(
                f"Cannot open the project database: {exc.orig}".strip()
            ) from exc
        except SQLAlchemyError as exc:
            raise TrialAbstractorError(f"Cannot prepare the project database: {exc}") from exc

    def _backup_before_upgrade(self) -> None:
        """Copy a SQLite project aside before a migration changes its schema."""
        path = sqlite_path(self.url)
        if path is None or not path.exists() or path.stat().st_size == 0:
            return
        current = db.current_revision(self.engine)
        if current is None or current == db.head_revision():
            return
        self.backup_path = backup_sqlite(path, path.with_name(f"{path.name}.before-{current}.bak"))

    def set_template(self, template: Template, *, actor: str) -> Changes:
        """Store a template version and make it current (one transaction)."""
        with self.uow() as session:
            existing = catalog.template_by_version(session, template.id, template.version)
            if existing is not None:
                if existing.body != template_to_dict(template):
                    raise TrialAbstractorError(
                        f"Template '{template.id}' version {template.version} is already "
                        "stored with different content; give the new form a new version."
                    )
                return Changes()
            row = TemplateRow(
                template_key=template.id,
                version=template.version,
                name=template.name,
                body=template_to_dict(template),
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="set_template",
                entity="template",
                entity_id=row.id,
                new={"id": template.id, "version": template.version},
            )
        self.__dict__.pop("template", None)
        return Changes(template=True)

    @cached_property
    def template(self) -> Template:
        """The current template."""
        with self.uow.read() as session:
            row = catalog.current_template(session)
            if row is None:
                raise TrialAbstractorError("This project holds no template.")
            return Template.model_validate(row.body)

    def close(self) -> None:
        self.engine.dispose()
