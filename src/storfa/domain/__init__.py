"""Domain types and pure functions: no SQL, no web, no file formats."""
