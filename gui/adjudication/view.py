"""The adjudication panel: header with counts and commands, filter, table, editor, detail, checks.

It shows what it is given and reports intents through signals; the workspace calls the
services (see `gui.adjudication.workspace_actions`).
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.domain import Template
from core.domain.adjudication import Adjudication, Choice, ItemState
from core.domain.findings import Finding
from gui.adjudication.cells import ElidedLabel
from gui.adjudication.detail import ItemDetail
from gui.adjudication.display import FILTER_TITLES, Filter, shown, spec_of, waits
from gui.adjudication.edit_bar import EditBar
from gui.adjudication.table import AdjudicationTable
from gui.problems_panel import ProblemsPanel

KEY_HINTS = "J/K move · A / B take · E edit · ⏎ accept agreed · N next to decide"
EMPTY_NOTES = {
    Filter.DISAGREEMENTS: "The reviewers agree on every field they answered.",
    Filter.STALE: "No decision is stale: no reviewer changed an answer after it.",
    Filter.ALL: "",
}


class AdjudicationPanel(QWidget):
    """One study's adjudication, in place of the form; the document stays on the left."""

    active_changed = Signal(bool)
    decide_requested = Signal(str, str)  # path, Choice value
    edit_requested = Signal(str)  # path: the workspace opens the editor with the selection
    edit_saved = Signal(str, object)  # path, payload of `EditBar.save_requested`
    start_requested = Signal()
    finish_requested = Signal()
    reopen_requested = Signal()
    log_requested = Signal()
    close_requested = Signal()
    passage_requested = Signal(int, int, int)
    acknowledge_requested = Signal(str)
    check_all_requested = Signal()

    def __init__(self, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adjudicationPanel")
        self.template = template
        self.adjudication: Adjudication | None = None
        self.documents: dict[int, str] = {}
        self.filter = Filter.DISAGREEMENTS
        self._shown_study: int | None = None
        self.active = False
        self.title = QLabel("Adjudication", self)
        self.title.setObjectName("adjTitle")
        self.people = QLabel("", self)
        self.people.setObjectName("adjPeople")
        self.counts = QLabel("", self)
        self.counts.setObjectName("adjCounts")
        self.banner = QLabel("", self)
        self.banner.setObjectName("adjBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.start = self._button("Start", "Create the final record and take over agreed answers")
        self.finish = self._button(
            "Finish", "Make the final record final, starting it first if needed (Ctrl+Shift+F)"
        )
        self.reopen = self._button("Reopen…", "Reopen the finished final record, with a reason")
        self.log = self._button("Decision log", "Every decision on this study, oldest first")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Back to the form")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.filters = QButtonGroup(self)
        self.filters.setExclusive(True)
        self.filter_buttons: dict[Filter, QToolButton] = {}
        filter_row = QHBoxLayout()
        filter_row.setSpacing(2)
        for key, which in enumerate(Filter, start=1):
            button = QToolButton(self)
            button.setObjectName("filterButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"Show {FILTER_TITLES[which].lower()} (key {key})")
            button.clicked.connect(lambda _c=False, w=which: self.set_filter(w))
            self.filters.addButton(button)
            self.filter_buttons[which] = button
            filter_row.addWidget(button)
        self.filter_buttons[self.filter].setChecked(True)
        hints = ElidedLabel(KEY_HINTS, self)
        hints.setObjectName("keyHints")
        hints.setToolTip(KEY_HINTS.replace(" · ", "\n"))
        hints.setAlignment(Qt.AlignmentFlag.AlignRight)
        filter_row.addSpacing(16)
        filter_row.addWidget(hints, 1)
        self.table = AdjudicationTable(self)
        self.edit_bar = EditBar(self)
        self.detail = ItemDetail(self)
        self.detail.setMinimumHeight(200)
        self.problems = ProblemsPanel(self)
        self.problems.hide()
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(4)
        top_layout.addLayout(filter_row)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.edit_bar)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setChildrenCollapsible(False)
        for widget, stretch in ((top, 5), (self.detail, 3), (self.problems, 2)):
            self.split.addWidget(widget)
            self.split.setStretchFactor(self.split.indexOf(widget), stretch)
        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(1)
        heading.addWidget(self.title)
        heading.addWidget(self.people)
        header.addLayout(heading, 1)
        for command in (self.start, self.finish, self.reopen, self.log):
            header.addWidget(command, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.counts)
        layout.addWidget(self.banner)
        layout.addWidget(self.split, 1)
        self._connect()
        self.show_message("Adjudication", "Open a study to adjudicate it.")

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _connect(self) -> None:
        self.table.command.connect(self._on_table_command)
        self.detail.command.connect(self._on_table_command)
        self.table.filter_requested.connect(lambda name: self.set_filter(Filter(name)))
        self.table.current_path_changed.connect(self._on_table_current_path_changed)
        self.table.passage_clicked.connect(self.passage_requested)
        self.detail.passage_clicked.connect(self.passage_requested)
        self.edit_bar.save_requested.connect(self.edit_saved)
        self.edit_bar.cancelled.connect(self.close_editor)
        self.start.clicked.connect(self.start_requested)
        self.finish.clicked.connect(self.finish_requested)
        self.reopen.clicked.connect(self.reopen_requested)
        self.log.clicked.connect(self.log_requested)
        self.close_button.clicked.connect(self.close_requested)
        self.problems.finding_activated.connect(self.select_path)
        self.problems.acknowledge_requested.connect(self.acknowledge_requested)
        self.problems.check_all_requested.connect(self.check_all_requested)

    # -- showing ----------------------------------------------------------------------
    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.active_changed.emit(active)
        if active:
            self.table.setFocus()

    def show_message(self, title: str, text: str) -> None:
        """No adjudication to show (not ready, not allowed): say why, show nothing else."""
        self.adjudication = None
        self.title.setText(title)
        self.people.setText("")
        self.counts.setText("")
        self.set_banner(text, "info")
        self.table.set_items((), self.template, self.filter, ("A", "B"), {})
        self.detail.show_item(None)
        self.detail.verdict.setText("")
        self.close_editor()
        self.edit_bar.clear()
        self.documents = {}
        self.problems.clear_findings("")
        self.split.setVisible(False)
        for button in (self.start, self.finish, self.reopen, self.log):
            button.setVisible(False)
        self._update_filter_titles()
        self._update_empty_note()

    def set_adjudication(
        self,
        adjudication: Adjudication,
        findings: list[Finding] | None,
        documents: dict[int, str],
    ) -> None:
        if adjudication.study_id != self._shown_study:
            # Each study opens on what needs doing; the filter is kept while on one study.
            self._shown_study = adjudication.study_id
            self.filter = Filter.DISAGREEMENTS
            self.filter_buttons[self.filter].setChecked(True)
            self.close_editor()
        self.adjudication = adjudication
        self.documents = documents
        self.split.setVisible(True)
        names = (adjudication.reviewer_a, adjudication.reviewer_b)
        self.title.setText(adjudication.study)
        started = adjudication.final_extraction_id is not None
        state = (
            "finished" if adjudication.finished else ("adjudicating" if started else "not started")
        )
        self.people.setText(f"A: {names[0]}  ·  B: {names[1]}  ·  final record: {state}")
        pending = sum(
            1 for i in adjudication.items if waits(i, started) and i.state is ItemState.PENDING
        )
        stale = sum(1 for i in adjudication.items if i.state is ItemState.STALE)
        decided = sum(1 for i in adjudication.items if i.state is ItemState.DECIDED)
        differ = sum(1 for i in adjudication.items if i.disagreement)
        agreed = sum(
            1
            for i in adjudication.items
            if i.decision is not None and i.decision.choice is Choice.AGREED
        )
        self.counts.setText(
            f"<b>{pending}</b> to decide · <b>{stale}</b> stale · {decided} decided "
            f"({agreed} agreed taken over) · {differ} disagreement{'s' if differ != 1 else ''}"
        )
        self.counts.setProperty("waiting", bool(pending or stale))
        self._repolish(self.counts)
        if not started:
            self.set_banner(
                "Not started. Start creates the final record and takes over every answer "
                "both reviewers agree on; taking A or B, or editing, starts it too.",
                "info",
            )
        elif adjudication.finished:
            self.set_banner(
                "Finished: the final record is final. Reopen it (with a reason) to change "
                "a decision.",
                "done",
            )
        else:
            self.set_banner("", "")
        self.start.setVisible(not started)
        self.finish.setVisible(not adjudication.finished)
        self.reopen.setVisible(adjudication.finished)
        self.log.setVisible(started)
        self.table.set_items(
            adjudication.items, self.template, self.filter, names, documents, started
        )
        self._update_filter_titles()
        self._update_empty_note()
        self.problems.setVisible(findings is not None)
        if findings is None:
            self.problems.clear_findings("")
        else:
            labels = {i.path: i.label for i in adjudication.items}
            self.problems.set_findings(findings, labels)
        self._on_table_current_path_changed(self.table.current_path() or "")

    @property
    def started(self) -> bool:
        view = self.adjudication
        return view is not None and view.final_extraction_id is not None

    def set_banner(self, text: str, kind: str) -> None:
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self._repolish(self.banner)
        self.banner.setVisible(bool(text))

    def set_filter(self, which: Filter) -> None:
        self.filter = which
        self.filter_buttons[which].setChecked(True)
        if self.adjudication is not None:
            names = (self.adjudication.reviewer_a, self.adjudication.reviewer_b)
            self.table.set_items(
                self.adjudication.items, self.template, which, names, self.documents, self.started
            )
        self._update_empty_note()
        self.table.setFocus()

    def select_path(self, path: str) -> None:
        if not self.table.select_path(path) and self.adjudication is not None:
            self.set_filter(Filter.ALL)
            self.table.select_path(path)
        self.table.setFocus()

    def _update_empty_note(self) -> None:
        empty = self.adjudication is not None and not self.table.paths()
        note = EMPTY_NOTES[self.filter]
        if empty and self.filter is Filter.DISAGREEMENTS and self.adjudication is not None:
            if not self.started:
                note += " Finish takes their answers over and makes the final record final."
            elif not self.adjudication.finished:
                note += " Finish makes the final record final."
        self.table.set_empty_text(note if empty else "")
        self.detail.setVisible(not empty)

    def _update_filter_titles(self) -> None:
        items = self.adjudication.items if self.adjudication is not None else ()
        for which, button in self.filter_buttons.items():
            count = sum(1 for i in items if shown(i, which, self.started))
            button.setText(f"{FILTER_TITLES[which]}  {count}")

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # -- editing --------------------------------------------------------------------
    def open_editor(self, path: str, passage: tuple[int, int, int, str] | None) -> None:
        item = self.adjudication.item(path) if self.adjudication is not None else None
        if item is None:
            return
        current = item.final or item.answer_a or item.answer_b
        self.edit_bar.open_for(path, item.label, spec_of(self.template, item), current, passage)

    def close_editor(self) -> None:
        had_focus = self.edit_bar.isVisible()
        self.edit_bar.hide()
        if had_focus:
            self.table.setFocus()

    # -- slots ----------------------------------------------------------------------------
    def _on_table_command(self, name: str, path: str) -> None:
        if name == "next":
            self._select_next_waiting()
        elif name == "edit":
            self.edit_requested.emit(path)
        elif name == "accept":
            self.decide_requested.emit(path, Choice.AGREED.value)
        else:
            self.decide_requested.emit(path, name)

    def _select_next_waiting(self) -> None:
        if self.adjudication is None:
            return
        waiting = {i.path for i in self.adjudication.items if waits(i, self.started)}
        paths = self.table.paths()
        current = self.table.current_path()
        start = paths.index(current) + 1 if current in paths else 0
        for path in paths[start:] + paths[:start]:
            if path in waiting:
                self.table.select_path(path)
                return
        others = [i.path for i in self.adjudication.items if i.path in waiting]
        if others:
            self.select_path(others[0])

    def _on_table_current_path_changed(self, path: str) -> None:
        item = self.adjudication.item(path) if self.adjudication is not None and path else None
        if item is not None and self.edit_bar.isVisible() and self.edit_bar.path != path:
            self.close_editor()
        adjudication = self.adjudication
        can_decide = adjudication is not None and not adjudication.finished
        names = (adjudication.reviewer_a, adjudication.reviewer_b) if adjudication else ("A", "B")
        self.detail.show_item(
            item,
            spec_of(self.template, item) if item is not None else None,
            names,
            self.documents,
            can_decide=can_decide,
            started=self.started,
        )
