"""Back office for orders, demand plans and the ledger: managers see only their clients' rows;
status changes go through the allowed transitions with a comment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from optovik.finance.models import LedgerEntry
from optovik.ordering.models import DemandPlan, DemandPlanLine, DemandPlanStatus, Order, OrderEvent, OrderStatus
from tests import factories as f
from tests.ordering import lifecycle as lc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def orders(company, other_company):
    """СтройМаркет is managed by manager@example.com; Вектор by another manager."""
    other_company.client.manager = f.StaffFactory(email="other-manager@example.com")
    other_company.client.save()
    item = lc.product(on_hand=100)
    own = lc.order_make(contract=company.c1, user=company.buyer, lines=[(item, 5, 100)])
    foreign = lc.order_make(contract=other_company.contract, user=other_company.buyer, lines=[(item, 3, 100)])
    return type("Orders", (), {"own": own, "foreign": foreign, "item": item, "manager": company.client.manager})


def _inlines(*prefixes):
    """The management forms of the read-only inlines the order page posts back."""
    data = {}
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"})
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


ORDER_INLINES = _inlines("lines", "events")


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_manager_lists_only_their_clients_orders(orders, login):
    client = login(orders.manager)

    page = client.get(reverse("admin:ordering_order_changelist")).content.decode()

    assert orders.own.number in page
    assert orders.foreign.number not in page


def test_a_foreign_order_page_is_not_there_for_a_manager(orders, login):
    client = login(orders.manager)

    response = client.get(_change_url(orders.foreign))
    posted = client.post(
        _change_url(orders.foreign), {**ORDER_INLINES, "new_status": "cancelled", "status_comment": "x"}
    )

    assert response.status_code == 302  # the admin sends a missing object back to the index
    assert posted.status_code == 302
    orders.foreign.refresh_from_db()
    assert orders.foreign.status == OrderStatus.PLACED
    assert not OrderEvent.objects.filter(order=orders.foreign).exists()


def test_the_order_page_shows_lines_and_timeline(orders, login):
    client = login(orders.manager)
    page = client.get(_change_url(orders.own)).content.decode()
    assert orders.item.article in page
    assert "timeline" in page.lower()


def test_the_manager_changes_the_status_with_a_comment(orders, login):
    client = login(orders.manager)

    response = client.post(
        _change_url(orders.own), {**ORDER_INLINES, "new_status": "confirmed", "status_comment": "Собираем завтра"}
    )

    assert response.status_code == 302
    orders.own.refresh_from_db()
    assert orders.own.status == OrderStatus.CONFIRMED
    event = OrderEvent.objects.get(order=orders.own)
    assert (event.status_from, event.status_to, event.actor, event.comment) == (
        "placed",
        "confirmed",
        orders.manager,
        "Собираем завтра",
    )


def test_a_move_outside_the_table_is_refused_on_the_form(orders, login):
    client = login(orders.manager)

    response = client.post(_change_url(orders.own), {**ORDER_INLINES, "new_status": "completed"})

    assert response.status_code == 200
    orders.own.refresh_from_db()
    assert orders.own.status == OrderStatus.PLACED
    assert not OrderEvent.objects.exists()


def test_orders_filter_by_status(orders, login):
    orders.own.status = OrderStatus.CANCELLED
    orders.own.save()
    client = login(f.StaffFactory(staff_role="administrator"))

    page = client.get(reverse("admin:ordering_order_changelist") + "?status__exact=placed").content.decode()

    assert orders.foreign.number in page
    assert orders.own.number not in page


def test_the_manager_confirms_a_demand_plan_adjusting_a_line(company, orders, login):
    plan = DemandPlan.objects.create(
        client=company.client,
        legal_entity=company.le1,
        contract=company.c1,
        month=dt.date(2030, 1, 1),
        status=DemandPlanStatus.SUBMITTED,
    )
    line = DemandPlanLine.objects.create(client=company.client, plan=plan, product=orders.item, quantity=Decimal(50))
    client = login(orders.manager)

    response = client.post(
        _change_url(plan),
        {
            "manager_comment": "Меньше",
            "confirm": "on",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-id": str(line.pk),
            "lines-0-plan": str(plan.pk),
            "lines-0-confirmed_quantity": "40",
        },
    )

    assert response.status_code == 302, [str(m) for m in get_messages(response.wsgi_request)]
    plan.refresh_from_db()
    line.refresh_from_db()
    assert (plan.status, plan.confirmed_by, plan.manager_comment) == (
        DemandPlanStatus.CONFIRMED,
        orders.manager,
        "Меньше",
    )
    assert line.confirmed_quantity == Decimal(40)


def test_a_manager_enters_a_payment_only_for_their_clients(company, other_company, orders, login):
    client = login(orders.manager)
    url = reverse("admin:finance_ledgerentry_add")
    data = {"kind": "payment", "date": "2026-03-01", "credit": "1000", "debit": "0", "document_number": "ПП-1"}

    client.post(url, {**data, "contract": other_company.contract.pk})
    assert not LedgerEntry.objects.exists()

    response = client.post(url, {**data, "contract": company.c1.pk})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.client, entry.credit) == (company.client, Decimal(1000))


def test_a_ledger_entry_with_both_debit_and_credit_is_refused(company, orders, login):
    client = login(orders.manager)
    response = client.post(
        reverse("admin:finance_ledgerentry_add"),
        {"contract": company.c1.pk, "kind": "adjustment", "date": "2026-03-01", "credit": "10", "debit": "10"},
    )
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_orders_cannot_be_added_or_deleted_in_the_back_office(orders, login):
    client = login(f.StaffFactory(staff_role="administrator"))
    assert client.get(reverse("admin:ordering_order_add")).status_code == 403
    assert client.post(reverse("admin:ordering_order_delete", args=[orders.own.pk]), {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=orders.own.pk).exists()


def test_the_sms_log_and_scheduler_runs_are_for_administrators_only(orders, login):
    assert login(orders.manager).get(reverse("admin:notifications_smsmessage_changelist")).status_code == 403
    administrator = login(f.StaffFactory(staff_role="administrator"))
    assert administrator.get(reverse("admin:notifications_smsmessage_changelist")).status_code == 200
    assert administrator.get(reverse("admin:notifications_periodicrun_changelist")).status_code == 200
