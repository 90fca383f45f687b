"""Files storfa writes for other programs: spreadsheets, statistics packages,
QDA tools. Shared by the CLI exports and the web downloads."""
