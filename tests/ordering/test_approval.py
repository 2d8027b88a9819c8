"""Purchase approval rules: which orders wait for the company admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from optovik.ordering.models import ApprovalRule, OrderStatus
from optovik.ordering.services.approval import approval_required
from tests import factories as f

from . import lifecycle as lc


def _order(company, user, amount):
    item = lc.product()
    return lc.order_make(contract=company.c1, user=user, lines=[(item, 1, amount)], allocate=False)


def test_without_rules_nothing_needs_approval(company):
    assert approval_required(order=_order(company, company.buyer, 10**6)) is False


def test_an_order_above_the_amount_needs_approval_and_one_at_it_does_not(company):
    ApprovalRule.objects.create(client=company.client, amount_above=Decimal(50000))

    assert approval_required(order=_order(company, company.buyer, "50000.01")) is True
    assert approval_required(order=_order(company, company.buyer, 50000)) is False


def test_orders_by_chosen_purchasers_need_approval(company):
    rule = ApprovalRule.objects.create(client=company.client)
    rule.purchasers.set([company.buyer])

    assert approval_required(order=_order(company, company.buyer, 1)) is True
    assert approval_required(order=_order(company, company.admin, 1)) is False


def test_inactive_rules_and_other_companies_rules_do_not_apply(company, other_company):
    ApprovalRule.objects.create(client=company.client, amount_above=Decimal(1), is_active=False)
    ApprovalRule.objects.create(client=other_company.client, amount_above=Decimal(1))

    assert approval_required(order=_order(company, company.buyer, 1000)) is False


# Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_admin_chooses_purchasers_on_the_rules_page(company, login, _english_pages):
    client = login(company.admin)
    page = client.get(reverse("portal:approval_rules")).content.decode()
    assert "buyer@example.com" in page
    assert "accountant@example.com" not in page  # only purchasers can be chosen

    response = client.post(reverse("portal:approval_rules"), {"is_active": "on", "purchasers": [company.buyer.pk]})

    assert response.status_code == 302
    rule = ApprovalRule.objects.get(client=company.client)
    assert (rule.is_active, rule.amount_above, list(rule.purchasers.all())) == (True, None, [company.buyer])


def test_an_active_rule_without_amount_or_purchasers_is_refused(company, login, _english_pages):
    client = login(company.admin)

    response = client.post(reverse("portal:approval_rules"), {"is_active": "on", "amount_above": ""})

    assert response.status_code == 200
    assert "Enter an amount or choose purchasers" in response.content.decode()
    assert not ApprovalRule.objects.exists()


def test_a_purchaser_cannot_approve_or_open_the_rules(company, login):
    order = lc.order_make(
        contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)], status=OrderStatus.AWAITING_APPROVAL
    )
    client = login(company.buyer)

    assert client.get(reverse("portal:approval_rules")).status_code == 403
    assert client.post(reverse("portal:order_approve", kwargs={"number": order.number})).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_APPROVAL


def test_the_pending_list_shows_only_orders_awaiting_approval(company, login, _english_pages):
    waiting = lc.order_make(
        contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)], status=OrderStatus.AWAITING_APPROVAL
    )
    placed = lc.order_make(contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)])
    client = login(company.admin)

    page = client.get(reverse("portal:approvals_pending")).content.decode()

    assert f"pending-{waiting.number}" in page
    assert f"pending-{placed.number}" not in page


def test_the_admin_rejects_from_the_list_with_a_reason(company, login, _english_pages):
    order = lc.order_make(
        contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)], status=OrderStatus.AWAITING_APPROVAL
    )
    client = login(company.admin)

    response = client.post(
        reverse("portal:order_reject", kwargs={"number": order.number}),
        {"comment": "Не в этом месяце", "next": reverse("portal:approvals_pending")},
    )

    assert response.status_code == 302 and response.url == reverse("portal:approvals_pending")
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED


def test_another_purchaser_cannot_cancel_someone_elses_order(company, login):
    other = f.MembershipFactory(client=company.client, role="purchaser").user
    order = lc.order_make(contract=company.c1, user=company.buyer, lines=[(lc.product(), 1, 10)])
    client = login(other)

    assert client.post(reverse("portal:order_cancel", kwargs={"number": order.number})).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
