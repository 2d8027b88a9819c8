"""Stock reservation: allocate across warehouses, release, never more than is there."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from optovik.core.errors import ApplicationError
from optovik.ordering.models import Hold, HoldLine, StockAllocation
from optovik.ordering.services.stock import stock_allocate, stock_release

from . import factories as of

D = Decimal


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _hold(company, *items):
    hold = Hold.objects.create(
        client=company.client, legal_entity=company.le1, contract=company.c1, user=company.buyer,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    lines = [HoldLine.objects.create(client=company.client, hold=hold, product=p, quantity=D(q)) for p, q in items]
    return hold, lines


def test_hold_lines_reserve_and_release(company, db):
    main, north = of.warehouse("main", sort_order=1), of.warehouse("north", sort_order=2)
    bolt = of.product("B-1", stock={main: 3, north: 10})
    hold, lines = _hold(company, (bolt, 5))

    allocations = stock_allocate(lines=lines, owner=hold)

    assert {(a.warehouse.code, a.quantity) for a in allocations} == {("main", D(3)), ("north", D(2))}
    assert all(a.hold_line_id == lines[0].pk and a.order_line_id is None for a in allocations)
    assert of.stock_of(bolt, main) == (D(3), D(3))
    assert stock_release(allocations=StockAllocation.objects.filter(hold_line__hold=hold)) == D(5)
    assert of.stock_of(bolt, main) == (D(3), D(0)) and of.stock_of(bolt, north) == (D(10), D(0))
    assert not StockAllocation.objects.exists()


def test_inactive_warehouse_stock_is_not_used(company, db):
    closed = of.warehouse("closed")
    closed.is_active = False
    closed.save()
    bolt = of.product("B-1", stock={closed: 100})
    hold, lines = _hold(company, (bolt, 1))

    with pytest.raises(ApplicationError, match="0 available, 1 requested"):
        stock_allocate(lines=lines, owner=hold)
    assert of.stock_of(bolt, closed) == (D(100), D(0))


def test_release_never_goes_below_zero(company, db):
    bolt = of.product("B-1", stock=5)
    hold, lines = _hold(company, (bolt, 2))
    allocations = stock_allocate(lines=lines, owner=hold)
    from optovik.inventory.models import Stock

    Stock.objects.filter(product=bolt).update(reserved=D(1))  # the ERP corrected it meanwhile

    stock_release(allocations=allocations)

    assert of.stock_of(bolt) == (D(5), D(0))


def test_fractional_quantities_add_up_exactly_to_what_is_on_hand(company, db):
    # 0.1 + 0.2 kg of 0.3 kg: exact decimals, never a float a hair above the stock on hand.
    sand = of.product("SAND-1", stock="0.3", pack="0.1", minimum="0.1", unit_name="кг")
    first, first_lines = _hold(company, (sand, "0.1"))
    second, second_lines = _hold(company, (sand, "0.2"))

    stock_allocate(lines=first_lines, owner=first)
    stock_allocate(lines=second_lines, owner=second)

    assert of.stock_of(sand) == (D("0.3"), D("0.3"))
    third, third_lines = _hold(company, (sand, "0.001"))
    with pytest.raises(ApplicationError, match=r"0 available, 0\.001 requested"):
        stock_allocate(lines=third_lines, owner=third)
