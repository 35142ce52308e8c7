"""Which records an export takes: final records, one reviewer's, or all; finished or not."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.export.options import ExportOptions, RecordSet
from core.export.records import Head

FINAL_KIND = "final"
REVIEWER_KIND = "reviewer"
FINISHED = {REVIEWER_KIND: ("submitted", "final"), FINAL_KIND: ("final",)}


@dataclass
class Selection:
    heads: list[Head]
    notes: list[str] = field(default_factory=list)


def _finished(head: Head) -> bool:
    return head.status in FINISHED.get(head.kind, ())


def select_heads(
    heads: Iterable[Head], options: ExportOptions, *, hidden: frozenset[int] = frozenset()
) -> Selection:
    """The chosen records, by study name and then reviewer, with notes on what was left.

    `hidden` are extractions blinding keeps from the person exporting; they are left out
    as if they did not exist.
    """
    visible = [h for h in heads if h.extraction_id not in hidden]
    if options.records is RecordSet.FINAL:
        candidates = [h for h in visible if h.kind == FINAL_KIND]
    elif options.records is RecordSet.REVIEWER:
        name = (options.reviewer or "").strip()
        candidates = [h for h in visible if h.kind == REVIEWER_KIND and h.reviewer == name]
    else:
        candidates = visible
    chosen = candidates if options.include_unfinished else [h for h in candidates if _finished(h)]
    notes: list[str] = []
    unfinished = len(candidates) - len(chosen)
    if unfinished:
        what = {
            RecordSet.FINAL: "final record(s) still being adjudicated",
            RecordSet.REVIEWER: "extraction(s) not yet submitted",
            RecordSet.ALL: "record(s) not yet submitted or final",
        }[options.records]
        notes.append(f"{unfinished} {what} left out (include unfinished records to export them).")
    if options.records is RecordSet.FINAL:
        studies = {h.study_id for h in visible}
        with_final = {h.study_id for h in candidates}
        if missing := len(studies - with_final):
            notes.append(
                f"{missing} stud{'y has' if missing == 1 else 'ies have'} no final record yet."
            )
    chosen.sort(
        key=lambda h: (
            h.study.casefold(),
            h.study_id,
            h.kind != REVIEWER_KIND,
            h.reviewer.casefold(),
        )
    )
    return Selection(chosen, notes)
