"""Assurance (issue 17; docs/assurance.md): the 12 Cs audit toolkit and
practitioner survey imports, beside the reviews' learning.

model.py holds the types and pure rules, twelve_cs.py the packaged 12 Cs,
access.py who may do what, service.py the use cases; surveys.py reads and
summarises survey files. Storage lives behind storfa.storage.interface.Store."""
