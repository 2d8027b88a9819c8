"""Reads of the contract ledger: balance, overdue debt and the credit a contract has left."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

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


def _money(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), ZERO)


def contract_ledger_totals(*, contract, day=None) -> tuple[Decimal, Decimal]:
    """(balance, overdue) of a contract on ``day`` (today by default), in one query.

    Payments settle the oldest debts first, so the overdue debt is what is due before ``day`` less
    everything paid. A debit without a due date is due on its own date."""
    day = day or timezone.localdate()
    due_before = Q(due_date__lt=day) | Q(due_date__isnull=True, date__lt=day)
    totals = LedgerEntry.objects.filter(contract_id=contract.pk).aggregate(
        debits=_money("debit"), credits=_money("credit"), due=_money("debit", due_before)
    )
    balance = totals["debits"] - totals["credits"]
    overdue = max(totals["due"] - totals["credits"], ZERO)
    return balance, overdue


def contract_open_orders_total(*, contract, exclude_order_id: int | None = None) -> Decimal:
    from optovik.ordering.models import OPEN_STATUSES, Order

    qs = Order.objects.filter(contract_id=contract.pk, status__in=OPEN_STATUSES)
    if exclude_order_id is not None:
        qs = qs.exclude(pk=exclude_order_id)
    return qs.aggregate(total=_money("total_gross"))["total"]


def contract_balance(*, contract, day=None) -> Balance:
    """The contract's balance, overdue debt and credit (two queries)."""
    balance, overdue = contract_ledger_totals(contract=contract, day=day)
    open_total = contract_open_orders_total(contract=contract)
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
