import pytest


@pytest.fixture(autouse=True)
def _english(client):
    """Pages in English, so tests can read the messages a person sees."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
