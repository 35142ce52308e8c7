"""Handlers for edits of the form: fill, type, status, evidence, rows, undo.

Mixed into the workspace. Each edit calls one core service, captures the field's
state before and after for undo, then publishes the service's `Changes`.
"""

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStatusBar

from core.domain import Changes, ExtractionInfo, FieldStatus, FieldValueInfo, StudyInfo
from core.domain.anchor import Rect
from core.domain.document import FieldSuggestion
from core.errors import StaleWriteError, TrialAbstractorError
from core.services import editing, history, rows, suggestions
from core.services.project import Project
from gui.dialogs import SendToFieldDialog
from gui.document_view.pane import DocumentPane
from gui.form.panel import FormPanel
from gui.ops import Operation, TaskState, run_in_background
from gui.undo import FieldEditCommand, RowCommand

STATUS_WORDS = {
    FieldStatus.NOT_REPORTED: "not reported",
    FieldStatus.NOT_APPLICABLE: "not applicable",
    FieldStatus.UNCLEAR: "unclear",
    FieldStatus.VALUE: "a value",
}


class FieldActions:
    """Edit handlers; the workspace provides the attributes declared here."""

    project: Project
    form: FormPanel
    pane: DocumentPane
    status_bar: QStatusBar
    extraction: ExtractionInfo | None
    study: StudyInfo | None
    # The registry's offers for the open study (study id, offers), loaded off the GUI thread.
    _registry: tuple[int, list[FieldSuggestion]] | None = None
    _registry_loading: Operation | None = None

    def ensure_extraction(self) -> ExtractionInfo | None:
        raise NotImplementedError

    def publish(self, changes: Changes) -> None:
        raise NotImplementedError

    def undo_stack(self) -> QUndoStack | None:
        raise NotImplementedError

    def dialog_parent(self) -> object:
        raise NotImplementedError

    def can_edit(self) -> bool:
        raise NotImplementedError

    def say(self, text: str) -> None:
        self.status_bar.showMessage(text, 8000)

    def _edit(self, path: str, title: str, call: Callable[[int], Changes]) -> bool:
        """Run one field edit with undo capture; errors are shown, never raised."""
        if not self.can_edit():
            self.say("This extraction is locked: reopen it to edit.")
            return False
        extraction = self.ensure_extraction()
        if extraction is None:
            return False
        row = self.form.fields.get(path)
        try:
            before = history.field_state(self.project, extraction.id, path)
            changes = call(extraction.id)
            after = history.field_state(self.project, extraction.id, path)
        except StaleWriteError as exc:
            # Someone else changed the field since the form showed it: show theirs.
            if row is not None:
                row.show_message(str(exc))
            self.say(str(exc))
            self.publish(Changes(extractions=frozenset({extraction.id}), fields=frozenset({path})))
            return False
        except TrialAbstractorError as exc:
            if row is not None:
                row.show_message(str(exc))
                row.show_value(row.value, self.document_names(), force=True)
            self.say(str(exc))
            return False
        stack = self.undo_stack()
        if stack is not None:
            stack.push(
                FieldEditCommand(
                    self.project,
                    extraction.id,
                    path,
                    before,
                    after,
                    f"{title} {self.form.label_of(path)}",
                    self.publish,
                    say=self.say,
                )
            )
        self.publish(changes)
        message = " ".join(changes.messages)
        if row is not None:
            row.show_message(message)
        if message:
            self.say(message)
        return True

    def shown_version(self, path: str) -> int | None:
        """The version of the field as the form shows it (0: empty); edits name it."""
        row = self.form.fields.get(path)
        if row is None:
            return None
        return row.value.version if row.value is not None else 0

    def document_names(self) -> dict[int, str]:
        return {
            v.document_id: self.pane.tabs.tabText(i)
            for i, v in enumerate(self.pane.views())
            if v.document_id is not None
        }

    # -- filling from the document -----------------------------------------
    def fill_path(self, path: str, *, add: bool = False) -> bool:
        selection = self.pane.selection()
        if selection is None:
            self.say("Select a passage in the document first.")
            return False
        document_id, start, end = selection
        return self.fill_span(path, document_id, start, end, add=add)

    def fill_span(
        self, path: str, document_id: int, start: int, end: int, *, add: bool = False
    ) -> bool:
        service = editing.add_evidence if add else editing.fill_from_selection
        done = self._edit(
            path,
            "Add evidence to" if add else "Fill",
            lambda e: service(
                self.project,
                e,
                path,
                document_id,
                start,
                end,
                expected_version=self.shown_version(path),
            ),
        )
        if done:
            self.form.current_path = path
        return done

    def fill_focused_field(self) -> None:
        if self.form.current_path is None:
            self.say("Click a field first, then press Ctrl+E to fill it.")
            return
        self.fill_path(self.form.current_path)

    def add_evidence(self) -> None:
        if self.form.current_path is None:
            self.say("Click a field first.")
            return
        self.fill_path(self.form.current_path, add=True)

    def send_to_field(self) -> None:
        if self.pane.selection() is None:
            self.say("Select a passage in the document first.")
            return
        fields = [(r.path, self.form.label_of(r.path)) for r in self.form.field_rows()]
        dialog = SendToFieldDialog(fields, self.dialog_parent())  # type: ignore[arg-type]
        if dialog.exec() and (path := dialog.chosen_path()):
            self.fill_path(path)
            self.form.focus_field(path)

    def next_empty_field(self) -> None:
        path = self.form.next_empty_path()
        if path is None:
            self.say("Every field has a value or a status.")
        else:
            self.form.focus_field(path)

    # -- typed values and statuses -----------------------------------------
    def on_value_committed(self, path: str, value: object) -> None:
        if value is None:
            row = self.form.fields.get(path)
            if row is not None and row.value is not None:
                self._clear(path)
            return
        self._edit(
            path,
            "Set",
            lambda e: editing.set_value(
                self.project, e, path, value, expected_version=self.shown_version(path)
            ),
        )

    def on_status_clicked(self, path: str, status: FieldStatus) -> None:
        row = self.form.fields.get(path)
        current = row.value.status if row is not None and row.value is not None else None
        target = FieldStatus.VALUE if current is status else status
        if (
            target is FieldStatus.VALUE
            and row is not None
            and row.value is not None
            and row.value.value is None
            and not row.value.anchors
        ):
            self._clear(path)
            return
        self._edit(
            path,
            f"Mark {STATUS_WORDS[target]}",
            lambda e: editing.set_status(
                self.project, e, path, target, expected_version=self.shown_version(path)
            ),
        )

    def _mark(self, status: FieldStatus) -> None:
        if self.form.current_path is None:
            self.say("Click a field first.")
            return
        self.on_status_clicked(self.form.current_path, status)

    def mark_not_reported(self) -> None:
        self._mark(FieldStatus.NOT_REPORTED)

    def mark_not_applicable(self) -> None:
        self._mark(FieldStatus.NOT_APPLICABLE)

    def mark_unclear(self) -> None:
        self._mark(FieldStatus.UNCLEAR)

    def clear_field(self) -> None:
        path = self.form.current_path
        if path is not None:
            self._clear(path)

    def _clear(self, path: str) -> None:
        self._edit(
            path,
            "Clear",
            lambda e: editing.clear_field(
                self.project, e, path, expected_version=self.shown_version(path)
            ),
        )

    # -- evidence chips and highlights ---------------------------------------
    def on_chip_clicked(self, path: str, index: int) -> None:
        row = self.form.fields.get(path)
        if row is None or row.value is None or index >= len(row.value.anchors):
            return
        anchor = row.value.anchors[index]
        if not self.pane.show_passage(anchor.document_id, anchor.start, anchor.end, anchor.rects):
            self.say("That passage is in a document of another study.")

    def on_chip_removed(self, path: str, index: int) -> None:
        self._edit(
            path,
            "Remove evidence from",
            lambda e: editing.remove_evidence(
                self.project, e, path, index, expected_version=self.shown_version(path)
            ),
        )

    def on_region_drawn(self, document_id: int, page_index: int, rect: Rect) -> None:
        """An area drawn on a PDF page becomes evidence of the current field."""
        path = self.form.current_path
        if path is None:
            self.say("Click a field first, then draw the area that shows its value.")
            return
        done = self._edit(
            path,
            "Mark an area for",
            lambda e: editing.add_region_evidence(
                self.project,
                e,
                path,
                document_id,
                page_index,
                rect,
                expected_version=self.shown_version(path),
            ),
        )
        if done:
            self.form.focus_field(path)
            self.say(f"Area on page {page_index + 1} added as evidence: type the value.")

    def on_highlight_clicked(self, path: str) -> None:
        if not self.form.focus_field(path):
            self.say(f"{path} is not on the form.")

    def on_enter_pressed(self, path: str) -> None:
        if self.pane.selection() is not None:
            self.fill_path(path)

    # -- registry suggestions ------------------------------------------------
    def load_suggestions(self, study_id: int) -> None:
        """Read what the study's registry records offer, off the GUI thread."""
        self._registry = None
        self.form.show_suggestions([])
        project = self.project

        def work(_state: TaskState) -> list[FieldSuggestion]:
            return suggestions.registry_offers(project, study_id)

        self._registry_loading = run_in_background(
            work,
            lambda offers: self._on_registry_loaded(study_id, offers),
            lambda error: self.say(f"Registry suggestions are not available: {error}"),
        )

    def _on_registry_loaded(self, study_id: int, offers: list[FieldSuggestion]) -> None:
        if self.study is None or self.study.id != study_id:
            return
        self._registry = (study_id, offers)
        if not self.pane.views():
            return  # the documents are still loading; the form shows the offers after them
        values = [r.value for r in self.form.fields.values() if r.value is not None]
        counts = {g: len(w.rows) for g, w in self.form.groups.items()}
        self.show_suggestions(values, counts)

    def show_suggestions(self, values: list[FieldValueInfo], counts: dict[str, int]) -> None:
        """Offer the registry values that the form does not hold yet."""
        offers = self._registry[1] if self._registry is not None else []
        shown = suggestions.open_suggestions(self.project.template, offers, values, counts)
        self.form.show_suggestions(shown)

    def accept_suggestion(self) -> None:
        path = self.form.current_path
        row = self.form.fields.get(path) if path is not None else None
        if row is None:
            self.say("Click a field with a registry suggestion first.")
            return
        if row.suggestion is None:
            self.say(f"{self.form.label_of(row.path)} has no registry suggestion.")
            return
        self.on_suggestion_accepted(row.path)

    def on_suggestion_accepted(self, path: str) -> None:
        row = self.form.fields.get(path)
        offer = row.suggestion if row is not None else None
        if offer is None:
            return
        done = self._edit(
            path,
            "Accept registry value for",
            lambda e: suggestions.accept_suggestion(self.project, e, offer),
        )
        if done:
            self.form.current_path = path
            self.say(f"{self.form.label_of(path)}: filled from the registry record.")

    def on_suggestion_shown(self, path: str) -> None:
        row = self.form.fields.get(path)
        offer = row.suggestion if row is not None else None
        if offer is not None and not self.pane.show_passage(
            offer.document_id, offer.start, offer.end
        ):
            self.say("The registry record is not open.")

    # -- repeating groups ----------------------------------------------------
    def _row_edit(self, kind: str, group_id: str, position: int, target: int = 0) -> None:
        if not self.can_edit():
            self.say("This extraction is locked: reopen it to edit.")
            return
        extraction = self.ensure_extraction()
        if extraction is None:
            return
        p, e = self.project, extraction.id
        try:
            states = None
            if kind == "add":
                position, changes = rows.add_row(p, e, group_id)
            elif kind == "remove":
                states = history.row_state(p, e, group_id, position)
                changes = rows.remove_row(p, e, group_id, position)
            else:
                changes = rows.move_row(p, e, group_id, position, target)
        except TrialAbstractorError as exc:
            self.say(str(exc))
            return
        stack = self.undo_stack()
        if stack is not None:
            stack.push(
                RowCommand(
                    p, e, group_id, kind, position, self.publish, target=target, states=states
                )
            )
        self.publish(changes)

    def on_add_row(self, group_id: str) -> None:
        self._row_edit("add", group_id, 0)

    def on_remove_row(self, group_id: str, position: int) -> None:
        self._row_edit("remove", group_id, position)

    def on_move_row(self, group_id: str, position: int, target: int) -> None:
        count = len(self.form.groups[group_id].rows)
        if 1 <= target <= count:
            self._row_edit("move", group_id, position, target)

    # -- undo ------------------------------------------------------------------
    def undo(self) -> None:
        stack = self.undo_stack()
        if stack is not None and stack.canUndo():
            self._guarded(stack.undo)

    def redo(self) -> None:
        stack = self.undo_stack()
        if stack is not None and stack.canRedo():
            self._guarded(stack.redo)

    def can_undo(self) -> bool:
        stack = self.undo_stack()
        return bool(stack is not None and stack.canUndo() and self.can_edit())

    def can_redo(self) -> bool:
        stack = self.undo_stack()
        return bool(stack is not None and stack.canRedo() and self.can_edit())

    def _guarded(self, call: Callable[[], None]) -> None:
        try:
            call()
        except TrialAbstractorError as exc:
            self.say(str(exc))
