"""What the comparison and the checks read of a stored answer and of its passages.

`FieldValueInfo` and `Anchor` have every property named here; the comparison and the
checks of many extractions at once use light tuples with the same names instead.
"""

from collections.abc import Sequence
from typing import Any, Protocol

from core.domain.anchor import AnchorStatus
from core.domain.records import FieldStatus


class PassageLike(Protocol):
    """Where a passage is: a document and a span of its text."""

    @property
    def document_id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class AnchorLike(PassageLike, Protocol):
    """A passage with its quote and whether it still stands at its place."""

    @property
    def exact(self) -> str: ...
    @property
    def status(self) -> AnchorStatus: ...


class AnswerLike(Protocol):
    """An answer as two reviewers' answers are compared."""

    @property
    def status(self) -> FieldStatus: ...
    @property
    def value(self) -> Any: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def anchors(self) -> Sequence[PassageLike]: ...


class StoredAnswer(AnswerLike, Protocol):
    """An answer with its place in the form."""

    @property
    def path(self) -> str: ...
    @property
    def field_id(self) -> str: ...
    @property
    def group_id(self) -> str | None: ...
    @property
    def row(self) -> int | None: ...


class ValueLike(StoredAnswer, Protocol):
    """An answer as the checks read it: with the text it was typed as, and its quotes."""

    @property
    def raw_text(self) -> str: ...
    @property
    def anchors(self) -> Sequence[AnchorLike]: ...
