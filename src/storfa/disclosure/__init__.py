"""The disclosure check: names, addresses, postcodes, dates of birth, NHS and
NI numbers, phones, emails, schools and services, vehicle registrations in a
review's text, each with a type, confidence and suggested replacement
(docs/disclosure.md)."""

from storfa.disclosure.check import (
    MIN_CONFIDENCE,
    TYPES,
    DisclosureReport,
    Finding,
    check_passages,
    check_review,
    check_text,
)

__all__ = ["MIN_CONFIDENCE", "TYPES", "DisclosureReport", "Finding", "check_passages",
           "check_review", "check_text"]
