"""Search: one query language, compiled for each engine."""
