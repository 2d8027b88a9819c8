import pytest

from tests.catalog.builders import Shop


@pytest.fixture
def shop(db):
    return Shop()
