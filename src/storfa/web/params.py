"""Request parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# A row id in the URL: the databases hold signed 64-bit integers, so a larger
# number could name no row and would overflow the driver; it is refused as
# invalid (422) before any lookup.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
