"""The current field in full: A's, B's and the final answer with every passage, and the verdict."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.adjudication import ComparisonState
from core.domain import FieldSpec, FieldValueInfo
from core.domain.adjudication import AdjudicationItem, Choice, ItemState
from gui.adjudication.cells import PassageChip
from gui.adjudication.display import (
    CHOICE_WORDS,
    answer_text,
    comparison_pill,
    decision_pill,
    taken_over_on_start,
    waits,
)

MAX_CHIPS = 4


class AnswerCard(QFrame):
    """One answer: whose, the value, its passages, and the button that takes it."""

    passage_clicked = Signal(int, int, int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerCard")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title = QLabel(title, self)
        self.title.setObjectName("cardTitle")
        self.value = QLabel("", self)
        self.value.setObjectName("cardValue")
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.passages = QVBoxLayout()
        self.passages.setSpacing(1)
        self.note = QLabel("", self)
        self.note.setObjectName("cardNote")
        self.note.setWordWrap(True)
        self.buttons = QVBoxLayout()
        self.buttons.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addLayout(self.passages)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons.addWidget(button)
        return button

    def show_answer(
        self,
        text: str,
        answer: FieldValueInfo | None,
        documents: dict[int, str],
        note: str = "",
    ) -> None:
        self.value.setText(text or "—")
        self.value.setProperty("empty", not text)
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        while self.passages.count():
            child = self.passages.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        anchors = answer.anchors if answer is not None else ()
        for anchor in anchors[:MAX_CHIPS]:
            chip = PassageChip(anchor, documents.get(anchor.document_id, "document"), self)
            chip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            chip.clicked.connect(self.passage_clicked)
            self.passages.addWidget(chip)
        if len(anchors) > MAX_CHIPS:
            more = QLabel(f"and {len(anchors) - MAX_CHIPS} more passages", self)
            more.setObjectName("cardNote")
            self.passages.addWidget(more)
        if answer is not None and text and not anchors:
            note = "no passage" + (f" · {note}" if note else "")
        self.note.setText(note)
        self.note.setVisible(bool(note))


class ItemDetail(QFrame):
    """Shows one adjudication item; its buttons send the same commands as the keys."""

    command = Signal(str, str)  # command, field path
    passage_clicked = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemDetail")
        self.path: str | None = None
        self.heading = QLabel("", self)
        self.heading.setObjectName("detailHeading")
        self.verdict = QLabel("", self)
        self.verdict.setObjectName("detailVerdict")
        self.verdict.setWordWrap(True)
        self.card_a = AnswerCard("A", self)
        self.card_b = AnswerCard("B", self)
        self.card_final = AnswerCard("Final record", self)
        self.card_final.setObjectName("finalCard")
        self.take_a = self.card_a.add_button(
            "Take A  (A)", "Put A's answer and passages in the final record"
        )
        self.take_b = self.card_b.add_button(
            "Take B  (B)", "Put B's answer and passages in the final record"
        )
        self.accept = self.card_final.add_button(
            "Accept agreed  (⏎)", "Both reviewers gave this answer: take it over"
        )
        self.edit = self.card_final.add_button(
            "Edit…  (E)", "Another value, with a reason (logged)"
        )
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for card in (self.card_a, self.card_b, self.card_final):
            cards.addWidget(card, 1)
            card.passage_clicked.connect(self.passage_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addLayout(cards, 1)
        for button, name in (
            (self.take_a, "a"),
            (self.take_b, "b"),
            (self.accept, "accept"),
            (self.edit, "edit"),
        ):
            button.clicked.connect(lambda _c=False, n=name: self._emit(n))
        self.show_item(None)

    def _emit(self, name: str) -> None:
        if self.path is not None:
            self.command.emit(name, self.path)

    def show_item(
        self,
        item: AdjudicationItem | None,
        spec: FieldSpec | None = None,
        names: tuple[str, str] = ("A", "B"),
        documents: dict[int, str] | None = None,
        *,
        can_decide: bool = False,
        started: bool = True,
    ) -> None:
        documents = documents or {}
        self.path = item.path if item is not None else None
        for widget in (self.card_a, self.card_b, self.card_final):
            widget.setVisible(item is not None)
        if item is None:
            self.heading.setText("")
            self.verdict.setText("No field selected.")
            for card, title in ((self.card_a, "A"), (self.card_b, "B")):
                card.title.setText(title)
            for card in (self.card_a, self.card_b, self.card_final):
                card.show_answer("", None, {})
            return
        self.heading.setText(item.label)
        self.card_a.title.setText(f"A · {names[0]}")
        self.card_b.title.setText(f"B · {names[1]}")
        self.card_a.show_answer(answer_text(spec, item.answer_a), item.answer_a, documents)
        self.card_b.show_answer(answer_text(spec, item.answer_b), item.answer_b, documents)
        self.card_final.show_answer(
            answer_text(spec, item.final), item.final, documents, self._decision_note(item, started)
        )
        self.verdict.setText(self._verdict(item, started))
        agreed = item.comparison.state is ComparisonState.AGREED
        settled = item.decision is not None and item.state is ItemState.DECIDED
        self.take_a.setEnabled(can_decide)
        self.take_b.setEnabled(can_decide)
        self.take_a.setText("Take A  (A)" if item.answer_a is not None else "Take A, empty  (A)")
        self.take_b.setText("Take B  (B)" if item.answer_b is not None else "Take B, empty  (B)")
        self.accept.setEnabled(
            can_decide
            and agreed
            and not (
                settled and item.decision is not None and item.decision.choice is Choice.AGREED
            )
        )
        self.edit.setEnabled(can_decide)

    @staticmethod
    def _verdict(item: AdjudicationItem, started: bool) -> str:
        parts = [comparison_pill(item).tip]
        if item.comparison.reason:
            parts.append(item.comparison.reason)
        if item.comparison.same_value_different_evidence:
            parts.append("same value, different passages")
        decision = decision_pill(item, started)
        if waits(item, started):
            parts.append(decision.tip)
        return " · ".join(parts)

    @staticmethod
    def _decision_note(item: AdjudicationItem, started: bool) -> str:
        decision = item.decision
        if decision is None:
            if taken_over_on_start(item, started):
                return "taken over when the adjudication starts"
            return "waits for a decision" if item.state is ItemState.PENDING else ""
        when = f"{decision.at.astimezone():%d %b %H:%M}"
        note = f"{CHOICE_WORDS[decision.choice]} by {decision.actor}, {when}"
        if decision.reason:
            note += f": “{decision.reason}”"
        if item.state is ItemState.STALE:
            note = "stale: an answer changed after this decision · " + note
        return note
