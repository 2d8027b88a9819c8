"""Order status changes: the allowed moves, the stock each move frees or ships, and the timeline."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from optovik.core.errors import ApplicationError
from optovik.ordering.models import OrderEvent, OrderStatus, StockAllocation
from optovik.ordering.services.status import (
    order_approve,
    order_cancel,
    order_reject,
    order_status_change,
    order_transitions_allowed,
)
from tests import factories as f

from . import lifecycle as lc

S = OrderStatus


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, as the assertions read them."""
    with translation.override("en"):
        yield


@pytest.fixture
def placed(company):
    item = lc.product(on_hand=100)
    order = lc.order_make(contract=company.c1, user=company.buyer, lines=[(item, 10, 50)])
    return order, item


def test_confirming_then_shipping_takes_the_goods_off_the_stock(company, placed, django_capture_on_commit_callbacks):
    order, item = placed
    staff = f.StaffFactory()
    assert lc.stock(item).reserved == 10

    with django_capture_on_commit_callbacks(execute=True):
        order_status_change(order=order, to=S.CONFIRMED, actor=staff, comment="Ждём машину")
        order_status_change(order=order, to=S.SHIPPED, actor=staff)

    row = lc.stock(item)
    assert (row.on_hand, row.reserved) == (Decimal(90), Decimal(0))
    assert not StockAllocation.objects.filter(order_line__order=order).exists()
    events = list(OrderEvent.objects.filter(order=order).values_list("status_from", "status_to", "comment"))
    assert events == [("placed", "confirmed", "Ждём машину"), ("confirmed", "shipped", "")]
    # the buyer is told about each change
    assert len(mail.outbox) == 2
    assert order.number in mail.outbox[0].subject


def test_cancelling_releases_the_reserved_stock(company, placed):
    order, item = placed

    order_cancel(order=order, actor=company.buyer, comment="Передумали")

    order.refresh_from_db()
    row = lc.stock(item)
    assert order.status == S.CANCELLED
    assert (row.on_hand, row.reserved) == (Decimal(100), Decimal(0))
    assert not StockAllocation.objects.filter(order_line__order=order).exists()


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(company, placed):
    order, item = placed
    order_status_change(order=order, to=S.CONFIRMED, actor=None)

    with pytest.raises(ApplicationError, match="cannot become"):
        order_status_change(order=order, to=S.AWAITING_APPROVAL, actor=None)
    with pytest.raises(ApplicationError, match="Unknown status"):
        order_status_change(order=order, to="lost", actor=None)

    order.refresh_from_db()
    assert order.status == S.CONFIRMED
    assert lc.stock(item).reserved == 10
    assert OrderEvent.objects.filter(order=order).count() == 1


def test_final_statuses_lead_nowhere(company, placed):
    order, _item = placed
    order_cancel(order=order, actor=company.buyer)
    assert order_transitions_allowed(order=order) == []
    with pytest.raises(ApplicationError):
        order_status_change(order=order, to=S.PLACED, actor=None)


def test_the_customer_cannot_cancel_an_order_being_assembled(company, placed):
    order, item = placed
    order_status_change(order=order, to=S.ASSEMBLING, actor=None)

    with pytest.raises(ApplicationError, match="can no longer be cancelled"):
        order_cancel(order=order, actor=company.buyer)

    order.refresh_from_db()
    assert order.status == S.ASSEMBLING
    assert lc.stock(item).reserved == 10


def test_approve_and_reject_only_work_on_orders_awaiting_approval(company, placed):
    order, _item = placed
    with pytest.raises(ApplicationError, match="not awaiting approval"):
        order_approve(order=order, actor=company.admin)
    with pytest.raises(ApplicationError, match="not awaiting approval"):
        order_reject(order=order, actor=company.admin, comment="Нет")


def test_reject_needs_a_reason_and_releases_the_stock(company):
    item = lc.product(on_hand=20)
    order = lc.order_make(contract=company.c1, user=company.buyer, lines=[(item, 5, 10)], status=S.AWAITING_APPROVAL)

    with pytest.raises(ApplicationError, match="reason") as refused:
        order_reject(order=order, actor=company.admin, comment="  ")
    assert refused.value.field == "comment"
    assert lc.stock(item).reserved == 5

    order_reject(order=order, actor=company.admin, comment="Слишком дорого")
    order.refresh_from_db()
    assert order.status == S.REJECTED
    assert lc.stock(item).reserved == 0
    event = OrderEvent.objects.get(order=order)
    assert (event.actor, event.comment) == (company.admin, "Слишком дорого")


def test_approval_places_the_order_and_keeps_its_stock(company):
    item = lc.product(on_hand=20)
    order = lc.order_make(contract=company.c1, user=company.buyer, lines=[(item, 5, 10)], status=S.AWAITING_APPROVAL)

    order_approve(order=order, actor=company.admin, comment="Ок")

    order.refresh_from_db()
    assert order.status == S.PLACED
    assert lc.stock(item).reserved == 5
