"""
Writes live here: every change of state, every revision, every audit entry.
Views, the admin and management commands call these functions and never
re-implement them.
"""
