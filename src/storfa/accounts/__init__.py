"""Accounts and access: who a user is, what their role lets them do, and
which reviews they may see (policy.py is the one place that decides)."""
