"""An accountant orders only when the company admin has also given them the right to."""

from decimal import Decimal

import pytest

from optovik.core.errors import ApplicationError
from optovik.customers.models import Membership
from optovik.ordering.models import DeliveryMethod, Order
from optovik.ordering.services.checkout import order_place
from tests.ordering import factories as of


def _place(company):
    bolt = of.product("B-100", price="122.00", stock=50)
    return order_place(
        user=company.accountant,
        legal_entity=company.le1,
        contract=company.c1,
        lines=[(bolt.pk, Decimal(1))],
        delivery_method=DeliveryMethod.PICKUP,
        warehouse=of.warehouse(),
    )


def test_accountant_cannot_order_by_default(company, login):
    client = login(company.accountant)
    assert client.get("/cart/").status_code == 403
    with pytest.raises(ApplicationError):
        _place(company)
    assert not Order.objects.exists()


def test_admin_gives_an_accountant_the_right_to_order(company, login):
    membership = Membership.objects.get(user=company.accountant)
    client = login(company.admin)
    response = client.post(
        f"/account/users/{membership.pk}/edit/",
        {"role": "accountant", "can_place_orders": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "accountant" and membership.can_place_orders

    assert login(company.accountant).get("/cart/").status_code == 200
    order = _place(company)
    assert order.placed_by == company.accountant
