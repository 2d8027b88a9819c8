"""Writes of the contract ledger (entered in the back office for now; documents and the ERP post
here later) and the credit check that ordering runs before it accepts an order."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.core.money import round_money

from .models import LedgerEntry
from .selectors import Balance, contract_balance


@transaction.atomic
def ledger_entry_create(
    *,
    contract,
    kind: str,
    date: dt.date,
    debit: Decimal = Decimal(0),
    credit: Decimal = Decimal(0),
    due_date: dt.date | None = None,
    document_number: str = "",
    description: str = "",
    order=None,
) -> LedgerEntry:
    """Posts one entry: either a debit (the customer owes, with an optional due date) or a credit."""
    if kind not in LedgerEntry.Kind.values:
        raise ApplicationError(_("Unknown kind of ledger entry."), field="kind")
    debit, credit = round_money(debit or 0), round_money(credit or 0)
    if debit < 0 or credit < 0:
        raise ApplicationError(_("Amounts cannot be negative."), field="debit" if debit < 0 else "credit")
    if (debit > 0) == (credit > 0):
        raise ApplicationError(_("Enter either a debit or a credit amount."), field="debit")
    if due_date is not None and due_date < date:
        raise ApplicationError(_("The due date cannot be before the entry's date."), field="due_date")
    return LedgerEntry.objects.create(
        contract=contract,
        kind=kind,
        date=date,
        debit=debit,
        credit=credit,
        due_date=due_date if debit > 0 else None,
        document_number=document_number,
        description=description,
        order=order,
    )


def _rub(amount: Decimal) -> str:
    return f"{round_money(amount):,.2f}".replace(",", "\u00a0")


def credit_check(*, contract, amount: Decimal) -> Balance | None:
    """Refuses (``ApplicationError``) a new order of ``amount`` (incl. VAT) that the contract's terms
    do not allow: overdue debt when it blocks ordering, or going over the credit limit (open orders
    + unpaid debt + this order). Returns the balance it checked; None when the contract has neither
    a limit nor blocks on overdue debt (nothing to check, no query)."""
    if contract.credit_limit is None and not contract.overdue_blocks_orders:
        return None
    balance = contract_balance(contract=contract)
    if contract.overdue_blocks_orders and balance.overdue > 0:
        raise ApplicationError(
            _("The contract has overdue debt of %(amount)s: new orders are accepted once it is paid.")
            % {"amount": _rub(balance.overdue)},
            field="contract",
        )
    if balance.credit_limit is not None and balance.credit_used + amount > balance.credit_limit:
        raise ApplicationError(
            _("The order of %(amount)s exceeds the contract's credit limit: %(available)s is left of %(limit)s.")
            % {
                "amount": _rub(amount),
                "available": _rub(max(balance.credit_available, Decimal(0))),
                "limit": _rub(balance.credit_limit),
            },
            field="contract",
        )
    return balance
