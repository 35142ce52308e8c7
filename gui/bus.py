"""One signal for every change a service reports, so each view refreshes what concerns it."""

from PySide6.QtCore import QObject, Signal

from core.domain import Changes


class ChangesBus(QObject):
    """Re-emits `Changes` from services; `source` is the widget that caused them."""

    changed = Signal(object, object)  # Changes, source object or None

    def publish(self, changes: Changes, source: object | None = None) -> None:
        if not changes.empty:
            self.changed.emit(changes, source)
