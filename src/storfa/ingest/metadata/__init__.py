"""Review metadata parsed from text: identifiers, boards, types, dates and the subject.

`extract_metadata(passages, title)` returns at most one `MetadataValue` per field,
each with the sentence (and its offsets in the review's full text) it came from.
"""

from storfa.ingest.metadata.boards import BOARDS, find_boards, normalise_board
from storfa.ingest.metadata.dates import FoundDate, find_dates, parse_date
from storfa.ingest.metadata.extract import extract_metadata

__all__ = [
    "BOARDS",
    "FoundDate",
    "extract_metadata",
    "find_boards",
    "find_dates",
    "normalise_board",
    "parse_date",
]
