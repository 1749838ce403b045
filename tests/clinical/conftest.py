import pytest

from ..factories.clinical import clinical_series, clinical_session


@pytest.fixture
def clinical(coordinator, operator, member, referent):
    """The Archipel group: `coordinator` carries it, `member` accepted its charter, `referent` has not."""
    return clinical_series(coordinator, operator, member)


@pytest.fixture
def next_meeting(clinical):
    return clinical_session(clinical, days=14)
