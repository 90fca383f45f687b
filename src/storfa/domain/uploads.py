"""Who may see what an upload stores, before anyone has checked it (issue 19).

A review uploaded through the web or the API is not public before an editor
has decided the disclosure check's findings: it lands at the level its
uploader chose (draft to their organisation unless they chose otherwise,
disclosure/uploads.py), and a choice of registered or public is kept only
when the check found nothing to decide. The storage step applies the rule
below in the transaction that stores the version, so the review is never
visible more widely, not even for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storfa.domain.accounts import AccessLevel, ReviewAccess

# Levels that show a review beyond named organisations: the publication
# gate's levels (disclosure/publication.py).
OPEN = (AccessLevel.REGISTERED, AccessLevel.PUBLIC)
_OPENNESS = {AccessLevel.DRAFT: 0, AccessLevel.RESTRICTED: 1, AccessLevel.REGISTERED: 2,
             AccessLevel.PUBLIC: 3}


@dataclass(frozen=True)
class UploadAccess:
    """The access an upload asks for, and what the disclosure check found in
    its text (None: not known yet, or not checked)."""

    level: AccessLevel
    organisations: frozenset[int] = field(default_factory=frozenset)
    findings: int | None = None

    def wanted(self) -> ReviewAccess:
        """The level asked for, or draft when it would open the review up to
        registered or public with findings undecided (or not known)."""
        level = self.level
        if level in OPEN and self.findings != 0:
            level = AccessLevel.DRAFT
        return ReviewAccess(level, self.organisations)

    def applied(self, current: ReviewAccess | None) -> ReviewAccess | None:
        """The access the review gets when the upload stores a new version of
        it; None leaves its access as it is.

        - a new review (`current` None) gets `wanted()`;
        - a registered or public review gets `wanted()` when that is closer:
          the new version's text is unchecked, and its findings are decided
          afresh (decisions are kept per version) before it is opened again;
        - an upload never opens a review up, and leaves a restricted or draft
          review's organisations as they are."""
        wanted = self.wanted()
        if current is None:
            return wanted
        if current.level in OPEN and _OPENNESS[wanted.level] < _OPENNESS[current.level]:
            return wanted
        return None

    def as_option(self) -> dict[str, Any]:
        """As a queued job's `access` option (JSON)."""
        return {"level": self.level.value, "organisations": sorted(self.organisations)}

    @classmethod
    def from_option(cls, value: object) -> UploadAccess | None:
        """From a job's `access` option; None when the job has none (a queued
        `storfa ingest --queue`, which leaves access alone)."""
        if not isinstance(value, dict):
            return None
        orgs = value.get("organisations") or []
        return cls(AccessLevel(str(value.get("level", AccessLevel.DRAFT.value))),
                   frozenset(int(o) for o in orgs))
