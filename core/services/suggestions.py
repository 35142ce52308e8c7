"""Registry values offered on the form as suggestions, and accepting one of them.

A suggestion never fills a field by itself: `suggestions_for` only reads, and
`accept_suggestion` is one fill through `editing.fill_from_selection` (one transaction
with its audit row) whose value is the registry's and whose evidence is the registry
span. A record is parsed once per content hash and extractor version; the cache is
shared by threads. Every call opens its own session and is safe from any thread.
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from core.adjudication.align import align_rows
from core.adjudication.compare import is_empty
from core.adjudication.states import Match
from core.adjudication.values import EXACT, match_values
from core.documents.ctgov import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    JSON_MEDIA_TYPE,
    registry_suggestions,
)
from core.domain import Anchor, Changes, FieldStatus, FieldValueInfo, Template
from core.domain.document import FieldSuggestion, Suggestion
from core.errors import NotFoundError, TrialAbstractorError, ValidationError
from core.services import editing
from core.services.extractions import values_in_session, visible_extraction
from core.services.paths import FieldPath, field_spec, parse_path
from core.services.project import Project
from core.services.typed_values import coerce_value
from core.storage.models import Document
from core.storage.repositories import catalog, extractions

_SAME = (Match.IDENTICAL, Match.EQUIVALENT)
_CACHE_SIZE = 128
_cache: OrderedDict[str, tuple[Suggestion, ...]] = OrderedDict()
_cache_lock = threading.Lock()


class _Offered(NamedTuple):
    """A registry value seen as an answer, for pairing group rows with the reviewer's."""

    status: FieldStatus
    value: Any
    unit: str | None
    anchors: tuple[Anchor, ...] = ()


def registry_offers(project: Project, study_id: int) -> list[FieldSuggestion]:
    """What the study's registry records offer for the current form, rows as in the record.

    Only values that fit their field's type are offered; when two records offer a
    value for one field, the first imported wins. Reads only.
    """
    offers: list[FieldSuggestion] = []
    with project.uow.read() as session:
        catalog.study(session, study_id)
        for doc in catalog.documents_by_extractor(session, study_id, EXTRACTOR, JSON_MEDIA_TYPE):
            if doc.extractor_version != EXTRACTOR_VERSION:
                continue  # its text was written by another version: the spans would not match
            offers.extend(
                FieldSuggestion(
                    path=s.field,
                    value=s.value,
                    unit=s.unit,
                    label=s.label,
                    document_id=doc.id,
                    start=s.start,
                    end=s.end,
                    pointer=s.pointer,
                )
                for s in _record_suggestions(doc)
            )
    return _fitting(project.template, offers)


def open_suggestions(
    template: Template,
    offers: Sequence[FieldSuggestion],
    values: Sequence[FieldValueInfo],
    row_counts: Mapping[str, int],
) -> list[FieldSuggestion]:
    """The offers to show on an extraction's form (no database: the GUI calls it too).

    Group rows of the record are paired with the reviewer's rows on the group's key
    fields; a record row nobody has written yet goes to the next empty row, and rows the
    form lacks are not offered. An offer equal to the stored value is dropped; one that
    differs from a stored value or status is kept with `differs` set.
    """
    by_path = {v.path: v for v in values}
    shown: list[FieldSuggestion] = []
    for offer in _on_form_rows(template, offers, by_path, row_counts):
        answer = by_path.get(offer.path)
        if answer is None or is_empty(answer):
            shown.append(offer)
        elif not _same(template, offer, answer):
            shown.append(offer.model_copy(update={"differs": True}))
    return shown


def suggestions_for(project: Project, extraction_id: int) -> list[FieldSuggestion]:
    """Registry suggestions for the fields of an extraction, as its form shows them."""
    with project.uow.read() as session:
        extraction = visible_extraction(session, project, extraction_id)
        study_id = extraction.study_id
        values = values_in_session(session, extraction_id)
        counts: dict[str, int] = {}
        for row in extractions.all_rows(session, extraction_id):
            counts[row.group_id] = counts.get(row.group_id, 0) + 1
    offers = registry_offers(project, study_id)
    return open_suggestions(project.template, offers, values, counts)


