"""The contract ledger as ordering reads it: balance, overdue debt, open orders, credit left."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optovik.core.errors import ApplicationError
from optovik.customers.models import Contract
from optovik.finance.models import LedgerEntry
from optovik.finance.selectors import contract_balance
from optovik.finance.services import credit_check, ledger_entry_create
from optovik.ordering.models import Order, OrderStatus

D = Decimal
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _order(company, total, status=OrderStatus.PLACED, n=[0]):  # noqa: B006 - a counter for numbers
    n[0] += 1
    return Order.objects.create(
        client=company.client, legal_entity=company.le2, contract=company.c2, number=f"T-{n[0]}",
        status=status, placed_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC), delivery_method="pickup",
        total_gross=D(total),
    )  # fmt: skip


def test_empty_ledger(company):
    balance = contract_balance(contract=company.c2, day=TODAY)

    assert (balance.balance, balance.overdue, balance.credit_used) == (0, 0, 0)
    assert balance.credit_limit == D(500000)
    assert balance.credit_available == D(500000)


def test_payments_settle_the_oldest_debt_first(company):
    c = company.c2
    ledger_entry_create(
        contract=c, kind="shipment", date=dt.date(2026, 4, 1), debit=D(100), due_date=dt.date(2026, 5, 1)
    )
    ledger_entry_create(
        contract=c, kind="shipment", date=dt.date(2026, 5, 1), debit=D(300), due_date=dt.date(2026, 6, 1)
    )
    ledger_entry_create(
        contract=c, kind="shipment", date=dt.date(2026, 6, 10), debit=D(50), due_date=dt.date(2026, 7, 10)
    )
    ledger_entry_create(contract=c, kind="payment", date=dt.date(2026, 6, 2), credit=D(150))

    balance = contract_balance(contract=c, day=TODAY)

    assert balance.balance == D(300)  # 450 owed − 150 paid
    assert balance.overdue == D(250)  # 400 due by now − 150 paid
    assert contract_balance(contract=c, day=dt.date(2026, 5, 20)).overdue == 0  # 100 due, 150 paid


def test_open_orders_count_against_the_limit_shipped_and_cancelled_do_not(company):
    _order(company, "1000.00")
    _order(company, "500.00", OrderStatus.AWAITING_APPROVAL)
    _order(company, "700.00", OrderStatus.SHIPPED)
    _order(company, "900.00", OrderStatus.CANCELLED)
    ledger_entry_create(contract=company.c2, kind="payment", date=TODAY, credit=D(200))  # an advance

    balance = contract_balance(contract=company.c2, day=TODAY)

    assert balance.open_orders_total == D(1500)
    assert balance.credit_used == D(1300)  # the advance covers orders first
    assert balance.credit_available == D(498700)


def test_credit_check_refuses_over_the_limit(company):
    Contract.objects.filter(pk=company.c2.pk).update(credit_limit=D(1000))
    company.c2.refresh_from_db()
    _order(company, "800.00")

    credit_check(contract=company.c2, amount=D(200))
    with pytest.raises(ApplicationError, match="exceeds the contract's credit limit"):
        credit_check(contract=company.c2, amount=D("200.01"))


def test_no_limit_and_no_overdue_rule_means_no_check(company, django_assert_num_queries):
    Contract.objects.filter(pk=company.c1.pk).update(credit_limit=None, overdue_blocks_orders=False)
    company.c1.refresh_from_db()
    with django_assert_num_queries(0):
        assert credit_check(contract=company.c1, amount=D(10**9)) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"debit": D(0), "credit": D(0)}, "either a debit or a credit"),
        ({"debit": D(5), "credit": D(5)}, "either a debit or a credit"),
        ({"debit": D(-5)}, "cannot be negative"),
        ({"debit": D(5), "due_date": dt.date(2026, 1, 1)}, "due date cannot be before"),
        ({"debit": D(5), "kind": "gift"}, "Unknown kind"),
    ],
)
def test_bad_ledger_entries_are_refused(company, fields, message):
    params = {"contract": company.c2, "kind": "shipment", "date": TODAY, **fields}
    with pytest.raises(ApplicationError, match=message):
        ledger_entry_create(**params)
    assert not LedgerEntry.objects.exists()


def test_the_balance_is_read_in_one_query(company, django_assert_num_queries):
    ledger_entry_create(
        contract=company.c2, kind="shipment", date=dt.date(2026, 5, 1), debit=D(300), due_date=dt.date(2026, 6, 1)
    )
    ledger_entry_create(contract=company.c2, kind="payment", date=dt.date(2026, 6, 2), credit=D(100))
    _order(company, "250.00")

    with django_assert_num_queries(1):
        balance = contract_balance(contract=company.c2, day=TODAY)

    assert (balance.balance, balance.overdue, balance.open_orders_total) == (D(200), D(200), D(250))
    assert balance.credit_used == D(450)


def _reference(contract, day):
    """The balance as the ORM aggregates it: the ledger's sums and the open orders' total."""
    from django.db.models import Q, Sum

    from optovik.ordering.models import OPEN_STATUSES

    due_before = Q(due_date__lt=day) | Q(due_date__isnull=True, date__lt=day)
    sums = LedgerEntry.objects.filter(contract=contract).aggregate(
        debits=Sum("debit"), credits=Sum("credit"), due=Sum("debit", filter=due_before)
    )
    debits, credits, due = (sums[k] or D(0) for k in ("debits", "credits", "due"))
    open_total = Order.objects.filter(contract=contract, status__in=OPEN_STATUSES).aggregate(t=Sum("total_gross"))
    return debits - credits, max(due - credits, D(0)), open_total["t"] or D(0)


cents = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
day_offsets = st.integers(min_value=-60, max_value=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    debits=st.lists(st.tuples(day_offsets, st.none() | st.integers(0, 60), cents), max_size=6),
    credits=st.lists(st.tuples(day_offsets, cents), max_size=4),
    orders=st.lists(st.tuples(st.sampled_from(list(OrderStatus)), cents), max_size=6),
)
def test_the_one_query_agrees_with_the_orm_sums(company, debits, credits, orders):
    LedgerEntry.objects.all().delete()
    Order.objects.all().delete()
    for offset, due_in, amount in debits:
        date = TODAY + dt.timedelta(days=offset)
        due = None if due_in is None else date + dt.timedelta(days=due_in)
        LedgerEntry.objects.create(contract=company.c2, kind="shipment", date=date, debit=amount, due_date=due)
    for offset, amount in credits:
        LedgerEntry.objects.create(
            contract=company.c2, kind="payment", date=TODAY + dt.timedelta(days=offset), credit=amount
        )
    for status, total in orders:
        _order(company, total, status)

    balance = contract_balance(contract=company.c2, day=TODAY)

    assert (balance.balance, balance.overdue, balance.open_orders_total) == _reference(company.c2, TODAY)
    assert all(
        value == value.quantize(D("0.01")) for value in (balance.balance, balance.overdue, balance.open_orders_total)
    )
