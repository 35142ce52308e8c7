"""Every user action, declared once: id, title, shortcut, menu, handler, enabled-when.

Menus and the shortcut sheet are built from this table. A handler is the name of
a method of the workspace; `enabled_when` names a predicate method there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str
    menu: str
    handler: str
    shortcuts: tuple[str, ...] = ()
    enabled_when: str | None = None
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "import_documents",
        "&Import documents…",
        "&File",
        "import_documents",
        ("Ctrl+I",),
        tip="Add PDF, text or HTML files to a study",
    ),
    ActionSpec(
        "export",
        "&Export…",
        "&File",
        "export_records",
        ("Ctrl+Shift+X",),
        tip="Write final records as CSV with a data dictionary, evidence, JSON or REDCap files",
    ),
    ActionSpec("switch_reviewer", "Switch &reviewer…", "&File", "switch_reviewer"),
    ActionSpec("quit", "&Quit", "&File", "quit", ("Ctrl+Q",)),
    ActionSpec("undo", "&Undo", "&Edit", "undo", ("Ctrl+Z",), "can_undo"),
    ActionSpec("redo", "&Redo", "&Edit", "redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "can_redo"),
    ActionSpec(
        "fill_field",
        "&Fill field from selection",
        "F&ield",
        "fill_focused_field",
        ("Ctrl+E",),
        "can_fill",
        "Parse the selected passage into the current field and keep it as evidence",
    ),
    ActionSpec(
        "add_evidence",
        "&Add selection as evidence",
        "F&ield",
        "add_evidence",
        ("Ctrl+Shift+E",),
        "can_fill",
        "Keep the value, add the passage as evidence",
    ),
    ActionSpec(
        "send_to_field",
        "&Send selection to field…",
        "F&ield",
        "send_to_field",
        ("Ctrl+T",),
        "can_fill",
        "Pick the field from a searchable list",
    ),
    ActionSpec(
        "accept_suggestion",
        "Accept registry su&ggestion",
        "F&ield",
        "accept_suggestion",
        ("Alt+Return",),
        "can_edit",
        "Fill the current field with the value its registry record suggests, "
        "the registry passage as evidence",
    ),
    ActionSpec(
        "next_empty",
        "&Next empty field",
        "F&ield",
        "next_empty_field",
        ("Ctrl+J",),
        "has_extraction",
    ),
    ActionSpec(
        "not_reported",
        "Mark not &reported",
        "F&ield",
        "mark_not_reported",
        ("Ctrl+Shift+R",),
        "can_edit",
    ),
    ActionSpec(
        "not_applicable",
        "Mark not a&pplicable",
        "F&ield",
        "mark_not_applicable",
        ("Ctrl+Shift+A",),
        "can_edit",
    ),
    ActionSpec("unclear", "Mark &unclear", "F&ield", "mark_unclear", ("Ctrl+Shift+U",), "can_edit"),
    ActionSpec(
        "clear_field", "&Clear field", "F&ield", "clear_field", ("Ctrl+Shift+Del",), "can_edit"
    ),
    ActionSpec(
        "field_history",
        "Field &history…",
        "F&ield",
        "show_field_history",
        ("Ctrl+H",),
        "has_extraction",
        "Every change of the current field: who, when, why",
    ),
    ActionSpec("find", "&Find in document…", "&Document", "find_in_document", ("Ctrl+F",)),
    ActionSpec("find_next", "Find ne&xt", "&Document", "find_next", ("F3",)),
    ActionSpec("find_previous", "Find pre&vious", "&Document", "find_previous", ("Shift+F3",)),
    ActionSpec("zoom_in", "Zoom &in", "&Document", "zoom_in", ("Ctrl++", "Ctrl+=")),
    ActionSpec("zoom_out", "Zoom &out", "&Document", "zoom_out", ("Ctrl+-",)),
    ActionSpec("zoom_reset", "&Actual size", "&Document", "zoom_reset", ("Ctrl+0",)),
    ActionSpec(
        "submit",
        "&Submit extraction…",
        "E&xtraction",
        "submit_extraction",
        ("Ctrl+Shift+Return",),
        "can_edit",
        "Lock your extraction: it is finished for adjudication",
    ),
    ActionSpec(
        "reopen",
        "&Reopen extraction…",
        "E&xtraction",
        "reopen_extraction",
        (),
        "can_reopen",
        "Unlock a submitted extraction; the reason is logged",
    ),
    ActionSpec(
        "check_all",
        "&Check all studies",
        "E&xtraction",
        "check_all",
        ("Ctrl+Shift+K",),
        tip="Run every check on every extraction of the project",
    ),
    ActionSpec(
        "adjudicate",
        "&Adjudicate study",
        "&Adjudication",
        "adjudicate_study",
        ("Ctrl+Shift+J",),
        "can_adjudicate",
        "Both reviewers' answers side by side, settled into the final record "
        "(adjudicators only; again to go back to the form)",
    ),
    ActionSpec(
        "finish_adjudication",
        "&Finish adjudication",
        "&Adjudication",
        "finish_adjudication",
        ("Ctrl+Shift+F",),
        "can_finish_adjudication",
        "Make the final record final once every field is decided (starts it if needed)",
    ),
    ActionSpec(
        "reopen_adjudication",
        "&Reopen final record…",
        "&Adjudication",
        "reopen_adjudication",
        (),
        "can_reopen_adjudication",
        "Take a finished final record back to deciding; the reason is logged",
    ),
    ActionSpec(
        "decision_log",
        "&Decision log…",
        "&Adjudication",
        "show_decision_log",
        (),
        "is_adjudicating",
        "Every decision on the study's final record",
    ),
    ActionSpec(
        "people",
        "&People and assignments…",
        "&Project",
        "show_people",
        tip="Roles (reviewer, adjudicator) and reviewers A and B of each study",
    ),
    ActionSpec(
        "agreement",
        "&Agreement report…",
        "&Project",
        "show_agreement_report",
        tip="Percent agreement and kappa per field, over the double-entered studies",
    ),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "&Help", "show_shortcuts", ("F1",)),
)


def build_actions(window: QMainWindow, target: object) -> dict[str, QAction]:
    """Create the QActions on `window`, wire them to `target`'s handlers, fill the menus."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for spec in ACTIONS:
        action = QAction(spec.title, window)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip or spec.title.replace("&", ""))
        handler: Callable[[], object] = getattr(target, spec.handler)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(action)
        menu = menus.get(spec.menu)
        if menu is None:
            menu = window.menuBar().addMenu(spec.menu)
            menus[spec.menu] = menu
        menu.addAction(action)
        actions[spec.id] = action
    return actions


def update_enabled(target: object, actions: dict[str, QAction]) -> None:
    """Re-evaluate every action's enabled-when predicate."""
    for spec in ACTIONS:
        if spec.enabled_when is not None:
            actions[spec.id].setEnabled(bool(getattr(target, spec.enabled_when)()))


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(menu, action, shortcuts) for the shortcut sheet."""
    return [
        (
            spec.menu.replace("&", ""),
            spec.title.replace("&", "").rstrip("…"),
            ", ".join(
                QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
                for s in spec.shortcuts
            )
            or "—",
        )
        for spec in ACTIONS
    ]
