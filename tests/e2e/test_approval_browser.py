"""The purchase approval flow in a real browser: the company admin sets a rule, a purchaser's order
waits for approval, the admin refuses to reject it without a reason and approves it; the purchaser
sees the decision in the timeline and cancels the order."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from optovik.ordering.models import ApprovalRule, DeliveryMethod, Order, OrderStatus
from optovik.ordering.services.checkout import order_place
from tests.e2e.helpers import sign_in
from tests.ordering import factories as of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page, live_server):
    page.context.clear_cookies()


def test_approval_flow(live_server, page, company, screenshot):
    product = of.product("APP-1", price="1500.00", stock=10)

    # the company admin sets the rule: orders above 1,000 need approval
    sign_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server.url}/account/approval-rules/")
    page.get_by_label("Orders need approval by these rules").check()
    page.get_by_label("Orders above this amount, incl. VAT").fill("1000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Approval rules saved")
    screenshot(page, "approval-rules")
    assert ApprovalRule.objects.get(client=company.client).amount_above == Decimal(1000)

    # a purchaser's order of 3,000 waits for approval
    order = order_place(
        user=company.buyer,
        legal_entity=company.le1,
        contract=company.c1,
        lines=[(product.pk, Decimal(2))],
        delivery_method=DeliveryMethod.PICKUP,
        warehouse=of.warehouse(),
    )
    assert order.status == OrderStatus.AWAITING_APPROVAL

    # the admin finds it in the list, cannot reject it without a reason, approves it with a comment
    page.get_by_role("button", name="Purchasing").click()
    page.get_by_role("link", name="Approvals").click()
    card = page.locator(f"#pending-{order.number}")
    expect(card).to_contain_text("3,000.00")
    screenshot(page, "approvals-pending")
    card.get_by_role("button", name="Reject").click()
    expect(page.locator(".alert-danger")).to_contain_text("reason")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_APPROVAL
    card = page.locator(f"#pending-{order.number}")
    card.get_by_label("Comment").fill("Согласовано с финансами")
    card.get_by_role("button", name="Approve").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Order {order.number} is approved")
    expect(page.locator("main")).to_contain_text("No orders are waiting for approval")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED

    # the purchaser sees the decision on the order page and cancels the order
    sign_out(page, live_server)
    sign_in(page, live_server, "buyer@example.com")
    page.goto(f"{live_server.url}/orders/{order.number}/")
    expect(page.locator("main")).to_contain_text("Согласовано с финансами")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    screenshot(page, "order-approved")
    page.locator("#order-cancel summary").click()
    page.locator("#order-cancel").get_by_role("button", name="Cancel the order").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Order {order.number} is cancelled")
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert of.stock_of(product) == (Decimal(10), Decimal(0))
