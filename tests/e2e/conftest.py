"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the test body still uses the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail(
            "Chromium was not found on PATH. The browser tests use Debian's Chromium: "
            "install it with `apt-get install chromium` (scripts/ensure-test-tools does it)."
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot when SCREENSHOT_DIR is set, to look at the pages by eye."""
    target = os.environ.get("SCREENSHOT_DIR")

    def _shot(page, name: str):
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)

    return _shot


@pytest.fixture(autouse=True)
def _fail_fast(page):
    """A page element that has not appeared in 10 s will not appear: fail instead of waiting 30 s."""
    page.set_default_timeout(10_000)
