"""Fifty buyers check out at once, competing for the last units: real threads, separate database
connections, real transactions. No oversell, no duplicate or skipped order numbers, no deadlock;
and a hold turned into an order while a checkout of its contract runs."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from optovik.core.errors import ApplicationError
from optovik.inventory.models import Stock
from optovik.ordering.models import (
    Cart,
    CartLine,
    HoldStatus,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    StockAllocation,
)
from optovik.ordering.services import checkout
from optovik.ordering.services.checkout import order_place
from optovik.ordering.services.holds import hold_convert, hold_create
from tests import factories as f

from . import factories as of

BUYERS = 50
LAST_UNITS = 20


@pytest.fixture(autouse=True)
def _in_english():
    """Messages in English, the language of the msgids these tests read."""
    with translation.override("en"):
        yield


def _place_waiting_for_sqlite(**kwargs):
    """On PostgreSQL, one try: row locks make the others wait. The test database on SQLite is a
    shared in-memory one, where a writer that finds a table locked is refused at once instead of
    waiting (as ``busy_timeout`` makes it wait on a database file): wait and try again, as that does.
    The refused attempt rolled back whole."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return order_place(**kwargs)
        except OperationalError as e:
            if connection.vendor != "sqlite" or "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_checkouts_for_the_last_units():
    # given one company whose 50 buyers each order under their own contract (so only the stock
    # rows are shared), and 20 units of the scarce product spread over two warehouses
    client = f.ClientFactory(name="Конкурент")
    le = f.LegalEntityFactory(client=client)
    admin = f.MembershipFactory(client=client, role="admin").user
    contracts = [f.ContractFactory(legal_entity=le) for _ in range(BUYERS)]
    main, north = of.warehouse("main", sort_order=1), of.warehouse("north", sort_order=2)
    scarce = of.product("LAST-1", stock={main: 12, north: LAST_UNITS - 12})
    plenty = of.product("MANY-1", stock={main: 1000, north: 1000})

    barrier = threading.Barrier(BUYERS)
    placed, refused, errors = [], [], []
    lock = threading.Lock()

    def buy(i: int):
        # Half of the buyers list the products the other way round: the locks must not deadlock.
        lines = [(scarce.pk, Decimal(1)), (plenty.pk, Decimal(1))]
        if i % 2:
            lines.reverse()
        try:
            with scopes_disabled(), translation.override("en"):
                barrier.wait(timeout=30)
                order = _place_waiting_for_sqlite(
                    user=admin,
                    legal_entity=le,
                    contract=contracts[i],
                    lines=lines,
                    delivery_method="pickup",
                    warehouse=north if i % 3 == 0 else main,
                )
            with lock:
                placed.append(order.number)
        except ApplicationError as e:
            with lock:
                refused.append(e.message)
        except Exception as e:  # anything else is a failure of the test
            with lock:
                errors.append(repr(e))
        finally:
            connection.close()

    # when they all place their orders at the same moment
    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then exactly the last units were sold, each once, and the rest were told why
    assert errors == []
    assert len(placed) == LAST_UNITS
    assert len(refused) == BUYERS - LAST_UNITS
    assert all("Not enough stock of LAST-1" in message for message in refused)
    stock = {s.warehouse_id: s for s in Stock.objects.filter(product=scarce)}
    assert sum(s.reserved for s in stock.values()) == LAST_UNITS
    assert all(s.reserved <= s.on_hand for s in stock.values())
    allocated = sum(a.quantity for a in StockAllocation.objects.filter(product=scarce))
    assert allocated == LAST_UNITS
    assert sum(s.reserved for s in Stock.objects.filter(product=plenty)) == LAST_UNITS
    # numbers: no duplicates, no gaps, and refused checkouts left nothing behind
    year = timezone.localdate().year
    assert sorted(placed) == [f"{year}-{n:06d}" for n in range(1, LAST_UNITS + 1)]
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(placed)
    assert OrderLine.objects.count() == 2 * LAST_UNITS
    assert OrderEvent.objects.count() == LAST_UNITS


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_of_one_contract_stay_within_its_credit_limit():
    # given one contract with a credit limit of ten orders, and twenty buyers of the company
    # ordering under it at the same moment (plenty of stock: only the credit is scarce)
    client = f.ClientFactory(name="Кредит")
    le = f.LegalEntityFactory(client=client)
    buyers = [f.MembershipFactory(client=client, role="purchaser").user for _ in range(BUYERS // 2 - 5)]
    contract = f.ContractFactory(legal_entity=le, credit_limit=Decimal("1000.00"))
    main = of.warehouse("main")
    bolt = of.product("CREDIT-1", price="100.00", stock={main: 1000})

    barrier = threading.Barrier(len(buyers))
    placed, refused, errors = [], [], []
    lock = threading.Lock()

    def buy(user):
        try:
            with scopes_disabled(), translation.override("en"):
                barrier.wait(timeout=30)
                order = _place_waiting_for_sqlite(
                    user=user,
                    legal_entity=le,
                    contract=contract,
                    lines=[(bolt.pk, Decimal(1))],
                    delivery_method="pickup",
                    warehouse=main,
                )
            with lock:
                placed.append(order.number)
        except ApplicationError as e:
            with lock:
                refused.append(e.message)
        except Exception as e:
            with lock:
                errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(user,)) for user in buyers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # then each saw the orders committed before it: exactly ten fit, numbered without gaps
    assert errors == []
    assert len(placed) == 10
    assert all("exceeds the contract's credit limit" in message for message in refused)
    assert len(refused) == len(buyers) - 10
    year = timezone.localdate().year
    assert sorted(placed) == [f"{year}-{n:06d}" for n in range(1, 11)]
    assert sum(o.total_gross for o in Order.objects.filter(contract=contract)) == Decimal("1000.00")
    assert sum(s.reserved for s in Stock.objects.filter(product=bolt)) == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: no row locks")
@pytest.mark.django_db(transaction=True)
def test_a_hold_turned_into_an_order_while_a_checkout_of_its_contract_runs_does_not_deadlock(company, monkeypatch):
    # given a hold of 4 bolts, and a buyer whose checkout of the same contract and product has
    # taken the contract's lock and is about to reserve its stock
    main = of.warehouse("main")
    bolt = of.product("HOLD-1", stock={main: 10})
    cart = Cart.objects.create(user=company.buyer, contract=company.c1, client=company.client)
    CartLine.objects.create(client=company.client, cart=cart, product=bolt, quantity=Decimal(4))
    hold = hold_create(user=company.buyer, legal_entity=company.le1, contract=company.c1)
    checkout_locked, converting = threading.Event(), threading.Event()
    resolve = checkout.prices_resolve

    def paused_resolve(**kwargs):  # runs after the contract's lock, before the stock's
        if threading.current_thread().name == "checkout":
            checkout_locked.set()
            assert converting.wait(timeout=30)
            _wait_for_a_blocked_session()
        return resolve(**kwargs)

    monkeypatch.setattr(checkout, "prices_resolve", paused_resolve)
    results, errors = {}, []

    def run(name, action):
        try:
            with scopes_disabled(), translation.override("en"):
                results[name] = action()
        except Exception as e:  # a deadlock error, or anything else, fails the test
            errors.append(f"{name}: {e!r}")
        finally:
            connection.close()

    def convert():
        assert checkout_locked.wait(timeout=30)
        converting.set()
        return hold_convert(hold=hold, user=company.buyer, delivery_method="pickup", warehouse=main)

    def buy():
        return order_place(
            user=company.buyer,
            legal_entity=company.le1,
            contract=company.c1,
            lines=[(bolt.pk, Decimal(5))],
            delivery_method="pickup",
            warehouse=main,
        )

    # when the hold is turned into an order at that moment
    threads = [
        threading.Thread(target=run, args=("checkout", buy), name="checkout"),
        threading.Thread(target=run, args=("convert", convert), name="convert"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then both orders are placed, one after the other, and the stock counts both
    assert errors == []
    hold.refresh_from_db()
    assert (hold.status, hold.order) == (HoldStatus.CONVERTED, results["convert"])
    assert results["checkout"].status == OrderStatus.PLACED
    assert of.stock_of(bolt) == (Decimal(10), Decimal(9))
    assert sum(a.quantity for a in StockAllocation.objects.filter(product=bolt)) == Decimal(9)


def _wait_for_a_blocked_session():
    """Returns once another session of the test database waits for a row lock. (A transaction sees
    one snapshot of the sessions' activity until it is cleared.)"""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the other session never waited for a lock")
