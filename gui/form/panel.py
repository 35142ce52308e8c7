"""The form panel: sections, fields and repeating groups of the template, in a scroll area."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from core.domain import FieldValueInfo, Template
from core.domain.document import FieldSuggestion
from gui.document_view.highlights import section_colour
from gui.form.field_row import FieldRowWidget
from gui.form.group_widget import RepeatingGroupWidget


class FormPanel(QScrollArea):
    """Built once per template; `show_extraction` fills it with stored values."""

    current_path_changed = Signal(str)

    def __init__(self, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields: dict[str, FieldRowWidget] = {}
        self.groups: dict[str, RepeatingGroupWidget] = {}
        self.section_of: dict[str, int] = {}
        self.current_path: str | None = None
        self._read_only = False
        self._row_signals: list[FieldRowWidget] = []
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 8)
        for index, section in enumerate(template.sections):
            colour = section_colour(index)
            heading = QLabel(section.label, body)
            heading.setObjectName("sectionHeading")
            heading.setStyleSheet(f"border-bottom: 3px solid {colour};")
            layout.addWidget(heading)
            for spec in section.fields:
                row = FieldRowWidget(spec.id, spec, colour, body)
                self._register(row)
                layout.addWidget(row)
                self.section_of[spec.id] = index
            for group in section.groups:
                widget = RepeatingGroupWidget(group, colour, body)
                self.groups[group.id] = widget
                self.section_of[group.id] = index
                layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(body)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def _register(self, row: FieldRowWidget) -> None:
        self.fields[row.path] = row
        row.focused.connect(self._on_row_focused)
        self._row_signals.append(row)

    def field_rows(self) -> list[FieldRowWidget]:
        """Every field row in form order (group rows after their group's position)."""
        ordered: list[FieldRowWidget] = []
        for section in self.template.sections:
            ordered.extend(self.fields[f.id] for f in section.fields)
            for group in section.groups:
                for row in self.groups[group.id].rows:
                    ordered.extend(row.values())
        return ordered

    def show_extraction(
        self,
        values: list[FieldValueInfo],
        row_counts: dict[str, int],
        document_names: dict[int, str],
        read_only: bool,
    ) -> list[FieldRowWidget]:
        """Show stored values; returns field rows that were created (to connect)."""
        created: list[FieldRowWidget] = []
        for group_id, widget in self.groups.items():
            for path in [p for p in self.fields if p.startswith(f"{group_id}[")]:
                position = int(path.split("[", 1)[1].split("]", 1)[0])
                if position > row_counts.get(group_id, 0):
                    del self.fields[path]
            for row in widget.set_row_count(row_counts.get(group_id, 0)):
                self._register(row)
                created.append(row)
        by_path = {v.path: v for v in values}
        for path, row in self.fields.items():
            row.show_value(by_path.get(path), document_names)
            row.set_read_only(read_only)
        for widget in self.groups.values():
            widget.set_read_only(read_only)
        self._read_only = read_only
        return created

    def show_suggestions(self, suggestions: list[FieldSuggestion]) -> None:
        """Offer registry values under their fields; none while the form is read-only."""
        by_path = {} if self._read_only else {s.path: s for s in suggestions}
        for path, row in self.fields.items():
            row.show_suggestion(by_path.get(path))

    def focus_field(self, path: str) -> bool:
        row = self.fields.get(path)
        if row is None:
            return False
        self.ensureWidgetVisible(row, 40, 80)
        row.focus()
        self.current_path = path
        return True

    def next_empty_path(self) -> str | None:
        rows = self.field_rows()
        paths = [r.path for r in rows]
        start = paths.index(self.current_path) + 1 if self.current_path in paths else 0
        for row in rows[start:] + rows[:start]:
            if row.is_empty():
                return row.path
        return None

    def _on_row_focused(self, path: str) -> None:
        self.current_path = path
        self.current_path_changed.emit(path)

    def colour_of(self, path: str) -> int:
        head = path.split("[", 1)[0].split(".", 1)[0]
        return self.section_of.get(head, 0)

    def label_of(self, path: str) -> str:
        row = self.fields.get(path)
        if row is None:
            return path
        if "[" in path:
            group = path.split("[", 1)[0]
            position = path.split("[", 1)[1].split("]", 1)[0]
            widget = self.groups[group]
            return f"{widget.group.label} {position}: {row.spec.label}"
        return row.spec.label

    @property
    def read_only(self) -> bool:
        return self._read_only
