"""What a web or API upload is stored as, before anyone has checked it
(issue 19): the one place the default is written.

An upload through the upload page or `POST /api/v1/uploads` lands as
**draft** to the uploader's organisation (its editors and administrators
only) unless the uploader chooses another level; a choice of registered or
public is kept only when the disclosure check finds nothing to decide, and
otherwise the review is a draft until its findings are decided and an
editor publishes it through the publication gate (disclosure/publication.py).
An upload of a new version never opens a review up, and closes a registered
or public review to the chosen level while its new text is unchecked
(domain/uploads.py, applied in the transaction that stores the version).

`storfa ingest` is left alone: it is how a board bulk-loads reports it has
already published, and the command line is trusted like the database it
opens (docs/disclosure.md).
"""

from __future__ import annotations

from storfa.domain.accounts import LEVELS, AccessLevel, User
from storfa.domain.errors import N_, StorfaError
from storfa.domain.uploads import UploadAccess

DEFAULT_LEVEL = AccessLevel.DRAFT
CHOICES = LEVELS  # the upload form offers every level; draft is chosen


def upload_access(user: User | None, level: str | None = None) -> UploadAccess:
    """The access an upload by `user` asks for: `level` if given (one of
    draft, restricted, registered, public), else draft; restricted and draft
    name the uploader's organisation (an uploader without one leaves the
    review to administrators until someone names an organisation)."""
    chosen = (level or "").strip() or DEFAULT_LEVEL.value
    try:
        wanted = AccessLevel(chosen)
    except ValueError:
        raise StorfaError(N_("Unknown access level {level!r}; use one of {levels}."),
                          level=chosen, levels=", ".join(CHOICES)) from None
    orgs = frozenset({user.organisation_id}) if user and user.organisation_id else frozenset()
    return UploadAccess(wanted, orgs)
