"""The catalog in a real browser: search from the header, filters, the card, tiles and list."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from optovik.catalog import services
from optovik.portal.views import catalog as catalog_views
from optovik.pricing.models import ContractPrice
from tests.catalog.builders import Shop, stock, warehouse
from tests.e2e.helpers import assert_fits_screen, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(company):
    shop = Shop()
    ContractPrice.objects.create(contract=company.c1, product=shop.cement, price=Decimal(500))
    return shop


def test_find_a_product_by_article_from_the_header(live_server, page, shop, screenshot):
    sign_in(page, live_server, "buyer@example.com")
    search = page.get_by_label("Search the catalog")

    search.press_sequentially("CEM-5", delay=30)
    suggestions = page.locator("#search-suggestions")
    expect(suggestions.get_by_role("link", name=re.compile("CEM-500-50"))).to_be_visible()
    expect(suggestions).to_contain_text("500.00")
    screenshot(page, "catalog-suggestions")
    search.press_sequentially("00-50", delay=30)
    search.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/product/CEM-500-50/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Цемент М500 Д0 Евроцемент, 50 кг")
    expect(page.locator(".catalog-offer")).to_contain_text("500.00")


def test_pick_a_suggestion_with_the_keyboard(live_server, page, shop):
    sign_in(page, live_server, "buyer@example.com")
    search = page.get_by_label("Search the catalog")

    search.press_sequentially("MIX", delay=30)
    expect(page.locator("#search-suggestions a").first).to_contain_text("MIX-ROT-30")
    search.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/product/MIX-ROT-30/")


def test_filter_by_an_attribute_and_open_a_card(live_server, page, shop, screenshot):
    sign_in(page, live_server, "buyer@example.com")
    page.get_by_role("link", name="Catalog", exact=True).click()
    page.get_by_role("link", name="Стройматериалы").click()
    items = page.locator("#catalog-items .catalog-item")
    expect(items).to_have_count(3)

    page.get_by_label("М500").check()  # the filter form submits itself

    expect(items).to_have_count(1)
    expect(page.locator("#catalog-total")).to_have_text("1 product")
    expect(page.get_by_label("М500")).to_be_checked()
    screenshot(page, "catalog-filtered")
    items.first.get_by_role("link", name="Цемент М500 Д0 Евроцемент, 50 кг").click()

    expect(page).to_have_url(f"{live_server.url}/product/CEM-500-50/")
    expect(page.locator(".catalog-attributes")).to_contain_text("М500")


def test_sort_a_category_by_availability(live_server, page, shop):
    stock(shop.plaster, shop.wh, 50, 45)  # 5 left: last
    stock(shop.cement400, warehouse("north", sort=1), 300)  # 90 + 300: first
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/catalog/стройматериалы/")

    page.get_by_label("Sort by").select_option("availability")  # the form submits itself

    expect(page).to_have_url(re.compile(r"sort=availability"))
    items = page.locator("#catalog-items .catalog-item")
    expect(items.nth(0)).to_contain_text("CEM-400-25")
    expect(items.nth(1)).to_contain_text("CEM-500-50")
    expect(items.nth(2)).to_contain_text("MIX-ROT-30")


def test_switch_between_tiles_and_list(live_server, page, shop):
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/catalog/стройматериалы/")
    items = page.locator("#catalog-items")
    expect(items).to_have_class(re.compile("catalog-tiles"))

    page.get_by_role("link", name="List", exact=True).click()
    expect(items).to_have_class(re.compile("catalog-list"))
    page.goto(f"{live_server.url}/catalog/шины/")
    expect(items).to_have_class(re.compile("catalog-list"))

    page.get_by_role("link", name="Tiles", exact=True).click()
    expect(items).to_have_class(re.compile("catalog-tiles"))


def test_show_more_appends_the_next_page(live_server, page, shop, monkeypatch):
    monkeypatch.setattr(catalog_views, "PER_PAGE", 2)
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/catalog/стройматериалы/")
    items = page.locator("#catalog-items .catalog-item")
    expect(items).to_have_count(2)

    page.get_by_role("link", name="Show more").click()

    expect(items).to_have_count(3)
    expect(page).to_have_url(
        f"{live_server.url}/catalog/%D1%81%D1%82%D1%80%D0%BE%D0%B9%D0%BC%D0%B0%D1%82%D0%B5%D1%80%D0%B8%D0%B0%D0%BB%D1%8B/"
    )
    expect(page.get_by_role("link", name="Show more")).to_have_count(0)


def test_catalog_fits_a_phone(live_server, page, shop, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/catalog/стройматериалы/")

    filters = page.locator("#catalog-filters")
    expect(filters).to_be_hidden()
    page.get_by_role("button", name=re.compile("Categories and filters")).click()
    expect(filters).to_be_visible()
    boxes = page.locator("#catalog-items .catalog-item")
    first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
    assert second["y"] > first["y"]  # one column
    assert_fits_screen(page)
    screenshot(page, "catalog-phone")


def test_show_all_related_products_on_the_card(live_server, page, shop, monkeypatch):
    from optovik.catalog import selectors, services

    monkeypatch.setattr(selectors, "RELATIONS_ON_CARD", 1)  # the live server runs in this process
    for other in (shop.plaster, shop.tyre_summer, shop.tyre_winter):
        services.product_relate(product=shop.cement, related=other, kind="related")
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/product/CEM-500-50/")
    section = page.locator("#related-section")
    expect(section.locator(".catalog-item")).to_have_count(1)

    section.get_by_role("link", name="Show all 3").click()

    expect(page.locator("#related-section .catalog-item")).to_have_count(3)
    expect(page).to_have_url(f"{live_server.url}/product/CEM-500-50/")  # replaced in place
    expect(page.locator("#related-section")).not_to_contain_text("Show all")
    expect(page.locator("#related-section")).to_contain_text("TYR-205-55W")


def test_an_article_no_longer_sold_leads_to_its_analogs_and_into_the_cart(live_server, page, shop, screenshot):
    services.product_relate(product=shop.cement, related=shop.cement400, kind="analog")
    services.product_archive(product=shop.cement)
    sign_in(page, live_server, "buyer@example.com")
    search = page.get_by_label("Search the catalog")

    search.fill("CEM-500-50")
    search.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/product/CEM-500-50/")
    expect(page.locator(".catalog-discontinued")).to_contain_text("This product is no longer sold.")
    analog = page.locator("#analog-section .catalog-item")
    expect(analog).to_have_count(1)
    expect(analog).to_contain_text("CEM-400-25")
    screenshot(page, "catalog-discontinued")
    analog.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-toast")).to_contain_text("CEM-400-25 added to the cart")
    expect(page.locator("#cart-badge")).to_have_text("1")
