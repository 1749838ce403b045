"""Fixtures of the meetings tests. The `series` and `session` fixtures live in
tests/conftest.py, shared with the permission test."""

import pytest

from meetings.selectors.inforound import info_round_questions

from ..factories.agenda import session_with_agenda


@pytest.fixture
def ir_session(series):
    """A session on 5 March 2030 with the agenda and info round of the series' template."""
    return session_with_agenda(series)


@pytest.fixture
def questions(ir_session):
    return info_round_questions(ir_session)
