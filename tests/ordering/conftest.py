import pytest


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in English, so tests can read the messages and amounts (1,470.00)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