def accept_suggestion(project: Project, extraction_id: int, suggestion: FieldSuggestion) -> Changes:
    """Fill the suggestion's field with the registry value and the registry span as evidence.

    The suggestion must still be on offer for this extraction (its record, field, span
    and value), otherwise ValidationError says why. One transaction, audited as a fill.
    """
    current = suggestions_for(project, extraction_id)
    if not any(_same_offer(suggestion, offer) for offer in current):
        raise ValidationError(
            "The registry no longer suggests this value for that field "
            "(the field or the record changed): nothing was filled."
        )
    return editing.fill_from_selection(
        project,
        extraction_id,
        suggestion.path,
        suggestion.document_id,
        suggestion.start,
        suggestion.end,
        value=suggestion.value,
        unit=suggestion.unit,
        reason=f"Accepted the registry suggestion ({suggestion.pointer}).",
    )


def _same_offer(a: FieldSuggestion, b: FieldSuggestion) -> bool:
    keep = ("path", "document_id", "start", "end", "pointer", "value", "unit")
    return all(getattr(a, name) == getattr(b, name) for name in keep)


def _record_suggestions(doc: Document) -> tuple[Suggestion, ...]:
    """The record's suggestions, parsed once per content and extractor version."""
    key = f"{doc.sha256}:{doc.extractor_version}"
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    try:
        found = tuple(registry_suggestions(bytes(doc.content)))
    except TrialAbstractorError:
        found = ()  # the importer said what is wrong with the record when it came in
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def _fitting(template: Template, offers: list[FieldSuggestion]) -> list[FieldSuggestion]:
    """Offers for fields of `template`, in the stored form of their type, one per field."""
    fitting: dict[str, FieldSuggestion] = {}
    for offer in offers:
        if offer.path in fitting:
            continue
        try:
            spec = field_spec(template, parse_path(offer.path))
            value, unit = coerce_value(spec, offer.value, offer.unit)
        except (NotFoundError, ValidationError):
            continue
        fitting[offer.path] = offer.model_copy(update={"value": value, "unit": unit})
    return list(fitting.values())


def _same(template: Template, offer: FieldSuggestion, answer: FieldValueInfo) -> bool:
    if answer.status is not FieldStatus.VALUE:
        return False
    spec = field_spec(template, parse_path(offer.path))
    found = match_values(spec, answer.value, offer.value, answer.unit, offer.unit, EXACT)
    return found.match in _SAME


def _on_form_rows(
    template: Template,
    offers: Sequence[FieldSuggestion],
    by_path: Mapping[str, FieldValueInfo],
    row_counts: Mapping[str, int],
) -> list[FieldSuggestion]:
    """Offers with group rows renumbered to the reviewer's rows; unplaced rows dropped."""
    placed: list[FieldSuggestion] = []
    record_rows: dict[str, dict[int, list[tuple[FieldPath, FieldSuggestion]]]] = {}
    for offer in offers:
        path = parse_path(offer.path)
        if path.group is None or path.row is None:
            placed.append(offer)
        else:
            rows = record_rows.setdefault(path.group, {})
            rows.setdefault(path.row, []).append((path, offer))
    for group_id, rows in record_rows.items():
        group = template.group(group_id)
        if group is None:
            continue
        form_rows = {
            n: {
                f.id: answer
                for f in group.fields
                if (answer := by_path.get(f"{group_id}[{n}].{f.id}")) is not None
            }
            for n in range(1, row_counts.get(group_id, 0) + 1)
        }
        offered = {
            r: {p.field: _Offered(FieldStatus.VALUE, o.value, o.unit) for p, o in items}
            for r, items in rows.items()
        }
        target: dict[int, int] = {}
        unpaired: list[int] = []
        for pair in align_rows(group, form_rows, offered):
            if pair.row_a is not None and pair.row_b is not None:
                target[pair.row_b] = pair.row_a
            elif pair.row_b is not None:
                unpaired.append(pair.row_b)
        taken = set(target.values())
        blank = [n for n, answers in form_rows.items() if n not in taken and _blank(answers)]
        target.update(zip(unpaired, blank, strict=False))
        for record_row, items in rows.items():
            if record_row not in target:
                continue
            for path, offer in items:
                where = FieldPath(path.field, group_id, target[record_row])
                placed.append(offer.model_copy(update={"path": str(where)}))
    return placed


def _blank(answers: Mapping[str, FieldValueInfo]) -> bool:
    return all(is_empty(answer) for answer in answers.values())
