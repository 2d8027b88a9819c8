import pytest

from .builders import Shop


@pytest.fixture
def shop(db):
    return Shop()
