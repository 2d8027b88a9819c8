"""Buying in a real browser: add from search without a reload, quick order (paste and file),
checkout with pickup and with delivery, repeat an order."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from optovik.inventory.models import Warehouse
from optovik.ordering.models import Cart, CartLine, Order
from optovik.ordering.services.checkout import order_place
from tests import factories as f
from tests.e2e.helpers import htmx_settled, sign_in
from tests.ordering import factories as of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goods(company):
    return type(
        "Goods",
        (),
        {
            "bolt": of.product("B-100", name="Болт оцинкованный М10", price="122.00", stock=50),
            "nut": of.product("N-200", name="Гайка М10", price="10.00", stock=1000, pack="10", minimum="20"),
        },
    )


def _cart(company, *items):
    cart, _ = Cart.objects.get_or_create(client=company.client, user=company.buyer, contract=company.c1)
    for product, quantity in items:
        CartLine.objects.create(client=company.client, cart=cart, product=product, quantity=Decimal(quantity))


def test_add_from_search_results_without_a_reload(live_server, page, company, goods, screenshot):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/search/?q=болт")
    page.evaluate("window.__stayed = true")
    item = page.locator(".catalog-item").filter(has_text="B-100")

    item.locator("input[name=quantity]").fill("3")
    item.get_by_role("button", name="Add to cart").click()

    expect(page.locator("#cart-toast")).to_contain_text("B-100 added to the cart: 3 шт in it now.")
    expect(page.locator("#cart-badge")).to_have_text("1")
    assert page.evaluate("window.__stayed") is True  # the page was not reloaded
    screenshot(page, "search-added-to-cart")
    page.get_by_role("link", name="Go to the cart").click()
    expect(page.locator(f"#cart-line-{goods.bolt.pk}")).to_contain_text("Болт оцинкованный М10")


def test_quick_order_paste_and_file_upload_with_the_report(live_server, page, company, goods, screenshot, tmp_path):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/cart/quick/")

    page.get_by_label("Lines «article quantity»").fill("B-100\t2\nN-200;25\nZZZ-999 1\nB-100 -3")
    page.get_by_role("button", name="Add to the cart").click()

    report = page.locator("#quick-report")
    expect(report).to_contain_text("2 lines added to the cart")
    expect(report).to_contain_text("2 lines not added")
    expect(report.locator("tr.verdict-rounded")).to_contain_text("Rounded to 30")
    expect(report.locator("tr.verdict-unknown")).to_contain_text("Unknown article.")
    expect(report.locator("tr.verdict-bad_quantity")).to_contain_text("greater than zero")
    screenshot(page, "quick-order-paste-report")

    wb = Workbook()
    wb.active.append(["Артикул", "Количество"])
    wb.active.append(["B-100", 1])
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "order.xlsx"
    path.write_bytes(buffer.getvalue())
    page.get_by_label("Or a file").set_input_files(str(path))
    page.get_by_role("button", name="Add to the cart").click()
    expect(page.locator("#quick-report")).to_contain_text("1 line added to the cart")

    not_a_sheet = tmp_path / "notes.xlsx"
    not_a_sheet.write_bytes(b"just some text")
    page.get_by_label("Or a file").set_input_files(str(not_a_sheet))
    page.get_by_role("button", name="Add to the cart").click()
    expect(page.locator("main")).to_contain_text("cannot be read as a spreadsheet")
    screenshot(page, "quick-order-file-refused")

    lines = dict(CartLine.objects.values_list("product__article", "quantity"))
    assert lines == {"B-100": Decimal(3), "N-200": Decimal(30)}


def test_checkout_with_pickup(live_server, page, company, goods, screenshot):
    Warehouse.objects.filter(code="main").update(name="Склад Москва")
    _cart(company, (goods.bolt, 2), (goods.nut, 20))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/cart/")

    qty = page.get_by_label("Quantity of N-200")
    qty.fill("25")
    qty.dispatch_event("change")
    expect(page.locator("#cart-error")).to_contain_text("sold in packs of 10")
    htmx_settled(page)
    qty = page.get_by_label("Quantity of N-200")
    expect(qty).to_have_value("20")  # refused: the cart kept its quantity
    qty.fill("40")
    qty.dispatch_event("change")
    expect(page.locator("[data-total=gross]")).to_contain_text("644.00")  # 2 × 122 + 40 × 10
    screenshot(page, "cart")

    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Pickup", exact=True).check()
    expect(page.get_by_label("Delivery address")).to_be_hidden()
    page.get_by_label("Pickup point").select_option(label="Склад Москва")
    page.get_by_label("Your PO number").fill("PO-77")
    screenshot(page, "checkout-pickup")
    page.get_by_role("button", name="Place the order").click()

    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Order {order.number}")
    expect(page.locator("main")).to_contain_text("Склад Москва")
    expect(page.locator("#order-total")).to_contain_text("644.00")
    expect(page.locator("#cart-badge")).to_have_text("0")
    assert (order.po_number, order.warehouse.name) == ("PO-77", "Склад Москва")
    screenshot(page, "order-page")


def test_checkout_with_delivery_to_an_address(live_server, page, company, goods, screenshot):
    address = f.DeliveryAddressFactory(legal_entity=company.le1, title="Главный склад", is_default=True)
    _cart(company, (goods.bolt, 1))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/checkout/")

    expect(page.get_by_label("Delivery address")).to_be_hidden()  # pickup is chosen at first: its fields only
    page.get_by_label("Delivery", exact=True).check()
    expect(page.get_by_label("Pickup point")).to_be_hidden()
    page.get_by_label("Delivery address").select_option(str(address.pk))
    page.get_by_label("Contact phone").fill("12")
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator("#contact_phone-error")).to_be_visible()
    assert not Order.objects.exists()

    page.get_by_label("Contact phone").fill("+7 916 123-45-67")
    page.get_by_label("Comment").fill("Въезд со двора")
    page.get_by_role("button", name="Place the order").click()

    expect(page.locator("main")).to_contain_text(address.address)
    expect(page.locator("main")).to_contain_text("Въезд со двора")
    order = Order.objects.get()
    assert (order.delivery_method, order.delivery_address_id) == ("delivery", address.pk)


def test_repeat_an_order(live_server, page, company, goods, screenshot):
    scarce = of.product("S-1", name="Шайба", stock=6)
    order = order_place(
        user=company.buyer, legal_entity=company.le1, contract=company.c1,
        lines=[(goods.bolt.pk, Decimal(2)), (scarce.pk, Decimal(5))],
        delivery_method="pickup", warehouse=of.warehouse(),
    )  # fmt: skip
    sign_in(page, live_server)
    page.get_by_role("link", name="Orders").click()
    page.get_by_role("link", name=order.number).click()

    page.get_by_role("button", name="Repeat the order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cart")
    expect(page.locator("main")).to_contain_text("2 lines added to the cart.")
    expect(page.locator("main")).to_contain_text("S-1: only 1 of 5 are available; 1 added.")
    expect(page.locator(f"#cart-line-{goods.bolt.pk}")).to_be_visible()
    screenshot(page, "repeat-order")
