"""Properties of the settlements ledger, over random shipments and payments posted through the
services: the balance is what was shipped less what was paid, payments settle the oldest debts
first, and the overdue debt is never negative nor more than the balance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optovik.finance.models import LedgerEntry
from optovik.finance.selectors import contract_balance

from .documents_data import payment, shipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English whatever an earlier request activated, so tests can read them."""
    with translation.override("en"):
        yield


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)
days_ago = st.integers(min_value=0, max_value=200)
shipments = st.lists(st.tuples(days_ago, amounts), max_size=6)
payments = st.lists(st.tuples(days_ago, amounts), max_size=6)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def fifo_overdue(debts: list[tuple[dt.date, Decimal]], paid: Decimal, today: dt.date) -> Decimal:
    """The reference: payments go to the debts in the order they fall due; whatever is left of a
    debt due before today is overdue."""
    overdue = Decimal(0)
    for due, amount in sorted(debts):
        covered = min(amount, paid)
        paid -= covered
        if due < today:
            overdue += amount - covered
    return overdue


def post(contract, shipped, paid):
    today = timezone.localdate()
    for ago, amount in shipped:
        shipment(contract=contract, date=today - dt.timedelta(days=ago), amount=amount)
    for ago, amount in paid:
        payment(contract=contract, date=today - dt.timedelta(days=ago), amount=amount)
    return today


@PROPERTY
@given(shipped=shipments, paid=payments, deferral=st.booleans())
def test_balance_is_debits_less_credits_and_overdue_follows_fifo(company, shipped, paid, deferral):
    contract = company.c2 if deferral else company.c1
    with transaction.atomic():
        today = post(contract, shipped, paid)

        balance = contract_balance(contract=contract)

        entries = list(LedgerEntry.objects.filter(contract=contract))
        total_debit = sum((e.debit for e in entries), Decimal(0))
        total_credit = sum((e.credit for e in entries), Decimal(0))
        assert total_debit == sum((a for _, a in shipped), Decimal(0))
        assert total_credit == sum((a for _, a in paid), Decimal(0))
        assert balance.balance == total_debit - total_credit
        assert Decimal(0) <= balance.overdue <= max(balance.balance, Decimal(0))
        debts = [(e.due_date, e.debit) for e in entries if e.debit]
        assert balance.overdue == fifo_overdue(debts, total_credit, today)
        transaction.set_rollback(True)


@PROPERTY
@given(shipped=shipments.filter(bool), extra=amounts)
def test_paying_the_whole_balance_clears_the_overdue_debt(company, shipped, extra):
    with transaction.atomic():
        post(company.c2, shipped, [])
        owed = contract_balance(contract=company.c2).balance

        payment(contract=company.c2, date=timezone.localdate(), amount=owed + extra)

        after = contract_balance(contract=company.c2)
        assert after.overdue == 0
        assert after.balance == -extra  # an advance
        transaction.set_rollback(True)


def test_oldest_debt_is_paid_first(company):
    today = timezone.localdate()
    shipment(contract=company.c1, date=today - dt.timedelta(days=20), amount="1000.00")  # overdue
    shipment(contract=company.c1, date=today, amount="500.00")  # due today, not overdue yet

    payment(contract=company.c1, date=today, amount="700.00")

    balance = contract_balance(contract=company.c1)
    assert balance.balance == Decimal("800.00")
    assert balance.overdue == Decimal("300.00")  # the payment went to the older debt


@pytest.mark.parametrize(
    ("amount", "days_ahead", "message"),
    [("0", 0, "must be positive"), ("-5", 0, "must be positive"), ("abc", 0, "as a number"), ("10", 3, "future")],
)
def test_bad_payment_is_refused_and_the_ledger_is_unchanged(company, amount, days_ahead, message):
    from optovik.core.errors import ApplicationError
    from optovik.finance.payments import payment_post

    with pytest.raises(ApplicationError, match=message):
        payment_post(
            contract=company.c1, date=timezone.localdate() + dt.timedelta(days=days_ahead), amount=amount, number="12"
        )
    assert not LedgerEntry.objects.exists()


def test_a_repeated_payment_import_changes_nothing(company):
    from optovik.finance.payments import payment_post

    first = payment_post(contract=company.c1, date=timezone.localdate(), amount=Decimal(100), external_id="erp-1")
    again = payment_post(contract=company.c1, date=timezone.localdate(), amount=Decimal(100), external_id="erp-1")
    assert first == again and LedgerEntry.objects.count() == 1
