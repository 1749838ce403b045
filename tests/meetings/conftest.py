"""The `series` and `session` fixtures live in tests/conftest.py, shared with the permission test."""
