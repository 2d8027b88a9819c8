"""Takes the documentation screenshots (docs/screenshots/*.png) of a running portal with Chromium.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000
"""

import pathlib
import shutil
import sys

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    ("admin@stroymarket.example", "/", "dashboard"),
    ("admin@stroymarket.example", "/account/requisites/", "requisites"),
    ("admin@stroymarket.example", "/account/users/", "users"),
    ("admin@stroymarket.example", "/account/addresses/", "addresses"),
    ("buyer@stroymarket.example", "/catalog/", "catalog"),
    ("buyer@stroymarket.example", "/product/CEM-00001/", "product"),
    ("buyer@stroymarket.example", "/orders/", "orders"),
    ("accountant@stroymarket.example", "/finance/", "finance"),
    ("accountant@stroymarket.example", "/documents/", "documents"),
]


def main(base: str) -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for email, path, name in PAGES:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="ru-RU")
            page.goto(base + "/login/")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", "optovik-demo")
            page.click("button[type=submit]")
            page.goto(base + path)
            page.screenshot(path=str(out / f"{name}.png"), full_page=name not in {"catalog", "orders", "documents"})
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
