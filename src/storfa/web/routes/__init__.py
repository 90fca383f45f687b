"""Routes grouped by what a person is doing: signing in, reading and
searching, uploading, administering; api.py is the JSON API."""
