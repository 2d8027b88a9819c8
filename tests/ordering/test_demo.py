"""The demo order history: realistic, consistent with stock and the ledger, made once."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from optovik.finance.models import LedgerEntry
from optovik.finance.selectors import contract_balance
from optovik.inventory.models import Stock
from optovik.ordering.demo import seed_orders
from optovik.ordering.models import (
    OPEN_STATUSES,
    DemandPlan,
    Order,
    OrderCounter,
    OrderStatus,
    SavedList,
    StockAllocation,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", "--noinput", verbosity=0)


@pytest.mark.django_db
def test_the_history_has_hundreds_of_orders_in_every_status(demo):
    orders = Order.objects.all()
    assert 250 <= orders.count() <= 400
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    assert orders.filter(source_order__isnull=False).exists()
    out_of_hours = [o for o in orders if not 9 <= timezone.localtime(o.placed_at).hour < 18]
    assert 0 < len(out_of_hours) < orders.count() / 4
    assert orders.filter(placed_at__lt=timezone.now() - timezone.timedelta(days=200)).exists()
    assert not orders.filter(placed_at__gt=timezone.now()).exists()


@pytest.mark.django_db
def test_the_rows_agree_with_each_other(demo):
    # numbers continue where the counter stands, so the next real order gets a fresh one
    year = timezone.localdate().year
    assert (
        OrderCounter.objects.get(year=year).last_number == Order.objects.filter(number__startswith=f"{year}-").count()
    )
    # every order's timeline ends in its status; totals are the sum of the lines
    for order in Order.objects.prefetch_related("events", "lines")[:60]:
        events = list(order.events.all())
        assert events[-1].status_to == order.status
        assert events[0].created_at == order.placed_at == order.created_at  # history keeps its own times
        assert order.total_gross == sum(line.amount_gross for line in order.lines.all())
    # open orders keep their stock, closed ones keep none
    allocated = StockAllocation.objects.filter(order_line__order__status__in=OPEN_STATUSES)
    assert allocated.exists()
    assert (
        not StockAllocation.objects.exclude(order_line__order__status__in=OPEN_STATUSES)
        .filter(hold_line__isnull=True)
        .exists()
    )
    assert not Stock.objects.filter(reserved__gt=F("on_hand")).exists()


@pytest.mark.django_db
def test_the_ledger_has_shipments_payments_and_one_overdue_debt(demo):
    shipments = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SHIPMENT, order__isnull=False)
    assert shipments.exists() and not shipments.filter(due_date__isnull=True).exists()
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT, order__isnull=False).exists()
    overdue = [o.contract for o in Order.objects.filter(contract__external_id="demo-contract-transshina")[:1]]
    assert contract_balance(contract=overdue[0]).overdue > 0


@pytest.mark.django_db
def test_lists_and_plans_are_there_and_a_second_run_changes_nothing(demo):
    assert SavedList.objects.filter(shared=True).exists()
    assert set(DemandPlan.objects.values_list("status", flat=True)) == {"confirmed", "submitted"}
    before = (Order.objects.count(), LedgerEntry.objects.count(), SavedList.objects.count(), DemandPlan.objects.count())

    seed_orders(stdout=io.StringIO())

    after = (Order.objects.count(), LedgerEntry.objects.count(), SavedList.objects.count(), DemandPlan.objects.count())
    assert after == before
