"""Reads of the contract ledger: balance, overdue debt and the credit a contract has left."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from optovik.core.rawsql import convert, converters, placeholders, table

from .models import LedgerEntry

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    """Where a contract stands. ``balance`` > 0: the customer owes; < 0: the customer paid in advance."""

    balance: Decimal
    credit_limit: Decimal | None  # None: no limit
    credit_used: Decimal  # unpaid debt + open orders (an advance payment covers orders first)
    credit_available: Decimal | None  # None: no limit
    overdue: Decimal  # debt past its due date that payments have not covered
    open_orders_total: Decimal  # orders placed but not shipped yet, incl. VAT

    @property
    def has_overdue(self) -> bool:
        return self.overdue > 0


def _contract_totals(*, contract, day) -> tuple[Decimal, Decimal, Decimal]:
    """(balance, overdue debt, open orders total) of a contract on ``day``, in one query.

    Payments settle the oldest debts first, so the overdue debt is what is due before ``day`` less
    everything paid. A debit without a due date is due on its own date. The contract is one the
    caller resolved inside the tenancy scope; the rows are reached through its id."""
    from optovik.ordering.models import OPEN_STATUSES, Order

    day = connection.ops.adapt_datefield_value(day)
    sql = (
        "SELECT COALESCE(SUM(debit), 0.00), COALESCE(SUM(credit), 0.00), "  # noqa: S608
        "COALESCE(SUM(CASE WHEN due_date < %s OR (due_date IS NULL AND date < %s) THEN debit END), 0.00), "
        f"(SELECT COALESCE(SUM(total_gross), 0.00) FROM {table(Order)} "
        f"WHERE contract_id = %s AND status IN ({placeholders(OPEN_STATUSES)})) "
        f"FROM {table(LedgerEntry)} WHERE contract_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day, contract.pk, *OPEN_STATUSES, contract.pk])
        money = LedgerEntry._meta.get_field("debit")  # every column is a sum of money (two decimals)
        debits, credits, due, open_total = convert(cursor.fetchone(), converters(money, money, money, money))
    return debits - credits, max(due - credits, ZERO), open_total


def contract_ledger_totals(*, contract, day=None) -> tuple[Decimal, Decimal]:
    """(balance, overdue) of a contract on ``day`` (today by default), in one query."""
    balance, overdue, _open = _contract_totals(contract=contract, day=day or timezone.localdate())
    return balance, overdue


def contract_open_orders_total(*, contract, exclude_order_id: int | None = None) -> Decimal:
    from optovik.ordering.models import OPEN_STATUSES, Order

    qs = Order.objects.filter(contract_id=contract.pk, status__in=OPEN_STATUSES)
    if exclude_order_id is not None:
        qs = qs.exclude(pk=exclude_order_id)
    return qs.aggregate(total=Coalesce(Sum("total_gross"), ZERO))["total"]


def contract_balance(*, contract, day=None) -> Balance:
    """The contract's balance, overdue debt and credit (one query)."""
    balance, overdue, open_total = _contract_totals(contract=contract, day=day or timezone.localdate())
    used = max(balance + open_total, ZERO)
    limit = contract.credit_limit
    return Balance(
        balance=balance,
        credit_limit=limit,
        credit_used=used,
        credit_available=None if limit is None else limit - used,
        overdue=overdue,
        open_orders_total=open_total,
    )


def contract_ledger(*, contract):
    """The contract's ledger entries, oldest first."""
    return LedgerEntry.objects.filter(contract_id=contract.pk).order_by("date", "pk")
