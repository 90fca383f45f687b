"""storfa: a national repository and learning platform for safeguarding reviews."""

__version__ = "0.1.0"
