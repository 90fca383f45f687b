"""Referrals: safeguarding concerns referred through storfa with a reference
number and feedback, and the children's performance indicators (NMSPF-C
prototype) computed from referral-level records (docs/referrals.md).

model (lists, records, form checks), reference (numbers with a check
character), access (who sees what), service (the use cases), feedback and
mail (what the referrer is told, and how), population (areas and child
populations), indicators (the figures), importer (referral-level files)."""
