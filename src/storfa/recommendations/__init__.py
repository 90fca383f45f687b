"""Recommendations: found in a report's text (`extract.py`, with the layout
rules in `rules.py`), kept in the register with status, owners, due dates
and evidence (`register.py`, `evidence.py`), coded to themes (`themes.py`),
and grouped where they recur across reviews (`recurrence.py`)."""
