"""Handlers of double data entry, mixed into the workspace: adjudicate, people, agreement.

Every service call of the adjudication runs off the GUI thread, one after the other in
the order the adjudicator asked for them; each ends by reading the study's adjudication
again, so the panel always shows what the project holds.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox, QStatusBar

from core.adjudication import ComparisonState
from core.domain import Changes, StudyInfo
from core.domain.adjudication import Choice, ItemState
from core.errors import TrialAbstractorError
from core.services import adjudication, assignments, checks, extractions
from core.services.access import Role
from core.services.project import SYSTEM_ACTOR, Project
from core.services.stale_decisions import StaleDecisions, stale_decisions
from gui.adjudication.display import CHOICE_WORDS, passage_highlights
from gui.adjudication.log_dialog import DecisionLogDialog
from gui.adjudication.serial import Fetched, SerialJobs, fetch
from gui.adjudication.view import AdjudicationPanel
from gui.agreement_report import AgreementReportDialog
from gui.bus import ChangesBus
from gui.document_view.pane import DocumentPane
from gui.ops import Operation, TaskState, run_in_background
from gui.people_dialog import PeopleDialog
from gui.study_list import StudyListWidget

_UNSET = object()


class AdjudicationActions:
    """The workspace provides the attributes declared here."""

    window: QMainWindow
    project: Project
    bus: ChangesBus
    pane: DocumentPane
    study_list: StudyListWidget
    status_bar: QStatusBar
    study: StudyInfo | None
    reviewer: str | None
    state_changed: Any
    study_loaded: Any
    adjudication_panel: AdjudicationPanel
    _adj_jobs: SerialJobs
    _adj_roles: dict[str, Role] | None
    _adj_auto: bool | None
    _adj_auto_for: str | None
    _adj_viewer: str | None
    _adj_study: int | None
    _listed_for: object
    _stale_job: Operation | None = None
    _stale_again = False

    def say(self, text: str) -> None:
        raise NotImplementedError

    def refresh_extraction(self, changes: Changes | None = None) -> None:
        raise NotImplementedError

    def document_names(self) -> dict[int, str]:
        raise NotImplementedError

    def check_all(self) -> None:
        raise NotImplementedError

    def init_adjudication(self, panel: AdjudicationPanel) -> None:
        self.adjudication_panel = panel
        self._adj_jobs = SerialJobs(self.window, self._adj_error)
        self._adj_roles = None
        self._adj_auto = None
        self._adj_auto_for = None
        self._adj_viewer = None
        self._adj_study = None
        self._listed_for = _UNSET
        panel.decide_requested.connect(self._on_panel_decide_requested)
        panel.edit_requested.connect(self._on_panel_edit_requested)
        panel.edit_saved.connect(self._on_panel_edit_saved)
        panel.start_requested.connect(self.start_adjudication)
        panel.finish_requested.connect(self.finish_adjudication)
        panel.reopen_requested.connect(self.reopen_adjudication)
        panel.log_requested.connect(self.show_decision_log)
        panel.close_requested.connect(self.close_adjudication)
        panel.passage_requested.connect(self._on_panel_passage_requested)
        panel.acknowledge_requested.connect(self._on_panel_acknowledge_requested)
        panel.check_all_requested.connect(self.check_all)
        self.pane.highlight_clicked.connect(self._on_pane_highlight_clicked_adjudication)
        self.bus.changed.connect(self._on_bus_changed_adjudication)
        self.state_changed.connect(self._on_state_changed_adjudication)
        self.study_loaded.connect(self._on_study_loaded_adjudication)

    # -- who may adjudicate --------------------------------------------------------------
    def role_of(self, name: str | None) -> Role | None:
        if name is None:
            return None
        if self._adj_roles is None:
            self._adj_roles = {p.name: p.role for p in assignments.people(self.project)}
        return self._adj_roles.get(name)

    def is_adjudicator(self) -> bool:
        return self.role_of(self.reviewer) is Role.ADJUDICATOR

    def can_adjudicate(self) -> bool:
        return self.study is not None and self.is_adjudicator()

    def is_adjudicating(self) -> bool:
        return self.adjudication_panel.active

    def can_finish_adjudication(self) -> bool:
        view = self.adjudication_panel.adjudication
        return self.adjudication_panel.active and view is not None and not view.finished

    def can_reopen_adjudication(self) -> bool:
        view = self.adjudication_panel.adjudication
        return self.adjudication_panel.active and view is not None and view.finished

    # -- the study list --------------------------------------------------------------
    def show_studies(self, studies: list[StudyInfo]) -> None:
        """Fill the study list as the signed-in person may see it."""
        self._adj_roles = None  # roles may have changed with the list
        slots: dict[int, dict[int, str]] = {}
        for assigned in assignments.assignments(self.project):
            slots.setdefault(assigned.study_id, {})[assigned.slot] = assigned.reviewer
        self._listed_for = self.reviewer
        self.study_list.set_studies(
            studies, slots, viewer=self.reviewer, adjudicator=self.is_adjudicator()
        )
        self._count_stale_decisions()

    def _count_stale_decisions(self) -> None:
        """Mark the studies whose decisions an answer changed after, found off the GUI
        thread (once more at the end when asked again meanwhile)."""
        if self._stale_job is not None and self._stale_job.running:
            self._stale_again = True
            return
        project = self.project
        self._stale_again = False
        self._stale_job = run_in_background(
            lambda _state: stale_decisions(project),
            self._on_stale_decisions_counted,
            lambda error: self.say(f"Stale decisions could not be counted: {error}"),
            parent=self.window,
        )

    def _on_stale_decisions_counted(self, found: dict[int, StaleDecisions]) -> None:
        self.study_list.set_stale(found)
        if self._stale_again:
            self._count_stale_decisions()

    # -- opening and closing -----------------------------------------------------------------
    def adjudicate_study(self) -> None:
        """Open the adjudication of the current study, or go back to the form."""
        if self.adjudication_panel.active:
            self.close_adjudication()
            return
        if self.study is None:
            self.say("Open a study first.")
            return
        if not self.is_adjudicator():
            self.say(
                f"{self.reviewer or 'Nobody'} is not an adjudicator: set roles in "
                "Project ▸ People and assignments."
            )
            return
        self._adj_auto = True
        self._adj_auto_for = self.reviewer
        self._open_adjudication()

    def close_adjudication(self) -> None:
        self._adj_auto = False
        self._adj_auto_for = self.reviewer
        self._deactivate_adjudication()

    def _open_adjudication(self) -> None:
        study = self.study
        if study is None:
            return
        panel = self.adjudication_panel
        self._adj_viewer = self.reviewer
        self._adj_study = study.id
        if panel.adjudication is None or panel.adjudication.study_id != study.id:
            panel.show_message(study.name, "Reading both extractions…")
        panel.set_active(True)
        self._adj_load(study.id)
        self.state_changed.emit()

    def _deactivate_adjudication(self) -> None:
        panel = self.adjudication_panel
        self._adj_jobs.clear()
        self._adj_study = None
        was_active = panel.active
        panel.show_message("Adjudication", "Open a study to adjudicate it.")
        panel.set_active(False)
        if was_active:
            self.refresh_extraction()
            self.state_changed.emit()

    def _extracts(self, study: StudyInfo) -> bool:
        return any(e.reviewer == self.reviewer and e.kind == "reviewer" for e in study.extractions)

    def _on_study_loaded_adjudication(self, study_id: int) -> None:
        if self._adj_auto_for != self.reviewer:
            self._adj_auto, self._adj_auto_for = None, self.reviewer
        wanted = self._adj_auto if self._adj_auto is not None else self.is_adjudicator()
        study = self.study
        if study is None or study.id != study_id:
            return
        if wanted and self.is_adjudicator() and not self._extracts(study):
            self._open_adjudication()
        elif self.adjudication_panel.active:
            self._deactivate_adjudication()

    def _on_state_changed_adjudication(self) -> None:
        panel = self.adjudication_panel
        if panel.active and self.reviewer != self._adj_viewer:
            self._deactivate_adjudication()  # never show one person's view to another
        if self._listed_for is not _UNSET and self._listed_for != self.reviewer:
            self.show_studies(extractions.list_studies(self.project))

    # -- background work ---------------------------------------------------------------
    def _adj_error(self, error: BaseException) -> None:
        if isinstance(error, TrialAbstractorError):
            self.adjudication_panel.set_banner(str(error), "error")
            self.say(str(error))
            return
        text = f"Something went wrong: {type(error).__name__}: {error}"
        self.say(text)
        QMessageBox.warning(self.window, "Adjudication", text)

    def _adj_load(self, study_id: int) -> None:
        project = self.project

        def failed(error: BaseException) -> None:
            if isinstance(error, TrialAbstractorError) and self._adj_current(study_id):
                study = self.study.name if self.study is not None else "Adjudication"
                self.adjudication_panel.show_message(study, str(error))
                self.state_changed.emit()
            else:
                self._adj_error(error)

        self._adj_jobs.submit(
            lambda _state: fetch(project, study_id),
            lambda fetched: self._adj_show(study_id, fetched),
            failed,
        )

    def _adj_current(self, study_id: int) -> bool:
        return (
            self.adjudication_panel.active
            and self._adj_study == study_id
            and self._adj_viewer == self.reviewer
        )

    def _adj_show(self, study_id: int, fetched: Fetched) -> None:
        if not self._adj_current(study_id):
            return
        view, findings = fetched
        self.adjudication_panel.set_adjudication(view, findings, self.document_names())
        self.pane.set_highlights(passage_highlights(view))
        self.state_changed.emit()

    def _adj_mutate(
        self,
        call: Callable[[Project], Changes],
        message: str,
        *,
        on_error: Callable[[BaseException], None] | None = None,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Run `call` (starting the adjudication first if needed), then read it again."""
        panel = self.adjudication_panel
        view = panel.adjudication
        if view is None or self.reviewer is None:
            return
        project, study_id, name = self.project, view.study_id, self.reviewer
        needs_start = view.final_extraction_id is None
        status_before = view.final_status

        def work(_state: TaskState) -> tuple[Changes, Fetched, bool]:
            changes = Changes()
            if needs_start:
                changes |= adjudication.start_adjudication(project, study_id, adjudicator=name)
            changes |= call(project)
            return changes, fetch(project, study_id), needs_start

        def done(result: tuple[Changes, Fetched, bool]) -> None:
            changes, fetched, started = result
            self.bus.publish(changes, panel)
            if fetched[0].final_status != status_before:
                self.show_studies(extractions.list_studies(self.project))
            if after is not None:
                after()
            self._adj_show(study_id, fetched)
            text = message
            if started:
                taken = sum(
                    1
                    for i in fetched[0].items
                    if i.decision is not None and i.decision.choice is Choice.AGREED
                )
                text = f"Adjudication started: {taken} agreed answers taken over. {text}"
            if text.strip():
                self.say(text.strip())

        self._adj_jobs.submit(work, done, on_error)

    # -- decisions ------------------------------------------------------------------------
    def _on_panel_decide_requested(self, path: str, choice_name: str) -> None:
        view = self.adjudication_panel.adjudication
        item = view.item(path) if view is not None else None
        if view is None or item is None or self.reviewer is None:
            return
        if view.finished:
            self.say("The final record is finished: reopen it to change a decision.")
            return
        choice = Choice(choice_name)
        if choice is Choice.AGREED:
            if item.comparison.state is not ComparisonState.AGREED:
                self.say(
                    f"The reviewers differ on {item.label}: press A or B, or E for another value."
                )
                return
            if (
                item.state is ItemState.DECIDED
                and item.decision is not None
                and item.decision.choice is Choice.AGREED
            ):
                self.say(f"{item.label}: the agreed answer is already in the final record.")
                return
        name, study_id = self.reviewer, view.study_id
        self._adj_mutate(
            lambda p: adjudication.decide(p, study_id, path, choice, adjudicator=name),
            f"{item.label}: {CHOICE_WORDS[choice]}.",
        )

    def _on_panel_edit_requested(self, path: str) -> None:
        view = self.adjudication_panel.adjudication
        if view is None:
            return
        if view.finished:
            self.say("The final record is finished: reopen it to change a decision.")
            return
        passage = None
        selection = self.pane.selection()
        document = self.pane.current_view()
        if selection is not None and document is not None:
            document_id, start, end = selection
            passage = (document_id, start, end, document.canonical_text()[start:end])
        self.adjudication_panel.open_editor(path, passage)

    def _on_panel_edit_saved(self, path: str, payload: dict[str, Any]) -> None:
        view = self.adjudication_panel.adjudication
        item = view.item(path) if view is not None else None
        if view is None or item is None or self.reviewer is None:
            return
        name, study_id = self.reviewer, view.study_id
        panel = self.adjudication_panel

        def call(project: Project) -> Changes:
            return adjudication.decide(
                project,
                study_id,
                path,
                Choice.EDIT,
                adjudicator=name,
                value=payload["value"],
                status=payload["status"],
                reason=payload["reason"],
                evidence=payload["evidence"],
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, TrialAbstractorError):
                panel.edit_bar.show_error(str(error))
                self.say(str(error))
            else:
                self._adj_error(error)

        self._adj_mutate(call, f"{item.label}: edited.", on_error=failed, after=panel.close_editor)

    # -- start, finish, reopen, log ----------------------------------------------------------
    def start_adjudication(self) -> None:
        view = self.adjudication_panel.adjudication
        if view is None or view.final_extraction_id is not None:
            return
        self._adj_mutate(lambda _p: Changes(), "")

    def finish_adjudication(self) -> None:
        view = self.adjudication_panel.adjudication
        if view is None or self.reviewer is None:
            self.say("Open a study's adjudication first.")
            return
        name, study_id = self.reviewer, view.study_id
        self._adj_mutate(
            lambda p: adjudication.finish_adjudication(p, study_id, adjudicator=name),
            f"Finished: the final record of {view.study} is final.",
        )

    def reopen_adjudication(self) -> None:
        view = self.adjudication_panel.adjudication
        if view is None or not view.finished or self.reviewer is None:
            return
        reason, ok = QInputDialog.getText(
            self.window, "Reopen final record", "Why is the final record reopened? (logged)"
        )
        if not ok:
            return
        if not reason.strip():
            self.say("Say why the final record is reopened; the reason is logged.")
            return
        name, study_id = self.reviewer, view.study_id
        self._adj_mutate(
            lambda p: adjudication.reopen_adjudication(
                p, study_id, adjudicator=name, reason=reason
            ),
            f"The final record of {view.study} is open for decisions again.",
        )

    def show_decision_log(self) -> None:
        view = self.adjudication_panel.adjudication
        if view is None:
            self.say("Open a study's adjudication first.")
            return
        project, study_id = self.project, view.study_id
        labels = {i.path: i.label for i in view.items}

        def done(entries: list[adjudication.DecisionInfo]) -> None:
            dialog = DecisionLogDialog(view.study, entries, labels, project.template, self.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        self._adj_jobs.submit(lambda _s: adjudication.decision_log(project, study_id), done)

    def _on_panel_acknowledge_requested(self, key: str) -> None:
        view = self.adjudication_panel.adjudication
        if view is None or view.final_extraction_id is None:
            return
        reason, ok = QInputDialog.getText(
            self.window, "Acknowledge problem", "Why is this acceptable? (logged)"
        )
        if not ok:
            return
        final_id = view.final_extraction_id
        self._adj_mutate(
            lambda p: checks.acknowledge(p, final_id, key, reason), "Problem acknowledged."
        )

    # -- evidence ---------------------------------------------------------------------------
    def _on_panel_passage_requested(self, document_id: int, start: int, end: int) -> None:
        if not self.pane.show_passage(document_id, start, end):
            self.say("That passage is in a document that is not open.")

    def _on_pane_highlight_clicked_adjudication(self, path: str) -> None:
        if self.adjudication_panel.active:
            self.adjudication_panel.select_path(path)

    def _on_bus_changed_adjudication(self, changes: Changes, source: object) -> None:
        if changes.reviewers:
            self._adj_roles = None
        panel = self.adjudication_panel
        view = panel.adjudication
        if source is panel or not panel.active or self._adj_study is None:
            return
        ours = {view.extraction_a, view.extraction_b} if view is not None else set()
        if view is not None and view.final_extraction_id is not None:
            ours.add(view.final_extraction_id)
        if self._adj_study in changes.studies or ours & changes.extractions:
            self._adj_load(self._adj_study)

    # -- project dialogs -------------------------------------------------------------------
    def show_people(self) -> None:
        dialog = PeopleDialog(
            self.project,
            self.reviewer or SYSTEM_ACTOR,
            lambda changes: self.bus.publish(changes),
            self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_agreement_report(self) -> None:
        dialog = AgreementReportDialog(self.project, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
