"""Demand plans: the customer plans, the manager confirms or adjusts, the customer orders a month."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from optovik.core.errors import ApplicationError
from optovik.ordering.models import DeliveryMethod, DemandPlan, DemandPlanStatus, Order
from optovik.ordering.services.demand import (
    demand_lines_parse,
    demand_plan_confirm,
    demand_plan_order,
    demand_plan_save,
    months_ahead,
)
from tests import factories as f

from . import factories as of

D = Decimal
P = DemandPlanStatus


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, as the assertions read them."""
    with translation.override("en"):
        yield


@pytest.fixture
def goods(db):
    return type("Goods", (), {"bolt": of.product("B-100", stock=500), "nut": of.product("N-200", stock=500)})


def _save(company, lines, submit=True, month=None):
    return demand_plan_save(
        legal_entity=company.le1,
        contract=company.c1,
        month=month or months_ahead()[0],
        lines=lines,
        user=company.buyer,
        submit=submit,
    )


def test_lines_are_parsed_with_any_separator_and_decimal_commas(company, goods):
    lines = demand_lines_parse(text="B-100 250\nN-200;1,5\n\nB-100\t50", contract=company.c1)
    assert dict(lines) == {goods.bolt.pk: D(300), goods.nut.pk: D("1.5")}


@pytest.mark.parametrize(
    ("text", "message"),
    [("NOPE 5", "Unknown article: NOPE"), ("B-100 five", "Line 1: the quantity"), ("B-100", "Line 1: write")],
)
def test_bad_lines_are_refused_naming_the_line(company, goods, text, message):
    with pytest.raises(ApplicationError, match=message):
        demand_lines_parse(text=text, contract=company.c1)


def test_the_customer_plans_only_the_coming_months(company, goods):
    with pytest.raises(ApplicationError, match="coming months"):
        _save(company, [(goods.bolt.pk, D(5))], month=months_ahead()[0].replace(year=2020))
    assert not DemandPlan.objects.exists()


def test_the_whole_flow_plan_confirm_adjust_order(company, goods):
    plan = _save(company, [(goods.bolt.pk, D(100)), (goods.nut.pk, D(40))])
    assert plan.status == P.SUBMITTED
    nut_line = plan.lines.get(product=goods.nut)

    manager = f.StaffFactory()
    demand_plan_confirm(plan=plan, manager=manager, quantities={nut_line.pk: D(30)}, comment="Гайки — 30")
    plan.refresh_from_db()
    assert (plan.status, plan.confirmed_by, plan.manager_comment) == (P.CONFIRMED, manager, "Гайки — 30")

    order = demand_plan_order(
        plan=plan, user=company.buyer, delivery_method=DeliveryMethod.PICKUP, warehouse=of.warehouse()
    )

    plan.refresh_from_db()
    assert (plan.status, plan.order) == (P.ORDERED, order)
    assert sorted(order.lines.values_list("article", "quantity")) == [("B-100", D(100)), ("N-200", D(30))]


def test_a_confirmed_plan_cannot_be_changed_by_the_customer(company, goods):
    plan = _save(company, [(goods.bolt.pk, D(100))])
    demand_plan_confirm(plan=plan, manager=f.StaffFactory())

    with pytest.raises(ApplicationError, match="already confirmed"):
        _save(company, [(goods.bolt.pk, D(1))])
    assert plan.lines.get().quantity == D(100)


def test_a_draft_cannot_be_confirmed_or_ordered(company, goods):
    plan = _save(company, [(goods.bolt.pk, D(100))], submit=False)
    with pytest.raises(ApplicationError, match="sent by the customer"):
        demand_plan_confirm(plan=plan, manager=f.StaffFactory())
    with pytest.raises(ApplicationError, match="Only a confirmed plan"):
        demand_plan_order(plan=plan, user=company.buyer, delivery_method=DeliveryMethod.PICKUP)


def test_a_refused_order_leaves_the_plan_confirmed(company, goods):
    plan = _save(company, [(goods.bolt.pk, D(100))])
    demand_plan_confirm(plan=plan, manager=f.StaffFactory())

    with pytest.raises(ApplicationError):
        demand_plan_order(plan=plan, user=company.buyer, delivery_method=DeliveryMethod.PICKUP, warehouse=None)

    plan.refresh_from_db()
    assert plan.status == P.CONFIRMED
    assert not Order.objects.exists()


# Pages ---------------------------------------------------------------------------------------


def test_the_customer_sends_a_plan_from_the_page(company, goods, login):
    client = login(company.buyer)
    month = months_ahead()[1]
    url = reverse("portal:demand_edit") + f"?month={month:%Y-%m}"

    response = client.post(url, {"lines": "B-100 250\nN-200 10", "submit": "1"})

    assert response.status_code == 302
    plan = DemandPlan.objects.get()
    assert (plan.month, plan.status, plan.legal_entity) == (month, P.SUBMITTED, company.le1)
    assert plan.lines.count() == 2
    assert f"{month:%Y-%m}" in client.get(reverse("portal:demand")).content.decode()


def test_an_unknown_article_is_reported_on_the_page_and_nothing_saved(company, goods, login):
    client = login(company.buyer)
    url = reverse("portal:demand_edit") + f"?month={months_ahead()[0]:%Y-%m}"

    response = client.post(url, {"lines": "B-100 250\nXX-1 3", "submit": "1"})

    assert response.status_code == 200
    assert "Unknown article: XX-1" in response.content.decode()
    assert not DemandPlan.objects.exists()


def test_the_customer_orders_a_confirmed_month_from_the_page(company, goods, login):
    plan = _save(company, [(goods.bolt.pk, D(100))])
    demand_plan_confirm(plan=plan, manager=f.StaffFactory())
    client = login(company.buyer)

    response = client.post(
        reverse("portal:demand_order", kwargs={"pk": plan.pk}),
        {"delivery_method": "pickup", "warehouse": of.warehouse().pk},
    )

    plan.refresh_from_db()
    assert plan.status == P.ORDERED
    assert response.status_code == 302 and plan.order.number in response.url
