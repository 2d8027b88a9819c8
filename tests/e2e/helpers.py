"""What several browser tests do: sign in, wait for HTMX to finish, and check that a page fits the
screen."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

# The right-most element that sticks out of the viewport, to name the culprit when a page is too wide.
_WIDEST_ELEMENT = """() => {
  const width = window.innerWidth;
  let culprit = null, right = width;
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right > right + 0.5) { culprit = element; right = box.right; }
  }
  if (!culprit) return "";
  const name = culprit.tagName.toLowerCase() + (culprit.id ? "#" + culprit.id : "");
  const text = culprit.textContent.trim().slice(0, 60);
  return `${name} ends at ${Math.round(right)}px: ${text}`;
}"""


def sign_in(page, live_server, email="buyer@example.com"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def htmx_settled(page):
    """Waits until no HTMX request is in flight and no swap is under way: an element located before
    a late swap would be replaced, and what a test types into it lost."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def assert_fits_screen(page):
    """No horizontal scrolling: the page is no wider than the viewport once its layout has settled.
    Polled from here: ``wait_for_function`` polls by evaluating a string in the page, which the
    portal's Content Security Policy (no ``unsafe-eval``) refuses whenever the first look fails."""
    deadline = time.monotonic() + 3
    while (overflow := page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) > 0:
        if time.monotonic() > deadline:
            pytest.fail(f"{page.url} is {overflow}px wider than the screen; {page.evaluate(_WIDEST_ELEMENT)}")
        page.wait_for_timeout(100)
