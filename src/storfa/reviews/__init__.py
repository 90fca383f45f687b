"""Reviews as a feature: the use cases every adapter shares (service.py)."""
