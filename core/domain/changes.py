"""What a mutating service call changed, so views refresh only what concerns them."""

from pydantic import BaseModel, ConfigDict


class Changes(BaseModel):
    """Returned by every mutating service; merged with `|`."""

    model_config = ConfigDict(frozen=True)

    studies: frozenset[int] = frozenset()
    documents: frozenset[int] = frozenset()
    extractions: frozenset[int] = frozenset()
    fields: frozenset[str] = frozenset()
    reviewers: bool = False
    template: bool = False
    messages: tuple[str, ...] = ()

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            studies=self.studies | other.studies,
            documents=self.documents | other.documents,
            extractions=self.extractions | other.extractions,
            fields=self.fields | other.fields,
            reviewers=self.reviewers or other.reviewers,
            template=self.template or other.template,
            messages=self.messages + other.messages,
        )

    @property
    def empty(self) -> bool:
        return self == Changes()
