import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from optovik.customers.models import Role
from optovik.customers.permissions import Perm, permissions_for
from tests.finance.documents_data import order_make, payment, shipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(company):
    """c2 (le2, 30 days deferral, limit 500 000): 120 000 shipped 45 days ago (overdue), 30 000
    shipped 5 days ago, 50 000 paid; an open order of 20 000."""
    today = timezone.localdate()
    shipment(contract=company.c2, date=today - dt.timedelta(days=45), amount="120000.00", serials=["SN-77"])
    shipment(contract=company.c2, date=today - dt.timedelta(days=5), amount="30000.00")
    payment(contract=company.c2, date=today - dt.timedelta(days=2), amount="50000.00", number="311")
    order_make(contract=company.c2, lines=[(1, "20000.00", 22)])
    return company


def on_le2(client, company):
    client.post(reverse("portal:switch"), {"legal_entity": company.le2.pk})
    return client


def test_accountant_sees_balance_credit_overdue_and_movements(settled, login):
    client = on_le2(login(settled.accountant), settled)

    body = client.get(reverse("portal:finance")).content.decode()

    assert 'data-testid="balance">100,000.00 ₽' in body  # 120 000 + 30 000 − 50 000
    assert 'data-testid="overdue">70,000.00 ₽' in body  # 120 000 − 50 000
    assert 'data-testid="credit-used">120,000.00 ₽' in body  # the balance and the open order
    assert 'data-testid="credit-available">380,000.00 ₽' in body
    assert "Оплата (п/п № 311" in body
    assert "Reconciliation act" in body


def test_dashboard_card_shows_the_settlements_to_those_who_may_see_them(settled, login):
    accountant = on_le2(login(settled.accountant), settled).get(reverse("portal:dashboard")).content.decode()
    assert "Settlements" in accountant and "The contract has overdue debt." in accountant


def test_purchaser_sees_documents_but_not_finance(company, login):
    client = login(company.buyer)

    dashboard = client.get(reverse("portal:dashboard")).content.decode()

    assert client.get(reverse("portal:finance")).status_code == 403
    assert client.get(reverse("portal:finance_act_pdf")).status_code == 403
    assert client.get(reverse("portal:documents")).status_code == 200
    assert reverse("portal:documents") in dashboard and reverse("portal:finance") not in dashboard
    assert "Settlements" not in dashboard


def test_accountant_has_documents_finance_and_orders_but_cannot_order():
    accountant, purchaser = permissions_for(Role.ACCOUNTANT), permissions_for(Role.PURCHASER)
    assert {Perm.VIEW_DOCUMENTS, Perm.VIEW_FINANCE, Perm.VIEW_ORDERS} <= accountant
    assert Perm.PLACE_ORDERS not in accountant
    assert Perm.VIEW_DOCUMENTS in purchaser and Perm.VIEW_FINANCE not in purchaser


def test_documents_page_lists_upd_with_downloads(settled, login):
    client = login(settled.accountant)
    body = client.get(reverse("portal:documents")).content.decode()
    assert body.count(reverse("portal:document_download", kwargs={"pk": 1}).rsplit("/1/", 1)[0]) >= 2
    assert "UPD" in body


def test_documents_filter_explains_a_backwards_period(company, login):
    client = login(company.accountant)
    response = client.get(reverse("portal:documents"), {"date_from": "2026-05-10", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()


def test_finance_page_without_a_contract_says_so(company, login):
    company.c1.status = "closed"
    company.c1.save()
    client = login(company.buyer)  # limited to le1, whose only contract is closed
    assert client.get(reverse("portal:finance")).status_code == 403  # and purchasers have no finance anyway
    admin = login(company.admin)
    admin.post(reverse("portal:switch"), {"legal_entity": company.le1.pk})
    assert "no valid contract" in admin.get(reverse("portal:finance")).content.decode()
