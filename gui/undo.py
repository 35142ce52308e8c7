"""Thin QUndoCommand wrappers: the states are core values, the restores core services."""

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from core.domain import Changes
from core.errors import StaleWriteError
from core.services import history, rows
from core.services.project import Project

Publish = Callable[[Changes], None]


class FieldEditCommand(QUndoCommand):
    """An edit of one field, already applied; undo/redo restore the captured states."""

    def __init__(
        self,
        project: Project,
        extraction_id: int,
        path: str,
        before: history.FieldState | None,
        after: history.FieldState | None,
        text: str,
        publish: Publish,
        *,
        say: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.project, self.extraction_id, self.path = project, extraction_id, path
        self.before, self.after = before, after
        self.publish = publish
        self.say = say
        self._applied = True
        self._version = after.version if after is not None else 0

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._restore(self.after, "redo")

    def undo(self) -> None:
        self._restore(self.before, "undo")

    def _restore(self, state: history.FieldState | None, action: str) -> None:
        """Restore `state` unless someone else changed the field since; then say so."""
        p, e, path = self.project, self.extraction_id, self.path
        try:
            changes = history.restore_field(
                p, e, path, state, action=action, expected_version=self._version
            )
        except StaleWriteError as exc:
            changes = Changes(extractions=frozenset({e}), fields=frozenset({path}))
            if self.say is not None:
                self.say(str(exc))
        now = history.field_state(p, e, path)
        self._version = now.version if now is not None else 0
        self.publish(changes)


class RowCommand(QUndoCommand):
    """Adding, removing or moving a group row, already applied."""

    def __init__(
        self,
        project: Project,
        extraction_id: int,
        group_id: str,
        kind: str,
        position: int,
        publish: Publish,
        *,
        target: int = 0,
        states: dict[str, history.FieldState] | None = None,
    ) -> None:
        super().__init__(f"{kind} row {position} of {group_id}")
        self.project, self.extraction_id, self.group_id = project, extraction_id, group_id
        self.kind, self.position, self.target = kind, position, target
        self.states = states or {}
        self.publish = publish
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        p, e, g = self.project, self.extraction_id, self.group_id
        if self.kind == "add":
            _, changes = rows.add_row(p, e, g)
        elif self.kind == "remove":
            changes = rows.remove_row(p, e, g, self.position)
        else:
            changes = rows.move_row(p, e, g, self.position, self.target)
        self.publish(changes)

    def undo(self) -> None:
        p, e, g = self.project, self.extraction_id, self.group_id
        if self.kind == "add":
            changes = rows.remove_row(p, e, g, self.position)
        elif self.kind == "remove":
            changes = history.insert_row(p, e, g, self.position, self.states)
        else:
            changes = rows.move_row(p, e, g, self.target, self.position)
        self.publish(changes)
