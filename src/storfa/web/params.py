"""Request parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

# A row id in the URL: the databases hold signed 64-bit integers, so a larger
# number could name no row and would overflow the driver; it is refused as
# invalid (422) before any lookup.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def file_responses(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI for a download: documented as the files it is, not as JSON."""
    return {200: {"description": "The file, in the format asked for.",
                  "content": {media: {} for media in media_types}}}
