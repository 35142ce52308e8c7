"""A problem found in an extraction by a built-in check or a template rule."""

from collections.abc import Iterable
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, computed_field

from core.domain.template import Severity


class Finding(BaseModel):
    """One problem, in words a reviewer understands.

    `path` is the field it concerns: `enrolled`, `arms[2].n_randomized`, a repeating
    group's id (`outcomes`) for a rule about a whole group, or "" for the extraction as a
    whole. `code` is stable: `required`, `range`, `completed_gt_enrolled`, ... or
    `rule:<rule id>` for a template rule. `key` (code and path) names the finding for
    acknowledgements: an acknowledgement holds as long as a finding with that key exists.
    """

    model_config = ConfigDict(frozen=True)

    severity: Severity
    path: str = ""
    code: str
    message: str
    acknowledged: bool = False
    ack_reason: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key(self) -> str:
        return finding_key(self.code, self.path)

    @property
    def blocking(self) -> bool:
        """An error nobody has acknowledged: it keeps the extraction from being submitted."""
        return self.severity is Severity.ERROR and not self.acknowledged


def finding_key(code: str, path: str) -> str:
    """The acknowledgement key of a finding: `completed_gt_enrolled@completed`."""
    return f"{code}@{path}"


class Tally(NamedTuple):
    """How many findings still block, still warn, and were acknowledged."""

    errors: int
    warnings: int
    acknowledged: int


def tally(findings: Iterable[Finding]) -> Tally:
    errors = warnings = acknowledged = 0
    for finding in findings:
        if finding.acknowledged:
            acknowledged += 1
        elif finding.severity is Severity.ERROR:
            errors += 1
        elif finding.severity is Severity.WARNING:
            warnings += 1
    return Tally(errors, warnings, acknowledged)
