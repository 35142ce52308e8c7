"""What a mutating service call changed, so views refresh only what concerns them."""

from pydantic import BaseModel, ConfigDict

from core.domain.findings import Finding


class Changes(BaseModel):
    """Returned by every mutating service; merged with `|`.

    Findings: when `findings_extraction` is set, `findings` is the complete, current
    list of findings of that extraction (acknowledgements applied), computed in the same
    transaction as the change; a view replaces what it shows for that extraction. An
    empty tuple then means "no problems left". When merging, the right-hand side's
    findings win if it carries any (it is the later state). A view that shows another
    extraction listed in `extractions` asks `services.checks.check_extraction`.
    """

    model_config = ConfigDict(frozen=True)

    studies: frozenset[int] = frozenset()
    documents: frozenset[int] = frozenset()
    extractions: frozenset[int] = frozenset()
    fields: frozenset[str] = frozenset()
    reviewers: bool = False
    template: bool = False
    messages: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    findings_extraction: int | None = None

    def __or__(self, other: "Changes") -> "Changes":
        latest = other if other.findings_extraction is not None else self
        return Changes(
            studies=self.studies | other.studies,
            documents=self.documents | other.documents,
            extractions=self.extractions | other.extractions,
            fields=self.fields | other.fields,
            reviewers=self.reviewers or other.reviewers,
            template=self.template or other.template,
            messages=self.messages + other.messages,
            findings=latest.findings,
            findings_extraction=latest.findings_extraction,
        )

    @property
    def empty(self) -> bool:
        return self == Changes()
